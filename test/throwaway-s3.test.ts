import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from './s3-server.ts';

/*
 * The throwaway S3 server the storage tests and the cluster target use: concurrent uploads and
 * removals under one prefix, as the Edge's staging (`_staging/`) sees under concurrent EDP
 * uploads, must not take it down (s3rver 3.7.1 removed a key's emptied directory while another
 * upload was about to open its file there: jamhall/s3rver#788).
 */
describe('throwaway S3 server', () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.bucket('race');
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('survives uploads and removals racing under one prefix', async () => {
    const url = (i: number) => `${s3.endpoint}/race/_staging/${i}`;
    const statuses: number[] = [];
    // Each worker puts its own key then removes it at once, so the prefix keeps emptying while
    // other workers are creating files in it.
    await Promise.all(
      Array.from({ length: 64 }, async (_, worker) => {
        for (let i = worker; i < 1600; i += 64) {
          const put = await fetch(url(i), { method: 'PUT', body: `object ${i}` }).catch(() => undefined);
          const removed = await fetch(url(i), { method: 'DELETE' }).catch(() => undefined);
          statuses.push(put?.status ?? 0, removed?.status ?? 0);
        }
      }),
    );
    expect(statuses.filter((status) => status !== 200 && status !== 204)).toEqual([]);
    expect((await fetch(`${s3.endpoint}/race`)).status).toBe(200);
  });
});
