import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Drives the real registry clients against an Edge's Docker repository: `skopeo` (no daemon)
 * and `docker` (through the local engine, which treats 127.0.0.0/8 as an insecure registry, so
 * plain HTTP and Basic credentials work without configuration). For tests and the bench: each
 * function prepares what the client needs for a base URL, repository and credentials, and the
 * client state (docker's credential file, skopeo's policy) lives in a folder of its own.
 */

const run = promisify(execFile);
const TIMEOUT_MS = 120_000;

export interface RegistryLogin {
  /** `http://127.0.0.1:<port>` of the Edge. */
  url: string;
  repo: string;
  user: string;
  password: string;
}

/** `127.0.0.1:<port>/<repo>/<image>:<tag>` (Artifactory's repository-path form; `@sha256:…` for a digest). */
export function imageRef(login: RegistryLogin, image: string, reference: string): string {
  const host = new URL(login.url).host;
  return `${host}/${login.repo}/${image}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
}

/** A folder for one client's state, with the policy skopeo needs (accept anything: the images are made in the test). */
export async function clientHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'edgeproof-registry-client-'));
  await writeFile(join(home, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  return home;
}

/** `skopeo` with the policy of `home` (a global option: before the command) and `args`. */
function skopeo(home: string, args: string[]): Promise<{ stdout: string }> {
  return run('skopeo', ['--policy', join(home, 'policy.json'), ...args], { timeout: TIMEOUT_MS });
}

const creds = (login: RegistryLogin): string => `${login.user}:${login.password}`;

/** `skopeo inspect` of the image (`raw`: the manifest as served, else skopeo's summary). */
export async function skopeoInspect(home: string, login: RegistryLogin, image: string, reference: string, raw = false): Promise<unknown> {
  const { stdout } = await skopeo(home, [
    'inspect',
    '--tls-verify=false',
    '--creds',
    creds(login),
    ...(raw ? ['--raw'] : []),
    `docker://${imageRef(login, image, reference)}`,
  ]);
  return JSON.parse(stdout) as unknown;
}

/** `skopeo copy docker://… dir:<dest>`: every blob verified against its digest; returns the files written. */
export async function skopeoCopy(home: string, login: RegistryLogin, image: string, reference: string, dest: string, all = false): Promise<string[]> {
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  await skopeo(home, [
    'copy',
    '--src-tls-verify=false',
    '--src-creds',
    creds(login),
    ...(all ? ['--all'] : []),
    `docker://${imageRef(login, image, reference)}`,
    `dir:${dest}`,
  ]);
  return (await readdir(dest)).sort();
}

/** Why no Docker engine can be used here, or undefined when one answers. */
export async function dockerEngineProblem(): Promise<string | undefined> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 20_000 });
    return undefined;
  } catch (error) {
    const text = String((error as { stderr?: string }).stderr || (error as Error).message).trim();
    return text.split('\n')[0] ?? 'docker info failed';
  }
}

function docker(home: string, args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile('docker', ['--config', join(home, 'docker'), ...args], { timeout: TIMEOUT_MS }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** `docker login` to the Edge's host (credentials stay in `home`). */
export async function dockerLogin(home: string, login: RegistryLogin): Promise<string> {
  const { stdout } = await docker(home, ['login', new URL(login.url).host, '--username', login.user, '--password-stdin'], login.password);
  return stdout;
}

/** `docker pull`; returns the image's id as the engine has it. */
export async function dockerPull(home: string, ref: string): Promise<{ output: string; id: string }> {
  const { stdout } = await docker(home, ['pull', ref]);
  const { stdout: id } = await docker(home, ['image', 'inspect', '--format', '{{.Id}}', ref]);
  return { output: stdout, id: id.trim() };
}

/** Removes the pulled image from the engine, so the next pull fetches again (the engine is the client's cache). */
export async function dockerRemove(home: string, ref: string): Promise<void> {
  await docker(home, ['image', 'rm', '--force', ref]).catch(() => undefined);
}
