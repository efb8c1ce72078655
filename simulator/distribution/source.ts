import { z } from 'zod';
import type { SimContext } from '../core/service.ts';
import { badGateway, badRequest } from './errors.ts';
import { NoAnswerError } from '../../protocol/clients/index.ts';
import { PushReport, SOURCE_PUSH, SOURCE_STORE, type PushRequest as PushRequestBody, type StoreRequest } from '../../protocol/wire/source-bundles.ts';
import { encodePath } from '../../protocol/wire/urls.ts';
import { call, describeAnswer, isSuccess, jsonOf, noAnswerMessage, type Answer } from './http.ts';
import { trimBase } from './options.ts';
import type { BundleArtifact, Prop } from './state.ts';

/**
 * Distribution's calls to the source Artifactory: AQL and the storage API when a bundle is
 * created (jfrog-compat.md §1.4, §1.6), storing a signed bundle (§3.3: "Distribution triggers
 * Artifactory to clone the contents of a release bundle"), and asking it to push files to an
 * Edge's open transaction (§3.11 step 2; our push contract, see README).
 */
export interface AqlItem {
  repo: string;
  path: string;
  name: string;
}

const aqlAnswer = z.object({
  results: z.array(z.object({ repo: z.string(), path: z.string(), name: z.string(), type: z.string().optional() })),
});

const fileInfoAnswer = z.object({
  checksums: z.object({ sha256: z.string().regex(/^[0-9a-fA-F]{64}$/) }),
  // Artifactory writes sizes as strings ("size": "1024", §1.4); accept numbers too.
  size: z.union([z.string().regex(/^\d+$/), z.number().int().min(0)]),
});

const propertiesAnswer = z.object({ properties: z.record(z.string(), z.array(z.string())) });

/** What Distribution asks the source to push: always the files the Edge still misses. */
export type PushRequest = PushRequestBody & { files: string[] };

export interface SourceClient {
  aql(queryName: string, aql: string): Promise<AqlItem[]>;
  fileInfo(repoPath: string): Promise<{ sha256: string; size: number }>;
  properties(repoPath: string): Promise<Prop[]>;
  store(name: string, version: string, jws: string, artifacts: BundleArtifact[]): Promise<void>;
  /** The raw answer: the runner judges it (it may throw NoAnswerError). */
  push(request: PushRequest): Promise<Answer>;
}

const SOURCE = 'the source Artifactory';

export function sourceClient(ctx: SimContext, source: { url: string; authorization: string }): SourceClient {
  const root = trimBase(source.url);
  const base = `${root}/artifactory/api`;
  const { authorization } = source;
  const reach = async (method: string, url: string, body: { json?: unknown; text?: string } = {}): Promise<Answer> => {
    try {
      return await call(ctx, method, url, { authorization, ...body });
    } catch (err) {
      if (err instanceof NoAnswerError) throw badGateway(`Could not reach ${SOURCE}.`, noAnswerMessage(err));
      throw err;
    }
  };

  return {
    async aql(queryName, aql) {
      const answer = await reach('POST', `${base}/search/aql`, { text: aql });
      // A refused query is the spec's problem (400); anything else is the source's (502).
      if (answer.status === 400) {
        throw badRequest(`${SOURCE} refused the AQL of query "${queryName}".`, describeAnswer(answer));
      }
      const results = expect(answer, aqlAnswer, `AQL of query "${queryName}"`).results;
      // AQL can return folders; a bundle holds files only.
      return results.filter((item) => item.type === undefined || item.type === 'file');
    },

    async fileInfo(repoPath) {
      const answer = await reach('GET', `${base}/storage/${encodePath(repoPath)}`);
      const info = expect(answer, fileInfoAnswer, `file info of ${repoPath}`);
      return { sha256: info.checksums.sha256.toLowerCase(), size: Number(info.size) };
    },

    async properties(repoPath) {
      const answer = await reach('GET', `${base}/storage/${encodePath(repoPath)}?properties`);
      // Artifactory answers 404 for an item without properties (§1.6).
      if (answer.status === 404) return [];
      const { properties } = expect(answer, propertiesAnswer, `properties of ${repoPath}`);
      return Object.entries(properties).map(([key, values]) => ({ key, values }));
    },

    async store(name, version, jws, artifacts) {
      const request: StoreRequest = {
        name,
        version,
        jws,
        artifacts: artifacts.map((a) => ({ source_repo_path: a.sourceRepoPath, target_repo_path: a.targetRepoPath, checksum: a.checksum, props: a.props })),
      };
      const answer = await reach('POST', `${root}${SOURCE_STORE}`, { json: request });
      if (!isSuccess(answer.status)) {
        throw badGateway(`${SOURCE} could not store release bundle ${name}/${version}.`, describeAnswer(answer));
      }
    },

    push: (request) => call(ctx, 'POST', `${root}${SOURCE_PUSH}`, { authorization, json: request }),
  };
}

/** Parses a push answer; undefined when it is not the agreed shape. */
export function pushResultOf(answer: Answer): PushReport | undefined {
  const parsed = PushReport.safeParse(jsonOf(answer));
  return parsed.success ? parsed.data : undefined;
}

function expect<T>(answer: Answer, schema: z.ZodType<T>, what: string): T {
  if (answer.status !== 200) throw badGateway(`${SOURCE} failed to answer the ${what}.`, describeAnswer(answer));
  const parsed = schema.safeParse(jsonOf(answer));
  if (!parsed.success) throw badGateway(`${SOURCE} answered the ${what} in an unexpected shape.`, answer.text.slice(0, 300));
  return parsed.data;
}
