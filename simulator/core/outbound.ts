import { FaultNetworkError } from '../faults/fault-network-error.ts';
import type { FaultInjector } from '../faults/injector.ts';
import { faultMessage } from '../faults/message-faults.ts';
import { syntheticResponse } from '../faults/synthetic-response.ts';
import { hold, sleep } from '../faults/wait.ts';
import type { ExchangeRecording, Recorder } from './recorder.ts';
import type { ServiceName } from '../names/services.ts';
import type { Outbound } from './service.ts';

export interface OutboundOptions {
  readonly faults?: FaultInjector;
  readonly recorder?: Recorder;
  /** What actually sends the request; global fetch by default. */
  readonly base?: Outbound;
}

/**
 * The `SimContext.fetch` of a service: applies the outbound fault the injector picks to each
 * request the service makes, and records the exchange. Faults act on what the service sends
 * (its request); the peer's response is passed through untouched, since the peer is the system
 * under test.
 */
export function outboundFetch(service: ServiceName, options: OutboundOptions = {}): Outbound {
  const base = options.base ?? ((request: Request) => fetch(request));
  return async (request) => {
    const url = new URL(request.url);
    const recording = options.recorder?.begin({ service, direction: 'outbound', method: request.method, url });
    const decision = options.faults?.decide({ service, direction: 'outbound', method: request.method, path: url.pathname }) ?? null;
    if (decision !== null) recording?.applied(decision);
    const fault = decision?.fault;
    try {
      if (fault?.kind === 'latency') await sleep(fault.ms, request.signal);
      if (fault?.kind === 'hang') {
        await hold(fault.ms, request.signal);
        throw networkError(`hang: no response within ${fault.ms} ms (fault)`);
      }
      if (fault?.kind === 'status') {
        // The request never leaves: its body is recorded as unread and released.
        await (recording ? recording.requestBody(request.body) : request.body)?.cancel();
        return recorded(syntheticResponse(fault), recording);
      }
      if (fault?.kind === 'reset' && request.body === null) {
        throw networkError('connection reset before the request was sent (fault)');
      }
      if (fault === undefined && recording === undefined) return await base(request);

      // A reset errors the request body: undici then aborts the request mid-body, so the peer
      // sees a premature close.
      const message = fault ? faultMessage(fault, request, { signal: request.signal, reset: async (fail) => fail() }) : request;
      const body = recording ? recording.requestBody(message.body) : message.body;
      const response = await base(
        new Request(request.url, {
          method: request.method,
          headers: message.headers,
          body,
          duplex: 'half',
          signal: request.signal,
          redirect: request.redirect,
        }),
      );
      return recorded(response, recording);
    } catch (error) {
      recording?.failed(error);
      throw error;
    }
  };
}

/** How undici reports a failed connection, so services handle a fault like the real thing. */
function networkError(reason: string): TypeError {
  return new TypeError('fetch failed', { cause: new FaultNetworkError(reason) });
}

/** The response handed to the service, its body digested on the way when recording. */
function recorded(response: Response, recording: ExchangeRecording | undefined): Response {
  if (recording === undefined) return response;
  return new Response(recording.responseBody(response.status, response.body), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
