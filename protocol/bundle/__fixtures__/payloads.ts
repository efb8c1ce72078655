import type { BundlePayload } from '../model.ts';

/** A valid payload; tests change one thing at a time. */
export function samplePayload(): BundlePayload {
  return {
    name: 'edgeproof-app',
    version: '1.4.0',
    created: '2020-05-03T12:33:40.759+0300',
    description: 'sample bundle',
    release_notes: { syntax: 'markdown', content: '# 1.4.0' },
    type: 'release_bundle_v1',
    artifacts: [
      {
        repo_path: 'libs-release-local/org/acme/app/1.4.0/app-1.4.0.jar',
        checksum: 'a'.repeat(64),
        size: 1024,
        props: [{ key: 'build.name', values: ['app'] }],
      },
      {
        repo_path: 'docker-local/acme/app/1.4.0/manifest.json',
        checksum: '0123456789abcdef'.repeat(4),
        size: 0,
      },
    ],
  };
}

/** Encodes any JSON value, valid or not, as payload bytes. */
export function payloadBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export const LIMITS = { maxTotalBytes: 10 * 1024 * 1024 };
