import { useMemo, useState } from 'preact/hooks';
import { ART, call, encodePath, type FileInfo, type FolderInfo, getJson, isFile, type ApiRefusal, UPLOADS_REPO } from '../api.ts';
import { href, itemHref } from '../router.ts';
import type { Session } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { bytes, Refusal, Show, when } from '../widgets.tsx';
import { Upload } from './upload.tsx';

/** One collator, not localeCompare per comparison: sorting ten thousand names stays a few milliseconds. */
const byName = new Intl.Collator('en').compare;

/** Rows drawn at once: a folder of ten thousand stays fast; the filter reaches the rest. */
const ROWS_SHOWN = 500;

/** A repository's tree, one folder or file at a time, from the storage API (EDGE-ART-9). */
export function Browser({ session, repo, path }: { session: Session; repo: string; path: string }) {
  const [loaded, reload] = useLoad(() => getJson<FolderInfo | FileInfo>(session, `${ART}/api/storage/${encodePath(repo)}/${encodePath(path)}`), [session, repo, path]);
  return (
    <section>
      <Crumbs repo={repo} path={path} />
      <Show loaded={loaded}>
        {(info) => (isFile(info) ? <File session={session} info={info} /> : <Folder session={session} info={info} reload={reload} />)}
      </Show>
    </section>
  );
}

function Crumbs({ repo, path }: { repo: string; path: string }) {
  const parts = path.split('/').filter(Boolean);
  return (
    <nav aria-label="Path" class="crumbs">
      <a href={href('repos')}>Repositories</a> / <a href={itemHref(repo, '')}>{repo}</a>
      {parts.map((part, i) => (
        <span key={i}>
          {' / '}
          <a href={itemHref(repo, parts.slice(0, i + 1).join('/'))}>{part}</a>
        </span>
      ))}
    </nav>
  );
}

function Folder({ session, info, reload }: { session: Session; info: FolderInfo; reload: () => void }) {
  const [filter, setFilter] = useState('');
  const [all, setAll] = useState(false);
  const base = info.path.replace(/^\/+|\/+$/g, '');
  const sorted = useMemo(
    () =>
      info.children
        .map((child) => ({ name: child.uri.replace(/^\//, ''), folder: child.folder }))
        .sort((a, b) => Number(b.folder) - Number(a.folder) || byName(a.name, b.name)),
    [info],
  );
  const children = filter ? sorted.filter((child) => child.name.toLowerCase().includes(filter.toLowerCase())) : sorted;
  const shown = all ? children : children.slice(0, ROWS_SHOWN);
  return (
    <>
      <h1>
        {info.repo}
        {base ? `/${base}` : ''}
      </h1>
      {info.repo === UPLOADS_REPO ? null : (
        <p class="read-only" id="read-only-notice">
          Read-only: an Edge node accepts deployments only to <a href={itemHref(UPLOADS_REPO, '')}>{UPLOADS_REPO}</a>; this repository is filled by release
          bundles or a smart remote.
        </p>
      )}
      <label class="filter">
        Filter by name <input type="search" id="item-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <ul class="listing" id="listing">
        {shown.map((child) => (
          <li key={child.name} class={child.folder ? 'folder' : 'file'} data-name={child.name}>
            <a href={itemHref(info.repo, base ? `${base}/${child.name}` : child.name)}>
              {child.name}
              {child.folder ? '/' : ''}
            </a>
          </li>
        ))}
      </ul>
      <p class="muted" id="listing-count">
        {children.length === info.children.length ? `${children.length} items` : `${children.length} of ${info.children.length} items`}
        {shown.length < children.length ? (
          <>
            {` (first ${shown.length} shown) `}
            <button type="button" onClick={() => setAll(true)}>
              Show all
            </button>
          </>
        ) : null}
      </p>
      <Upload session={session} repo={info.repo} folder={base} onUploaded={reload} />
    </>
  );
}

function File({ session, info }: { session: Session; info: FileInfo }) {
  const path = info.path.replace(/^\/+/, '');
  const name = path.split('/').pop() ?? path;
  const [properties] = useLoad(
    () =>
      getJson<{ properties: Record<string, string[]> }>(session, `${ART}/api/storage/${encodePath(info.repo)}/${encodePath(path)}?properties`).catch(
        (refusal: ApiRefusal) => {
          // Artifactory answers 404 for a file without properties.
          if (refusal.status === 404) return { properties: {} };
          throw refusal;
        },
      ),
    [session, info.repo, path],
  );
  const [refusal, setRefusal] = useState<ApiRefusal>();
  // The download goes through fetch so it carries the user's credentials, as every other call does.
  const download = async () => {
    setRefusal(undefined);
    try {
      const blob = await (await call(session, `${ART}/${encodePath(info.repo)}/${encodePath(path)}`)).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch (error) {
      setRefusal(error as ApiRefusal);
    }
  };
  return (
    <>
      <h1>{name}</h1>
      <p>
        <button type="button" id="download" onClick={() => void download()}>
          Download
        </button>
      </p>
      {refusal ? <Refusal refusal={refusal} /> : null}
      <dl class="facts" id="file-info">
        <dt>Repository</dt>
        <dd>{info.repo}</dd>
        <dt>Path</dt>
        <dd>{path}</dd>
        <dt>Size</dt>
        <dd>
          {bytes(info.size)} ({info.size} bytes)
        </dd>
        <dt>Created</dt>
        <dd>{when(info.created)}</dd>
        {info.mimeType ? (
          <>
            <dt>Media type</dt>
            <dd>{info.mimeType}</dd>
          </>
        ) : null}
        {Object.entries(info.checksums).map(([kind, value]) => (
          <span key={kind} class="pair">
            <dt>{kind.toUpperCase()}</dt>
            <dd>
              <code data-checksum={kind}>{value}</code>
            </dd>
          </span>
        ))}
        {info.remoteUrl ? (
          <>
            <dt>Cached from</dt>
            <dd>
              <code>{info.remoteUrl}</code>
              {info.originAbsent ? ' (no longer at the origin)' : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <h2>Properties</h2>
      <Show loaded={properties}>
        {({ properties: all }) =>
          Object.keys(all).length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <table id="properties">
              <tbody>
                {Object.entries(all).map(([key, values]) => (
                  <tr key={key}>
                    <th>{key}</th>
                    <td>{values.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </>
  );
}
