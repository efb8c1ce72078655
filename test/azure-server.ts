import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's well-known development account (public, in Microsoft's documentation): not a secret. */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A throwaway Azure Blob service (Azurite, from the lockfile) on a free loopback port, its blobs in a temp directory. */
export interface AzureServer {
  connectionString: string;
  stop(): Promise<void>;
}

/** Started once per test file (beforeAll); a missing azurite fails with one line naming it, never a hang. */
export async function startAzureServer(): Promise<AzureServer> {
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  } catch {
    throw new Error('azurite is not installed (npm ci installs it from the lockfile)');
  }
  const location = await mkdtemp(join(tmpdir(), 'edgeproof-azurite-'));
  // No telemetry: this machine talks to nothing but loopback.
  const args = [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--skipApiVersionCheck', '--loose', '--disableTelemetry'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`azurite did not start in 20 s: ${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk;
        const listening = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (listening) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('close', (code) => reject(new Error(`azurite exited with ${code}: ${output}`)));
    });
    return {
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`,
      async stop() {
        child.kill('SIGTERM');
        await exited;
        await rm(location, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await rm(location, { recursive: true, force: true });
    throw error;
  }
}
