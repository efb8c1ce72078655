import { decodeUtf8, parseJsonObject } from './json.ts';
import { parseJws } from './jws.ts';
import { bundlePayloadSchema, type BundlePayload } from './model.ts';

/**
 * EDP-PUB-7: the JSON view of a committed bundle, as JFrog's Edge shows it
 * (jfrog-wire.md §3.10). Exactly these members: EDP-SIG-22 keeps every member E does not know
 * (`id`, `signature`, an artifact's `download_token`, …) out of E's JSON views; they stay in the
 * signed bytes, which only `?format=jws` (EDP-PUB-8) serves.
 */
export interface BundleView {
  name: string;
  version: string;
  description?: string;
  release_notes?: { syntax: string; content: string };
  created: string;
  artifacts: { repo_path: string; checksum: string; props: { key: string; values: string[] }[] }[];
}

/** Builds the view member by member, so nothing of the payload passes through unnamed. */
export function bundleView(payload: BundlePayload): BundleView {
  const { release_notes: notes } = payload;
  return {
    name: payload.name,
    version: payload.version,
    ...(payload.description === undefined ? {} : { description: payload.description }),
    ...(notes === undefined ? {} : { release_notes: { syntax: notes.syntax, content: notes.content } }),
    created: payload.created,
    artifacts: payload.artifacts.map((artifact) => ({
      repo_path: artifact.repo_path,
      checksum: artifact.checksum,
      props: (artifact.props ?? []).map((prop) => ({ key: prop.key, values: [...prop.values] })),
    })),
  };
}

/**
 * The view of a stored, already verified compact JWS. Only the member rules of the payload are
 * applied again, not limits that may have changed since it was committed.
 */
export function bundleViewOfJws(compact: string): BundleView {
  const { payloadBytes } = parseJws(compact);
  const json = parseJsonObject(decodeUtf8(payloadBytes, 'bundle payload'), 'bundle payload');
  return bundleView(bundlePayloadSchema.parse(json));
}
