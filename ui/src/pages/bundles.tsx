import { ART, encodePath, type FileInfo, getJson, getText } from '../api.ts';
import { href, itemHref } from '../router.ts';
import type { Session } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { Show, Table, when } from '../widgets.tsx';

type BundleList = { bundles: Record<string, { version: string; created: string; status: string }[]> };
type Bundle = { name: string; version: string; created: string; description?: string; artifacts: { repo_path: string; checksum: string }[] };
type Refusals = { events: { at: string; step: string; code: string; message: string; txId?: string; repoPath?: string }[] };

const BUNDLES = `${ART}/api/release/bundles`;
/** The Edge's feed of refused deliveries (EDGE-UI-5), admins only. */
export const REFUSALS = `${ART}/api/edgeproof/distribution/refusals`;

/** Files looked at for the arrival time: a bundle of thousands needs no thousand calls for one date. */
const ARRIVAL_SAMPLE = 50;

/**
 * When the bundle arrived: the API states only the signed \`created\`, so this is the latest
 * creation on this Edge of its files (of the first ARRIVAL_SAMPLE), as the storage API gives it.
 */
async function arrival(session: Session, bundle: Bundle): Promise<string | undefined> {
  const times = await Promise.all(
    bundle.artifacts.slice(0, ARRIVAL_SAMPLE).map((a) =>
      getJson<FileInfo>(session, `${ART}/api/storage/${encodePath(a.repo_path)}`).then(
        (info) => info.created,
        () => undefined,
      ),
    ),
  );
  return times.filter((t): t is string => t !== undefined).sort().pop();
}

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
        {({ bundles }) => (
          <Table
            id="bundles"
            columns={['Bundle', 'Version', 'State', 'Created']}
            items={Object.entries(bundles).flatMap(([name, versions]) => versions.map((v) => ({ name, ...v })))}
            empty="No release bundle you may read has arrived."
            row={(b) => (
              <tr key={`${b.name}/${b.version}`} data-bundle={`${b.name}/${b.version}`}>
                <td>
                  <a href={href('bundles', b.name, b.version)}>{b.name}</a>
                </td>
                <td>{b.version}</td>
                <td>{b.status}</td>
                <td>{when(b.created)}</td>
              </tr>
            )}
          />
        )}
      </Show>
      <h2>Refused deliveries</h2>
      <Show loaded={refusals}>
        {({ events }) => (
          <Table
            id="refusals"
            columns={['When', 'Step', 'Code', 'Reason', 'Transaction / file']}
            items={events}
            empty="None since this Edge started."
            row={(e) => (
              <tr key={`${e.at} ${e.txId} ${e.repoPath}`} data-code={e.code}>
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
            )}
          />
        )}
      </Show>
    </section>
  );
}

function BundleView({ session, name, version }: { session: Session; name: string; version: string }) {
  const path = `${BUNDLES}/${encodePath(name)}/${encodePath(version)}`;
  const [loaded] = useLoad(async () => {
    const bundle = await getJson<Bundle>(session, path);
    return { bundle, kid: signingKey(await getText(session, `${path}?format=jws`)), arrived: await arrival(session, bundle) };
  }, [session, path]);
  return (
    <section>
      <nav aria-label="Path" class="crumbs">
        <a href={href('bundles')}>Release bundles</a> / {name} / {version}
      </nav>
      <Show loaded={loaded}>
        {({ bundle, kid, arrived }) => (
          <>
            <h1>
              {bundle.name} {bundle.version}
            </h1>
            {bundle.description ? <p>{bundle.description}</p> : null}
            <dl class="facts">
              <dt>Created (signed)</dt>
              <dd>{when(bundle.created)}</dd>
              <dt>Arrived</dt>
              <dd id="bundle-arrived">{arrived ? when(arrived) : 'unknown'}</dd>
              <dt>Signed by key</dt>
              <dd>
                <code id="bundle-kid">{kid}</code>
              </dd>
              <dt>State</dt>
              <dd>complete, signature and every checksum verified on arrival</dd>
            </dl>
            <h2>Files ({bundle.artifacts.length})</h2>
            <Table
              id="bundle-files"
              columns={['Path', 'SHA-256']}
              items={bundle.artifacts}
              empty="No files."
              row={(a) => {
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
              }}
            />
          </>
        )}
      </Show>
    </section>
  );
}
