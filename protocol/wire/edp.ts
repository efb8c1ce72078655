import { z } from 'zod';
import type { BundlePayload } from '../bundle/model.ts';
import { encodePath } from './urls.ts';

/**
 * The Edge Distribution Protocol on the wire (docs/protocol.md §3, §4.1, §5): where its calls
 * live and the JSON they exchange. Paths are relative to the server root
 * (`http://host:port`); the base path is spelled out here and nowhere else.
 */
export const EDP_BASE = '/artifactory/api/edp/v1';
export const RELEASE_BUNDLES = '/artifactory/api/release/bundles';
export const TRUSTED_KEYS = '/artifactory/api/security/keys/trusted';

export const edpPaths = {
  transactions: `${EDP_BASE}/transactions`,
  transaction: (id: string): string => `${EDP_BASE}/transactions/${encodeURIComponent(id)}`,
  commit: (id: string): string => `${EDP_BASE}/transactions/${encodeURIComponent(id)}/commit`,
  /** `repoPath` is `<repo>/<path>`; each segment is encoded, separators kept. */
  file: (id: string, repoPath: string): string => `${EDP_BASE}/transactions/${encodeURIComponent(id)}/files/${encodePath(repoPath)}`,
  releaseBundle: (name: string, version: string): string => `${RELEASE_BUNDLES}/${encodeURIComponent(name)}/${encodeURIComponent(version)}`,
  trustedKey: (kid: string): string => `${TRUSTED_KEYS}/${encodeURIComponent(kid)}`,
} as const;

export const TX_STATES = ['OPEN', 'COMMITTED', 'ABORTED', 'EXPIRED'] as const;
export type TxState = (typeof TX_STATES)[number];
export const TX_FILE_STATES = ['MISSING', 'PRESENT'] as const;
export type TxFileState = (typeof TX_FILE_STATES)[number];

/**
 * `POST /transactions` as the Edge reads it (EDP-TX-3): `bundle` is the JWS, compact or
 * Distribution's `?format=jws` JSON text; `auto_create_missing_repositories` counts only when
 * it is `true`.
 */
export const StartTransactionBody = z.looseObject({ bundle: z.string().min(1), auto_create_missing_repositories: z.unknown().optional() });

export interface StartTransactionRequest {
  bundle: string;
  auto_create_missing_repositories?: boolean;
}

/** One file of a transaction (EDP-TX-3), also the answer to an upload (EDP-FILE-5). */
export const TxFile = z.looseObject({
  repo_path: z.string(),
  checksum: z.string(),
  size: z.number(),
  state: z.enum(TX_FILE_STATES),
});
export type TxFile = z.infer<typeof TxFile>;

/** A transaction (EDP-TX-3, EDP-TX-7): one file per artifact, in bundle order. */
export const Transaction = z.looseObject({
  id: z.string(),
  state: z.enum(TX_STATES),
  name: z.string(),
  version: z.string(),
  /** When an OPEN transaction expires without activity (EDP-TX-11); null once it is closed. */
  expires_at: z.string().nullable(),
  files: z.array(TxFile),
});
export type Transaction = z.infer<typeof Transaction>;

export const TransactionList = z.looseObject({ transactions: z.array(Transaction) });
export type TransactionList = z.infer<typeof TransactionList>;

/** EDP-TX-8: the answer to a commit. */
export const Committed = z.looseObject({
  state: z.literal('COMMITTED'),
  bundle: z.looseObject({ name: z.string(), version: z.string(), created: z.string(), status: z.string() }),
});
export type Committed = z.infer<typeof Committed>;

/** EDP-PUB-6: committed bundles by name. */
export const BundleList = z.looseObject({
  bundles: z.record(z.string(), z.array(z.looseObject({ version: z.string(), created: z.string(), status: z.string(), keep: z.boolean() }))),
});
export type BundleList = z.infer<typeof BundleList>;

/**
 * EDP-PUB-7: a committed bundle as JFrog's Edge shows it (jfrog-compat.md §3.10): `description`
 * and `release_notes` when the payload has them, `props` always. EDP-SIG-22 keeps every other
 * member out (`type`, and members the Edge does not know: `id`, `signature`, an artifact's
 * `download_token`, …); they stay in the signed bytes, which only `?format=jws` serves.
 */
export const ReleaseBundle = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  release_notes: z.looseObject({ syntax: z.string(), content: z.string() }).optional(),
  created: z.string(),
  artifacts: z.array(
    z.looseObject({
      repo_path: z.string(),
      checksum: z.string(),
      props: z.array(z.looseObject({ key: z.string(), values: z.array(z.string()) })),
    }),
  ),
});
export type ReleaseBundle = z.infer<typeof ReleaseBundle>;

/** EDP-PUB-7, EDP-SIG-22: built member by member, so nothing of the payload passes through unnamed. */
export function releaseBundleJson(payload: BundlePayload): ReleaseBundle {
  const { release_notes: notes } = payload;
  return {
    name: payload.name,
    version: payload.version,
    ...(payload.description === undefined ? {} : { description: payload.description }),
    ...(notes === undefined ? {} : { release_notes: { syntax: notes.syntax, content: notes.content } }),
    created: payload.created,
    artifacts: payload.artifacts.map((artifact) => ({
      repo_path: artifact.repo_path,
      checksum: artifact.checksum,
      props: (artifact.props ?? []).map((prop) => ({ key: prop.key, values: [...prop.values] })),
    })),
  };
}

/** EDP-KEY-2: jfrog-compat.md §3.9: JFrog's CLI sends `public_key`, its Go client `key`; both are accepted. */
export const AddTrustedKeyBody = z
  .object({
    alias: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._@:-]{0,127}$/),
    public_key: z
      .string()
      .min(1)
      .max(256 * 1024)
      .optional(),
    key: z
      .string()
      .min(1)
      .max(256 * 1024)
      .optional(),
  })
  .refine((body) => (body.public_key ?? body.key) !== undefined, { message: "needs 'public_key' (or 'key')" });

/** EDP-KEY-2, EDP-KEY-6: a trusted signing key. */
export const TrustedKey = z.looseObject({
  kid: z.string(),
  alias: z.string(),
  type: z.string(),
  fingerprint: z.string(),
  issued: z.number(),
  issuedBy: z.string(),
  expiry: z.number(),
});
export type TrustedKey = z.infer<typeof TrustedKey>;

export const TrustedKeyList = z.looseObject({ keys: z.array(TrustedKey) });

/** A trusted key as the API shows it; `issued` and `expiry` in ms since the epoch (0: never expires). */
export function trustedKeyJson(alias: string, key: { kid: string; fingerprint: string; issued: number; issuedBy: string; expiry: number }): TrustedKey {
  return { kid: key.kid, alias, type: 'PGP', fingerprint: key.fingerprint, issued: key.issued, issuedBy: key.issuedBy, expiry: key.expiry };
}
