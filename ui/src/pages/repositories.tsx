import { useState } from 'preact/hooks';
import { ART, getJson, type Repository, UPLOADS_REPO } from '../api.ts';
import { href } from '../router.ts';
import type { Session } from '../session.ts';
import { useLoad } from '../use-load.ts';
import { Show, Table } from '../widgets.tsx';

/** Every repository the caller may see (the Edge filters the list, EDGE-AUTH-5), with kind and package type. */
export function Repositories({ session }: { session: Session }) {
  const [loaded] = useLoad(() => getJson<Repository[]>(session, `${ART}/api/repositories`), [session]);
  const [filter, setFilter] = useState('');
  return (
    <section>
      <h1>Repositories</h1>
      <label class="filter">
        Filter by name <input type="search" id="repo-filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <Show loaded={loaded}>
        {(repos) => (
          <Table
            id="repositories"
            columns={['Key', 'Kind', 'Package type', 'Writes']}
            items={repos.filter((r) => r.key.toLowerCase().includes(filter.toLowerCase()))}
            empty="No repository you may see matches."
            row={(repo) => (
              <tr key={repo.key} data-repo={repo.key}>
                <td>
                  <a href={href('repos', repo.key)}>{repo.key}</a>
                </td>
                <td>{repo.type.toLowerCase()}</td>
                <td>{repo.packageType}</td>
                <td>{repo.key === UPLOADS_REPO ? 'uploads' : 'read-only'}</td>
              </tr>
            )}
          />
        )}
      </Show>
    </section>
  );
}
