import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePublicKey } from '../fixtures/keys/index.ts';
import { signToken, userSubject, type TokenClaims } from '../protocol/token/index.ts';
import type { Action } from '../edge/index.ts';
import { basic, clientsOf, type RunningEdge } from './edge-harness.ts';
import { createRepo, distribute, makeBundle, trustFixtureKey } from './bundle-kit.ts';
import { bearer, issueToken, makeIssuer, putPermission, putUser, type Issuer } from './trust-fixtures.ts';

/**
 * The world the authorization matrix runs in: the same items, bundle, users, permission
 * targets and tokens on each Edge, the identities that call it, and the test's own model of
 * what each identity may do — written out by hand, independent of the Edge's AccessControl.
 */

export const UPLOADS = 'artifactory-edge-uploads';
export const BUNDLES = 'bundles-local';
export const PUBLIC_FILE = 'pub/readme.txt';
export const SECRET_FILE = 'secret/hidden-matrix.txt';
export const BUNDLE_FILE = 'rel/app-matrix.bin';
const SECRET_BYTES = 'bytes only the admin and the reader of secret/ may see\n';
const BUNDLE_BYTES = Buffer.from('the release bundle file of the matrix\n');
export const BUNDLE = { name: 'matrix-app', version: '1.0' };
export const DISTRIBUTION_SUBJECT = 'distribution';

export interface Identity {
  name: string;
  /** The Authorization header; none for anonymous callers. */
  auth: string | undefined;
  anonymous: boolean;
  admin: boolean;
  /** The user of this Edge the identity acts for, if any. */
  user: string | undefined;
  /** Credentials refused before anything else (EDGE-AUTH-1): the code every request gets. */
  refused?: string;
  /** The model: may this identity do `action` on `repo`/`path` (a folder when `folder`)? */
  may(action: Action, repo: string, path: string, folder: boolean): boolean;
}

/** A value an identity may only see when `visible` says so (the leak oracle). */
export interface Sensitive {
  what: string;
  values: string[];
  visible(who: Identity): boolean;
}

export interface World {
  edge: RunningEdge;
  anonymousAccess: boolean;
  identities: Identity[];
  sensitive: Sensitive[];
  issuer: Issuer;
  /** A committed transaction, for the status reads. */
  committedTx: string;
  /** kid of the fixture key the trusted-keys examples add and remove. */
  spareKeyKid: string;
  /** A certificate the trusted-certificates examples add. */
  spareCertificate: string;
  /** A database read next to the Edge, read-only, for the state digest. */
  db: Database.Database;
  close(): Promise<void>;
}

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
/** The model of `exclude-patterns: ['secret/**', '**∕*.key']`. */
const excluded = (path: string) => inside(path, 'secret') || path.endsWith('.key');
const nothing = () => false;
/** The e-mail address each matrix user is given: only the admin and the user may see it. */
const emailOf = (name: string) => `${name}@matrix.example`;
/** A line from the middle of a PEM certificate: its base64 body, never in a request. */
const certificateLine = (pem: string) => pem.split('\n').filter((line) => line && !line.startsWith('-----'))[2] as string;

/** A token a trusted service signed (Distribution, say), for `sub` with `scp`, valid from `iat` for `lifetime` seconds. */
async function serviceToken(issuer: Issuer, user: string, scp: string, iat = Math.floor(Date.now() / 1000) - 10, lifetime = 3600): Promise<string> {
  const claims: TokenClaims = { sub: userSubject(issuer.serviceId, user), scp, aud: '*@*', iss: issuer.serviceId, iat, exp: iat + lifetime, jti: randomUUID() };
  return signToken(claims, issuer);
}

/** Builds the world on a fresh Edge: the same on every Edge, so identities compare across them. */
export async function buildWorld(running: RunningEdge, anonymousAccess: boolean): Promise<World> {
  // Setups act as admin through a token: checking it costs no scrypt, unlike the password,
  // whose cached check every user or permission change flushes.
  const setupToken = await issueToken(running.url, running.admin, { scope: 'applied-permissions/admin', expires_in: 3600, description: 'matrix setups' });
  const edge: RunningEdge = { ...running, admin: bearer(setupToken.access_token) };
  const admin = clientsOf(edge);
  await createRepo(edge, BUNDLES);
  await admin.artifactory.deploy(`${UPLOADS}/${PUBLIC_FILE}`, 'readable by every reader\n', { properties: { kind: ['public'] } });
  await admin.artifactory.deploy(`${UPLOADS}/${SECRET_FILE}`, SECRET_BYTES, { properties: { kind: ['secret'] } });
  await trustFixtureKey(edge);
  await distribute(edge, await makeBundle(BUNDLE.name, BUNDLE.version, [{ repoPath: `${BUNDLES}/${BUNDLE_FILE}`, bytes: BUNDLE_BYTES }]));
  const committedTx = (await admin.edp.transactions('COMMITTED'))[0]?.id as string;

  const spareKeyKid = (await admin.edp.trustKey('spare', fixturePublicKey('untrusted-signing'))).kid;
  await admin.edp.removeTrustedKey(spareKeyKid);

  const issuer = await makeIssuer();
  await admin.access.trustCertificate('distribution', issuer.certificatePem);
  const spareCertificate = (await makeIssuer('jfrt@01spare000000000000000000')).certificatePem;

  const USERS = ['matrix-reader', 'matrix-deployer', 'matrix-plain'];
  for (const name of USERS) await putUser(edge.url, edge.admin, name, { email: emailOf(name) });
  await putPermission(edge.url, edge.admin, 'matrix-reader', {
    repositories: [UPLOADS, BUNDLES],
    'exclude-patterns': ['secret/**', '**/*.key'],
    actions: { users: { 'matrix-reader': ['read'] } },
  });
  await putPermission(edge.url, edge.admin, 'matrix-deployer', {
    repositories: [UPLOADS],
    'include-patterns': ['**'],
    'exclude-patterns': ['secret/**', '**/*.key'],
    actions: { users: { 'matrix-deployer': ['read', 'write', 'delete', 'annotate'] } },
  });
  await putPermission(edge.url, edge.admin, 'matrix-ct-readers', {
    repositories: [UPLOADS],
    'include-patterns': ['pub/**'],
    actions: { groups: { 'ct-readers': ['read'] } },
  });

  const revoked = await issueToken(edge.url, running.admin, { scope: 'applied-permissions/admin', expires_in: 3600 });
  await admin.access.revokeToken(revoked.token_id);
  const adminToken = await issueToken(edge.url, running.admin, { scope: 'applied-permissions/admin', expires_in: 3600, description: 'held by the admin' });

  const everything = () => true;
  const anonymous: Identity = {
    name: anonymousAccess ? 'anonymous (access on)' : 'anonymous (access off)',
    auth: undefined,
    anonymous: true,
    admin: false,
    user: undefined,
    may: (action) => anonymousAccess && action === 'read',
  };
  const identities: Identity[] = anonymousAccess
    ? [anonymous]
    : [
        anonymous,
        { name: 'admin', auth: running.admin, anonymous: false, admin: true, user: 'admin', may: everything },
        {
          name: 'reader limited by patterns',
          auth: basic('matrix-reader', 'matrix-reader-password-1'),
          anonymous: false,
          admin: false,
          user: 'matrix-reader',
          may: (action, repo, path) => action === 'read' && [UPLOADS, BUNDLES].includes(repo) && !excluded(path),
        },
        {
          name: 'uploads deployer',
          auth: basic('matrix-deployer', 'matrix-deployer-password-1'),
          anonymous: false,
          admin: false,
          user: 'matrix-deployer',
          may: (action, repo, path) => repo === UPLOADS && action !== 'manage' && !excluded(path),
        },
        { name: 'plain user', auth: basic('matrix-plain', 'matrix-plain-password-1'), anonymous: false, admin: false, user: 'matrix-plain', may: nothing },
        {
          name: 'circle-of-trust token, groups scope',
          auth: bearer(await serviceToken(issuer, 'ci-bot', 'applied-permissions/groups:ct-readers')),
          anonymous: false,
          admin: false,
          user: undefined,
          // include pub/**: the root and pub are folders on the way to what it may read.
          may: (action, repo, path, folder) => action === 'read' && repo === UPLOADS && (inside(path, 'pub') || (folder && path === '')),
        },
        {
          name: 'distributing identity (circle-of-trust admin token)',
          auth: bearer(await serviceToken(issuer, DISTRIBUTION_SUBJECT, 'applied-permissions/admin')),
          anonymous: false,
          admin: true,
          user: undefined,
          may: everything,
        },
        {
          name: 'expired admin token',
          auth: bearer(await serviceToken(issuer, DISTRIBUTION_SUBJECT, 'applied-permissions/admin', Math.floor(Date.now() / 1000) - 7200, 3600)),
          anonymous: false,
          admin: false,
          user: undefined,
          refused: 'TOKEN_EXPIRED',
          may: nothing,
        },
        {
          name: 'revoked admin token',
          auth: bearer(revoked.access_token),
          anonymous: false,
          admin: false,
          user: undefined,
          refused: 'TOKEN_REVOKED',
          may: nothing,
        },
      ];

  const hex = (algorithm: string, data: string | Buffer) => createHash(algorithm).update(data).digest('hex');
  const sensitive: Sensitive[] = [
    {
      what: `${UPLOADS}/${SECRET_FILE}`,
      values: ['hidden-matrix.txt', SECRET_BYTES.trim(), hex('sha256', SECRET_BYTES), hex('sha1', SECRET_BYTES), hex('md5', SECRET_BYTES)],
      visible: (who) => who.may('read', UPLOADS, SECRET_FILE, false),
    },
    {
      what: `${BUNDLES}/${BUNDLE_FILE}`,
      values: ['app-matrix.bin', hex('sha256', BUNDLE_BYTES), hex('sha1', BUNDLE_BYTES)],
      visible: (who) => who.may('read', BUNDLES, BUNDLE_FILE, false),
    },
    // EDGE-AUTH-4, EDGE-AUTH-7: what only admins may read (user lists and details, permission
    // targets, token lists, trusted certificates, transactions) shows up in no one else's answer.
    {
      what: "the admin's tokens",
      values: [adminToken.token_id, setupToken.token_id, revoked.token_id, 'held by the admin', 'matrix setups'],
      visible: (who) => who.admin,
    },
    ...USERS.map((name) => ({ what: `user ${name}'s details`, values: [name, emailOf(name)], visible: (who: Identity) => who.admin || who.user === name })),
    { what: 'the permission targets', values: ['matrix-ct-readers', 'ct-readers', '**/*.key'], visible: (who) => who.admin },
    { what: 'the trusted certificates', values: [certificateLine(issuer.certificatePem)], visible: (who) => who.admin },
    { what: 'the transactions', values: [committedTx], visible: (who) => who.admin },
  ];

  const db = new Database(join(edge.dataDir, 'metadata.db'), { readonly: true, fileMustExist: true });
  return {
    edge,
    anonymousAccess,
    identities,
    sensitive,
    issuer,
    committedTx,
    spareKeyKid,
    spareCertificate,
    db,
    async close() {
      db.close();
      await edge.close();
    },
  };
}

/**
 * Everything a request could change: a commit to the metadata database by the Edge (SQLite's
 * `data_version` moves with every commit of another connection, even one that changes no
 * row, which is stricter than comparing contents) and the files of the data directory — by
 * name in the content-addressed filestore, by content elsewhere (trusted certificates, keys).
 */
export function stateDigest(world: World): string {
  const hash = createHash('sha256').update(`db ${String(world.db.pragma('data_version', { simple: true }))}\n`);
  // Synchronous on purpose: one walk of a few thousand entries, not a few thousand promises.
  const files = readdirSync(world.edge.dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('metadata.db'))
    .map((entry) => relative(world.edge.dataDir, join(entry.parentPath, entry.name)))
    .sort();
  for (const name of files) {
    hash.update(
      name.startsWith('filestore')
        ? `${name}\n`
        : `${name}:${createHash('sha256')
            .update(readFileSync(join(world.edge.dataDir, name)))
            .digest('hex')}\n`,
    );
  }
  return hash.digest('hex');
}

/**
 * The part of the state `who` may not read: items and their properties outside its model's
 * read rights. No request of theirs, allowed or refused, may change it (EDGE-AUTH-6).
 */
export function hiddenDigest(world: World, who: Identity): string {
  const hidden = (row: { repo: string; path: string; folder: number }) => !who.may('read', row.repo, row.path, row.folder === 1);
  const items = (world.db.prepare('SELECT * FROM items ORDER BY repo, path').all() as { repo: string; path: string; folder: number }[]).filter(hidden);
  const properties = (
    world.db.prepare('SELECT p.*, i.folder FROM properties p JOIN items i USING (repo, path) ORDER BY p.repo, p.path, p.key, p.value').all() as {
      repo: string;
      path: string;
      folder: number;
    }[]
  ).filter(hidden);
  return createHash('sha256')
    .update(JSON.stringify([items, properties]))
    .digest('hex');
}
