import { faultBody, type BodyFault, type BodyFaultContext } from './body-faults.ts';
import { withChecksumFault } from './checksum-header.ts';
import type { Fault } from './plan.ts';

/** The part of an HTTP message a fault can touch: what the simulator is about to send. */
export interface Message {
  readonly headers: Headers;
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * Applies a fault to the message the simulated service sends: its response when serving
 * (inbound), its request when calling out (outbound). `latency`, `hang` and `status` act on the
 * exchange before any message exists, so the adapters apply them and they leave it unchanged.
 */
export function faultMessage(fault: Fault, message: Message, context: BodyFaultContext): Message {
  switch (fault.kind) {
    case 'checksum-header':
      return { headers: withChecksumFault(message.headers, fault), body: message.body };
    case 'truncate':
    case 'slow-close':
      // These move where or when the body ends: a Content-Length would contradict the first
      // and, for the second, let the peer finish at the announced length without noticing.
      return { headers: without(message.headers, 'content-length'), body: faultedBody(fault, message, context) };
    case 'corrupt':
    case 'reset':
    case 'bandwidth':
      return { headers: message.headers, body: faultedBody(fault, message, context) };
    case 'latency':
    case 'hang':
    case 'status':
      return message;
  }
}

function faultedBody(fault: BodyFault, { body }: Message, context: BodyFaultContext): ReadableStream<Uint8Array> | null {
  return body === null ? null : faultBody(fault, body, context);
}

function without(headers: Headers, name: string): Headers {
  const copy = new Headers(headers);
  copy.delete(name);
  return copy;
}
