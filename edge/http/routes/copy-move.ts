import type { FastifyInstance } from 'fastify';
import type { CopyMoveResult } from '../../../protocol/wire/items.ts';
import { flagParam } from '../../../protocol/wire/query.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';
import { itemAddress, targetAddress } from '../urls.ts';

type Query = Record<string, string | undefined>;

/** EDGE-ART-12: `POST /api/copy|move/{repo}/{path}?to=/{repo}/{path}[&dry=1]` (Artifactory's copy/move API). */
export async function copyMoveRoutes(app: FastifyInstance, ctx: EdgeContext): Promise<void> {
  for (const operation of ['copy', 'move'] as const) {
    const prefix = `/artifactory/api/${operation}`;
    app.post(`${prefix}/*`, needs(operation), async (request): Promise<CopyMoveResult> => {
      const query = request.query as Query;
      const from = itemAddress(request, prefix);
      const to = targetAddress(query.to, 'to');
      const dryRun = flagParam('dry', query.dry, false);
      const { files, folders } = await ctx.artifacts.copyOrMove(request.principal, from, to, { move: operation === 'move', dryRun });
      const verb = operation === 'copy' ? 'copying' : 'moving';
      const done = operation === 'copy' ? 'copied' : 'moved';
      return {
        messages: [
          {
            level: 'INFO',
            message: `${dryRun ? 'Dry run for ' : ''}${verb} ${from.repo}:${from.path} to ${to.repo}:${to.path} completed successfully, ${files} artifacts and ${folders} folders were ${done}`,
          },
        ],
      };
    });
  }
}
