import { Command, Option } from 'commander';
import { envName, resolveConfig, type EdgeConfigInput } from '../edge/index.ts';
import { announceToPrimary, isWorker, servePrimary, workerSetup } from './serve-workers.ts';

const FLAGS: { key: keyof EdgeConfigInput; flag: string; help: string }[] = [
  { key: 'port', flag: '-p, --port <port>', help: 'TCP port (default 8082; 0 picks a free one)' },
  { key: 'host', flag: '--host <host>', help: 'interface to bind (default 127.0.0.1)' },
  { key: 'dataDir', flag: '-d, --data-dir <dir>', help: 'data directory (default ./edgeproof-data)' },
  { key: 'baseUrl', flag: '--base-url <url>', help: 'external URL used in responses (default: from the Host header)' },
  { key: 'adminPassword', flag: '--admin-password <password>', help: 'first password of admin (default: generated, printed once)' },
  { key: 'anonymousAccess', flag: '--anonymous-access <bool>', help: 'anonymous read access (default false)' },
  { key: 'maxUploadBytes', flag: '--max-upload-bytes <n>', help: 'largest accepted artifact body in bytes (default 16 GiB)' },
  { key: 'maxJsonBytes', flag: '--max-json-bytes <n>', help: 'largest JSON request body in bytes (default 1 MiB)' },
  { key: 'maxBundleBytes', flag: '--max-bundle-bytes <n>', help: 'largest release bundle (sum of file sizes) in bytes (default 64 GiB)' },
  { key: 'transactionTtlSecs', flag: '--transaction-ttl-secs <n>', help: 'idle distribution transactions expire after this (default 3600)' },
  { key: 'tokenDefaultExpiresInSecs', flag: '--token-default-expires-in-secs <n>', help: 'lifetime of an issued token when none is asked for (default 3600)' },
  { key: 'tokenMaxExpiresInSecs', flag: '--token-max-expires-in-secs <n>', help: 'longest token lifetime a request may ask for (default 1 year)' },
  {
    key: 'tokenClockSkewSecs',
    flag: '--token-clock-skew-secs <n>',
    help: "clock skew tolerated for other services' token times (default 60; none for this Edge's own)",
  },
  {
    key: 'loginSuspendAfterFailures',
    flag: '--login-suspend-after-failures <n>',
    help: 'failed logins of a user from one address before logins are suspended for a while (default 5; 0 never)',
  },
  { key: 'loginSuspendMaxSecs', flag: '--login-suspend-max-secs <n>', help: 'longest login suspension (default 60)' },
  { key: 'logLevel', flag: '--log-level <level>', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  { key: 'databaseType', flag: '--database-type <type>', help: 'metadata database: sqlite (in the data directory) or postgresql (default sqlite)' },
  { key: 'databaseUrl', flag: '--database-url <url>', help: 'postgres://user:password@host:port/database when --database-type postgresql' },
  { key: 'databasePoolSize', flag: '--database-pool-size <n>', help: 'connections to PostgreSQL (default 10)' },
  { key: 'workers', flag: '--workers <n>', help: 'worker processes sharing the port and the data (default 1)' },
  { key: 'nodeId', flag: '--node-id <id>', help: "this node's id among nodes sharing the stores (default: made once, kept in <dataDir>/node.id)" },
];

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('Run the Edge node: Artifactory REST API on http://HOST:PORT/artifactory')
    .option('-c, --config <file>', 'JSON config file (also EDGEPROOF_CONFIG)');
  for (const { key, flag, help } of FLAGS) command.addOption(new Option(flag, `${help} [env ${envName(key)}]`));
  return command.action(async (options: Record<string, string | undefined>) => {
    const flags = Object.fromEntries(FLAGS.map(({ key }) => [key, options[key]]));
    const resolved = resolveConfig({ file: options.config, env: process.env, flags });
    // EDGE-CLU-1: with several workers this process is their primary, or one of them.
    if (resolved.workers > 1 && !isWorker()) return servePrimary(resolved);
    const worker = isWorker() ? workerSetup(resolved) : { config: resolved, options: {} };
    const { config } = worker;
    // Loaded on use, so `--help` and other commands do not pay for the whole Edge.
    const { createEdge } = await import('../edge/index.ts');
    const edge = await createEdge(config, {
      ...worker.options,
      announceAdminPassword: (password) => process.stdout.write(`\nGenerated password for user 'admin' (shown once, change it): ${password}\n\n`),
    });
    const url = await edge.listen();
    if (isWorker()) announceToPrimary(url, edge.context.serviceId);
    else process.stdout.write(`edgeproof Edge ${edge.context.serviceId} listening on ${url}/artifactory (data: ${config.dataDir})\n`);
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      await edge.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // A worker whose primary is gone stops too, rather than serve on unsupervised.
    if (isWorker()) process.once('disconnect', stop);
  });
}
