import { EdgeError } from '../errors.ts';

export type JsonObject = Record<string, unknown>;

// ignoreBOM keeps a BOM in the text so JSON.parse refuses it: I-JSON (RFC 7493) has none.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Quotes attacker-supplied text for a message: escaped, and short enough for a log line. */
export function quote(text: string): string {
  const max = 120;
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Decodes signed bytes as strict UTF-8; `what` names the part in the refusal. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new EdgeError('EDP_BUNDLE_MALFORMED', `${what} is not valid UTF-8`);
  }
}

/**
 * Parses a JSON object as I-JSON: duplicate member names are refused, because JSON parsers
 * disagree on which duplicate wins and a verifier must read the signed bytes the way every
 * other reader of the bundle does.
 */
export function parseJsonObject(text: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new EdgeError('EDP_BUNDLE_MALFORMED', `${what} is not valid JSON: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EdgeError('EDP_BUNDLE_MALFORMED', `${what} must be a JSON object`);
  }
  const duplicate = findDuplicateMember(text);
  if (duplicate !== undefined) {
    throw new EdgeError('EDP_BUNDLE_MALFORMED', `${what} has the member ${quote(duplicate)} more than once`);
  }
  return value as JsonObject;
}

/** Scans text that JSON.parse already accepted, so only strings and brackets need tracking. */
function findDuplicateMember(text: string): string | undefined {
  // One entry per open container: the member names seen so far, or null for an array.
  const open: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      open.push(new Set());
      expectName = true;
    } else if (c === '[') {
      open.push(null);
      expectName = false;
    } else if (c === '}' || c === ']') {
      open.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = open.at(-1) instanceof Set;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (expectName) {
        // Decoding the token makes "a" and "\u0061" the same name, as for any JSON reader.
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        const names = open.at(-1);
        if (names?.has(name)) return name;
        names?.add(name);
        expectName = false;
      }
      i = end;
    }
  }
  return undefined;
}
