import { readFile } from 'node:fs/promises';
import { Command } from 'commander';

/**
 * `edgeproof verify-report <attestation> --key pub.pem [--result result.json]`: checks a
 * published conformance attestation offline and prints its verdict. Exit 0 only when it is
 * valid (whatever verdict it attests); 1 when it is not, with one line saying why; 2 when a
 * file cannot be read or the key is not one attestations use.
 */

interface VerifyOptions {
  key: string;
  result?: string;
}

export function verifyReportCommand(): Command {
  return new Command('verify-report')
    .description('Check a signed conformance result (attestation.dsse.json) and print its verdict')
    .argument('<attestation>', 'the DSSE envelope `edgeproof conformance --sign-key` wrote')
    .requiredOption('--key <pub.pem>', "the signer's Ed25519 or ECDSA P-256 public key (PEM)")
    .option('--result <result.json>', 'also check that this is the result file the attestation names')
    .action(async (attestation: string, options: VerifyOptions, command: Command) => {
      process.exitCode = await verifyReport(attestation, options, command);
    });
}

async function verifyReport(attestation: string, options: VerifyOptions, command: Command): Promise<number> {
  const { KeyError, publicKeyFromPem, verifyAttestation } = await import('../reports/index.ts');
  const read = async (file: string) => {
    try {
      return await readFile(file);
    } catch (error) {
      command.error(`edgeproof: cannot read ${file}: ${(error as Error).message}`, { exitCode: 2, code: 'edgeproof.read' });
    }
  };
  let key: ReturnType<typeof publicKeyFromPem>;
  try {
    key = publicKeyFromPem(await read(options.key), options.key);
  } catch (error) {
    if (error instanceof KeyError) command.error(`edgeproof: --key: ${error.message}`, { exitCode: 2, code: 'edgeproof.key' });
    throw error;
  }
  const envelope = (await read(attestation)).toString('utf8');
  const result = options.result === undefined ? undefined : await read(options.result);
  const verification = verifyAttestation(envelope, key, result);
  if (!verification.valid) {
    process.stderr.write(`edgeproof: invalid attestation ${attestation}: ${verification.reason}\n`);
    return 1;
  }
  process.stdout.write(`${verification.summary}\n`);
  return 0;
}
