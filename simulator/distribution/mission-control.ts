import { z } from 'zod';
import type { SimContext } from '../core/service.ts';
import { badGateway } from './errors.ts';
import { NoAnswerError } from '../../protocol/clients/index.ts';
import { call, describeAnswer, jsonOf, noAnswerMessage, type Answer } from './http.ts';
import { trimBase } from './options.ts';

/**
 * Distribution's view of Mission Control: the Edge sites (JPDs licensed EDGE, jfrog-compat.md
 * §4) and, through our MC's `/jpds/{id}/authorization`, the credentials that reach each one.
 * "Before every distribution the system checks with Mission Control for available Edges"
 * (§3.11), so nothing is cached here.
 */
export interface Site {
  jpdId: string;
  name: string;
  /** Without trailing slash; `/artifactory/...` is appended. */
  baseUrl: string;
  cityName: string;
  countryCode: string;
  /** `jfrt@…` once MC has reached the site; null before. */
  serviceId: string | null;
}

const jpdList = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    location: z.object({ city_name: z.string(), country_code: z.string() }),
    licenses: z.array(z.object({ type: z.string() })).default([]),
    services: z.array(z.object({ type: z.string(), service_id: z.string().optional() })).default([]),
  }),
);

const authorizationAnswer = z.object({ authorization: z.string().min(1) });

export interface MissionControlClient {
  /** Edge sites; `refresh` has MC check each site first (fresh status and service id). */
  edgeSites(refresh: boolean): Promise<Site[]>;
  authorization(jpdId: string): Promise<string>;
}

const MC = 'Mission Control';

export function missionControlClient(ctx: SimContext, mc: { url: string; authorization: string }): MissionControlClient {
  const base = `${trimBase(mc.url)}/mc/api/v1`;
  const get = async (url: string): Promise<Answer> => {
    try {
      return await call(ctx, 'GET', url, { authorization: mc.authorization });
    } catch (err) {
      if (err instanceof NoAnswerError) throw badGateway(`Could not reach ${MC}.`, noAnswerMessage(err));
      throw err;
    }
  };
  const expect = <T>(answer: Answer, schema: z.ZodType<T>, what: string): T => {
    if (answer.status !== 200) throw badGateway(`${MC} failed to answer ${what}.`, describeAnswer(answer));
    const parsed = schema.safeParse(jsonOf(answer));
    if (!parsed.success) throw badGateway(`${MC} answered ${what} in an unexpected shape.`, answer.text.slice(0, 300));
    return parsed.data;
  };

  return {
    async edgeSites(refresh) {
      const jpds = expect(await get(`${base}/jpds${refresh ? '?refresh=true' : ''}`), jpdList, 'the list of JPDs');
      return jpds
        .filter((jpd) => jpd.licenses.some((license) => license.type.toUpperCase() === 'EDGE'))
        .map((jpd) => ({
          jpdId: jpd.id,
          name: jpd.name,
          baseUrl: trimBase(jpd.url),
          cityName: jpd.location.city_name,
          countryCode: jpd.location.country_code,
          serviceId: jpd.services.find((s) => s.type === 'ARTIFACTORY')?.service_id ?? null,
        }));
    },

    async authorization(jpdId) {
      const answer = await get(`${base}/jpds/${encodeURIComponent(jpdId)}/authorization`);
      return expect(answer, authorizationAnswer, `the credentials of ${jpdId}`).authorization;
    },
  };
}
