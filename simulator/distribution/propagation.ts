import type { SimContext } from '../core/service.ts';
import { DistributionError } from './errors.ts';
import { ApiError, EdpClient, NoAnswerError, UnexpectedAnswerError } from '../../protocol/clients/index.ts';
import { describeAnswer, noAnswerMessage } from './http.ts';
import type { MissionControlClient, Site } from './mission-control.ts';
import type { KeyRecord } from './state.ts';

/**
 * Propagating public keys to Edges (jfrog-compat.md §3.9): for each Edge JPD Mission Control
 * lists, `POST {edge}/artifactory/api/security/keys/trusted {"alias","public_key"}`. 201 is
 * success; 409 means the Edge already has that alias or that key, which is success only when
 * the Edge's list really holds our key id (an alias taken by another key is a failure).
 * The report has JFrog's shape `{"report":{"message","status","details":[{"jpd_id","name",
 * "key_alias","status"}]}}`; a failed detail also carries `message` with the Edge's answer.
 */
export type ReportStatus = 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE' | 'PROPAGATION_NOT_REQUESTED' | 'NO_GPG_KEY_TO_PROPAGATE';

export interface ReportDetail {
  jpd_id: string;
  name: string;
  key_alias: string;
  status: 'SUCCESS' | 'FAILURE';
  message?: string;
}

export interface PropagationReport {
  message: string;
  status: ReportStatus;
  details: ReportDetail[];
}

export async function propagateKeys(ctx: SimContext, mc: MissionControlClient, keys: readonly KeyRecord[]): Promise<PropagationReport> {
  if (keys.length === 0) return { message: 'There is no GPG key to propagate.', status: 'NO_GPG_KEY_TO_PROPAGATE', details: [] };
  let sites: Site[];
  try {
    sites = await mc.edgeSites(false);
  } catch (err) {
    if (!(err instanceof DistributionError)) throw err;
    return { message: `${err.message}${err.detail ? ` ${err.detail}` : ''}`, status: 'FAILURE', details: [] };
  }
  if (sites.length === 0) return { message: 'Mission Control lists no Edge nodes; nothing to propagate to.', status: 'SUCCESS', details: [] };

  // Sites are independent: one slow Edge must not hold the others.
  const perSite = await Promise.all(sites.map((site) => propagateToSite(ctx, mc, site, keys)));
  const details = perSite.flat();
  const failed = details.filter((d) => d.status === 'FAILURE').length;
  const total = details.length;
  if (failed === 0) return { message: `Propagated to all ${sites.length} Edge nodes.`, status: 'SUCCESS', details };
  if (failed === total) return { message: `Propagation failed on all ${sites.length} Edge nodes.`, status: 'FAILURE', details };
  return { message: `Propagation failed for ${failed} of ${total} key deliveries.`, status: 'PARTIAL_SUCCESS', details };
}

async function propagateToSite(ctx: SimContext, mc: MissionControlClient, site: Site, keys: readonly KeyRecord[]): Promise<ReportDetail[]> {
  const detail = (key: KeyRecord, message?: string): ReportDetail => ({
    jpd_id: site.jpdId,
    name: site.name,
    key_alias: key.alias,
    status: message === undefined ? 'SUCCESS' : 'FAILURE',
    ...(message === undefined ? {} : { message }),
  });
  let authorization: string;
  try {
    authorization = await mc.authorization(site.jpdId);
  } catch (err) {
    if (!(err instanceof DistributionError)) throw err;
    return keys.map((key) => detail(key, err.detail ?? err.message));
  }
  const edge = new EdpClient({ url: site.baseUrl, credentials: { authorization }, fetch: ctx.fetch });
  const results: ReportDetail[] = [];
  for (const key of keys) results.push(detail(key, await deliver(edge, key)));
  return results;
}

/** Undefined when the Edge holds the key afterwards; else what went wrong, quoting the Edge. */
async function deliver(edge: EdpClient, key: KeyRecord): Promise<string | undefined> {
  try {
    return await trust(edge, key);
  } catch (err) {
    if (err instanceof NoAnswerError) return noAnswerMessage(err);
    throw err;
  }
}

async function trust(edge: EdpClient, key: KeyRecord): Promise<string | undefined> {
  try {
    await edge.trustKey(key.alias, key.publicKey);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err.status === 409 && (await holdsKey(edge, key.kid)) ? undefined : `Edge answered ${describeAnswer(err)}`;
    if (err instanceof UnexpectedAnswerError) return err.message;
    throw err;
  }
}

/** `GET /api/security/keys/trusted` → `{"keys":[{"kid",…}]}` (§3.9); a refusal or another shape holds nothing. */
async function holdsKey(edge: EdpClient, kid: string): Promise<boolean> {
  try {
    return (await edge.trustedKeys()).some((key) => key.kid === kid);
  } catch (err) {
    if (err instanceof ApiError || err instanceof UnexpectedAnswerError) return false;
    throw err;
  }
}
