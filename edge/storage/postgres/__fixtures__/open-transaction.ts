import type { TransactionRecord } from '../../bundles.ts';

/** An OPEN transaction of bundle `b` (its payload's `created` signed as the Edge reads it), with no files. */
export const openTransactionOf = (id: string, version = '1.0'): TransactionRecord => ({
  id,
  name: 'b',
  version,
  payloadSha256: 'c'.repeat(64),
  jws: `h.${Buffer.from('{"created":"2024-01-01T00:00:00Z"}').toString('base64url')}.s`,
  kid: 'k',
  state: 'OPEN',
  created: 1,
  lastActivity: 1,
  closed: null,
  by: 'admin',
  files: [],
});
