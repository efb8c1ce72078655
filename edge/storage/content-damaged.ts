import { EdgeError } from '../../protocol/errors.ts';
import type { IngestLimits } from './content.ts';

/** EDGE-DUR-3: the bytes a store holds for content recorded as `size` bytes long are not that content. */
export function contentDamaged(sha256: string, size: number, found: string): EdgeError {
  return new EdgeError('CONTENT_DAMAGED', `The stored content ${sha256} is damaged: ${found}, ${size} bytes are recorded.`);
}

/** Limits of a copy of recorded content (to a shard, into a cache): a byte beyond its size is damage, not a large upload. */
export function recordedContentLimits(sha256: string, size: number): IngestLimits {
  return { maxBytes: size, tooLarge: () => contentDamaged(sha256, size, 'more bytes are stored') };
}
