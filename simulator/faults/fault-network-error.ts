/**
 * Why a faulted exchange broke: the cause a `reset` or expired `hang` leaves behind, e.g. inside
 * the `TypeError('fetch failed')` an outbound call rejects with. `code` is what a real dropped
 * connection carries, so code written against real failures handles these alike.
 */
export class FaultNetworkError extends Error {
  override name = 'FaultNetworkError';
  readonly code = 'ECONNRESET';
}
