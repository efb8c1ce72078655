import { Hono, type Context } from 'hono';
import type { SimContext } from '../../core/service.ts';
import { McError } from '../errors.ts';
import { checkHealth } from '../health.ts';
import { parseJpdBody, type JpdInput } from '../jpd-body.ts';
import { authorizationOf, baseUrl, jpdJson, UNCHECKED, type JpdRecord, type MissionControlState } from '../state.ts';

/**
 * `/mc/api/v1/jpds` (jfrog-compat.md §4): add (201), list, get, update, remove; plus health
 * checks on demand and, our addition for Distribution, the `Authorization` value that reaches
 * a site (MC is where those credentials live; JFrog's services share them through Access).
 */
export function jpdRoutes(ctx: SimContext, state: MissionControlState): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const { credentials, ...input } = parseJpdBody(await readJson(c));
    if (credentials === undefined) {
      throw new McError('VALIDATION', 'Invalid JPD: give "token", or "username" and "password", to reach the site.');
    }
    refuseConflicts(state, input);
    const id = `JPD-${state.nextId++}`;
    const jpd: JpdRecord = { id, ...input, credentials, serviceId: undefined, status: { ...UNCHECKED } };
    state.jpds.set(id, jpd);
    return c.json(jpdJson(jpd), 201);
  });

  app.get('/', async (c) => {
    const refresh = c.req.query('refresh');
    if (refresh !== undefined && refresh !== 'true' && refresh !== 'false') {
      throw new McError('VALIDATION', 'refresh must be true or false.');
    }
    const jpds = [...state.jpds.values()];
    // Checks run concurrently: one slow site must not hold the others' answers.
    if (refresh === 'true') await Promise.all(jpds.map((jpd) => checkHealth(ctx, jpd)));
    return c.json(jpds.map(jpdJson));
  });

  app.get('/:id', (c) => c.json(jpdJson(find(state, c.req.param('id')))));

  app.put('/:id', async (c) => {
    const jpd = find(state, c.req.param('id'));
    const input = parseJpdBody(await readJson(c));
    refuseConflicts(state, input, jpd.id);
    const moved = baseUrl(input) !== baseUrl(jpd);
    Object.assign(jpd, { ...input, credentials: input.credentials ?? jpd.credentials });
    // What was learned about the old address says nothing about the new one.
    if (moved) Object.assign(jpd, { serviceId: undefined, status: { ...UNCHECKED } });
    return c.json(jpdJson(jpd));
  });

  app.delete('/:id', (c) => {
    const jpd = find(state, c.req.param('id'));
    state.jpds.delete(jpd.id);
    return c.body(null, 204);
  });

  app.post('/:id/health', async (c) => {
    const jpd = find(state, c.req.param('id'));
    await checkHealth(ctx, jpd);
    return c.json(jpdJson(jpd));
  });

  app.get('/:id/authorization', (c) => c.json({ authorization: authorizationOf(find(state, c.req.param('id')).credentials) }));

  return app;
}

function find(state: MissionControlState, id: string): JpdRecord {
  const jpd = state.jpds.get(id);
  if (!jpd) throw new McError('NOT_FOUND', `No JPD with id ${id}.`);
  return jpd;
}

/** jfrog-compat.md §4: 409 "Conflicts with an existing JPD (URL, name)". */
function refuseConflicts(state: MissionControlState, input: Pick<JpdInput, 'name' | 'url'>, self?: string): void {
  for (const other of state.jpds.values()) {
    if (other.id === self) continue;
    if (other.name.toLowerCase() === input.name.toLowerCase() || baseUrl(other) === baseUrl(input)) {
      throw new McError('CONFLICT', `Conflicts with an existing JPD (URL, name): ${other.id} ${other.name} ${other.url}.`);
    }
  }
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new McError('VALIDATION', 'The request body is not valid JSON.');
  }
}
