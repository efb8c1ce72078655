import { z } from 'zod';
import { EdgeError } from '../errors.ts';
import { hasControl, printable } from '../printable.ts';

/**
 * Artifactory's properties on the wire (jfrog-compat.md §1.6): matrix parameters on deploy
 * (`;k=v`, §1.1), the `?properties=` parameter of the storage API, and the answer of
 * `GET /api/storage/{repo}/{path}?properties`.
 */

/** A property map: key → ordered values. */
export type Properties = Record<string, string[]>;

/**
 * An empty property map without a prototype (EDGE-IN-7): keys such as `constructor`,
 * `toString` or `__proto__` are legal Artifactory property names, so they must be plain own
 * keys, never members inherited from `Object.prototype` (or its `__proto__` setter).
 */
export function emptyProperties(): Properties {
  return Object.create(null) as Properties;
}

/** The values of `key`, only when it is an own key of `properties` (EDGE-IN-7). */
export function propertyValues(properties: Properties, key: string): string[] | undefined {
  return Object.hasOwn(properties, key) ? properties[key] : undefined;
}

/** Sets the values of `key` (replacing any), as an own key whatever its name (EDGE-IN-7). */
export function setPropertyValues(properties: Properties, key: string, values: readonly string[]): void {
  Object.defineProperty(properties, key, { value: [...values], enumerable: true, writable: true, configurable: true });
}

/** Appends `values` to those of `key`, as an own key whatever its name (EDGE-IN-7). */
export function addPropertyValues(properties: Properties, key: string, values: readonly string[]): void {
  const existing = propertyValues(properties, key);
  if (existing) existing.push(...values);
  else setPropertyValues(properties, key, values);
}

export const ItemProperties = z.looseObject({ properties: z.record(z.string(), z.array(z.string())), uri: z.string() });
export type ItemProperties = z.infer<typeof ItemProperties>;

/** §1.6: characters Artifactory forbids in property keys. */
const FORBIDDEN_PROPERTY_KEY = /[)(}{\][*+^$\\/~`!@#%&<>;=,±§\s]/;

export function validatePropertyKey(key: string): string {
  if (key === '' || FORBIDDEN_PROPERTY_KEY.test(key) || hasControl(key) || key.length > 255) {
    throw new EdgeError('BAD_REQUEST', `Invalid property key '${printable(key)}'.`);
  }
  return key;
}

/** Adds one raw (still percent-encoded) matrix parameter `k=v` or `k` of a URL path to `matrix`. */
export function addMatrixParam(matrix: Properties, param: string): void {
  if (param === '') return;
  const eq = param.indexOf('=');
  const key = decodeMatrix(eq < 0 ? param : param.slice(0, eq));
  const value = eq < 0 ? '' : decodeMatrix(param.slice(eq + 1));
  validatePropertyKey(key);
  addPropertyValues(matrix, key, [value]);
}

/** `{k: [v1, v2]}` → `;k=v1;k=v2`, to append to a deploy URL (each value its own parameter). */
export function matrixParams(properties: Properties): string {
  return Object.entries(properties)
    .flatMap(([key, values]) => values.map((value) => `;${encodeURIComponent(key)}=${encodeURIComponent(value)}`))
    .join('');
}

function decodeMatrix(raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw badPath('malformed percent-encoding in a matrix parameter');
  }
  if (value.includes('\0')) throw badPath('NUL is not allowed in matrix parameters');
  return value;
}

function badPath(problem: string): EdgeError {
  return new EdgeError('BAD_PATH', `Invalid path: ${problem}.`);
}

/**
 * EDGE-ART-10: `?properties=p1=v1,v2|p2=v3;p3=v4`: `|` or `;` between properties, `,` between
 * values, a backslash escaping any of `,|;=\`.
 */
export function parsePropertiesParam(param: string): Properties {
  const properties = emptyProperties();
  for (const part of splitEscaped(param, '|;')) {
    if (part === '') continue;
    const [rawKey = '', rawValue] = splitEscaped(part, '=', 1);
    const key = validatePropertyKey(unescapeValue(rawKey));
    if (rawValue === undefined) throw new EdgeError('BAD_REQUEST', `Property '${key}' has no '=value'.`);
    addPropertyValues(properties, key, splitEscaped(rawValue, ',').map(unescapeValue));
  }
  if (Object.keys(properties).length === 0) throw new EdgeError('BAD_REQUEST', "Parameter 'properties' names no property.");
  return properties;
}

/** The reverse of `parsePropertiesParam`, escaping what needs it. */
export function propertiesParam(properties: Properties): string {
  const escapeValue = (text: string) => text.replace(/[,|;=\\]/g, (c) => `\\${c}`);
  return Object.entries(properties)
    .map(([key, values]) => `${escapeValue(key)}=${values.map(escapeValue).join(',')}`)
    .join(';');
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

/**
 * The answer to `GET ...?properties[=k1,k2]`: the wanted keys (all when none are named). None at
 * all is a 404 with the text jfrog-client-go looks for.
 */
export function itemPropertiesJson(all: Properties, wanted: string | undefined, uri: string): ItemProperties {
  const keys = wanted ? wanted.split(',') : undefined;
  const properties = Object.fromEntries(Object.entries(all).filter(([key]) => !keys || keys.includes(key)));
  if (Object.keys(properties).length === 0) throw new EdgeError('NOT_FOUND', 'No properties could be found.');
  return { properties, uri };
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
