import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edgeproof as run, serveEdge, startCommand } from '../test/served-edge.ts';

describe('edgeproof command', () => {
  it('--help lists serve', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/serve/);
  });

  it('serve --help documents every option with its environment variable', async () => {
    const result = await run(['serve', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['--port', '--data-dir', '--admin-password', '--anonymous-access', 'EDGEPROOF_MAX_UPLOAD_BYTES', '--config']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('refuses an unknown EDGEPROOF_ variable, naming it, with exit code 2', async () => {
    const result = await run(['serve'], { EDGEPROOF_PORTT: '1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('EDGEPROOF_PORTT');
  });

  it('EDGE-OPS-6: an unknown flag, a missing value or an unknown command is one line and exit code 2', async () => {
    for (const [args, line] of [
      [['serve', '--prot', '1'], "edgeproof: unknown option '--prot' (Did you mean --port?)"],
      [['serve', '--port'], "edgeproof: option '-p, --port <port>' argument missing"],
      [['serev'], "edgeproof: unknown command 'serev' (Did you mean serve?)"],
      [['trust', 'add'], "edgeproof: missing required argument 'file'"],
    ] as const) {
      const result = await run([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toBe(`${line}\n`);
      expect(result.stdout).toBe('');
    }
  });

  it('EDGE-OPS-6: a config value it does not accept names what it accepts, in one line, exit code 2', async () => {
    for (const [args, env, line] of [
      [['serve', '--anonymous-access', 'maybe'], {}, 'edgeproof: Invalid configuration: --anonymous-access must be true or false (also 1/0, yes/no)'],
      [['serve', '--log-level', 'loud'], {}, 'edgeproof: Invalid configuration: --log-level must be one of fatal, error, warn, info, debug, trace, silent'],
      [['serve'], { EDGEPROOF_PORT: '80x' }, 'edgeproof: Invalid configuration: EDGEPROOF_PORT must be a whole number from 0 to 65535'],
    ] as const) {
      const result = await run([...args], env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(`${line}\n`);
      expect(result.stdout).toBe('');
    }
  });

  it('serves, prints a generated admin password once, and keeps it across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-cli-'));
    try {
      const first = await serveEdge(['--data-dir', dataDir]);
      const password = /Generated password for user 'admin'[^:]*: (\S+)/.exec(first.output())?.[1];
      expect(password).toBeDefined();
      const ping = await fetch(`${first.url}/artifactory/api/repositories`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
      });
      expect(ping.status).toBe(200);
      expect(await first.stop()).toBe(0);

      const second = await serveEdge(['--data-dir', dataDir]);
      expect(second.output()).not.toContain('Generated password');
      const again = await fetch(`${second.url}/artifactory/api/repositories`, {
        headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
      });
      expect(again.status).toBe(200);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('EDGE-OPS-4: by default logs each request at info, as JSON lines when stdout is not a terminal', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'edgeproof-cli-'));
    try {
      const served = await startCommand(
        ['serve', '--port', '0', '--data-dir', dataDir, '--admin-password', 'cli-password'],
        /listening on (http:\/\/\S+)\/artifactory/,
      );
      try {
        const url = /listening on (http:\/\/\S+)\/artifactory/.exec(served.output())?.[1] as string;
        const ping = await fetch(`${url}/artifactory/api/system/ping`);
        const id = ping.headers.get('x-request-id');
        for (let waited = 0; !served.output().includes(`"requestId":"${id}"`) && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        const logLines = served
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'));
        expect(logLines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
          expect.objectContaining({ level: 30, msg: 'request', requestId: id, method: 'GET', path: '/artifactory/api/system/ping', status: 200 }),
        );
      } finally {
        await served.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
