import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edgeproof as run, serveEdge } from '../test/served-edge.ts';

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
});
