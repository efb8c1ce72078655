import { EdgeError } from './errors.ts';
import { validatePropertyKey, type Properties } from './paths.ts';

/**
 * `?properties=p1=v1,v2|p2=v3;p3=v4` (jfrog-compat.md §1.6): `|` or `;` between properties,
 * `,` between values, a backslash escaping any of `,|;=\`.
 */
export function parsePropertiesParam(param: string): Properties {
  const properties: Properties = {};
  for (const part of splitEscaped(param, '|;')) {
    if (part === '') continue;
    const [rawKey = '', rawValue] = splitEscaped(part, '=', 1);
    const key = validatePropertyKey(unescapeValue(rawKey));
    if (rawValue === undefined) throw new EdgeError('BAD_REQUEST', `Property '${key}' has no '=value'.`);
    (properties[key] ??= []).push(...splitEscaped(rawValue, ',').map(unescapeValue));
  }
  if (Object.keys(properties).length === 0) throw new EdgeError('BAD_REQUEST', "Parameter 'properties' names no property.");
  return properties;
}

/** `?properties=k1,k2` of a property deletion. */
export function parsePropertyKeys(param: string): string[] {
  const keys = param.split(',').filter((key) => key !== '');
  if (keys.length === 0) throw new EdgeError('BAD_REQUEST', "Parameter 'properties' names no property.");
  return keys.map(validatePropertyKey);
}

/** The values of one property, as `PATCH /api/metadata` takes them in a string: `v1,v2`. */
export function splitPropertyValues(value: string): string[] {
  return splitEscaped(value, ',').map(unescapeValue);
}

/** Splits on unescaped separators, at most `limit` times; escapes are kept for `unescapeValue`. */
function splitEscaped(value: string, separators: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && i + 1 < value.length) {
      current += c + value[++i];
    } else if (separators.includes(c) && parts.length < limit) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescapeValue(value: string): string {
  return value.replace(/\\([\s\S])/g, '$1');
}
