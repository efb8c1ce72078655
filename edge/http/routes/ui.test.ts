import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdgeContext } from '../../context.ts';
import { installErrorHandling } from '../errors.ts';
import { uiRoutes } from './ui.ts';

describe('the web UI routes on an Edge whose UI is not built', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("EDGE-UI-1: /ui/ and its assets answer 404 UI_NOT_BUILT in Artifactory's error body, and the Edge still starts", async () => {
    const empty = await mkdtemp(join(tmpdir(), 'edgeproof-ui-none-'));
    dirs.push(empty);
    const app = Fastify();
    installErrorHandling(app);
    await uiRoutes(empty)(app, { logger: pino({ level: 'silent' }) } as unknown as EdgeContext);
    for (const url of ['/ui/', '/ui/assets/index.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toMatchObject({
        errors: [{ status: 404, code: 'UI_NOT_BUILT', message: 'The web UI is not built on this Edge: run npm run build:ui and restart it.' }],
      });
    }
    await app.close();
  });
});
