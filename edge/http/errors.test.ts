import { expect, it } from 'vitest';
import { toEdgeError } from './errors.ts';

it('EDGE-CLU-2: a shared database still locked after the busy wait is a 503 STORE_BUSY, never a 500', () => {
  const busy = toEdgeError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
  expect(busy.code).toBe('STORE_BUSY');
  expect(busy.status).toBe(503);
});
