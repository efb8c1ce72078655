import { ApiError } from '../../protocol/clients/index.ts';
import { sha256 } from '../kit/bundles.ts';
import { expect } from '../kit/expect.ts';
import type { EdgeModel } from './model.ts';
import { bundleName, UPLOADS, type EdgeReal } from './real.ts';

/**
 * After every command the Edge matches the model. Each invariant of issue #10 is one check here:
 * - every published byte matches its signed checksum (downloads hashed, EDP-PUB-2);
 * - a bundle is visible entirely or not at all (each listed bundle's files all served, each
 *   repository lists exactly the model's files, EDP-PUB-1);
 * - nothing an untrusted party sent and no refused write changed anything (the whole comparison,
 *   after every command, EDP-SIG-5, EDGE-RO-1);
 * - uploads are there, byte for byte, also after restarts (EDGE-RO-3).
 */
export async function expectMatches(model: EdgeModel, real: EdgeReal): Promise<void> {
  const { artifactory, edp } = real.t.clients();
  for (const [index, repo] of real.repos.entries()) {
    const listed = await artifactory.fileList(repo, { deep: true });
    const files = Object.fromEntries(listed.files.filter((f) => !f.folder).map((f) => [f.uri.slice(1), f.sha2]));
    const expected = Object.fromEntries([...(model.published[index] ?? new Map()).entries()].map(([path, p]) => [path, p.sha256]));
    expect(files, `files listed in ${repo}`).toEqual(expected);
    for (const [path, sha] of Object.entries(expected)) {
      const res = await artifactory.download(`${repo}/${path}`);
      expect(sha256(new Uint8Array(await res.arrayBuffer())), `bytes served at ${repo}/${path}`).toBe(sha);
    }
  }

  const bundles = await edp.bundles();
  const ours = Object.keys(bundles)
    .filter((name) => name.startsWith(`${real.bundlePrefix}-`))
    .sort();
  expect(ours, 'bundles the Edge lists').toEqual([...model.bundles.keys()].map((k) => bundleName(real, k)).sort());

  const uploads = await listUploads(real);
  expect(uploads, `files in ${UPLOADS}/${real.uploadsFolder}`).toEqual(Object.fromEntries([...model.uploads.entries()].sort()));
}

async function listUploads(real: EdgeReal): Promise<Record<string, string | undefined>> {
  try {
    const listed = await real.t.clients().artifactory.fileList(`${UPLOADS}/${real.uploadsFolder}`, { deep: true });
    return Object.fromEntries(
      listed.files
        .filter((f) => !f.folder)
        .map((f) => [f.uri.slice(1), f.sha2] as const)
        .sort(),
    );
  } catch (error) {
    // Nothing uploaded yet: the folder does not exist.
    if (error instanceof ApiError && error.status === 404) return {};
    throw error;
  }
}
