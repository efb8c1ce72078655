import { PYPI_SIMPLE_JSON, type ProjectPageJson } from '../../../protocol/wire/pypi-simple.ts';
import { signedBundle } from '../../kit/bundles.ts';
import { expect } from '../../kit/expect.ts';
import { scenario } from '../../kit/scenario.ts';
import { publish } from '../../kit/transactions.ts';
import { smartRemote, startUpstream, virtualRepo } from '../../kit/upstream.ts';
import { digest, links, packageRepo } from './package-world.ts';
import { distributions, followLinks, simple } from './pypi.ts';

/**
 * EDGE-PKG-9, EDGE-PKG-10: the simple index of a PyPI smart remote (files on the upstream
 * simulator) and of a PyPI virtual repository over a bundle-fed local repository and such a remote.
 */

const fileName = (path: string) => path.split('/').pop() as string;
const byText = <T extends { text: string }>(a: T, b: T) => (a.text < b.text ? -1 : 1);

export const pypiMemberScenarios = [
  scenario({
    id: 'packages/pypi-remote-simple-index',
    title:
      "a smart remote's simple index lists the upstream's wheels and sdists, linked on the remote with their sha256, and the links download and cache them",
    requirements: ['EDGE-PKG-9', 'EDGE-PKG-6'],
    needs: ['reach-loopback'],
    async run(t) {
      const upstream = await startUpstream(t, 'simulator');
      // `distributions` names files `<repo>/<folder>/…`; on the upstream the folder alone counts.
      const files = distributions(t, 'x', 'scn-rproj/1.0', 'scn_rproj', '1.0');
      for (const file of files) await upstream.put(file.repoPath.slice('x/'.length), file.bytes);
      const remote = await smartRemote(t, upstream, { packageType: 'pypi' });
      const expected = files.map((f) => ({ text: fileName(f.repoPath), sha256: digest('sha256', f.bytes), downloads: true })).sort(byText);
      expect(links((await t.http('GET', simple(remote))).text).map((l) => l.href)).toEqual(['scn-rproj/']);
      const page = `${simple(remote)}scn-rproj/`;
      expect((await followLinks(t, page)).sort(byText)).toEqual(expected);
      const json = await t.http('GET', page, { headers: { accept: PYPI_SIMPLE_JSON } });
      expect((json.json() as ProjectPageJson).files.map((f) => f.hashes.sha256).sort()).toEqual(expected.map((e) => e.sha256).sort());
      await t.step('the files are cached: the upstream may go away', async () => {
        await upstream.down();
        expect((await followLinks(t, page)).sort(byText)).toEqual(expected);
      });
    },
  }),
  scenario({
    id: 'packages/pypi-virtual-simple-index',
    title:
      "a virtual's simple index merges its members' (a bundle-fed local repository first, then a smart remote), the first member winning per file name, linked on the virtual",
    requirements: ['EDGE-PKG-10', 'EDGE-PKG-6'],
    needs: ['reach-loopback'],
    async run(t) {
      const local = await packageRepo(t, 'pypi-local', 'pypi');
      const localFiles = distributions(t, local, 'scn-vproj/1.0', 'scn_vproj', '1.0');
      await publish(t, await signedBundle(t, t.name('pypi-bundle'), '1.0', localFiles));
      const upstream = await startUpstream(t, 'simulator');
      // The upstream's 1.0 wheel has other bytes (another salt), in another folder: the local one is linked.
      const [otherWheel] = distributions(t, 'x', 'elsewhere', 'scn_vproj', '1.0');
      const newer = distributions(t, 'x', 'scn-vproj/2.0', 'scn_vproj', '2.0');
      for (const file of [otherWheel, ...newer]) if (file) await upstream.put(file.repoPath.slice('x/'.length), file.bytes);
      const remote = await smartRemote(t, upstream, { packageType: 'pypi' });
      const virtual = await virtualRepo(t, [remote, local], { packageType: 'pypi' });
      const page = await t.http('GET', `${simple(virtual)}scn-vproj/`);
      for (const { href } of links(page.text)) expect(href.startsWith('../../packages/'), href).toBe(true);
      const expected = [...localFiles, ...newer].map((f) => ({ text: fileName(f.repoPath), sha256: digest('sha256', f.bytes), downloads: true })).sort(byText);
      expect((await followLinks(t, `${simple(virtual)}scn-vproj/`)).sort(byText)).toEqual(expected);
    },
  }),
];
