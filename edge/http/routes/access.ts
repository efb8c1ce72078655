import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EdgeError } from '../../../protocol/errors.ts';
import type { EdgeContext } from '../../context.ts';
import type { TokenRecord } from '../../storage/metadata.ts';
import type { CircleOfTrust } from '../../trust/circle-of-trust.ts';
import { addTrusted, certificateSummary, folderSummary, removeTrusted } from '../../trust/trusted-folder.ts';
import { needs } from '../route-access.ts';

const ACCESS = '/access/api/v1';
type Alias = { Params: { alias: string } };
type TokenId = { Params: { id: string } };

/** Form fields arrive as text, JSON fields as numbers and booleans; both mean the same. */
const count = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^\d{1,12}$/, 'must be a whole number of seconds')
    .transform(Number),
]);
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')]);

/** JFrog's `POST /access/api/v1/tokens` fields; others (project_key, include_reference_token, ...) are ignored. */
const tokenBody = z.looseObject({
  grant_type: z.string().max(64).optional(),
  username: z.string().max(256).optional(),
  scope: z.string().max(4096).optional(),
  expires_in: count.optional(),
  audience: z.string().max(4096).optional(),
  refreshable: flag.optional(),
  description: z.string().max(1024).optional(),
  refresh_token: z.string().max(1024).optional(),
  access_token: z
    .string()
    .max(16 * 1024)
    .optional(),
});

/**
 * The Access API of the circle of trust (EDGE-TRUST family): the Edge's root certificate,
 * trusted certificates (a design of this project: JFrog has only the folder), and tokens.
 */
export function accessRoutes(circle: CircleOfTrust) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    // EDGE-TRUST-2: admin only, as Artifactory 7.12+ has it (jfrog-compat.md §5).
    app.get(`${ACCESS}/cert/root`, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      return reply.type('text/plain').send(circle.identity.certificatePem);
    });

    // EDGE-TRUST-5
    app.get(`${ACCESS}/cert/trusted`, needs('admin'), async (request) => {
      ctx.access.requireAdmin(request.principal);
      return folderSummary(await circle.trusted.current());
    });

    // Certificates come as PEM or DER under whatever Content-Type a client picks (curl's
    // --data-binary says form-urlencoded), so this scope takes every body as bytes.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      scope.put<Alias>(`${ACCESS}/cert/trusted/:alias`, needs('admin'), async (request, reply) => {
        ctx.access.requireAdmin(request.principal);
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const { entry, replaced } = await addTrusted(circle.trusted.dir, request.params.alias, body, ctx.now());
        // The next request must see it, whether or not the folder watcher has fired yet.
        await circle.trusted.rescan();
        return reply.status(replaced ? 200 : 201).send({ alias: request.params.alias, ...certificateSummary(entry) });
      });
    });

    app.delete<Alias>(`${ACCESS}/cert/trusted/:alias`, needs('admin'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      if (!(await removeTrusted(circle.trusted.dir, request.params.alias))) {
        throw new EdgeError('NOT_FOUND', `No trusted certificate '${request.params.alias}'.`);
      }
      await circle.trusted.rescan();
      return reply.status(204).send();
    });

    // EDGE-TRUST-6, EDGE-TRUST-18
    app.post(`${ACCESS}/tokens`, needs('user'), async (request) => {
      const body = parseTokenBody(request.body);
      if (body.grant_type === 'refresh_token') {
        if (body.refresh_token === undefined)
          throw new EdgeError('INVALID_BODY', "Invalid token request: 'refresh_token' is required with grant_type refresh_token.");
        return circle.issuer.refresh(body.refresh_token, body.access_token);
      }
      return circle.issuer.issue(request.principal, {
        username: body.username,
        scope: body.scope,
        expiresIn: body.expires_in,
        audience: body.audience,
        refreshable: body.refreshable,
        description: body.description,
      });
    });

    // EDGE-TRUST-16
    app.get(`${ACCESS}/tokens`, needs('own'), async (request) => ({
      tokens: (await circle.issuer.list(request.principal)).map((token) => tokenJson(token, ctx.serviceId)),
    }));

    app.delete<TokenId>(`${ACCESS}/tokens/:id`, needs('own'), async (request, reply) => {
      await circle.issuer.revoke(request.principal, request.params.id);
      return reply.type('text/plain').send('Token revoked');
    });
  };
}

function parseTokenBody(body: unknown): z.output<typeof tokenBody> {
  const parsed = tokenBody.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new EdgeError(
      'INVALID_BODY',
      field === '' ? 'Invalid token request: send JSON or form fields.' : `Invalid token request: '${field}' ${issue?.message ?? ''}`.trim(),
    );
  }
  return parsed.data;
}

/** JFrog's token list entry, plus what this Edge knows besides. */
function tokenJson(token: TokenRecord, issuer: string) {
  return {
    token_id: token.id,
    subject: token.subject,
    scope: token.scope,
    audience: token.audience.join(' '),
    issuer,
    issued_at: Math.floor(token.issued / 1000),
    expiry: Math.floor(token.expiry / 1000),
    refreshable: token.refreshHash !== null,
    description: token.description,
    revoked: token.revoked !== null,
  };
}
