import type { ServiceName } from '../names/services.ts';
import { keyedDraw } from './keyed-draw.ts';
import { parseFaultPlan, type Direction, type Fault, type FaultPlan, type FaultRule } from './plan.ts';
import { compileRouteGlob } from './route-glob.ts';

/** What the injector needs to know about an exchange before deciding. */
export interface ExchangeKey {
  readonly service: ServiceName;
  readonly direction: Direction;
  readonly method: string;
  /** `URL.pathname`: percent-encoded, without the query. */
  readonly path: string;
}

export interface FaultDecision {
  /** Index of the rule in the plan. */
  readonly rule: number;
  /** 1-based count of the exchanges with this service, method and path that the rule matched. */
  readonly occurrence: number;
  readonly fault: Fault;
}

interface CompiledRule {
  readonly rule: FaultRule;
  readonly matchesRoute: (path: string) => boolean;
  readonly nth: ReadonlySet<number> | null;
}

/**
 * Decides, for each exchange, which rule of a plan fires (at most one). The decision is a pure
 * function of (plan, seed, rule, service, method, path, occurrence), where the occurrence counts
 * only exchanges with the same rule + service + method + path. Requests for different paths
 * therefore never influence each other, whatever order concurrent requests arrive in; requests
 * for the same path are numbered in the order the adapter sees them, the only order they have.
 *
 * Identifiers a peer chose (a transaction's ULID, a UUID, a long hex id) are masked in the key:
 * an Edge picks new ones on every run, and the same plan and seed must still give the same
 * faults against it.
 */
export class FaultInjector {
  readonly plan: FaultPlan;
  readonly #rules: readonly CompiledRule[];
  readonly #occurrences = new Map<string, number>();

  constructor(plan: FaultPlan) {
    this.plan = plan;
    this.#rules = plan.rules.map((rule) => ({
      rule,
      matchesRoute: compileRouteGlob(rule.route),
      nth: rule.nth === undefined ? null : new Set(typeof rule.nth === 'number' ? [rule.nth] : rule.nth),
    }));
  }

  /** Builds an injector from unvalidated JSON (throws `FaultPlanError` naming each bad path). */
  static fromJSON(json: unknown): FaultInjector {
    return new FaultInjector(parseFaultPlan(json));
  }

  decide(exchange: ExchangeKey): FaultDecision | null {
    let decision: FaultDecision | null = null;
    for (const [index, compiled] of this.#rules.entries()) {
      if (!matches(compiled, exchange)) continue;
      // Every matching rule counts the exchange, even when an earlier rule already fired, so
      // one rule's numbering never depends on what the other rules decided.
      const occurrence = this.#count(index, exchange);
      if (decision === null && this.#fires(compiled, index, exchange, occurrence)) {
        decision = { rule: index, occurrence, fault: compiled.rule.fault };
      }
    }
    return decision;
  }

  #count(rule: number, { service, method, path }: ExchangeKey): number {
    const key = JSON.stringify([rule, service, method, stableKey(path)]);
    const occurrence = (this.#occurrences.get(key) ?? 0) + 1;
    this.#occurrences.set(key, occurrence);
    return occurrence;
  }

  #fires(compiled: CompiledRule, rule: number, { service, method, path }: ExchangeKey, occurrence: number): boolean {
    if (compiled.nth !== null && !compiled.nth.has(occurrence)) return false;
    const probability = compiled.rule.probability ?? 1;
    if (probability >= 1) return true;
    return keyedDraw(this.plan.seed, rule, service, method, stableKey(path), occurrence) < probability;
  }
}

/** ULIDs (26 base32), UUIDs and hex ids of 16+ digits, as whole path segments. */
const PEER_CHOSEN_ID = /^(?:[0-9a-hjkmnp-tv-z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

export function stableKey(path: string): string {
  return path
    .split('/')
    .map((segment) => (PEER_CHOSEN_ID.test(segment) ? '{id}' : segment))
    .join('/');
}

function matches({ rule, matchesRoute }: CompiledRule, exchange: ExchangeKey): boolean {
  return (
    (rule.service === '*' || rule.service === exchange.service) &&
    rule.direction === exchange.direction &&
    (rule.method === undefined || rule.method === exchange.method) &&
    matchesRoute(exchange.path)
  );
}
