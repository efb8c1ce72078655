/**
 * The one error module of edgeproof. Every refusal that reaches a client carries a stable
 * `code` next to Artifactory's `{status, message}` (jfrog-compat.md §0.2), so clients that only
 * know Artifactory keep working and conformance reports can match on the code.
 *
 * Codes never change meaning once released; add new ones instead.
 */
export const ERROR_CODES = {
  // --- generic request shape (EDGE-IN) ---
  BAD_REQUEST: 400,
  MALFORMED_JSON: 400,
  INVALID_BODY: 400,
  BAD_PATH: 400,
  BAD_REPO_KEY: 400,
  BAD_RANGE: 416,
  BODY_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // --- authentication and authorisation (EDGE-AUTH, EDGE-TRUST) ---
  BAD_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TOKEN_MALFORMED: 401,
  TOKEN_UNTRUSTED_ISSUER: 401,
  TOKEN_BAD_SIGNATURE: 401,
  TOKEN_BAD_ALGORITHM: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  TOKEN_WRONG_AUDIENCE: 401,
  TOKEN_REVOKED: 401,
  TOKEN_UNKNOWN_USER: 401,
  TOKEN_BAD_SCOPE: 401,
  CERT_INVALID: 400,
  LOGIN_SUSPENDED: 429,
  // --- read-only Edge (EDGE-RO) ---
  EDGE_READ_ONLY: 403,
  UPLOADS_REPO_PROTECTED: 403,
  REMOTE_NOT_SMART: 400,
  REPO_CLASS_UNSUPPORTED: 400,
  REPO_EXISTS: 400,
  // --- artifacts ---
  CHECKSUM_MISMATCH: 409,
  CHECKSUM_DEPLOY_UNKNOWN: 404,
  NOT_A_FILE: 400,
  NOT_A_FOLDER: 400,
  ITEM_TYPE_CONFLICT: 409,
  // --- Edge Distribution Protocol (docs/protocol.md) ---
  EDP_BUNDLE_MALFORMED: 400,
  EDP_UNTRUSTED_KEY: 403,
  EDP_BAD_SIGNATURE: 403,
  EDP_KEY_EXPIRED: 403,
  EDP_BUNDLE_IMMUTABLE: 409,
  EDP_REPO_MISSING: 409,
  EDP_REPO_INVALID: 409,
  EDP_BUNDLE_TOO_LARGE: 413,
  EDP_TX_UNKNOWN: 404,
  EDP_FILE_NOT_IN_BUNDLE: 404,
  EDP_CHECKSUM_MISMATCH: 409,
  EDP_SIZE_EXCEEDED: 413,
  EDP_TX_CLOSED: 409,
  EDP_CONTENT_UNKNOWN: 404,
  EDP_INCOMPLETE: 409,
  EDP_PATH_CONFLICT: 409,
  EDP_BUNDLE_UNKNOWN: 404,
  /** EDGE-PKG-4: a file a package index would read (an npm tarball) is not a package. */
  EDP_PACKAGE_INVALID: 422,
  // --- the OCI distribution API (EDGE-OCI): the spec's own codes, which registry clients print ---
  MANIFEST_UNKNOWN: 404,
  BLOB_UNKNOWN: 404,
  NAME_UNKNOWN: 404,
  NAME_INVALID: 400,
  DIGEST_INVALID: 400,
  // --- trusted signing keys ---
  KEY_INVALID: 400,
  KEY_DUPLICATE: 409,
  KEY_UNKNOWN: 404,
  // --- server side (never for client input) ---
  INTERNAL: 500,
  /** EDGE-DUR-3: stored bytes that are not what the metadata records. */
  CONTENT_DAMAGED: 500,
  /** EDGE-SR-11: a smart remote's upstream failed and the repository is set to `hardFail`. */
  UPSTREAM_UNAVAILABLE: 502,
  UNAVAILABLE: 503,
  /** EDGE-CLU-2: the shared database stayed locked by another process past the busy wait. */
  STORE_BUSY: 503,
  // --- the web UI (EDGE-UI) ---
  UI_NOT_BUILT: 404,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ArtifactoryErrorEntry {
  status: number;
  message: string;
  code: ErrorCode | string;
  /** The request's id, as in its `X-Request-Id` header and the Edge's log (EDGE-OPS-3). */
  requestId?: string;
}

export interface ArtifactoryErrorBody {
  errors: ArtifactoryErrorEntry[];
}

/** A refusal with a stable code; the HTTP layer turns it into Artifactory's error body. */
export class EdgeError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EdgeError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }

  toBody(): ArtifactoryErrorBody {
    return errorBody(this.status, this.message, this.code, this.details);
  }
}

export function errorBody(status: number, message: string, code: ErrorCode | string, details?: Record<string, unknown>): ArtifactoryErrorBody {
  return { errors: [{ ...details, status, message, code }] };
}

export function isEdgeError(value: unknown): value is EdgeError {
  return value instanceof EdgeError;
}

/** The exact message JFrog's Edge logs and answers for any write outside the uploads repo. */
export const READ_ONLY_MESSAGE = 'Deployment to an Edge Artifactory node is not supported.';
/** jfrog-compat.md §1.9: creating a non-smart remote repository on an Edge. */
export const REMOTE_NOT_SMART_MESSAGE = 'Only smart remote repositories are supported with Artifactory Edge license';

/** An error entry as a peer sent it: JFrog's carry no `code`, ours and EDP's always do. */
export interface PeerErrorEntry {
  [member: string]: unknown;
  status?: number;
  message: string;
  code?: string;
}

/**
 * The entries of an Artifactory error body (jfrog-compat.md §0.2) as a client reads a peer's
 * answer; undefined when `text` is not such a body (each entry needs a string `message`).
 */
export function parseErrorBody(text: string): PeerErrorEntry[] | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const entries: unknown = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const errors: PeerErrorEntry[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { status, message, code, ...rest } = entry as Record<string, unknown>;
    if (typeof message !== 'string') return undefined;
    errors.push({ ...rest, message, ...(typeof status === 'number' ? { status } : {}), ...(typeof code === 'string' ? { code } : {}) });
  }
  return errors;
}

/** The code and message of the first entry, when `text` is an Artifactory error body. */
export function firstErrorOf(text: string): { code: string | undefined; message: string } | undefined {
  const first = parseErrorBody(text)?.[0];
  return first && { code: first.code, message: first.message };
}
