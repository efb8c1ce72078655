import { createHash } from 'node:crypto';
import { z } from 'zod';
import { RESULT_FILE, STATEMENT_TYPE, TEST_RESULT_PREDICATE } from './attestation.ts';
import { decodeBase64, envelopeSchema, IN_TOTO_PAYLOAD_TYPE, signedBy } from './dsse.ts';
import type { PublicKey } from './keys.ts';

/**
 * Checks a published attestation: the DSSE signature by the vendor's key, the Statement and
 * its Test Result predicate, and — given the result file — that it is the one attested. Every
 * refusal is one line saying what is wrong; no network, so it runs air-gapped.
 */

export type Verification = { valid: true; verdict: string; summary: string } | { valid: false; reason: string };

const descriptor = z.object({
  name: z.string().optional(),
  digest: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});
const statementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(descriptor).min(1),
  predicateType: z.literal(TEST_RESULT_PREDICATE),
  predicate: z.object({
    result: z.enum(['PASSED', 'WARNED', 'FAILED']),
    configuration: z.array(descriptor),
    passedTests: z.array(z.string()).default([]),
    warnedTests: z.array(z.string()).default([]),
    failedTests: z.array(z.string()).default([]),
  }),
});

export function verifyAttestation(envelopeText: string, key: PublicKey, resultJson?: Buffer): Verification {
  const refuse = (reason: string): Verification => ({ valid: false, reason });
  let json: unknown;
  try {
    json = JSON.parse(envelopeText);
  } catch (error) {
    return refuse(`it is not JSON (${(error as Error).message})`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return refuse(`it is not a DSSE envelope (${issue(envelope.error)})`);
  const { payloadType, signatures } = envelope.data;
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return refuse(`its payloadType is ${JSON.stringify(payloadType)}, not ${JSON.stringify(IN_TOTO_PAYLOAD_TYPE)}`);
  const body = decodeBase64(envelope.data.payload);
  if (body === undefined) return refuse('its payload is not base64');
  if (signatures.length === 0) return refuse('it carries no signature');
  const others = signatures.filter((s) => s.keyid && s.keyid !== key.keyid);
  if (others.length === signatures.length) return refuse(`it was signed by key ${others.map((s) => s.keyid).join(', ')}, not by the given key ${key.keyid}`);
  if (!signedBy(envelope.data, body, key))
    return refuse(`its signature does not verify with key ${key.keyid}: the payload or its type was changed after signing`);

  let statementJson: unknown;
  try {
    statementJson = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse('its payload is not JSON');
  }
  const statement = statementSchema.safeParse(statementJson);
  if (!statement.success) return refuse(`its payload is not an in-toto Statement v1 with the test-result predicate (${issue(statement.error)})`);
  const { subject, predicate } = statement.data;

  const attested = subject.find((s) => s.name === RESULT_FILE)?.digest?.sha256;
  if (attested === undefined) return refuse(`it names no sha256 digest of ${RESULT_FILE} among its subjects`);
  let checked = `${RESULT_FILE} not checked (give --result)`;
  if (resultJson !== undefined) {
    const actual = createHash('sha256').update(resultJson).digest('hex');
    if (actual !== attested)
      return refuse(`the result file's sha256 is ${actual}, but the attestation names ${attested}: it is not the attested ${RESULT_FILE}`);
    checked = `${RESULT_FILE} matches`;
  }
  const config = (name: string) => predicate.configuration.find((c) => c.name === name)?.annotations ?? {};
  const suite = config('suite');
  const target = config('target');
  const seed = config('seed');
  return {
    valid: true,
    verdict: predicate.result,
    summary:
      `valid attestation: ${predicate.result} — ${String(suite.name)} ${String(suite.version)} against ${String(target.label)}, seed ${String(seed.seed)}: ` +
      `${predicate.passedTests.length} passed, ${predicate.warnedTests.length} warned, ${predicate.failedTests.length} failed; signed by ${key.keyid}; ${checked}`,
  };
}

function issue(error: z.ZodError): string {
  const first = error.issues[0];
  return `${first?.path.join('.') || '(top)'}: ${first?.message}`;
}
