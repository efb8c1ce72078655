import type { FastifyInstance } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import { AddTrustedKeyBody, TRUSTED_KEYS as BASE, trustedKeyJson } from '../../../protocol/wire/edp.ts';
import type { TrustedKeys } from '../../bundles/trusted-keys.ts';
import type { EdgeContext } from '../../context.ts';
import { needs } from '../route-access.ts';

/** Trusted signing keys of release bundles (EDP-KEY-1..7). Admin only (EDP-KEY-1). */
export function trustedKeyRoutes(keys: TrustedKeys) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    // EDP-KEY-6
    app.get(BASE, needs('admin'), async (request) => {
      ctx.access.requireAdmin(request.principal);
      return { keys: (await keys.list()).map((key) => trustedKeyJson(key.alias, key)) };
    });

    // EDP-KEY-2: `public_key` or `key`
    app.post(BASE, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      const parsed = AddTrustedKeyBody.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new EdgeError('INVALID_BODY', `Invalid trusted key: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
      }
      const record = await keys.add(parsed.data.alias, (parsed.data.public_key ?? parsed.data.key) as string);
      return reply.status(201).send(trustedKeyJson(record.alias, record));
    });

    // EDP-KEY-7
    app.delete<{ Params: { kid: string } }>(`${BASE}/:kid`, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      await keys.remove(request.params.kid);
      return reply.status(204).send();
    });
  };
}
