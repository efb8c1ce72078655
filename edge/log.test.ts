import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const REQUEST = {
  requestId: '01JDZ8W4T3N6Q2S7V9X1B5C8D0',
  method: 'GET',
  path: '/artifactory/api/system/ping',
  status: 200,
  bytes: 330,
  durationMs: 1.5,
  user: 'anonymous',
};

describe('EDGE-OPS-4: log output', () => {
  it('EDGE-OPS-4: is JSON lines for a collector', async () => {
    const out = sink();
    const logger = await createLogger('info', false, out.stream);
    logger.info(REQUEST, 'request');
    logger.debug('below the level');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ ...REQUEST, level: 30, msg: 'request' });
  });

  it('EDGE-OPS-4: is one readable line per event for a person at a terminal', async () => {
    const out = sink();
    const logger = await createLogger('info', true, out.stream);
    logger.info(REQUEST, 'request');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request GET \/artifactory\/api\/system\/ping 200 \{.*"requestId":"01JDZ8W4T3N6Q2S7V9X1B5C8D0".*\}$/,
    );
  });

  it('EDGE-OPS-4: redacts a password or token that reaches it by mistake', async () => {
    const out = sink();
    const logger = await createLogger('info', false, out.stream);
    logger.info({ user: { name: 'a', password: 'pw-secret' }, token: 'tok-secret', headers: { authorization: 'Basic c2VjcmV0' } }, 'oops');
    expect(out.text()).not.toMatch(/pw-secret|tok-secret|c2VjcmV0/);
  });
});
