import { describeCause } from '../../protocol/clients/index.ts';
import { firstErrorOf } from '../../protocol/errors.ts';
import type { SimContext } from '../core/service.ts';
import { authorizationOf, baseUrl, type JpdRecord, type JpdStatus } from './state.ts';

/**
 * Health of one site: `GET {url}/artifactory/api/system/ping` with the stored credentials
 * (jfrog-compat.md §1.8). Sending them makes wrong credentials visible: an Artifactory (and our
 * Edge) answers 401 to bad credentials even on a probe. When the site answers, its service id
 * (`GET /api/system/service_id`, §0.5) is learned too, as real MC "queries for all the
 * services installed in the JPD" (§4); Distribution reports it for each site.
 */
export async function checkHealth(ctx: SimContext, jpd: JpdRecord): Promise<void> {
  const authorization = authorizationOf(jpd.credentials);
  const checkedAt = new Date(ctx.now()).toISOString();
  let status: JpdStatus;
  try {
    const res = await ctx.fetch(new Request(`${baseUrl(jpd)}/artifactory/api/system/ping`, { headers: { authorization } }));
    const text = (await res.text()).trim();
    status = { code: codeOf(res.status), message: `Ping answered ${res.status}: ${summary(text)}`, http_status: res.status, checked_at: checkedAt };
  } catch (err) {
    status = { code: 'OFFLINE', message: `Ping got no answer: ${describeCause(err)}`, http_status: null, checked_at: checkedAt };
  }
  jpd.status = status;
  if (status.code === 'ONLINE') jpd.serviceId = (await readServiceId(ctx, jpd, authorization)) ?? jpd.serviceId;
}

function codeOf(httpStatus: number): JpdStatus['code'] {
  if (httpStatus === 200) return 'ONLINE';
  if (httpStatus === 401 || httpStatus === 403) return 'UNAUTHORIZED';
  return 'OFFLINE';
}

async function readServiceId(ctx: SimContext, jpd: JpdRecord, authorization: string): Promise<string | undefined> {
  try {
    const res = await ctx.fetch(new Request(`${baseUrl(jpd)}/artifactory/api/system/service_id`, { headers: { authorization } }));
    const text = (await res.text()).trim();
    // Service ids are `<product>@<id>` (jfrog-compat.md §0.5); anything else is not one.
    return res.status === 200 && /^[a-z]+@[0-9a-z]+$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The message of an Artifactory error body, or the start of whatever else was answered (a ping answers plain text). */
function summary(text: string): string {
  const entry = firstErrorOf(text);
  if (entry) return entry.message;
  return text.length > 200 ? `${text.slice(0, 197)}...` : text || '(empty body)';
}
