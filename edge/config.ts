import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The Edge's configuration, resolved once from defaults < config file < environment
 * (`EDGEPROOF_*`) < flags, validated, and frozen. Unknown keys are errors that name the key,
 * so a typo never silently falls back to a default.
 */
const GiB = 1024 ** 3;

// EDGE-OPS-6: each refusal says what is accepted, so `--anonymous-access maybe` teaches the spelling.
const BOOLEAN_WORDS = ['true', 'false', '1', '0', 'yes', 'no'] as const;
const boolFromText = z.union([z.boolean(), z.enum(BOOLEAN_WORDS).transform((v) => v === 'true' || v === '1' || v === 'yes')], {
  error: 'must be true or false (also 1/0, yes/no)',
});
const intFromText = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  // Digits only: plain coercion would read '' as 0 (a random port) and '1e3' as 1000.
  const fromText = (value: unknown) => (typeof value === 'string' ? (/^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN) : value);
  return z.preprocess(fromText, z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
};
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DATABASE_TYPES = ['sqlite', 'postgresql'] as const;

/** EDGE-PG-1: PostgreSQL needs its URL; a URL without PostgreSQL would be silently ignored. */
function databaseRules(config: { databaseType: string; databaseUrl?: string | undefined }, ctx: z.RefinementCtx): void {
  if (config.databaseType === 'postgresql' && !config.databaseUrl)
    ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: 'is required when databaseType is postgresql' });
  if (config.databaseType !== 'postgresql' && config.databaseUrl)
    ctx.addIssue({ code: 'custom', path: ['databaseUrl'], message: 'is only used when databaseType is postgresql' });
}

const BINARIES_TYPES = ['filesystem', 'sharded', 's3', 'azure'] as const;

/** EDGE-BIN-5: a binary store that cannot work refuses the start, naming the key (never a secret's value). */
function binaryStoreRules(
  config: {
    binariesType: string;
    binariesShards?: string | undefined;
    binariesRedundancy: number;
    s3Bucket?: string | undefined;
    azureConnectionString?: string | undefined;
    azureContainer?: string | undefined;
  },
  context: z.RefinementCtx,
): void {
  const need = (key: string, why: string) => context.addIssue({ code: 'custom', path: [key], message: why });
  if (config.binariesType === 's3' && !config.s3Bucket) need('s3Bucket', 'must be set when binariesType is s3');
  if (config.binariesType === 'azure') {
    if (!config.azureConnectionString) need('azureConnectionString', 'must be set when binariesType is azure');
    if (!config.azureContainer) need('azureContainer', 'must be set when binariesType is azure');
  }
  if (config.binariesType === 'sharded') {
    const shards = shardDirs(config.binariesShards);
    if (shards.length < config.binariesRedundancy) {
      need(
        'binariesShards',
        `must name at least binariesRedundancy (${config.binariesRedundancy}) directories when binariesType is sharded (found ${shards.length})`,
      );
    } else if (new Set(shards.map((dir) => resolve(dir))).size !== shards.length) need('binariesShards', 'must name each directory once');
  }
}

/** The shard directories `binariesShards` names. */
export function shardDirs(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir.length > 0);
}

export const edgeConfigSchema = z
  .strictObject({
    /** TCP port of the HTTP listener; 0 picks a free one. */
    port: intFromText(0, 65535).default(8082),
    /** Interface to bind; loopback unless told otherwise, so a fresh admin password is never exposed. */
    host: z.string().min(1, { error: 'must be a host name or address' }).default('127.0.0.1'),
    /** Everything the Edge keeps: metadata database, filestore, keys. */
    dataDir: z.string().min(1, { error: 'must be a directory path' }).default('./edgeproof-data'),
    /** External URL used in `uri`/`downloadUri` fields; derived from the request's Host when unset. */
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' }).optional(),
    /** First password of `admin`; generated and printed once when unset on first start. */
    adminPassword: z.string().min(8, { error: 'must be at least 8 characters long' }).optional(),
    /** Anonymous read access to every repository. Off, as in a fresh Artifactory. */
    anonymousAccess: boolFromText.default(false),
    /** Largest artifact body accepted; larger ones are refused with 413 while streaming. */
    maxUploadBytes: intFromText(1, Number.MAX_SAFE_INTEGER).default(16 * GiB),
    /** Largest JSON request body. */
    maxJsonBytes: intFromText(1, 64 * 1024 * 1024).default(1024 * 1024),
    /** Largest sum of file sizes in one release bundle. */
    maxBundleBytes: intFromText(1, Number.MAX_SAFE_INTEGER).default(64 * GiB),
    /** OPEN distribution transactions without activity for this long expire (EDP-TX). */
    transactionTtlSecs: intFromText(1, 7 * 24 * 3600).default(3600),
    /** Clock skew tolerated when checking token `exp`/`nbf`, in seconds. */
    tokenClockSkewSecs: intFromText(0, 3600).default(60),
    /** Lifetime of an issued token when the request names none. Short, as JFrog's non-revocable circle-of-trust tokens are. */
    tokenDefaultExpiresInSecs: intFromText(1, 10 * 365 * 24 * 3600).default(3600),
    /** Longest lifetime a token request may ask for; tokens never live forever (EDGE-TRUST-7). */
    tokenMaxExpiresInSecs: intFromText(1, 10 * 365 * 24 * 3600).default(365 * 24 * 3600),
    /** Failed logins in a row (per user and address) before each further one suspends logins for a while (EDGE-AUTH-9); 0: never. */
    loginSuspendAfterFailures: intFromText(0, 1000).default(5),
    /** Longest login suspension, in seconds: short, so nobody sharing an address is kept out for long. */
    loginSuspendMaxSecs: intFromText(1, 600).default(60),
    logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    // The metadata database (EDGE-PG-1, docs/decisions/0023-postgresql-metadata.md): SQLite in the data directory, or a shared PostgreSQL.
    databaseType: z.enum(DATABASE_TYPES, { error: `must be one of ${DATABASE_TYPES.join(', ')}` }).default('sqlite'),
    /** postgres://user:password@host:port/database; its password is never logged or printed. */
    databaseUrl: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    databasePoolSize: intFromText(1, 100).default(10),
    // Binary stores (EDGE-BIN, docs/decisions/0024-binary-stores.md): where content bytes live.
    binariesType: z.enum(BINARIES_TYPES, { error: `must be one of ${BINARIES_TYPES.join(', ')}` }).default('filesystem'),
    /** Shard directories of the sharded filestore, comma-separated. */
    binariesShards: z.string().optional(),
    /** Copies of each content the sharded filestore keeps, each on another shard. */
    binariesRedundancy: intFromText(1, 16).default(2),
    s3Endpoint: z.url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' }).optional(),
    s3Region: z.string().min(1, { error: 'must be a region name' }).default('us-east-1'),
    s3Bucket: z.string().min(1, { error: 'must be a bucket name' }).optional(),
    /** Prepended to every object key, e.g. `edge/`. */
    s3Prefix: z.string().default(''),
    s3AccessKeyId: z.string().min(1, { error: 'must not be empty' }).optional(),
    s3SecretAccessKey: z.string().min(1, { error: 'must not be empty' }).optional(),
    /** Bucket in the path (`endpoint/bucket/key`), as S3-compatible servers on one host need. */
    s3ForcePathStyle: boolFromText.default(false),
    azureConnectionString: z.string().min(1, { error: 'must not be empty' }).optional(),
    azureContainer: z.string().min(1, { error: 'must be a container name' }).optional(),
    /** Bytes of an object store's hot content kept under `<dataDir>/cache`; 0: no cache. */
    binariesCacheMaxBytes: intFromText(0, Number.MAX_SAFE_INTEGER).default(0),
    // Processes (EDGE-CLU-1): worker processes sharing the port and the stores.
    workers: intFromText(1, 64).default(1),
    // Cluster nodes (EDGE-HA-1, docs/decisions/0027-cluster.md): this node's own id among those sharing the stores; default: made once per data directory.
    nodeId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be 1-64 letters, digits, dots, dashes or underscores' })
      .optional(),
  })
  .superRefine(databaseRules)
  .superRefine(binaryStoreRules);

export type EdgeConfig = Readonly<z.output<typeof edgeConfigSchema>>;
export type EdgeConfigInput = z.input<typeof edgeConfigSchema>;

export const CONFIG_KEYS = Object.keys(edgeConfigSchema.shape) as (keyof EdgeConfigInput)[];
const ENV_PREFIX = 'EDGEPROOF_';
/** Environment variables with the prefix that are not configuration keys of the Edge. */
const ENV_NOT_KEYS = new Set(['EDGEPROOF_CONFIG']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigSources {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Record<keyof EdgeConfigInput, unknown>>;
}

export function envName(key: string): string {
  return ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}

export function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function resolveConfig(sources: ConfigSources = {}): EdgeConfig {
  const env = sources.env ?? {};
  const file = sources.file ?? env.EDGEPROOF_CONFIG;
  const layers: [Record<string, unknown>, (key: string) => string][] = [
    [file ? readConfigFile(file) : {}, (key) => `'${key}' in ${file}`],
    [fromEnv(env), envName],
    [definedOnly(sources.flags ?? {}), flagName],
  ];
  // A refusal names the value as the user gave it: `--anonymous-access`, not `anonymousAccess`.
  const givenAs = new Map<string, string>();
  for (const [values, name] of layers) for (const key of Object.keys(values)) givenAs.set(key, name(key));
  const merged = Object.assign({}, ...layers.map(([values]) => values)) as Record<string, unknown>;
  return parseConfig(merged, 'configuration', (key) => givenAs.get(key) ?? `'${key}'`);
}

export function parseConfig(input: unknown, where = 'configuration', nameOf = (key: string) => `'${key}'`): EdgeConfig {
  const parsed = edgeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown key(s) ${issue.keys.map(nameOf).join(', ')}`;
      return `${nameOf(issue.path.join('.'))} ${issue.message}`;
    });
    throw new ConfigError(`Invalid ${where}: ${problems.join('; ')}`);
  }
  const config = { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
  return Object.freeze(config);
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const byEnvName = new Map(CONFIG_KEYS.map((key) => [envName(key), key]));
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || ENV_NOT_KEYS.has(name) || value === undefined) continue;
    const key = byEnvName.get(name);
    if (!key) throw new ConfigError(`Unknown environment variable ${name} (known: ${[...byEnvName.keys()].join(', ')})`);
    values[key] = value;
  }
  return values;
}

function definedOnly(flags: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
}
