import type { Logger } from 'pino';

/**
 * What the Edge's services log through: pino's calls, so they work with the Edge's logger and
 * with Fastify's (a pino logger too) without knowing the web framework.
 */
export type Log = Pick<Logger, 'info' | 'warn' | 'error'>;
