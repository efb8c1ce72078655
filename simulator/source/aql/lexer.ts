import { EdgeError } from '../../../protocol/errors.ts';

/**
 * Tokens of an AQL query: `items.find({...}).include("a").sort({...}).offset(1).limit(2)`.
 * Criteria are JSON, so strings and numbers follow JSON's grammar exactly; words are the
 * domain, method names and the JSON literals. `at` is the 0-based character offset, used by
 * every error message.
 */
export type Punct = '.' | '(' | ')' | '{' | '}' | '[' | ']' | ',' | ':';

export type Token =
  | { kind: 'punct'; value: Punct; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; raw: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'end'; at: number };

const PUNCT = '.(){}[],:';
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function aqlError(problem: string, at: number): EdgeError {
  return new EdgeError('BAD_REQUEST', `AQL: ${problem} (at character ${at + 1}).`);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', value: c as Punct, at: i });
      i++;
    } else if (c === '"') {
      const { value, end } = readString(source, i);
      tokens.push({ kind: 'string', value, at: i });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const raw = NUMBER.exec(source)?.[0];
      if (raw === undefined) throw aqlError(`malformed number`, i);
      tokens.push({ kind: 'number', value: Number(raw), raw, at: i });
      i += raw.length;
    } else {
      WORD.lastIndex = i;
      const word = WORD.exec(source)?.[0];
      if (word === undefined) throw aqlError(`unexpected character ${JSON.stringify(c)}`, i);
      tokens.push({ kind: 'word', value: word, at: i });
      i += word.length;
    }
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

/** A JSON string starting at `start` (the opening quote). */
function readString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c < ' ') throw aqlError('control character inside a string (escape it)', i);
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = source[i + 1];
    if (next === 'u') {
      const hex = source.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw aqlError('malformed \\u escape', i);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else if (next !== undefined && ESCAPES[next] !== undefined) {
      value += ESCAPES[next];
      i += 2;
    } else {
      throw aqlError(`unknown escape \\${next ?? ''}`, i);
    }
  }
  throw aqlError('unterminated string', start);
}
