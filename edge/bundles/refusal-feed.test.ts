import { describe, expect, it } from 'vitest';
import { EdgeError } from '../../protocol/errors.ts';
import { NO_DISTRIBUTION_EVENTS } from './events.ts';
import { feedingRefusals, RefusalFeed } from './refusal-feed.ts';

describe('the feed of refused deliveries', () => {
  it('EDGE-UI-5: keeps the most recent refusals, newest first, never more than its capacity', () => {
    let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
    const feed = new RefusalFeed(() => clock, 3);
    const events = feedingRefusals(NO_DISTRIBUTION_EVENTS, feed);
    for (let i = 1; i <= 5; i++) {
      clock += 1000;
      events.refused('upload', new EdgeError('EDP_CHECKSUM_MISMATCH', `file ${i} is not what the bundle says`), { txId: `tx-${i}`, repoPath: `r/f${i}` });
    }
    expect(feed.recent()).toEqual(
      [5, 4, 3].map((i) => ({
        at: new Date(Date.UTC(2026, 10, 30, 12, 0, i)).toISOString(),
        step: 'upload',
        code: 'EDP_CHECKSUM_MISMATCH',
        message: `file ${i} is not what the bundle says`,
        txId: `tx-${i}`,
        repoPath: `r/f${i}`,
      })),
    );
  });

  it('EDGE-UI-5: what it hands out is a copy: a caller cannot change what the next one sees', () => {
    const feed = new RefusalFeed(() => 0);
    feed.record('start', new EdgeError('EDP_UNTRUSTED_KEY', 'not trusted'), {});
    (feed.recent() as unknown[]).length = 0;
    expect(feed.recent()).toHaveLength(1);
  });
});
