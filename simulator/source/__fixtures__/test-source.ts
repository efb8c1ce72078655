import { plainContext, type Outbound } from '../../core/service.ts';
import { createSource, type SourceOptions, type SourceService } from '../source.ts';

/** Test support: a source driven in-process through `app.request`, with a settable clock. */

export const ADMIN = 'admin';
export const PASSWORD = 'source-admin-password';
export const ADMIN_AUTH = `Basic ${Buffer.from(`${ADMIN}:${PASSWORD}`).toString('base64')}`;
export const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

export interface TestSource {
  source: SourceService;
  clock: { now: number };
  /** Sends a request as the admin unless `auth` says otherwise (null: no credentials). */
  call(method: string, path: string, options?: { body?: string | Buffer; headers?: Record<string, string>; auth?: string | null }): Promise<Response>;
  /** Creates a local repository. */
  repo(key: string): Promise<void>;
  /** Deploys a file and fails the test if it does not answer 201. */
  deploy(repoPath: string, body: string | Buffer): Promise<void>;
  /** Runs an AQL query and returns the parsed answer (or throws with the error text). */
  aql(query: string): Promise<{ results: Record<string, unknown>[]; range: Record<string, number> }>;
}

export function testSource(options: Partial<SourceOptions> = {}, fetch?: Outbound): TestSource {
  const clock = { now: T0 };
  const source = createSource(plainContext('source', { now: () => clock.now, ...(fetch ? { fetch } : {}) }), {
    adminUser: ADMIN,
    adminPassword: PASSWORD,
    ...options,
  });
  const call: TestSource['call'] = async (method, path, { body, headers = {}, auth = ADMIN_AUTH } = {}) =>
    source.app.request(path, {
      method,
      headers: { ...(auth === null ? {} : { authorization: auth }), ...headers },
      ...(body === undefined ? {} : { body }),
    });
  return {
    source,
    clock,
    call,
    async repo(key) {
      const res = await call('PUT', `/artifactory/api/repositories/${key}`, { body: '{"rclass":"local"}' });
      if (res.status !== 200) throw new Error(`creating ${key}: ${res.status} ${await res.text()}`);
    },
    async deploy(repoPath, body) {
      const res = await call('PUT', `/artifactory/${repoPath}`, { body });
      if (res.status !== 201) throw new Error(`deploying ${repoPath}: ${res.status} ${await res.text()}`);
    },
    async aql(query) {
      const res = await call('POST', '/artifactory/api/search/aql', { body: query, headers: { 'content-type': 'text/plain' } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`AQL ${res.status}: ${text}`);
      return JSON.parse(text) as { results: Record<string, unknown>[]; range: Record<string, number> };
    },
  };
}

/** The first error entry of an Artifactory error body. */
export async function errorOf(res: Response): Promise<{ status: number; message: string; code: string }> {
  const body = (await res.json()) as { errors: { status: number; message: string; code: string }[] };
  const [entry] = body.errors;
  if (!entry) throw new Error('no error entry');
  return entry;
}
