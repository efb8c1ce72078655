import { signBundle } from '../../../protocol/bundle/index.ts';
import { payloadOf, signedBundle, signingKey } from '../../kit/bundles.ts';
import type { ScenarioContext } from '../../kit/context.ts';
import { scenario } from '../../kit/scenario.ts';
import { bundleTarget, freshFile, open, refusalSeries } from '../../kit/transactions.ts';

/**
 * EDP-SIG-9 … EDP-SIG-22: the payload rules, as a table. Every payload is signed correctly by
 * the trusted key, so the rule it breaks is the only thing wrong with it; refused ones are
 * sent with `auto_create_missing_repositories` and a file in a repository that does not exist,
 * so "verified before anything is created" (EDP-TX-3) is checked by every row. Accepted
 * variants show where each rule's boundary lies.
 */

type Artifact = Record<string, unknown>;
type Payload = Record<string, unknown> & { artifacts: Artifact[] };

/** Changes a payload in place, or returns its exact bytes (text is sent as UTF-8). */
type Change = (p: Payload, at: { repo: string; t: ScenarioContext }) => undefined | string | Uint8Array;

interface Rule {
  requirement: string;
  /** The scenario id's last part. */
  name: string;
  title: string;
  refused: [label: string, change: Change][];
  accepted?: [label: string, change: Change][];
  /** 400 EDP_BUNDLE_MALFORMED unless said otherwise. */
  status?: number;
  code?: string;
}

const first = (p: Payload): Artifact => p.artifacts[0] as Artifact;
const text = (p: Payload) => JSON.stringify(p);
const MAX = Number.MAX_SAFE_INTEGER;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** The payload's JSON with `raw` bytes inside its description string. */
function withRawBytes(p: Payload, raw: number[]): Buffer {
  const [before = '', after = ''] = text({ ...p, description: '@@' }).split('@@');
  return Buffer.concat([Buffer.from(before), Buffer.from(raw), Buffer.from(after)]);
}

/** `<repo>/` and segments of ASCII letters, exactly `bytes` bytes long. */
function pathOfLength(repo: string, bytes: number): string {
  let path = `${repo}/`;
  while (path.length < bytes) {
    const room = bytes - path.length;
    path += room > 201 ? `${'p'.repeat(200)}/` : 'p'.repeat(room);
  }
  return path;
}

/** Sets the first artifact's repo_path under the run's repository. */
const at =
  (path: (repo: string) => unknown): Change =>
  (p, { repo }) =>
    void (first(p).repo_path = path(repo));

const RULES: Rule[] = [
  {
    requirement: 'EDP-SIG-9',
    name: 'payload-i-json',
    title: 'a payload that is not one UTF-8 I-JSON object is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['invalid UTF-8', (p) => withRawBytes(p, [0xff])],
      ['an overlong UTF-8 sequence', (p) => withRawBytes(p, [0xc0, 0xaf])],
      ['a truncated UTF-8 sequence', (p) => withRawBytes(p, [0xe4, 0xb8])],
      ['UTF-16', (p) => Buffer.from(text(p), 'utf16le')],
      ['a byte order mark', (p) => `\ufeff${text(p)}`],
      ['not JSON', (p) => text(p).slice(0, -1)],
      ['an array', (p) => JSON.stringify([p])],
      ['a string', () => '"bundle"'],
      ['null', () => 'null'],
      ['a number', () => '1'],
      ['a duplicate top-level member, spelled with an escape', (p) => text(p).replace('{', '{"n\\u0061me":"other",')],
      ['a duplicate member inside an artifact', (p) => text(p).replace('"checksum":', '"size":1,"checksum":')],
      [
        'a duplicate member inside a property',
        (p) => text({ ...p, artifacts: [{ ...first(p), props: [{ key: 'k', values: [] }] }] }).replace('"key":"k"', '"key":"k","key":"j"'),
      ],
    ],
    accepted: [
      ['indented JSON with the members in another order', (p) => JSON.stringify(Object.fromEntries(Object.entries(p).reverse()), null, 2)],
      ['non-ASCII text', (p) => void (p.description = 'Grüße, 世界 🌍')],
    ],
  },
  {
    requirement: 'EDP-SIG-10',
    name: 'payload-name',
    title: 'a name that is not 2 to 128 characters of [A-Za-z0-9_.-:] starting with a letter or digit is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no name', (p) => void delete p.name],
      ['a number', (p) => void (p.name = 7)],
      ['null', (p) => void (p.name = null)],
      ['one character', (p) => void (p.name = 'a')],
      ['starting with "-"', (p) => void (p.name = '-app')],
      ['starting with "."', (p) => void (p.name = '.app')],
      ['a "/"', (p) => void (p.name = 'acme/app')],
      ['a space', (p) => void (p.name = 'acme app')],
      ['a non-ASCII letter', (p) => void (p.name = 'appé')],
      ['129 characters', (p) => void (p.name = `${p.name as string}`.padEnd(129, 'n'))],
    ],
    accepted: [
      ['128 characters', (p) => void (p.name = `${p.name as string}`.padEnd(128, 'n'))],
      ['every allowed punctuation mark', (p) => void (p.name = `${p.name as string}_a.b-c:d`)],
    ],
  },
  {
    requirement: 'EDP-SIG-11',
    name: 'payload-version',
    title: 'a version that is not 2 to 32 allowed characters, or is LATEST in any case, is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no version', (p) => void delete p.version],
      ['a number', (p) => void (p.version = 1)],
      ['one character', (p) => void (p.version = '1')],
      ['33 characters', (p) => void (p.version = '1'.repeat(33))],
      ['a space', (p) => void (p.version = '1.0 beta')],
      ['a "+"', (p) => void (p.version = '1.0+build')],
      ['starting with "_"', (p) => void (p.version = '_1.0')],
      ['LATEST', (p) => void (p.version = 'LATEST')],
      ['latest', (p) => void (p.version = 'latest')],
      ['LaTeSt', (p) => void (p.version = 'LaTeSt')],
    ],
    accepted: [
      ['32 characters', (p) => void (p.version = '1'.repeat(32))],
      ['a version that only starts with latest', (p) => void (p.version = 'latest-1')],
      ['every allowed punctuation mark', (p) => void (p.version = '2026.11_1-rc:2')],
    ],
  },
  {
    requirement: 'EDP-SIG-12',
    name: 'payload-type-created-notes',
    title:
      'a type other than release_bundle_v1, a created that is not an ISO 8601 date-time with a zone, or a mistyped description or release_notes is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no type', (p) => void delete p.type],
      ['type release_bundle_v2', (p) => void (p.type = 'release_bundle_v2')],
      ['type null', (p) => void (p.type = null)],
      ['no created', (p) => void delete p.created],
      ['created not a date', (p) => void (p.created = 'yesterday')],
      ['created without a zone', (p) => void (p.created = '2020-05-03T12:33:40')],
      ['created without seconds', (p) => void (p.created = '2020-05-03T12:33Z')],
      ['created a date only', (p) => void (p.created = '2020-05-03')],
      ['created in month 13', (p) => void (p.created = '2020-13-03T12:33:40Z')],
      ['created as epoch milliseconds', (p) => void (p.created = 1588498420759)],
      ['description null', (p) => void (p.description = null)],
      ['description a number', (p) => void (p.description = 1)],
      ['release_notes a string', (p) => void (p.release_notes = '# 1.0')],
      ['release_notes null', (p) => void (p.release_notes = null)],
      ['release_notes without content', (p) => void (p.release_notes = { syntax: 'markdown' })],
      ['release_notes without syntax', (p) => void (p.release_notes = { content: '# 1.0' })],
      ['release_notes with a number for content', (p) => void (p.release_notes = { syntax: 'markdown', content: 1 })],
    ],
    accepted: [
      ['created as Distribution writes it, +0300', (p) => void (p.created = '2020-05-03T12:33:40.759+0300')],
      ['created with +03:00', (p) => void (p.created = '2020-05-03T12:33:40+03:00')],
      ['created with Z and no fraction', (p) => void (p.created = '2020-05-03T12:33:40Z')],
      ['created with nine fraction digits and -0130', (p) => void (p.created = '2020-05-03T12:33:40.123456789-0130')],
      ['no description', (p) => void delete p.description],
      ['release_notes', (p) => void (p.release_notes = { syntax: 'markdown', content: '# 1.0' })],
    ],
  },
  {
    requirement: 'EDP-SIG-13',
    name: 'payload-artifacts',
    title: 'artifacts that are not a non-empty array of objects are 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no artifacts', (p) => void delete (p as Partial<Payload>).artifacts],
      ['no artifact', (p) => void (p.artifacts = [])],
      ['an object', (p) => void ((p as Record<string, unknown>).artifacts = { ...first(p) })],
      ['a string', (p) => void ((p as Record<string, unknown>).artifacts = 'x')],
      ['null', (p) => void ((p as Record<string, unknown>).artifacts = null)],
      ['a null artifact', (p) => void p.artifacts.push(null as unknown as Artifact)],
      ['a string artifact', (p) => void p.artifacts.push(String(first(p).repo_path) as unknown as Artifact)],
      ['an array artifact', (p) => void p.artifacts.push([] as unknown as Artifact)],
    ],
  },
  {
    requirement: 'EDP-SIG-14',
    name: 'payload-repo-path-clean',
    title: 'a repo_path that is not a clean relative <repo>/<path> is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['empty', at(() => '')],
      ['a number', at(() => 7)],
      ['a leading "/"', at((r) => `/${r}/x`)],
      ['a ".." segment', at((r) => `${r}/../etc/passwd`)],
      ['a "." segment', at((r) => `${r}/./x`)],
      ['an empty segment', at((r) => `${r}//x`)],
      ['a trailing "/"', at((r) => `${r}/x/`)],
      ['the repository only', at((r) => r)],
      ['a backslash', at((r) => `${r}/a\\b`)],
      ['NUL', at((r) => `${r}/a\u0000b`)],
      ['U+001F', at((r) => `${r}/a\u001fb`)],
      ['DEL', at((r) => `${r}/a\u007fb`)],
      ['the C1 control U+0085', at((r) => `${r}/a\u0085b`)],
      ['the C1 control U+009F', at((r) => `${r}/a\u009fb`)],
      ['a lone surrogate', at((r) => `${r}/a\ud800b`)],
      ['%2e%2e', at((r) => `${r}/%2e%2e/x`)],
      ['%2E', at((r) => `${r}/a%2Eb`)],
      ['%2f', at((r) => `${r}/a%2fb`)],
      ['%2F', at((r) => `${r}/a%2Fb`)],
      ['%5c', at((r) => `${r}/a%5cb`)],
      ['%00', at((r) => `${r}/a%00b`)],
    ],
    accepted: [
      ['non-ASCII segments', at((r) => `${r}/grüße/世界.txt`)],
      ['dots inside a segment and a hidden file', at((r) => `${r}/a..b/.hidden`)],
    ],
  },
  {
    requirement: 'EDP-SIG-15',
    name: 'payload-repo-key',
    title: 'a repo_path whose first segment is not a repository key is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['a key starting with "-"', at(() => '-repo/x')],
      ['a key starting with "."', at(() => '.repo/x')],
      ['a key with a space', at(() => 're po/x')],
      ['a key with "@"', at(() => 're@po/x')],
      ['a key of 65 characters', at(() => `${'k'.repeat(65)}/x`)],
    ],
  },
  {
    requirement: 'EDP-SIG-16',
    name: 'payload-repo-path-length',
    title: 'a repo_path segment over 255 bytes or a repo_path over 1024 bytes, counted in UTF-8, is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['a segment of 256 ASCII bytes', at((r) => `${r}/${'s'.repeat(256)}`)],
      ['a segment of 128 characters, 256 bytes', at((r) => `${r}/${'é'.repeat(128)}`)],
      ['a path of 1025 bytes', at((r) => pathOfLength(r, 1025))],
    ],
    accepted: [
      ['a segment of 255 bytes', at((r) => `${r}/${'s'.repeat(255)}`)],
      ['a segment of 255 bytes in 128 characters', at((r) => `${r}/${'é'.repeat(127)}x`)],
      ['a path of exactly 1024 bytes', at((r) => pathOfLength(r, 1024))],
    ],
  },
  {
    requirement: 'EDP-SIG-17',
    name: 'payload-duplicate-paths',
    title: 'two artifacts with the same repo_path are 400 EDP_BUNDLE_MALFORMED; paths differing in case or normalisation are distinct',
    refused: [
      ['the same artifact twice', (p) => void p.artifacts.push({ ...first(p) })],
      ['the same path with other content', (p) => void p.artifacts.push({ ...first(p), checksum: EMPTY_SHA256, size: 0 })],
    ],
    accepted: [
      ['a path differing in case', (p, { repo }) => void p.artifacts.push({ ...first(p), repo_path: `${repo}/PAYLOAD/FILE.BIN` })],
      [
        'a precomposed and a decomposed é',
        (p, { repo }) => void p.artifacts.splice(0, 1, { ...first(p), repo_path: `${repo}/\u00e9.txt` }, { ...first(p), repo_path: `${repo}/e\u0301.txt` }),
      ],
    ],
  },
  {
    requirement: 'EDP-SIG-18',
    name: 'payload-checksum',
    title: 'a checksum that is not 64 lowercase hex digits is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no checksum', (p) => void delete first(p).checksum],
      ['upper case', (p) => void (first(p).checksum = String(first(p).checksum).toUpperCase())],
      ['63 digits', (p) => void (first(p).checksum = String(first(p).checksum).slice(1))],
      ['65 digits', (p) => void (first(p).checksum = `0${String(first(p).checksum)}`)],
      ['a SHA-1', (p) => void (first(p).checksum = String(first(p).checksum).slice(0, 40))],
      ['a 0x prefix', (p) => void (first(p).checksum = `0x${String(first(p).checksum).slice(2)}`)],
      ['a non-hex digit', (p) => void (first(p).checksum = `g${String(first(p).checksum).slice(1)}`)],
      ['a number', (p) => void (first(p).checksum = 1)],
      ['null', (p) => void (first(p).checksum = null)],
    ],
  },
  {
    requirement: 'EDP-SIG-19',
    name: 'payload-size',
    title: 'a size that is missing or not an integer from 0 to 2^53-1 is 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['no size', (p) => void delete first(p).size],
      ['-1', (p) => void (first(p).size = -1)],
      ['1.5', (p) => void (first(p).size = 1.5)],
      ['a string', (p) => void (first(p).size = String(first(p).size))],
      ['null', (p) => void (first(p).size = null)],
      ['true', (p) => void (first(p).size = true)],
      ['2^53', (p) => void (first(p).size = 2 ** 53)],
      ['1e400', (p) => text(p).replace(/"size":\d+/, '"size":1e400')],
    ],
    accepted: [['0, for the empty file', (p) => void Object.assign(first(p), { checksum: EMPTY_SHA256, size: 0 })]],
  },
  {
    requirement: 'EDP-SIG-20',
    name: 'payload-props',
    title: 'props that are not an array of {key: string, values: [string]} are 400 EDP_BUNDLE_MALFORMED',
    refused: [
      ['an object', (p) => void (first(p).props = { key: 'k', values: ['v'] })],
      ['a string', (p) => void (first(p).props = 'k=v')],
      ['null', (p) => void (first(p).props = null)],
      ['a string entry', (p) => void (first(p).props = ['k=v'])],
      ['no key', (p) => void (first(p).props = [{ values: ['v'] }])],
      ['a number for key', (p) => void (first(p).props = [{ key: 1, values: ['v'] }])],
      ['no values', (p) => void (first(p).props = [{ key: 'k' }])],
      ['a string for values', (p) => void (first(p).props = [{ key: 'k', values: 'v' }])],
      ['a number among the values', (p) => void (first(p).props = [{ key: 'k', values: ['v', 1] }])],
      ['null among the values', (p) => void (first(p).props = [{ key: 'k', values: [null] }])],
    ],
    accepted: [
      ['no props at all', (p) => void delete first(p).props],
      ['an empty list', (p) => void (first(p).props = [])],
      ['a key without values', (p) => void (first(p).props = [{ key: 'k', values: [] }])],
    ],
  },
  {
    requirement: 'EDP-SIG-21',
    name: 'payload-total-size',
    title: 'artifacts adding up to more than any limit an Edge can be given are 413 EDP_BUNDLE_TOO_LARGE, summed exactly',
    status: 413,
    code: 'EDP_BUNDLE_TOO_LARGE',
    refused: [
      [
        'two files of 2^53-1 bytes',
        (p) => void p.artifacts.splice(0, 1, { ...first(p), size: MAX }, { ...first(p), repo_path: `${String(first(p).repo_path)}.2`, size: MAX }),
      ],
      [
        '2^53-1 bytes and one byte more',
        (p) => void p.artifacts.splice(0, 1, { ...first(p), size: MAX }, { ...first(p), repo_path: `${String(first(p).repo_path)}.2`, size: 1 }),
      ],
    ],
  },
  {
    requirement: 'EDP-SIG-22',
    name: 'payload-unknown-members',
    title: 'members the Edge does not know, at the top level and in artifacts and props, are accepted',
    refused: [],
    accepted: [
      [
        "JFrog's id, signature and download_token, and members of later versions",
        (p) =>
          void Object.assign(p, {
            id: 4242,
            signature: 'jfrog-signature',
            'x-future': { nested: [1, 2.5, null] },
            artifacts: [{ ...first(p), download_token: 'secret-token', props: [{ key: 'k', values: ['v'], scope: 'x' }] }],
          }),
      ],
    ],
  },
];

/** Signs the base payload after `change`: the exact bytes it returned, or the changed object. */
async function signChanged(t: ScenarioContext, base: Payload, repo: string, change: Change): Promise<string> {
  const payload = structuredClone(base);
  const bytes = change(payload, { repo, t });
  const signed = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : (bytes ?? new TextEncoder().encode(text(payload)));
  return signBundle(signed, await signingKey(t));
}

function ruleScenario(rule: Rule) {
  return scenario({
    id: `edp/${rule.name}`,
    title: rule.title,
    requirements: [rule.requirement, 'EDP-TX-3'],
    async run(t) {
      const repo = await bundleTarget(t, 'edp-payload');
      const absent = t.name('edp-absent');
      const basePayload = (name: string): Payload =>
        payloadOf(name, '1.0', [freshFile(t, `${repo}/payload/file.bin`), freshFile(t, `${absent}/payload/other.bin`)]) as unknown as Payload;
      const refused = await refusalSeries(t);
      for (const [label, change] of rule.refused) {
        await t.step(`refused: ${label}`, async () =>
          refused.start(
            await signChanged(t, basePayload(t.name('refused')), repo, change),
            rule.status ?? 400,
            rule.code ?? 'EDP_BUNDLE_MALFORMED',
            {},
            {
              auto_create_missing_repositories: true,
            },
          ),
        );
      }
      for (const [label, change] of rule.accepted ?? []) {
        await t.step(`accepted: ${label}`, async () => {
          const payload = basePayload(t.name('accepted'));
          payload.artifacts.pop();
          await open(t, { payload: payload as never, jws: await signChanged(t, payload, repo, change), files: [] });
        });
      }
    },
  });
}

export const payloadScenarios = [
  ...RULES.map(ruleScenario),
  scenario({
    id: 'edp/payload-repo-key-boundaries',
    title: 'a repository with a 64-character key is a bundle target; a reserved key is 400 EDP_BUNDLE_MALFORMED and is not created',
    requirements: ['EDP-SIG-15', 'EDGE-IN-3', 'EDP-TX-3'],
    async run(t) {
      await t.installTrust();
      const key = t.name('edp-k').padEnd(64, 'k');
      const { artifactory } = t.clients();
      await t.step('create a repository with a 64-character key', () => artifactory.createRepository(key, { rclass: 'local' }));
      t.defer(() => artifactory.deleteRepository(key));
      await t.step('a bundle targets it', async () => {
        await open(t, await signedBundle(t, t.name('long-key'), '1.0', [freshFile(t, `${key}/long/file.bin`)]));
      });
      const refused = await refusalSeries(t);
      for (const reserved of ['api', 'ui', 'webapp', 'list', 'repo', 'service', 'favicon.ico']) {
        await t.step(`the reserved key ${reserved}`, async () => {
          const bundle = await signedBundle(t, t.name('reserved'), '1.0', [freshFile(t, `${reserved}/x.bin`)]);
          await refused.start(bundle.jws, 400, 'EDP_BUNDLE_MALFORMED', {}, { auto_create_missing_repositories: true });
        });
      }
    },
  }),
];
