import { createEdge, type EdgeOptions } from '../edge/index.ts';
import { embeddedTarget, type EdgeUnderTest, type Target } from '../scenarios/index.ts';

/**
 * A deliberately broken Edge for the harness's own tests: its licence says Enterprise, so
 * EDGE-SYS-2 (`system/license-is-edge`) fails and everything else still holds. Test-only:
 * the breakage is a hook added through `EdgeOptions.routes`, not a switch in the Edge.
 */

const licenceNotEdge: NonNullable<EdgeOptions['routes']>[number] = async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && request.routeOptions.url === '/artifactory/api/system/license') {
      return reply.send({ type: 'Enterprise', validThrough: 'N/R', licensedTo: 'edgeproof' });
    }
  });
};

export function brokenLicenceTarget(): Target {
  return embeddedTarget({
    label: 'embedded edgeproof Edge whose licence says Enterprise',
    create: (config, options) => createEdge(config, { ...options, routes: [...(options.routes ?? []), licenceNotEdge] }),
  });
}

export interface EdgeAtUrl {
  url: string;
  user: string;
  password: string;
  close(): Promise<void>;
}

/** An embedded target's Edge on a URL, with its admin's password, for the CLI's `--target url`. */
export async function edgeAtUrl(target: Target): Promise<EdgeAtUrl> {
  const edge: EdgeUnderTest = await target.start();
  const [user = '', password = ''] = Buffer.from(edge.admin.replace(/^Basic /, ''), 'base64')
    .toString('utf8')
    .split(':');
  return { url: edge.url, user, password, close: () => target.close() };
}
