import type { FaultDecision } from '../faults/injector.ts';
import type { Direction, FaultKind } from '../faults/plan.ts';
import { digestBody, type BodyDigest, type DigestedBody } from './body-digest.ts';
import type { ServiceName } from '../names/services.ts';

export type { BodyDigest } from './body-digest.ts';

type Body = ReadableStream<Uint8Array>;

export interface AppliedFault {
  /** Index of the rule in the plan. */
  readonly rule: number;
  readonly occurrence: number;
  readonly kind: FaultKind;
}

/** One HTTP exchange a simulated service served (inbound) or made (outbound). */
export interface Exchange {
  readonly service: ServiceName;
  readonly direction: Direction;
  readonly method: string;
  /** `URL.pathname`, percent-encoded. */
  readonly path: string;
  /** `URL.search`: empty, or starting with `?`. */
  readonly query: string;
  /** Null when no response was given (dropped connection, hang, network error). */
  readonly status: number | null;
  /** Digest of the bytes that crossed the transport (after faults); null when there was no body. */
  readonly request: BodyDigest | null;
  readonly response: BodyDigest | null;
  /** Clock time (ms since the epoch, from the recorder's clock) when the exchange began. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly fault: AppliedFault | null;
  /** Why the exchange did not complete normally; null when it did. */
  readonly error: string | null;
}

export interface ExchangeStart {
  readonly service: ServiceName;
  readonly direction: Direction;
  readonly method: string;
  readonly url: URL;
}

/**
 * Records every exchange the adapters see, digesting bodies as they stream. An exchange is
 * listed once it is over: its response body ended, errored or was cancelled, or it failed with
 * no response. Whoever reads a response (a service calling out, a peer calling in) must consume
 * or cancel its body, as undici needs anyway to free the connection.
 */
export class Recorder {
  readonly #now: () => number;
  readonly #finished: { readonly order: number; readonly exchange: Exchange }[] = [];
  readonly #open = new Set<Promise<void>>();
  #begun = 0;

  constructor(options: { readonly now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Called by the adapters when an exchange starts. */
  begin(start: ExchangeStart): ExchangeRecording {
    const order = this.#begun++;
    let finish: (exchange: Exchange) => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      finish = (exchange) => {
        this.#finished.push({ order, exchange });
        resolve();
      };
    });
    this.#open.add(finished);
    void finished.then(() => this.#open.delete(finished));
    return new ExchangeRecording(start, this.#now, finish);
  }

  /** Finished exchanges, in the order they began. */
  entries(): readonly Exchange[] {
    return this.#finished.toSorted((a, b) => a.order - b.order).map(({ exchange }) => exchange);
  }

  toJSON(): { exchanges: readonly Exchange[] } {
    return { exchanges: this.entries() };
  }

  /** Exchanges begun and not finished: a body nobody has consumed yet, or a hung call. */
  get inFlight(): number {
    return this.#open.size;
  }

  /** Resolves once no exchange is in flight (a peer may have every byte before the server's stream has ended). */
  async settled(): Promise<void> {
    while (this.#open.size > 0) await Promise.all(this.#open);
  }
}

/** One exchange being recorded; the adapters report to it as the exchange unfolds. */
export class ExchangeRecording {
  readonly #start: ExchangeStart;
  readonly #now: () => number;
  readonly #finish: (exchange: Exchange) => void;
  readonly #startedAt: number;
  #fault: AppliedFault | null = null;
  #request: DigestedBody | null = null;
  #interruption: string | null = null;
  #finished = false;

  constructor(start: ExchangeStart, now: () => number, finish: (exchange: Exchange) => void) {
    this.#start = start;
    this.#now = now;
    this.#finish = finish;
    this.#startedAt = now();
  }

  applied({ rule, occurrence, fault }: FaultDecision): void {
    this.#fault = { rule, occurrence, kind: fault.kind };
  }

  /** Wraps the request body as it crosses the transport. */
  requestBody(body: Body | null): Body | null {
    if (body === null) return null;
    this.#request = digestBody(body);
    return this.#request.body;
  }

  /** Wraps the response body as it crosses the transport; the exchange ends with that body. */
  responseBody(status: number, body: Body | null): Body | null {
    if (body === null) {
      this.#end(status, null, null);
      return null;
    }
    const digested = digestBody(body);
    void digested.settled.then(({ digest, error }) => this.#end(status, digest, error === undefined ? null : describe(error)));
    return digested.body;
  }

  /** A fault is breaking the exchange; this reason wins over how the transport then ends it. */
  interrupted(reason: string): void {
    this.#interruption = reason;
  }

  /** The exchange ended without a response. */
  failed(error: unknown): void {
    this.#end(null, null, describe(error));
  }

  #end(status: number | null, response: BodyDigest | null, error: string | null): void {
    if (this.#finished) return;
    this.#finished = true;
    const { service, direction, method, url } = this.#start;
    this.#finish({
      service,
      direction,
      method,
      path: url.pathname,
      query: url.search,
      status,
      request: this.#request?.snapshot() ?? null,
      response,
      startedAt: this.#startedAt,
      durationMs: this.#now() - this.#startedAt,
      fault: this.#fault,
      error: this.#interruption ?? error,
    });
  }
}

/** `fetch failed: connection reset …`: undici hides the reason in `cause`, so include it. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${describe(error.cause)}`;
}
