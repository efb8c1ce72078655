import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { shellQuote } from '../reports/commands.ts';
// The catalogue's types module only: the harness itself is loaded when the command runs.
import { PROFILES } from '../scenarios/catalogue/types.ts';
import type { Level, Profile, RunEvent } from '../scenarios/index.ts';
import { targetOf, targetOptions, type TargetFlags } from './targets.ts';

/**
 * `edgeproof conformance`: runs the suite against a target, prints progress on stderr, writes
 * the reports, and exits 0 only when every selected MUST passed (1 otherwise, 2 for usage).
 */

const PROFILE_NAMES: readonly string[] = PROFILES;
const LEVEL_NAMES = ['must', 'should', 'may'];

const list =
  (allowed: readonly string[], what: string) =>
  (value: string): string[] => {
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.find((i) => !allowed.includes(i));
    if (bad !== undefined || items.length === 0) throw new InvalidArgumentError(`${what}: one or more of ${allowed.join(', ')}`);
    return items;
  };

const integer = (what: string, min: number) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${what}: an integer ≥ ${min}`);
  return Number(value);
};

export interface ConformanceOptions extends TargetFlags {
  profile?: string[];
  level: string;
  grep?: string;
  seed?: number;
  runs: number;
  xfail?: string;
  out: string;
  report: string[];
  signKey?: string;
}

export function conformanceCommand(): Command {
  const command = new Command('conformance').description('Run the conformance suite against an Edge and write reports');
  return targetOptions(command, true)
    .addOption(
      new Option('--profile <p,...>', `profiles to run (${PROFILE_NAMES.join(', ')}); default all but implementation`).argParser(
        list(PROFILE_NAMES, '--profile'),
      ),
    )
    .addOption(new Option('--level <level>', 'weakest level to run').choices(LEVEL_NAMES).default('must'))
    .option('--grep <regex>', 'only scenarios whose id, title or requirement IDs match')
    .addOption(new Option('--seed <n>', 'seed for properties and faults (default: random, printed)').argParser(integer('--seed', 0)))
    .addOption(new Option('--runs <n>', 'fast-check runs per property').argParser(integer('--runs', 1)).default(50))
    .option('--xfail <file>', 'expected failures (JSON: {"expectedFailures":[{requirement, scenario?, reason, expires}]})')
    .option('--out <dir>', 'where reports and replay files go', 'reports/out')
    .addOption(
      new Option('--report <formats>', 'reports to write')
        .argParser(list(['junit', 'json', 'html', 'md'], '--report'))
        .default(['junit', 'json', 'html', 'md']),
    )
    .option(
      '--sign-key <key.pem>',
      'also write attestation.dsse.json: the result as an in-toto statement signed with this Ed25519 or ECDSA P-256 PEM private key',
    )
    .action(async (options: ConformanceOptions, command: Command) => {
      const code = await conformance(options, command);
      process.exitCode = code;
    });
}

async function conformance(options: ConformanceOptions, command: Command): Promise<number> {
  const harness = await import('../scenarios/index.ts');
  const reports = await import('../reports/index.ts');
  const { harnessMaterial } = await import('../fixtures/keys/index.ts');
  let xfail: Awaited<ReturnType<typeof harness.readXfailFile>> | undefined;
  try {
    if (options.xfail) xfail = await harness.readXfailFile(options.xfail);
  } catch (error) {
    if (error instanceof harness.XfailFileError) command.error(`edgeproof: ${error.message}`, { exitCode: 2, code: 'edgeproof.xfail' });
    throw error;
  }
  // Before the run, so a wrong key costs seconds, not a whole run.
  const signKey = options.signKey ? await signingKey(options.signKey, command) : undefined;
  const seed = options.seed ?? harness.freshSeed();
  const selection = {
    profiles: (options.profile as Profile[] | undefined) ?? [...harness.DEFAULT_PROFILES],
    level: options.level.toUpperCase() as Level,
    ...(options.grep !== undefined ? { grep: options.grep } : {}),
  };
  let result: Awaited<ReturnType<typeof harness.runConformance>>;
  try {
    result = await harness.runConformance({
      target: await targetOf(options),
      scenarios: harness.SUITE,
      material: harnessMaterial(),
      selection,
      seed,
      runs: options.runs,
      waivers: xfail?.waivers ?? [],
      ...(xfail ? { xfailSource: xfail.source } : {}),
      installTrust: options.installTrust,
      suite: { name: 'edgeproof', version: harness.SUITE_VERSION },
      command: commandLine(options, seed),
      onEvent: progress,
    });
  } catch (error) {
    if (error instanceof harness.TargetUnavailable) {
      process.stderr.write(`edgeproof: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  // Replay files first: the reports name each failure's file.
  result = await harness.writeReplays(result, options.out);
  const files = await reports.writeReports(result, options.out, options.report as never, signKey ? { signKey } : {});
  for (const file of files) process.stderr.write(`wrote ${file}\n`);
  for (const r of result.scenarios) if (r.replayFile) process.stderr.write(`replay ${r.id}: npx edgeproof replay ${join(options.out, r.replayFile)}\n`);
  return result.ok ? 0 : 1;
}

async function signingKey(file: string, command: Command) {
  const { KeyError, signingKeyFromPem } = await import('../reports/index.ts');
  try {
    return signingKeyFromPem(await readFile(file), file);
  } catch (error) {
    if (error instanceof KeyError) command.error(`edgeproof: --sign-key: ${error.message}`, { exitCode: 2, code: 'edgeproof.sign-key' });
    throw error;
  }
}

/** The flags that select the same run again (credentials and the signing key left out), each value one shell word. */
function commandLine(options: ConformanceOptions, seed: number): string {
  const parts = ['npx edgeproof conformance', `--target ${options.target}`];
  if (options.url) parts.push(`--url ${shellQuote(options.url)}`);
  if (options.target === 'url' && options.user !== 'admin') parts.push(`--user ${shellQuote(options.user ?? 'admin')}`);
  if (options.maxUploadBytes !== undefined) parts.push(`--max-upload-bytes ${options.maxUploadBytes}`);
  if (options.maxJsonBytes !== undefined) parts.push(`--max-json-bytes ${options.maxJsonBytes}`);
  if (options.target === 'container' && options.image) parts.push(`--image ${shellQuote(options.image)}`);
  if (options.databaseUrl) parts.push(`--database-url ${shellQuote(withoutPassword(options.databaseUrl))}`);
  if (options.profile) parts.push(`--profile ${options.profile.join(',')}`);
  if (options.level !== 'must') parts.push(`--level ${options.level}`);
  if (options.grep) parts.push(`--grep ${shellQuote(options.grep)}`);
  parts.push(`--seed ${seed}`, `--runs ${options.runs}`);
  if (options.xfail) parts.push(`--xfail ${shellQuote(options.xfail)}`);
  if (!options.installTrust) parts.push('--no-install-trust');
  return parts.join(' ');
}

/** The password stays out of reports; whoever reruns the command supplies it again. */
function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.href;
}

const MARK: Record<string, string> = { passed: '✓', failed: '✗', xfailed: '○', xpassed: '!', 'not-applicable': '-' };

function progress(event: RunEvent): void {
  if (event.type === 'start') process.stderr.write(`edgeproof conformance: ${event.total} scenarios against ${event.target}, seed ${event.seed}\n`);
  if (event.type === 'scenario') {
    const r = event.result;
    const width = String(event.total).length;
    const line = `${MARK[r.status] ?? '?'} [${String(event.index + 1).padStart(width)}/${event.total}] ${r.id} (${Math.round(r.durationMs)} ms)`;
    process.stderr.write(`${line}${r.status === 'passed' ? '' : ` ${r.status}${r.reason ? `: ${r.reason}` : ''}`}\n`);
    if (r.failure) process.stderr.write(`    ${r.failure.message.split('\n').join('\n    ')}\n`);
  }
  if (event.type === 'end') {
    const s = event.result.summary;
    const musts = event.result.requirements.filter((r) => r.level === 'MUST');
    const passing = musts.filter((r) => r.verdict === 'passed').length;
    process.stderr.write(
      `${s.passed} passed, ${s.failed} failed, ${s.xfailed} expected failures, ${s['not-applicable']} not applicable` +
        `${s.xpassed ? `, ${s.xpassed} passed unexpectedly` : ''}; MUST requirements: ${passing}/${musts.length} passed` +
        ` (${Math.round(event.result.durationMs / 100) / 10} s)\n`,
    );
  }
}
