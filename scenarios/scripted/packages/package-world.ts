import { createHash } from 'node:crypto';
import type { ScenarioContext } from '../../kit/context.ts';
import { localRepo } from '../../kit/world.ts';

/** A repository of `packageType` that bundles can target (the fixture signing key trusted); returns its key. */
export async function packageRepo(t: ScenarioContext, base: string, packageType: 'npm' | 'pypi' | 'maven' | 'docker' | 'generic'): Promise<string> {
  await t.installTrust();
  return localRepo(t, base, { packageType });
}

/** A path of `url` (absolute or relative to `page`) as a request line takes it. */
export function pathOf(url: string, page: string): string {
  const resolved = new URL(url, `http://edge${page}`);
  return `${resolved.pathname}${resolved.search}`;
}

export const digest = (algorithm: 'sha1' | 'sha256' | 'sha512', bytes: Buffer, encoding: 'hex' | 'base64' = 'hex'): string =>
  createHash(algorithm).update(bytes).digest(encoding);

/** The hrefs of an HTML page's links, in order, with their text. */
export function links(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ href: unescapeHtml(m[1] as string), text: unescapeHtml(m[2] as string) }));
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
}
