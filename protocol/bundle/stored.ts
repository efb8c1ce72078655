import { decodeUtf8, parseJsonObject } from './json.ts';
import { parseJws } from './jws.ts';
import { bundlePayloadSchema, type BundlePayload } from './model.ts';

/**
 * The payload of a bundle the Edge verified and stored, read again from its compact JWS. Only the
 * member rules apply (a stored bundle passed them); limits that may have changed since, such as
 * the total size, do not.
 */
export function storedPayload(compact: string): BundlePayload {
  const { payloadBytes } = parseJws(compact);
  return bundlePayloadSchema.parse(parseJsonObject(decodeUtf8(payloadBytes, 'bundle payload'), 'bundle payload'));
}
