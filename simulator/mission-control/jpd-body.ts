import { z } from 'zod';
import { CONTROL_CHARACTER } from '../../protocol/printable.ts';
import { McError } from './errors.ts';
import type { JpdCredentials, JpdLocation } from './state.ts';

/**
 * The body of `POST /mc/api/v1/jpds` and `PUT /mc/api/v1/jpds/{id}` (jfrog-compat.md §4): name,
 * url, location, tags. Our additions: `licenses` (real MC learns them from the site; here the
 * caller says, default `[{"type":"EDGE"}]` because these simulators exist to drive Edges), and
 * the credentials MC uses to reach the site, either `token` (as JFrog's body) or
 * `username`/`password` (as JFrog's legacy body).
 */
const jpdBody = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .refine((name) => !CONTROL_CHARACTER.test(name), 'must not contain control characters'),
  url: z.string().refine(isSiteUrl, 'must be an http(s) URL without query or fragment'),
  location: z.object({
    city_name: z.string().max(128),
    country_code: z.string().regex(/^[A-Za-z]{2}$/, 'must be exactly 2 letters (ISO 3166)'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
  }),
  licenses: z
    .array(z.object({ type: z.string().min(1) }))
    .min(1)
    .optional(),
  tags: z.array(z.string()).optional(),
  token: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
});

export interface JpdInput {
  name: string;
  url: string;
  location: JpdLocation;
  licenses: { type: string }[];
  tags: string[];
  /** Undefined on PUT when the body names none: the stored credentials stay. */
  credentials: JpdCredentials | undefined;
}

export function parseJpdBody(body: unknown): JpdInput {
  const parsed = jpdBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'body';
    throw new McError('VALIDATION', `Invalid JPD: ${where} ${issue?.message ?? 'is invalid'}.`);
  }
  const { name, url, location, licenses, tags } = parsed.data;
  return {
    name,
    url: url.endsWith('/') ? url : `${url}/`,
    location: { ...location, country_code: location.country_code.toUpperCase() },
    licenses: licenses ?? [{ type: 'EDGE' }],
    tags: tags ?? [],
    credentials: credentialsOf(parsed.data),
  };
}

function credentialsOf(body: { token?: string; username?: string; password?: string }): JpdCredentials | undefined {
  const { token, username, password } = body;
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    throw new McError('VALIDATION', 'Invalid JPD: give either "token" or "username"/"password", not both.');
  }
  if (token !== undefined) return { type: 'token', token };
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    throw new McError('VALIDATION', 'Invalid JPD: "username" and "password" go together.');
  }
  return { type: 'basic', username, password };
}

function isSiteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '' && url.username === '';
  } catch {
    return false;
  }
}
