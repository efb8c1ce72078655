import type { FastifyInstance } from 'fastify';

/**
 * What a route needs from its caller (EDGE-AUTH-7). Every route states one of these in its
 * options (`needs('admin')`); the handlers and services enforce it, and the authorization
 * matrix (test/authz-matrix.test.ts) checks the two agree for every route and identity.
 */
export const ROUTE_ACCESS = {
  /** Anyone, even without anonymous access: probes (EDGE-AUTH-2). */
  public: 'no credentials needed',
  /** A signed-in identity, or anonymous when anonymous access is on; answers show only what the caller may read (EDGE-AUTH-5). */
  reader: 'whoever may read the Edge',
  /** A signed-in identity; anonymous never. */
  user: 'a signed-in identity',
  /** Any identity the credentials prove, a token's with no user of this Edge too; anonymous never, even with anonymous access on (the registry ping and token, EDGE-OCI-1). */
  signedIn: 'any proven identity',
  /** A signed-in identity on what is its own, an admin on anyone's; another's answers as absent. */
  own: 'the owner or an admin',
  /** Repository, security and circle-of-trust configuration (EDGE-AUTH-4). */
  admin: 'an admin',
  /** The Edge Distribution Protocol: an admin or a circle-of-trust token with admin scope (EDP-TX-1). */
  distributor: 'the distributing identity',
  /** Read on the addressed items; what the caller may not read answers as absent (EDGE-AUTH-3). */
  read: 'read on the path',
  /** Write on the path, and delete where it replaces a file. */
  deploy: 'deploy on the path',
  delete: 'delete on the path',
  annotate: 'annotate on the path',
  /** Read on the source items, write (and delete to overwrite) on the target (EDGE-AUTH-6). */
  copy: 'read on the source, deploy on the target',
  /** As copy, and delete on the source items. */
  move: 'read and delete on the source, deploy on the target',
} as const;

export type RouteAccess = keyof typeof ROUTE_ACCESS;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

/** Route options that declare what the route needs. */
export function needs(access: RouteAccess): { config: { access: RouteAccess } } {
  return { config: { access } };
}

const tables = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/**
 * EDGE-AUTH-7: records every route with its declaration, and makes registering a route that
 * declares nothing an error, so an Edge with an undeclared route does not start.
 */
export function declareRoutes(app: FastifyInstance): void {
  const table: DeclaredRoute[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined || !Object.hasOwn(ROUTE_ACCESS, access)) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access: add needs(...) to its options (edge/http/route-access.ts).`);
    }
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
  });
}

/** Every route of an app built with `declareRoutes`, with what it needs. */
export function routeTable(app: FastifyInstance): readonly DeclaredRoute[] {
  return tables.get(app) ?? [];
}
