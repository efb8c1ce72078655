import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EdgeError } from '../../../protocol/errors.ts';
import { EDP_BASE, StartTransactionBody, TX_STATES, type Committed, type Transaction, type TxFile, type TxState } from '../../../protocol/wire/edp.ts';
import { isChecksumDeploy } from '../../../protocol/wire/checksum-headers.ts';
import { decodePath } from '../../../protocol/wire/urls.ts';
import type { EdgeContext } from '../../context.ts';
import type { EdpService } from '../../bundles/edp.ts';
import type { TransactionRecord, TxFile as TxFileRecord } from '../../storage/bundles.ts';
import { principalName } from '../../trust/principal.ts';
import { needs } from '../route-access.ts';
import { rawPathOf } from '../urls.ts';

type WithId = { Params: { id: string } };

export function transactionJson(tx: TransactionRecord, ttlMs: number): Transaction {
  return {
    id: tx.id,
    state: tx.state,
    name: tx.name,
    version: tx.version,
    created: new Date(tx.created).toISOString(),
    expires_at: tx.state === 'OPEN' ? new Date(tx.lastActivity + ttlMs).toISOString() : null,
    files: tx.files.map(fileJson),
  };
}

function fileJson(file: TxFileRecord): TxFile {
  return { repo_path: file.repoPath, checksum: file.sha256, size: file.size, state: file.state };
}

/**
 * The Edge Distribution Protocol endpoints (docs/protocol.md §3). Only services in the circle
 * of trust and admins may drive them (EDP-TX-1); refusals carry EDP codes (EDP-TX-2).
 */
export function edpRoutes(edp: EdpService, ttlMs: number) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    const admin = (request: FastifyRequest) => ctx.access.requireAdmin(request.principal);

    app.post(`${EDP_BASE}/transactions`, needs('distributor'), async (request, reply) => {
      admin(request);
      const body = StartTransactionBody.safeParse(request.body);
      if (!body.success) throw new EdgeError('EDP_BUNDLE_MALFORMED', 'Body must be {"bundle": "<JWS>"}.');
      const { bundle, auto_create_missing_repositories: autoCreate } = body.data;
      const { transaction, created } = await edp.start(bundle, autoCreate === true, principalName(request.principal));
      return reply.status(created ? 201 : 200).send(transactionJson(transaction, ttlMs));
    });

    app.get(`${EDP_BASE}/transactions`, needs('distributor'), async (request) => {
      admin(request);
      const { state } = request.query as { state?: string };
      if (state !== undefined && !(TX_STATES as readonly string[]).includes(state)) {
        throw new EdgeError('BAD_REQUEST', `state must be ${TX_STATES.slice(0, -1).join(', ')} or ${TX_STATES.at(-1)}.`);
      }
      const list = await edp.list(state as TxState | undefined);
      return { transactions: list.map((tx) => transactionJson(tx, ttlMs)) };
    });

    // EDP-TX-7
    app.get<WithId>(`${EDP_BASE}/transactions/:id`, needs('distributor'), async (request) => {
      admin(request);
      return transactionJson(await edp.status(request.params.id), ttlMs);
    });

    app.post<WithId>(`${EDP_BASE}/transactions/:id/commit`, needs('distributor'), async (request): Promise<Committed> => {
      admin(request);
      const bundle = await edp.commit(request.params.id);
      return { state: 'COMMITTED', bundle: { name: bundle.name, version: bundle.version, created: bundle.created, status: 'COMPLETE' } };
    });

    app.delete<WithId>(`${EDP_BASE}/transactions/:id`, needs('distributor'), async (request, reply) => {
      admin(request);
      await edp.abort(request.params.id);
      return reply.status(204).send();
    });
  };
}

/** File uploads stream raw bodies, so they live in the artifact body context. */
export function edpFileRoutes(edp: EdpService) {
  return async (app: FastifyInstance, ctx: EdgeContext): Promise<void> => {
    app.put(`${EDP_BASE}/transactions/:id/files/*`, needs('distributor'), async (request, reply) => {
      ctx.access.requireAdmin(request.principal);
      const { id } = request.params as { id: string };
      const raw = rawPathOf(request);
      const marker = `/transactions/${id}/files/`;
      const repoPath = decodePath(raw.slice(raw.indexOf(marker) + marker.length));
      const header = request.headers['x-checksum-sha256'];
      const length = request.headers['content-length'];
      const result = isChecksumDeploy(request.headers)
        ? await edp.checksumDeploy(id, repoPath)
        : await edp.upload(id, repoPath, typeof header === 'string' ? header : undefined, length === undefined ? undefined : Number(length), request.raw);
      // A PRESENT file's body (if any) is not read: do not keep the connection for it.
      if (!result.created && !request.raw.readableEnded) reply.header('connection', 'close');
      return reply.status(result.created ? 201 : 200).send(fileJson(result.file));
    });
  };
}
