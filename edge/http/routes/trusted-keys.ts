import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import { trustedKeyJson, type TrustedKeys } from '../../bundles/trusted-keys.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';

const BASE = '/artifactory/api/security/keys/trusted';

/** jfrog-compat.md §3.9: JFrog's CLI sends `public_key`, its Go client `key`; both are accepted. */
const addKeyBody = z
  .object({
    alias: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,127}$/),
    public_key: z.string().min(1).max(256 * 1024).optional(),
    key: z.string().min(1).max(256 * 1024).optional(),
  })
  .refine((body) => (body.public_key ?? body.key) !== undefined, { message: "needs 'public_key' (or 'key')" });

/** Trusted signing keys of release bundles (EDP-KEY-1..7). Admin only (EDP-KEY-1). */
export function trustedKeyRoutes(keys: TrustedKeys) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    // EDP-KEY-6
    app.get(BASE, needs('admin'), async (request) => {
      ctx.access.requireAdmin(request.principal);
      return { keys: (await keys.list()).map(trustedKeyJson) };
    });

    // EDP-KEY-2: `public_key` or `key`
    app.post(BASE, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      const parsed = addKeyBody.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EdgeError('INVALID_BODY', `Invalid trusted key: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
      }
      const record = await keys.add(parsed.data.alias, (parsed.data.public_key ?? parsed.data.key) as string);
      return reply.status(201).send(trustedKeyJson(record));
    });

    // EDP-KEY-7
    app.delete<{ Params: { kid: string } }>(`${BASE}/:kid`, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      await keys.remove(request.params.kid);
      return reply.status(204).send();
    });
  };
}
