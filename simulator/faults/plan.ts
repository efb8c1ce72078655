import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SERVICE_NAMES } from '../names/services.ts';

/**
 * A fault plan is data: JSON that names which exchanges to break and how. Its semantics are
 * written down in `simulator/faults/README.md` and docs/decisions/0006-fault-plans.md; this
 * file only says what a valid plan looks like. Every object is strict, so a misspelt key is an
 * error that names its path instead of a fault that silently never fires.
 */

const nonNegativeInt = z.int().min(0);
const methodToken = z.string().regex(/^[A-Z]+$/, 'expected an upper-case HTTP method such as "PUT"');
// A header name as RFC 9110 allows it (a token), lower-cased as Headers reports names.
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'expected a header name')
  .transform((name) => name.toLowerCase());
// URL paths start with `/`: a glob starting otherwise (and not with `**`) could never match.
const routeGlob = z.string().regex(/^(\/|\*\*)/, 'expected a glob starting with "/" or "**"');

const latency = z.strictObject({ kind: z.literal('latency'), ms: nonNegativeInt });
const bandwidth = z.strictObject({ kind: z.literal('bandwidth'), bytesPerSecond: z.int().min(1) });
const reset = z.strictObject({ kind: z.literal('reset'), afterBytes: nonNegativeInt });
const truncate = z.strictObject({ kind: z.literal('truncate'), afterBytes: nonNegativeInt });
// xor 0 would leave the byte as it is: a fault that does nothing is a mistake in the plan.
const corrupt = z.strictObject({ kind: z.literal('corrupt'), offset: nonNegativeInt, xor: z.int().min(1).max(255).default(255) });
const checksumHeader = z.strictObject({
  kind: z.literal('checksum-header'),
  mode: z.enum(['wrong', 'missing']),
  header: headerName.default('x-checksum-sha256'),
});
// `new Response()` accepts 200–599 only, and refuses a body on the null-body statuses.
const NULL_BODY_STATUSES = [204, 205, 304];
const status = z
  .strictObject({
    kind: z.literal('status'),
    status: z.int().min(200).max(599),
    body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  })
  .refine((fault) => fault.body === undefined || !NULL_BODY_STATUSES.includes(fault.status), {
    message: 'statuses 204, 205 and 304 cannot carry a body',
    path: ['body'],
  });
const hang = z.strictObject({ kind: z.literal('hang'), ms: nonNegativeInt.optional() });
const slowClose = z.strictObject({ kind: z.literal('slow-close'), ms: nonNegativeInt });

export const faultSchema = z.discriminatedUnion('kind', [latency, bandwidth, reset, truncate, corrupt, checksumHeader, status, hang, slowClose]);

const ruleSchema = z.strictObject({
  service: z.enum([...SERVICE_NAMES, '*']),
  direction: z.enum(['inbound', 'outbound']),
  route: routeGlob,
  method: methodToken.optional(),
  /** 1-based occurrence numbers of this rule + service + method + path; a single number means just that one. */
  nth: z.union([z.int().min(1), z.array(z.int().min(1)).min(1)]).optional(),
  probability: z.number().min(0).max(1).optional(),
  fault: faultSchema,
});

const faultPlanSchema = z.strictObject({
  /** What the plan is for; shown in reports, ignored by the injector. */
  description: z.string().optional(),
  seed: z.int(),
  rules: z.array(ruleSchema),
});

export type FaultPlan = z.output<typeof faultPlanSchema>;
export type FaultPlanInput = z.input<typeof faultPlanSchema>;
export type FaultRule = FaultPlan['rules'][number];
export type Fault = FaultRule['fault'];
export type FaultKind = Fault['kind'];
export type Direction = FaultRule['direction'];

export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
}

/** Validates a parsed JSON value; the error lists every problem as `path: message`. */
export function parseFaultPlan(input: unknown, where = 'fault plan'): FaultPlan {
  const parsed = faultPlanSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`)
      : [`${formatPath(issue.path)}: ${issue.message}`],
  );
  throw new FaultPlanError(`Invalid ${where}:\n  ${problems.join('\n  ')}`);
}

export async function readFaultPlan(file: string): Promise<FaultPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FaultPlanError(`Cannot read fault plan ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FaultPlanError(`Fault plan ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseFaultPlan(json, `fault plan ${file}`);
}

/** `rules[0].fault.ms`: the way a reader would point into the JSON. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(plan)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}
