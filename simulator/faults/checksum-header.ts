import type { Fault } from './plan.ts';

type ChecksumHeaderFault = Extract<Fault, { kind: 'checksum-header' }>;

/** Returns a copy of `headers` with the checksum header removed or made wrong. */
export function withChecksumFault(headers: Headers, fault: ChecksumHeaderFault): Headers {
  const faulted = new Headers(headers);
  if (fault.mode === 'missing') faulted.delete(fault.header);
  else faulted.set(fault.header, wrongChecksum(faulted.get(fault.header), fault.header));
  return faulted;
}

/**
 * A wrong value that still looks right: each hex digit of the real checksum replaced by its
 * complement (0↔f, 1↔e, …), so it has the right length and alphabet and differs in every
 * digit. Without a real value to negate, zeros as long as the header's algorithm's digest.
 */
function wrongChecksum(value: string | null, header: string): string {
  if (value !== null && /^[0-9a-fA-F]+$/.test(value)) {
    return Array.from(value, (digit) => (15 - Number.parseInt(digit, 16)).toString(16)).join('');
  }
  return '0'.repeat(header.includes('md5') ? 32 : header.includes('sha1') ? 40 : 64);
}
