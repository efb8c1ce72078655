import { Command, Option } from 'commander';
import { rebalanceShards, resolveConfig } from '../edge/index.ts';

/** `edgeproof storage`: maintenance of the binary store the configuration names (EDGE-BIN). */
export function storageCommand(): Command {
  const storage = new Command('storage').description('Maintain the binary store (binariesType) of a stopped Edge');
  const rebalance = new Command('rebalance')
    .description('Sharded filestore: put each content back on its shards, as many copies as binariesRedundancy, from a copy whose SHA-256 checks out')
    .option('-c, --config <file>', 'JSON config file (also EDGEPROOF_CONFIG)')
    .addOption(new Option('-d, --data-dir <dir>', 'data directory of the Edge (also EDGEPROOF_DATA_DIR)'))
    .action(async (options: { config?: string; dataDir?: string }) => {
      const config = resolveConfig({ file: options.config, env: process.env, flags: { dataDir: options.dataDir } });
      const report = await rebalanceShards(config);
      for (const { sha256, from, to } of report.copied) process.stdout.write(`copied ${sha256} ${from} -> ${to}\n`);
      for (const sha256 of report.lost) process.stdout.write(`lost ${sha256}: no shard holds a sound copy\n`);
      process.stdout.write(
        `${report.contents} contents: ${report.copied.length} copies made, ${report.removed} surplus copies removed, ${report.lost.length} lost\n`,
      );
      // Lost content is data loss: the exit code says so to scripts.
      if (report.lost.length > 0) rebalance.error(`edgeproof: ${report.lost.length} contents are lost`, { exitCode: 1, code: 'edgeproof.lost' });
    });
  return storage.addCommand(rebalance);
}
