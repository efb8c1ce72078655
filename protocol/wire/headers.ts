/**
 * Request headers as both HTTP adapters can hand them over: lower-case names, a repeated field
 * as an array (Node's `IncomingHttpHeaders`) or already joined with ", " (a fetch `Headers`).
 * The evaluators in this folder take this record and never see a framework object.
 */
export type HeaderRecord = Readonly<Record<string, string | string[] | undefined>>;

/** A fetch `Headers` (Hono, undici) as a `HeaderRecord`; its names are already lower case. */
export function headerRecord(headers: Headers): Record<string, string> {
  return Object.fromEntries(headers);
}

/** The one value of a header that must not be repeated; undefined when it is absent or repeated. */
export function singleHeader(headers: HeaderRecord, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}
