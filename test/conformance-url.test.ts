import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePublicKey, harnessMaterial, simulatorAccessCertificatePem } from '../fixtures/keys/index.ts';
import { ArtifactoryClient } from '../protocol/clients/index.ts';
import {
  embeddedTarget,
  runConformance,
  SUITE,
  SUITE_VERSION,
  TargetUnavailable,
  urlTarget,
  type Profile,
  type RunResult,
  type UrlOptions,
} from '../scenarios/index.ts';
import { edgeAtUrl } from './broken-edge.ts';
import { CLI_TEST_TIMEOUT_MS, edgeproof, serveEdge, type ServedEdge } from './served-edge.ts';
import { unexplainedNotApplicable } from './not-applicable.ts';

/**
 * The url target (issue #10, "Targets"): the suite against a separately started
 * `edgeproof serve`, through the CLI and in process, and the one-line refusals of an Edge the
 * suite cannot use — unreachable, not an Artifactory, bad credentials, not an admin, missing
 * pre-installed trust — each within seconds.
 */

const PASSWORD = 'url-target-admin-password';
const READER = { user: 'url-target-reader', password: 'Url-Target-Reader-1' };
/**
 * The profiles the in-process run takes. The whole core+edp selection takes minutes (when
 * measured: 227 scenarios in 225 to 418 s on a busy 2-core machine), so by default only edp,
 * whose scenarios also reach the Edge from the simulators by its URL (86 scenarios, 60 s);
 * EDGEPROOF_URL_TARGET_FULL=1 runs both.
 */
const IN_PROCESS: readonly Profile[] = process.env.EDGEPROOF_URL_TARGET_FULL === '1' ? ['core', 'edp'] : ['edp'];
/** A small selection the CLI runs: the service id (twice, once needing a restart) and the licence. */
const SYSTEM = '^system/(service-id|license-is-edge)';

let work: string;
let served: ServedEdge;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgeproof-url-target-'));
  served = await serveEdge(['--data-dir', join(work, 'edge'), '--admin-password', PASSWORD]);
  const admin = new ArtifactoryClient({ url: served.url, credentials: { user: 'admin', password: PASSWORD } });
  await admin.putUser(READER.user, { email: 'reader@edgeproof.test', password: READER.password });
});
afterAll(async () => {
  await served?.stop();
  await rm(work, { recursive: true, force: true });
});

/** `edgeproof conformance --target url` against `url`, reports in a fresh folder. */
async function conformance(name: string, args: string[], password = PASSWORD) {
  const out = join(work, name);
  const res = await edgeproof(['conformance', '--target', 'url', '--seed', '11', '--runs', '5', '--report', 'json', '--out', out, ...args], {
    EDGEPROOF_CONFORMANCE_PASSWORD: password,
  });
  const result = async () => JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as RunResult;
  return { ...res, result };
}

/** How `start` of a url target fails, and how long it took. */
async function startFails(options: Partial<UrlOptions> & { url: string }): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const error = await urlTarget({ user: 'admin', password: PASSWORD, ...options })
    .start()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(TargetUnavailable);
  return { message: (error as Error).message, ms: performance.now() - started };
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0] ?? '';
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `server` on a loopback port; `close` also drops the connections it holds open. */
async function listening(server: Server | TcpServer): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// First, while the Edge trusts nothing yet: the runs below install the trust.
describe('--no-install-trust: the Edge must already trust the simulators and the fixture key', () => {
  it(
    'names what is missing in one line, exit 2',
    async () => {
      const res = await conformance('no-trust', ['--url', served.url, '--no-install-trust', '--grep', SYSTEM]);
      expect(res.code, res.stderr).toBe(2);
      expect(oneLine(res.stderr)).toMatch(
        /^edgeproof: the Edge at http:\/\/127\.0\.0\.1:\d+ does not trust the simulators' certificate \(alias edgeproof-sim, SHA-256 F9:59:[0-9A-F:]+\) nor the fixture signing key \(alias edgeproof-fixture, fingerprint 7c:14:[0-9a-f:]+\) \(--no-install-trust: pre-install them as docs\/vendors\.md says\)$/,
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'runs once they are installed with the REST calls docs/vendors.md gives',
    async () => {
      const auth = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
      // docs/vendors.md, "Pre-install the trust": the same two calls, as curl sends them.
      const certificate = await fetch(`${served.url}/access/api/v1/cert/trusted/edgeproof-sim`, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/x-pem-file' },
        body: simulatorAccessCertificatePem(),
      });
      expect(certificate.status).toBe(201);
      const key = await fetch(`${served.url}/artifactory/api/security/keys/trusted`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ alias: 'edgeproof-fixture', public_key: fixturePublicKey('bundle-signing') }),
      });
      expect(key.status).toBe(201);

      const res = await conformance('trust-preinstalled', ['--url', served.url, '--no-install-trust', '--grep', SYSTEM]);
      expect(res.code, res.stderr).toBe(0);
      expect((await res.result()).installTrust).toBe(false);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

describe('edgeproof conformance --target url against a separately started edgeproof serve', () => {
  it(
    'runs the selection through the CLI: exit 0 and result.json naming the url target',
    async () => {
      const res = await conformance('cli', ['--url', `${served.url}/artifactory/`, '--profile', 'core,edp', '--grep', SYSTEM]);
      expect(res.code, res.stderr).toBe(0);
      const result = await res.result();
      expect(result.target).toEqual({ kind: 'url', label: `url ${served.url}`, settings: { url: served.url, user: 'admin' } });
      expect(result.suite).toEqual({ name: 'edgeproof', version: SUITE_VERSION });
      expect(result.selection).toEqual({ profiles: ['core', 'edp'], level: 'MUST', grep: SYSTEM });
      expect(result.ok).toBe(true);
      expect(Object.fromEntries(result.scenarios.map((s) => [s.id, s.status]))).toEqual({
        'system/service-id': 'passed',
        'system/service-id-survives-restart': 'not-applicable',
        'system/license-is-edge': 'passed',
      });
      expect(result.scenarios.find((s) => s.status === 'not-applicable')?.reason).toBe('the target cannot restart');
      expect(result.requirements.map((r) => [r.id, r.verdict])).toEqual([
        ['EDGE-SYS-1', 'passed'],
        ['EDGE-SYS-2', 'passed'],
      ]);
      // The password came from the environment and is written nowhere.
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(`runs the ${IN_PROCESS.join('+')} selection in process: nothing fails, only what needs more than HTTP is not applicable`, async () => {
    const started = performance.now();
    const result = await runConformance({
      target: urlTarget({ url: served.url, user: 'admin', password: PASSWORD }),
      scenarios: SUITE,
      material: harnessMaterial(),
      selection: { profiles: [...IN_PROCESS], level: 'MUST' },
      seed: 11,
      runs: 10,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: 'test',
      today: '2026-11-30',
    });
    const ms = performance.now() - started;
    console.log(`url target, ${IN_PROCESS.join('+')}: ${result.scenarios.length} scenarios in ${Math.round(ms)} ms (${JSON.stringify(result.summary)})`);
    const problems = result.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'not-applicable').map((s) => `${s.id}: ${s.failure?.message}`);
    expect(problems).toEqual([]);
    // Not applicable only for what a url target cannot do, or what this Edge does not offer or tell.
    expect(unexplainedNotApplicable(result)).toEqual([]);
    expect(result.requirements.filter((r) => r.verdict === 'failed')).toEqual([]);
    expect(result.scenarios.flatMap((s) => s.cleanupProblems ?? [])).toEqual([]);
  }, 600_000);
});

describe('the packages profile on a url target', () => {
  it('runs every package format scenario against the served Edge, the smart remote and virtual ones included: nothing fails or is not applicable', async () => {
    const result = await runConformance({
      target: urlTarget({ url: served.url, user: 'admin', password: PASSWORD }),
      scenarios: SUITE,
      material: harnessMaterial(),
      selection: { profiles: ['packages'], level: 'MUST' },
      seed: 11,
      runs: 3,
      suite: { name: 'edgeproof', version: SUITE_VERSION },
      command: 'test',
      today: '2026-11-30',
    });
    expect(result.scenarios.length).toBeGreaterThan(0);
    expect(result.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.status} ${s.failure?.message ?? s.reason ?? ''}`)).toEqual([]);
    expect(result.requirements.filter((r) => r.verdict === 'failed' || r.verdict === 'untested')).toEqual([]);
  }, 300_000);
});

describe("the Edge's body limits, which no API tells", () => {
  it(
    'told them (--max-upload-bytes, --max-json-bytes), the url target runs the body-limit scenarios instead of calling them not applicable (EDGE-IN-6)',
    async () => {
      const small = await edgeAtUrl(embeddedTarget({ config: { maxUploadBytes: 1000, maxJsonBytes: 1024 } }));
      try {
        const limits = ['--max-upload-bytes', '1000', '--max-json-bytes', '1024'];
        const res = await conformance(
          'limits',
          ['--url', small.url, ...limits, '--grep', '^bad-input/.*(over|exactly)-the-limit|keeps-the-stored-file'],
          small.password,
        );
        expect(res.code, res.stderr).toBe(0);
        const result = await res.result();
        expect(result.scenarios.map((s) => s.status)).toEqual(Array(8).fill('passed'));
        expect(result.target.settings).toEqual({ url: small.url, user: 'admin', maxUploadBytes: 1000, maxJsonBytes: 1024 });
        expect(result.command).toContain('--max-upload-bytes 1000 --max-json-bytes 1024');
      } finally {
        await small.close();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

describe('an Edge the suite cannot use: one line, exit 2, within seconds', () => {
  it(
    'unreachable, a wrong password, a user who is not an admin, no password at all, a limit of 0 bytes, through the CLI',
    async () => {
      const port = await closedPort();
      // Concurrently: each is a CLI start-up, and they are independent.
      const [unreachable, wrongPassword, reader, noPassword, noLimit] = await Promise.all([
        conformance('unreachable', ['--url', `http://127.0.0.1:${port}`]),
        conformance('wrong-password', ['--url', served.url], 'not-the-password'),
        conformance('reader', ['--url', served.url, '--user', READER.user], READER.password),
        edgeproof(['conformance', '--target', 'url', '--url', served.url, '--report', 'json', '--out', join(work, 'no-password')]),
        conformance('no-limit', ['--url', served.url, '--max-upload-bytes', '0']),
      ]);
      for (const res of [unreachable, wrongPassword, reader, noPassword, noLimit]) expect(res.code, res.stderr).toBe(2);
      expect(oneLine(noLimit.stderr)).toMatch(
        /^edgeproof: option '--max-upload-bytes <n>' argument '0' is invalid\. --max-upload-bytes: a number of bytes ≥ 1$/,
      );
      expect(oneLine(noPassword.stderr)).toBe("edgeproof: --target url needs the admin's password: --password or EDGEPROOF_CONFORMANCE_PASSWORD");
      expect(oneLine(unreachable.stderr)).toBe(`edgeproof: cannot reach the Edge at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(oneLine(wrongPassword.stderr)).toBe(
        `edgeproof: the Edge at ${served.url} refused the credentials of 'admin' (401 BAD_CREDENTIALS): check --user and --password`,
      );
      expect(oneLine(reader.stderr)).toBe(
        `edgeproof: '${READER.user}' is not an administrator of the Edge at ${served.url} (GET /artifactory/api/security/users answered 403): the suite needs admin credentials`,
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it('the checks themselves take well under the time limit', async () => {
    const refused = await startFails({ url: `http://127.0.0.1:${await closedPort()}` });
    const wrong = await startFails({ url: served.url, password: 'not-the-password' });
    const reader = await startFails({ url: served.url, ...READER });
    for (const { ms } of [refused, wrong, reader]) expect(ms).toBeLessThan(3_000);
    expect(wrong.message).toMatch(/refused the credentials/);
    expect(reader.message).toMatch(/is not an administrator/);
  });

  it('an address that accepts connections but never answers: no answer within the time limit', async () => {
    const silent = await listening(createTcpServer(() => undefined));
    try {
      const { message, ms } = await startFails({ url: silent.url, timeoutMs: 500 });
      expect(message).toBe(`cannot reach the Edge at ${silent.url}: no answer within 0.5 s`);
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(3_000);
    } finally {
      await silent.close();
    }
  });

  it('a web server that is not an Artifactory', async () => {
    const notFound = await listening(createServer((_req, res) => res.writeHead(404).end('<html>no</html>')));
    const hello = await listening(createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>')));
    try {
      expect((await startFails({ url: notFound.url })).message).toBe(`${notFound.url} is not an Artifactory: GET /artifactory/api/system/ping answered 404`);
      expect((await startFails({ url: hello.url })).message).toBe(
        `${hello.url} is not an Artifactory: GET /artifactory/api/system/ping answered "<html>hello</html>", not OK`,
      );
    } finally {
      await Promise.all([notFound.close(), hello.close()]);
    }
  });

  it('a URL that is not an Edge server root is refused before anything is sent', () => {
    for (const url of [
      'edge:8082',
      'ftp://edge',
      'http://edge:8082/some/prefix',
      'http://admin:pw@edge:8082',
      'http://:pw@edge:8082',
      'http://edge:8082/?x=1',
    ]) {
      expect(() => urlTarget({ url, user: 'admin', password: PASSWORD }), url).toThrow(TargetUnavailable);
    }
    expect(urlTarget({ url: 'https://edge.example:8443/artifactory/', user: 'admin', password: PASSWORD }).description.settings.url).toBe(
      'https://edge.example:8443',
    );
  });
});
