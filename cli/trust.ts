import { mkdir, readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { isEdgeError } from '../protocol/errors.ts';
import { addTrusted, folderSummary, removeTrusted, scanTrustedFolder, trustedDir } from '../edge/index.ts';

const dataDirOption = () => new Option('-d, --data-dir <dir>', 'data directory of the Edge').env('EDGEPROOF_DATA_DIR').default('./edgeproof-data');

/**
 * `edgeproof trust`: the trusted folder of an Edge's data directory, edited directly — the
 * Edge need not run, and a running one notices the change on its next request
 * (EDGE-TRUST-3). Certificates are validated exactly as the REST API does (EDGE-TRUST-5).
 */
export function trustCommand(): Command {
  const trust = new Command('trust').description(
    'Manage the certificates this Edge trusts (access/keys/trusted/*.crt): tokens signed by their keys are accepted.',
  );

  const list = new Command('list')
    .description('List trusted certificates, and files in the folder that are refused and why')
    .addOption(dataDirOption())
    .option('--json', 'print JSON, as GET /access/api/v1/cert/trusted does')
    .action(async (options: { dataDir: string; json?: boolean }) => {
      await refuseAsCommandError(list, async () => {
        const summary = folderSummary(await scanTrustedFolder(trustedDir(resolve(options.dataDir)), Date.now()));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
          return;
        }
        if (summary.trusted.length === 0 && summary.refused.length === 0) process.stdout.write('No trusted certificates.\n');
        for (const entry of summary.trusted) {
          process.stdout.write(`${entry.alias}\n  subject ${entry.subject}\n  kid     ${entry.kid}\n  valid   ${entry.not_before} .. ${entry.not_after}\n`);
        }
        for (const entry of summary.refused) process.stdout.write(`${entry.alias} (REFUSED)\n  ${entry.reason}\n`);
      });
    });

  const add = new Command('add')
    .description("Trust a certificate (PEM or DER), e.g. another Edge's access/keys/root.crt")
    .argument('<file>', 'certificate file')
    .option('-a, --alias <alias>', 'name in the trusted folder (default: the file name without extension)')
    .addOption(dataDirOption())
    .action(async (file: string, options: { alias?: string; dataDir: string }) => {
      const alias = options.alias ?? basename(file, extname(file));
      await refuseAsCommandError(add, async () => {
        const dir = trustedDir(resolve(options.dataDir));
        const data = await readFile(file);
        await mkdir(dir, { recursive: true });
        const { entry, replaced } = await addTrusted(dir, alias, data, Date.now());
        process.stdout.write(`${replaced ? 'Replaced' : 'Added'} trusted certificate '${alias}' (${entry.subject}, kid ${entry.kid}).\n`);
      });
    });

  const remove = new Command('remove')
    .description('Stop trusting a certificate')
    .argument('<alias>', 'name shown by `edgeproof trust list`')
    .addOption(dataDirOption())
    .action(async (alias: string, options: { dataDir: string }) => {
      await refuseAsCommandError(remove, async () => {
        if (!(await removeTrusted(trustedDir(resolve(options.dataDir)), alias))) {
          remove.error(`edgeproof: no trusted certificate '${alias}'`, { exitCode: 1, code: 'edgeproof.trust.unknown' });
        }
        process.stdout.write(`Removed trusted certificate '${alias}'.\n`);
      });
    });

  return trust.addCommand(list).addCommand(add).addCommand(remove);
}

/** A refused certificate or an unreadable file is the user's to fix: one line, exit code 1, no stack. */
async function refuseAsCommandError(command: Command, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (isEdgeError(error) || code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
      command.error(`edgeproof: ${(error as Error).message}`, { exitCode: 1, code: 'edgeproof.trust.refused' });
    }
    throw error;
  }
}
