import { useState } from 'preact/hooks';
import { ART, getJson, getText } from '../api.ts';
import type { Session } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { Show, Table, when } from '../widgets.tsx';

type Keys = { keys: { kid: string; alias: string; fingerprint: string; issued: number; issuedBy: string; expiry: number }[] };
type Certificates = {
  trusted: { alias: string; subject: string; issuer: string; not_before: string; not_after: string; fingerprint_sha256: string }[];
  refused: { alias: string; reason: string }[];
};

const ACCESS = '/access/api/v1';

/** The circle of trust as the Edge's admin API shows it; other callers see the Edge's refusal. */
export function Trust({ session }: { session: Session }) {
  const [keys] = useLoad(() => getJson<Keys>(session, `${ART}/api/security/keys/trusted`), [session]);
  const [certificates] = useLoad(() => getJson<Certificates>(session, `${ACCESS}/cert/trusted`), [session]);
  const [own] = useLoad(() => getText(session, `${ACCESS}/cert/root`), [session]);
  const [copied, setCopied] = useState(false);
  return (
    <section>
      <h1>Trust</h1>
      <h2>Release bundle signing keys</h2>
      <Show loaded={keys}>
        {({ keys: all }) => (
          <Table
            id="trusted-keys"
            columns={['Alias', 'Key id', 'Fingerprint', 'Expires']}
            items={all}
            empty="No signing key is trusted."
            row={(key) => (
              <tr key={key.kid}>
                <td>{key.alias}</td>
                <td>
                  <code>{key.kid}</code>
                </td>
                <td>
                  <code>{key.fingerprint}</code>
                </td>
                <td>{key.expiry ? when(key.expiry) : 'never'}</td>
              </tr>
            )}
          />
        )}
      </Show>
      <h2>Trusted certificates</h2>
      <Show loaded={certificates}>
        {({ trusted, refused }) => (
          <>
            <Table
              id="trusted-certificates"
              columns={['Alias', 'Subject', 'Valid until', 'SHA-256 fingerprint']}
              items={trusted}
              empty="No certificate is trusted."
              row={(c) => (
                <tr key={c.alias}>
                  <td>{c.alias}</td>
                  <td>{c.subject}</td>
                  <td>{when(c.not_after)}</td>
                  <td>
                    <code>{c.fingerprint_sha256}</code>
                  </td>
                </tr>
              )}
            />
            {refused.map((r) => (
              <p key={r.alias} class="refusal">
                {r.alias}: {r.reason}
              </p>
            ))}
          </>
        )}
      </Show>
      <h2>This Edge's certificate</h2>
      <Show loaded={own}>
        {(pem) => (
          <>
            <pre id="own-certificate" tabIndex={0}>
              {pem}
            </pre>
            <button
              type="button"
              onClick={() =>
                navigator.clipboard?.writeText(pem).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              Copy
            </button>
            {copied ? <span role="status"> Copied.</span> : null}
          </>
        )}
      </Show>
    </section>
  );
}
