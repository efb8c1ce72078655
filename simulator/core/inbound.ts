import type { FaultInjector } from '../faults/injector.ts';
import { faultMessage } from '../faults/message-faults.ts';
import { syntheticResponse } from '../faults/synthetic-response.ts';
import { hold, sleep } from '../faults/wait.ts';
import type { ExchangeRecording, Recorder } from './recorder.ts';
import type { SimService } from './service.ts';

export interface InboundOptions {
  readonly faults?: FaultInjector;
  readonly recorder?: Recorder;
}

/** What only a transport can do to an exchange: break its connection. */
export interface InboundTransport {
  /**
   * Ends the exchange with no response at all: `reset` breaks the connection abruptly, `close`
   * closes it. Returns what the adapter hands back to its transport in place of a response.
   */
  drop(how: 'reset' | 'close'): Response;
  /**
   * Breaks the connection mid-body, once the bytes already handed over have reached the peer;
   * a transport without a connection calls `fail` to error the body stream instead.
   */
  resetMidBody(fail: () => void): Promise<void>;
}

/**
 * Serves one request with a service's app, applying the fault the injector picks and recording
 * the exchange. Shared by every inbound adapter, so a fault means the same over a socket and
 * in-process; bodies stay streams throughout.
 */
export async function serveInbound(service: SimService, request: Request, options: InboundOptions, transport: InboundTransport): Promise<Response> {
  const url = new URL(request.url);
  const recording = options.recorder?.begin({ service: service.name, direction: 'inbound', method: request.method, url });
  const decision = options.faults?.decide({ service: service.name, direction: 'inbound', method: request.method, path: url.pathname }) ?? null;
  if (decision !== null) recording?.applied(decision);
  const fault = decision?.fault;
  const received = recording ? withRecordedBody(request, recording) : request;

  try {
    if (fault?.kind === 'latency') await sleep(fault.ms, request.signal);
    if (fault?.kind === 'hang') {
      await hold(fault.ms, request.signal);
      recording?.failed(`hang: connection closed after ${fault.ms} ms without a response (fault)`);
      return transport.drop('close');
    }
  } catch {
    // Only an abort interrupts these waits: the connection is gone, there is nobody to answer.
    recording?.failed('connection closed before the response');
    return transport.drop('close');
  }

  let response: Response;
  try {
    response = fault?.kind === 'status' ? syntheticResponse(fault) : await service.app.fetch(received);
  } catch (error) {
    // Hono turns handler errors into 500s; anything escaping it must still close the record.
    recording?.failed(error);
    throw error;
  }
  if (fault === undefined && recording === undefined) return response;
  if (fault?.kind === 'reset' && response.body === null) {
    recording?.failed('connection reset before the response (fault)');
    return transport.drop('reset');
  }
  const sent = fault
    ? faultMessage(fault, response, {
        signal: request.signal,
        reset: (fail) => {
          // Said here because over a socket the body is then merely cancelled by the transport.
          recording?.interrupted('connection reset mid-body (fault)');
          return transport.resetMidBody(fail);
        },
      })
    : response;
  const body = recording ? recording.responseBody(response.status, sent.body) : sent.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers: sent.headers });
}

function withRecordedBody(request: Request, recording: ExchangeRecording): Request {
  if (request.body === null) return request;
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: recording.requestBody(request.body),
    duplex: 'half',
    signal: request.signal,
  });
}
