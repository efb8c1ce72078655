import { ART, encodePath, getJson, getText } from '../api.ts';
import { href, itemHref } from '../router.ts';
import type { Session } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { Show, when } from '../widgets.tsx';

type BundleList = { bundles: Record<string, { version: string; created: string; status: string }[]> };
type Bundle = { name: string; version: string; created: string; description?: string; artifacts: { repo_path: string; checksum: string }[] };
type Refusals = { events: { at: string; step: string; code: string; message: string; txId?: string; repoPath?: string }[] };

const BUNDLES = `${ART}/api/release/bundles`;
/** The Edge's feed of refused deliveries (EDGE-UI-5), admins only. */
export const REFUSALS = `${ART}/api/edgeproof/distribution/refusals`;

/** The JWS's protected header names the key that signed the bundle. */
function signingKey(jws: string): string {
  try {
    const header = JSON.parse(atob((jws.split('.')[0] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { kid?: string };
    return header.kid ?? 'unnamed';
  } catch {
    return 'unreadable';
  }
}

export function Bundles({ session, bundle }: { session: Session; bundle: string[] }) {
  const [name, version] = bundle;
  return name && version ? <BundleView session={session} name={name} version={version} /> : <BundleIndex session={session} />;
}

function BundleIndex({ session }: { session: Session }) {
  const [list] = useLoad(() => getJson<BundleList>(session, BUNDLES), [session]);
  const [refusals] = useLoad(() => getJson<Refusals>(session, REFUSALS), [session]);
  return (
    <section>
      <h1>Release bundles</h1>
      <Show loaded={list}>
        {({ bundles }) =>
          Object.keys(bundles).length === 0 ? (
            <p class="muted">No release bundle you may read has arrived.</p>
          ) : (
            <table id="bundles">
              <thead>
                <tr>
                  <th>Bundle</th>
                  <th>Version</th>
                  <th>State</th>
                  <th>Arrived</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(bundles).flatMap(([bundleName, versions]) =>
                  versions.map((v) => (
                    <tr key={`${bundleName}/${v.version}`} data-bundle={`${bundleName}/${v.version}`}>
                      <td>
                        <a href={href('bundles', bundleName, v.version)}>{bundleName}</a>
                      </td>
                      <td>{v.version}</td>
                      <td>{v.status}</td>
                      <td>{when(v.created)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )
        }
      </Show>
      <h2>Refused deliveries</h2>
      <Show loaded={refusals}>
        {({ events }) =>
          events.length === 0 ? (
            <p class="muted">None since this Edge started.</p>
          ) : (
            <table id="refusals">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Step</th>
                  <th>Code</th>
                  <th>Reason</th>
                  <th>Transaction / file</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e, i) => (
                  <tr key={i} data-code={e.code}>
                    <td>{when(e.at)}</td>
                    <td>{e.step}</td>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td>{e.message}</td>
                    <td>
                      <code>{[e.txId, e.repoPath].filter(Boolean).join(' ')}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </section>
  );
}

function BundleView({ session, name, version }: { session: Session; name: string; version: string }) {
  const path = `${BUNDLES}/${encodePath(name)}/${encodePath(version)}`;
  const [loaded] = useLoad(async () => ({ bundle: await getJson<Bundle>(session, path), kid: signingKey(await getText(session, `${path}?format=jws`)) }), [session, path]);
  return (
    <section>
      <nav aria-label="Path" class="crumbs">
        <a href={href('bundles')}>Release bundles</a> / {name} / {version}
      </nav>
      <Show loaded={loaded}>
        {({ bundle, kid }) => (
          <>
            <h1>
              {bundle.name} {bundle.version}
            </h1>
            {bundle.description ? <p>{bundle.description}</p> : null}
            <dl class="facts">
              <dt>Created</dt>
              <dd>{when(bundle.created)}</dd>
              <dt>Signed by key</dt>
              <dd>
                <code id="bundle-kid">{kid}</code>
              </dd>
              <dt>State</dt>
              <dd>complete, signature and every checksum verified on arrival</dd>
            </dl>
            <h2>Files ({bundle.artifacts.length})</h2>
            <table id="bundle-files">
              <thead>
                <tr>
                  <th>Path</th>
                  <th>SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {bundle.artifacts.map((a) => {
                  const [repo = '', ...rest] = a.repo_path.split('/');
                  return (
                    <tr key={a.repo_path}>
                      <td>
                        <a href={itemHref(repo, rest.join('/'))}>{a.repo_path}</a>
                      </td>
                      <td>
                        <code>{a.checksum}</code>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}
