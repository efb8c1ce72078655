import type { Fault } from './plan.ts';

type StatusFault = Extract<Fault, { kind: 'status' }>;

/** The response a `status` fault answers with instead of the real peer. */
export function syntheticResponse(fault: StatusFault): Response {
  if (fault.body === undefined) return new Response(null, { status: fault.status });
  if (typeof fault.body === 'string') {
    return new Response(fault.body, { status: fault.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  return Response.json(fault.body, { status: fault.status });
}
