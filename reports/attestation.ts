import { createHash } from 'node:crypto';
import type { RunResult } from '../scenarios/index.ts';
import { type Envelope, IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.ts';
import type { SigningKey } from './keys.ts';
import { runLevelFailures, runVerdict, type RunVerdict } from './run-facts.ts';

/**
 * The signed result a vendor publishes: an in-toto Statement v1 whose subject is the digest of
 * `result.json` (and of the tested image, when the target has one), with the Test Result
 * predicate (in-toto attestation predicate test-result v0.1), in a DSSE envelope.
 *
 * Test names are scenario ids. `failedTests` also names what fails a run outside any scenario
 * (`requirement EDGE-RO-1`: a MUST nothing checked; `waiver EDGE-RO-1`: an expired waiver), so a
 * policy that asks for an empty `failedTests` agrees with `result`. Not-applicable scenarios
 * are in no list: they were not run.
 */

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';
export const RESULT_FILE = 'result.json';
export const ATTESTATION_FILE = 'attestation.dsse.json';

export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  /** Base64 of the resource's bytes (here: small JSON documents). */
  content?: string;
  mediaType?: string;
  annotations?: Record<string, unknown>;
}

export interface TestResultStatement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: {
    result: RunVerdict;
    configuration: ResourceDescriptor[];
    passedTests: string[];
    warnedTests: string[];
    failedTests: string[];
  };
}

export function testResultStatement(result: RunResult, resultJson: Buffer): TestResultStatement {
  const subject: ResourceDescriptor[] = [
    { name: RESULT_FILE, digest: { sha256: createHash('sha256').update(resultJson).digest('hex') }, mediaType: 'application/json' },
  ];
  if (result.target.digest) subject.push({ name: result.target.label, digest: result.target.digest, annotations: { kind: result.target.kind } });
  const named = (status: string) => result.scenarios.filter((s) => s.status === status).map((s) => s.id);
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: runVerdict(result),
      configuration: configuration(result),
      passedTests: named('passed'),
      warnedTests: named('xfailed'),
      failedTests: [
        ...result.scenarios.filter((s) => s.status === 'failed' || s.status === 'xpassed').map((s) => s.id),
        ...runLevelFailures(result).map((f) => f.name),
      ],
    },
  };
}

/**
 * What the run was configured with. Values without a digest of their own travel as `content`
 * (their JSON, base64, as the descriptor requires one of uri, digest or content) and again as
 * `annotations`, which policy engines read without decoding.
 */
function configuration(result: RunResult): ResourceDescriptor[] {
  const values = (name: string, value: Record<string, unknown>): ResourceDescriptor => ({
    name,
    content: Buffer.from(JSON.stringify(value)).toString('base64'),
    mediaType: 'application/json',
    annotations: value,
  });
  return [
    values('suite', { name: result.suite.name, version: result.suite.version, resultFormat: result.format }),
    values('selection', { ...result.selection }),
    values('seed', { seed: result.seed, runs: result.runs }),
    values('target', { kind: result.target.kind, label: result.target.label, settings: result.target.settings }),
    ...(result.xfail ? [{ name: 'expected-failures', digest: { sha256: result.xfail.sha256 }, annotations: { file: result.xfail.file } }] : []),
  ];
}

/** The envelope for `result`, whose `result.json` holds exactly `resultJson`. */
export function attest(result: RunResult, resultJson: Buffer, key: SigningKey): Envelope {
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(testResultStatement(result, resultJson))), key);
}
