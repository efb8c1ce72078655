import type { Family } from './types.ts';

export const EDGE_FAMILIES: readonly Family[] = [
  {
    prefix: 'EDGE-RO',
    title: 'read-only Edge',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-RO-1',
        level: 'MUST',
        profile: 'read-only',
        text: `Every write to a repository other than \`artifactory-edge-uploads\` —
artifact \`PUT\` (including deploy by checksum and folder creation), \`DELETE\`, property set and
delete, \`PATCH /api/metadata\` — is refused with 403 and
\`{"errors":[{"status":403,"message":"Deployment to an Edge Artifactory node is not supported.","code":"EDGE_READ_ONLY"}]}\`,
whoever asks (admin included), before credentials-derived permissions are consulted, and
changes nothing.`,
        source: `docs/jfrog-compat.md §1.9, §6`,
      },
      {
        id: 'EDGE-RO-2',
        level: 'MUST',
        profile: 'read-only',
        text: `\`POST /api/copy/...\` and \`POST /api/move/...\` are refused the same way
when the source or the target is a read-only repository.`,
        source: `docs/jfrog-compat.md §1.9, §6`,
      },
      {
        id: 'EDGE-RO-3',
        level: 'MUST',
        profile: 'read-only',
        text: `\`artifactory-edge-uploads\` exists from the first start as a local
generic repository and can be neither deleted (403 \`UPLOADS_REPO_PROTECTED\`) nor changed
into another class or package type (400 \`INVALID_BODY\`).`,
        source: `docs/jfrog-compat.md §1.7, §6`,
      },
      {
        id: 'EDGE-RO-4',
        level: 'MUST',
        profile: 'read-only',
        text: `Creating a remote repository that is not smart
(\`contentSynchronisation.enabled\` not \`true\`) is refused with 400
\`Only smart remote repositories are supported with Artifactory Edge license\`.`,
        source: `docs/jfrog-compat.md §2, §6`,
      },
    ],
  },
  {
    prefix: 'EDGE-IN',
    title: 'bad input',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-IN-1',
        level: 'MUST',
        profile: 'core',
        text: `A path with a \`.\` or \`..\` segment, an empty segment, a backslash, NUL or
another control character, or a name over 255 bytes is refused with 400 \`BAD_PATH\` naming the
problem.`,
        source: `docs/decisions/0003 (JFrog is silent on path rules); error body docs/jfrog-compat.md §0.2`,
      },
      {
        id: 'EDGE-IN-2',
        level: 'MUST',
        profile: 'core',
        text: `Percent-encoded separators and dots (\`%2e\`, \`%2f\`, \`%5c\`, \`%00\`, any
case) and malformed percent-encoding are refused with 400 \`BAD_PATH\`; validation runs on the
raw URL, before decoding.`,
        source: `docs/decisions/0003; error body docs/jfrog-compat.md §0.2`,
      },
      {
        id: 'EDGE-IN-3',
        level: 'MUST',
        profile: 'core',
        text: `Repository keys match \`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$\` and are not
reserved (\`api\`, \`ui\`, \`webapp\`, \`list\`, \`repo\`, \`service\`, \`favicon.ico\`); others get 400
\`BAD_REPO_KEY\`. \`/artifactory/api/...\` is Artifactory's API space, never a repository: an
unknown endpoint there answers 404 \`NOT_FOUND\`.`,
        source: `docs/decisions/0003; docs/jfrog-compat.md §1.7`,
      },
      {
        id: 'EDGE-IN-4',
        level: 'MUST',
        profile: 'core',
        text: `A path longer than 1024 characters is refused with 400 \`BAD_PATH\`.`,
        source: `docs/decisions/0003`,
      },
      {
        id: 'EDGE-IN-5',
        level: 'MUST',
        profile: 'core',
        text: `Malformed JSON gets 400 \`MALFORMED_JSON\`; well-formed JSON of the wrong
shape gets 400 \`INVALID_BODY\` naming the field.`,
        source: `docs/decisions/0002; error body docs/jfrog-compat.md §0.2`,
      },
      {
        id: 'EDGE-IN-6',
        level: 'MUST',
        profile: 'core',
        text: `A request body over its limit (\`maxUploadBytes\` for artifacts,
\`maxJsonBytes\` for JSON) is refused with 413 \`BODY_TOO_LARGE\`: at once when the declared
\`Content-Length\` is over, and as soon as the streamed bytes pass the limit otherwise; no
partial file remains.`,
        source: `docs/decisions/0002`,
      },
      {
        id: 'EDGE-IN-7',
        level: 'MUST',
        profile: 'core',
        text: `No client input produces a 500 or a stack trace; every refusal uses
Artifactory's error body with a stable \`code\`, including requests Node's HTTP parser refuses
(answered 400 with \`Connection: close\`); a query parameter given twice is 400 \`BAD_REQUEST\`;
nothing is read or written outside the data directory. Property keys named like
\`Object.prototype\` members (\`constructor\`, \`toString\`, \`valueOf\`, \`hasOwnProperty\`,
\`__proto__\`) are legal Artifactory names: matrix parameters, \`?properties=\` and
\`PATCH /api/metadata\` store them and every answer returns them as own keys (a JSON body with
a \`__proto__\` key is refused by the JSON parser with 400 \`MALFORMED_JSON\`, changing nothing).`,
        source: `docs/decisions/0002; error body docs/jfrog-compat.md §0.2`,
      },
    ],
  },
  {
    prefix: 'EDGE-ART',
    title: 'artifacts',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-ART-1',
        level: 'MUST',
        profile: 'core',
        text: `\`X-Checksum-Sha1\`, \`X-Checksum-Sha256\`, \`X-Checksum-Md5\` and
\`X-Checksum\` (typed by length) are verified against the streamed bytes; a mismatch is 409
\`CHECKSUM_MISMATCH\` and stores nothing.`,
        source: `docs/jfrog-compat.md §1.1`,
      },
      {
        id: 'EDGE-ART-2',
        level: 'MUST',
        profile: 'core',
        text: `MD5, SHA-1 and SHA-256 are computed in the one pass that stores the
bytes; bodies are never buffered in memory.`,
        source: `docs/decisions/0001 (streams, not buffers)`,
      },
      {
        id: 'EDGE-ART-3',
        level: 'MUST',
        profile: 'core',
        text: `Content is stored once per SHA-256 and reclaimed when no item
references it.`,
        source: `docs/decisions/0001`,
      },
      {
        id: 'EDGE-ART-4',
        level: 'MUST',
        profile: 'core',
        text: `\`X-Checksum-Deploy: true\` deploys content the caller can already read
— a stored file with that checksum that the caller may read at the path where it is stored —
(201), or answers 404 \`CHECKSUM_DEPLOY_UNKNOWN\` with the same message whether no such content
exists or the caller may read none of it.`,
        source: `docs/jfrog-compat.md §1.2; docs/decisions/0007`,
      },
      {
        id: 'EDGE-ART-5',
        level: 'MUST',
        profile: 'core',
        text: `Downloads carry \`ETag\` (SHA-1), \`X-Checksum-*\`, \`Last-Modified\`,
\`Accept-Ranges: bytes\`; a single satisfiable \`Range\` gets 206, an unsatisfiable one 416;
\`If-None-Match\`/\`If-Modified-Since\` get 304. Preconditions follow RFC 9110 §13.2.2:
\`If-None-Match\` makes \`If-Modified-Since\` irrelevant, a 304 comes before any range, and a
\`Range\` applies only while \`If-Range\` (when sent) names the current ETag or exactly the
\`Last-Modified\` date, else the whole file follows; a suffix range longer than the file
selects all of it (§14.1.2). The rules live once, in \`protocol/wire/download.ts\`, and the
simulated source Artifactory answers by them too.`,
        source: `docs/jfrog-compat.md §1.3; RFC 9110 §13, §14`,
      },
      {
        id: 'EDGE-ART-6',
        level: 'MUST',
        profile: 'core',
        text: `A deploy answers 201 with the ItemCreated body (\`repo\`, \`path\`, \`size\` as a
string, \`mimeType\` from the file name, \`createdBy\`, \`checksums\` and \`originalChecksums\` of
the stored bytes, \`downloadUri\`). Matrix parameters on the path become the file's properties;
a \`PUT\` of a path ending in \`/\` creates that folder and its parents (201); a deploy to an
existing file replaces it. A file where a folder is, or below a file, is refused with 409, and a
malformed checksum header with 400 \`BAD_REQUEST\`; neither stores anything.`,
        source: `docs/jfrog-compat.md §1.1`,
      },
      {
        id: 'EDGE-ART-7',
        level: 'MUST',
        profile: 'core',
        text: `A download sends the file's bytes with \`Content-Length\`, a \`Content-Type\` from
its name, \`X-Artifactory-Filename\` and \`Content-Disposition: attachment\`; \`HEAD\` sends the
same headers without a body. An absent file or repository answers 404 \`NOT_FOUND\` in
Artifactory's error body.`,
        source: `docs/jfrog-compat.md §1.3`,
      },
      {
        id: 'EDGE-ART-8',
        level: 'SHOULD',
        profile: 'core',
        text: `\`<file>.sha1\`, \`<file>.md5\` and \`<file>.sha256\` answer the file's checksum as
text when no such file is stored, and 404 when the file is absent; a \`GET\` of a folder answers
an HTML listing of its children.`,
        source: `docs/jfrog-compat.md §1.3 (observed, secondary)`,
      },
      {
        id: 'EDGE-ART-9',
        level: 'MUST',
        profile: 'core',
        text: `The storage API answers file info (\`repo\`, \`path\`, \`size\` as a string,
\`mimeType\`, \`checksums\`, \`originalChecksums\`, \`createdBy\`, \`modifiedBy\`, \`created\`,
\`lastModified\`, \`lastUpdated\`, \`uri\`, \`downloadUri\`), folder info with its \`children\`
(folders first, then files, each by name), and \`?list\` honouring \`deep\`, \`depth\` and
\`listFolders\` (entries with \`size\`, \`folder\`, \`sha1\`, \`sha2\`); \`?list\` on a file is 400.`,
        source: `docs/jfrog-compat.md §1.4`,
      },
      {
        id: 'EDGE-ART-10',
        level: 'MUST',
        profile: 'core',
        text: `Properties: \`PUT …?properties=\` takes \`|\` or \`;\` between properties, \`,\`
between values and \`\\\` escapes, recursively on a folder unless \`recursive=0\` (204);
\`DELETE …?properties=k1,k2\` removes keys (204); \`GET …?properties[=k1,k2]\` answers all or the
named ones, and 404 \`No properties could be found.\` when there are none; \`PATCH /api/metadata\`
sets and removes (\`null\`) in one call. An invalid key, a missing \`properties\` parameter
(400) or an absent item (404) changes nothing.`,
        source: `docs/jfrog-compat.md §1.6`,
      },
      {
        id: 'EDGE-ART-11',
        level: 'MUST',
        profile: 'core',
        text: `\`DELETE\` of a file, or of a folder with everything below it, answers 204; an
absent item answers 404 \`NOT_FOUND\`. A \`Content-Type\` on a request without a body does not
make it a request with a body.`,
        source: `docs/jfrog-compat.md §1.5`,
      },
      {
        id: 'EDGE-ART-12',
        level: 'MUST',
        profile: 'core',
        text: `\`POST /api/copy/{repo}/{path}?to=/{repo}/{path}\` copies a file or a folder with its
properties, \`POST /api/move/…\` moves it, and \`dry=1\` changes nothing; each answers 200 with
\`{"messages":[{"level":"INFO","message":…}]}\` counting the artifacts. A copy into itself or
without \`to\` is 400, a missing source 404.`,
        source: `JFrog's copy and move API (jfrog-client-go \`artifactory/services/movecopy.go\`); docs/decisions/0007`,
      },
    ],
  },
  {
    prefix: 'EDGE-REPO',
    title: 'repositories',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-REPO-1',
        level: 'MUST',
        profile: 'core',
        text: `\`GET /api/repositories\` lists each repository as
\`{"key","type":"LOCAL","description","url","packageType":"Generic"}\` (upper-case \`type\`,
capitalised \`packageType\`); \`?type=\` and \`?packageType=\` filter it, case-insensitively, and
an unknown \`type\` is 400 \`BAD_REQUEST\`.`,
        source: `docs/jfrog-compat.md §1.7`,
      },
      {
        id: 'EDGE-REPO-2',
        level: 'MUST',
        profile: 'core',
        text: `\`PUT /api/repositories/{key}\` creates a repository, missing values set to their
defaults (\`includesPattern\` \`**/*\`, \`excludesPattern\` empty), answering
\`Successfully created repository '<key>'\`; \`GET /api/repositories/{key}\` answers its
configuration with \`rclass\`. An existing key is 400 \`REPO_EXISTS\`; an unknown package type, a
body \`key\` that differs from the URL's, a missing \`rclass\` or a field of the wrong type is 400
\`INVALID_BODY\`; a class the Edge does not hold is 400 \`REPO_CLASS_UNSUPPORTED\` naming it.
None of these creates anything.`,
        source: `docs/jfrog-compat.md §1.7`,
      },
      {
        id: 'EDGE-REPO-3',
        level: 'MUST',
        profile: 'core',
        text: `\`POST /api/repositories/{key}\` changes a repository's configuration but never its
\`rclass\` or \`packageType\` (400 \`INVALID_BODY\`).`,
        source: `docs/jfrog-compat.md §1.7`,
      },
      {
        id: 'EDGE-REPO-4',
        level: 'MUST',
        profile: 'core',
        text: `\`DELETE /api/repositories/{key}\` removes the repository with its content and
answers \`Repository '<key>' and all its content have been removed successfully.\`; an absent
key is 404.`,
        source: `docs/jfrog-compat.md §1.7`,
      },
    ],
  },
  {
    prefix: 'EDGE-DUR',
    title: 'durability',
    doc: 'requirements',
    intro: `What a power cut may and may not take: [decisions/0007](decisions/0009-bundle-paths-and-power-loss.md).
The data directory itself is the operator's (created before the Edge starts, or by its first
start) and is taken as durable; the metadata store is SQLite in WAL mode with
\`synchronous = FULL\`, durable at each committed transaction.`,
    requirements: [
      {
        id: 'EDGE-DUR-1',
        level: 'MUST',
        profile: 'implementation',
        text: `A 201 to an artifact deploy or an EDP file upload (EDP-FILE-7) is sent
only once the bytes are on stable storage together with every directory entry that reaches
them: the blob's entry in its shard folder, the shard folders' entries in their parents, and
the filestore's entry in the data directory. A power cut at any moment after the answer loses
none of them.`,
        source: `docs/decisions/0009`,
      },
      {
        id: 'EDGE-DUR-2',
        level: 'MUST',
        profile: 'implementation',
        text: `Metadata never names content that is not on stable storage: the row that
makes a blob visible is written only after the blob is durable, and a blob whose publication
failed after its rename is removed before the failure is reported, so no later deploy or
deploy by checksum takes it for durable. After a power cut at any point, every file any read
shows downloads whole with its recorded checksum and size; content that reached the filestore
but no row is reclaimed by a later start, once older than the sweep's grace (EDGE-CLU-3).`,
        source: `docs/decisions/0009`,
      },
      {
        id: 'EDGE-DUR-3',
        level: 'MUST',
        profile: 'implementation',
        text: `A download whose stored bytes are not exactly the recorded size (a
damaged disk, a power cut the filestore did not survive) fails: refused with 500
\`CONTENT_DAMAGED\` when that is known before the first byte, the response aborted when the
bytes run out later. The client sees an error promptly, never a hang on a \`Content-Length\` the
body cannot reach and never a short body that ends as if complete.`,
        source: `docs/decisions/0009`,
      },
      {
        id: 'EDGE-DUR-4',
        level: 'MUST',
        profile: 'implementation',
        text: `Uploads and EDP file uploads in flight together are made durable together (group
commit): the fsyncs of a folder wanted by several publishes at once are shared, each caller
waiting for a sync that started after its own entry was made, and the metadata rows of
concurrent ingests are committed in one SQLite transaction (each in its own savepoint, so a
refused one fails alone). A 2xx is still sent only once the group holding the file is durable
(EDGE-DUR-1, EDGE-DUR-2): a power cut at any point during concurrent uploads loses no
acknowledged file and shows no unacknowledged one in part.`,
        source: `docs/decisions/0025; issue #13`,
      },
      {
        id: 'EDGE-DUR-5',
        level: 'MUST',
        profile: 'implementation',
        text: `Bytes being staged may be written, and synced, behind the request (gathered into
writes of about a MiB, an fsync started every 64 MiB so the last one has little left). A write
or fsync that fails there fails the ingest like one made in line: every later write and the
final sync report it, and nothing is kept. In particular a failed fsync is never followed by
trusting a later one for the same file, since the kernel may report the next fsync clean with
the bytes lost.`,
        source: `docs/decisions/0030; issue #13`,
      },
    ],
  },
  {
    prefix: 'EDGE-AUTH',
    title: 'users and access',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-AUTH-1',
        level: 'MUST',
        profile: 'core',
        text: `Credentials are checked on every request before anything else; wrong
ones get 401 with \`WWW-Authenticate\`, never a fallback to anonymous: \`Bad credentials\`
(\`BAD_CREDENTIALS\`) for passwords and unknown schemes, the \`TOKEN_*\` code of the failed check
for bearer tokens (EDGE-TRUST).`,
        source: `docs/jfrog-compat.md §0.2; docs/decisions/0002`,
      },
      {
        id: 'EDGE-AUTH-2',
        level: 'MUST',
        profile: 'core',
        text: `Without anonymous access, a request without credentials gets 401
(system probes excepted), before any parameter is judged: a bad query parameter does not turn
that 401 into a 400.`,
        source: `docs/decisions/0002`,
      },
      {
        id: 'EDGE-AUTH-3',
        level: 'MUST',
        profile: 'core',
        text: `A known user without the right gets 403 for writes; reads of what the
user may not read answer 404, exactly as for absent items.`,
        source: `docs/decisions/0007`,
      },
      {
        id: 'EDGE-AUTH-4',
        level: 'MUST',
        profile: 'core',
        text: `Repository and security configuration are admin-only.`,
        source: `docs/jfrog-compat.md §1.7`,
      },
      {
        id: 'EDGE-AUTH-5',
        level: 'MUST',
        profile: 'core',
        text: `Every answer that lists or reports items shows and counts only the
items the caller may read: storage \`?list\` (deep or not), folder info \`children\`, HTML
listings, copy and move results (dry runs too). A release bundle (in the list, as JSON, as
JWS) is shown only to a caller who may read every file of it, and answers 404
\`EDP_BUNDLE_UNKNOWN\` to others. An admin sees every bundle, even one whose target repository
is gone; to anyone else a file in a missing repository is unreadable, so the bundle stays
hidden.`,
        source: `docs/decisions/0007`,
      },
      {
        id: 'EDGE-AUTH-6',
        level: 'MUST',
        profile: 'core',
        text: `Copy, move, delete and recursive property changes act only on the items
below the addressed path that the caller may read; the others stay exactly as they were (and
so do the folders holding them), unnamed and uncounted. A copy or move source the caller may
not read answers 404 as if absent. When the caller lacks the action itself on a visible item
(delete to move or remove it, write or overwrite at its target, annotate), the whole
operation is refused with 403 \`FORBIDDEN\` and changes nothing. A repository root as the
target (\`to=/{repo}\` or \`to=/{repo}/\`) receives the source under it by name; no item is ever
written at the root path \`''\` or at a path with a leading slash. Why: decision
[0007](decisions/0007-path-permissions-and-route-access.md).`,
        source: `docs/decisions/0007`,
      },
      {
        id: 'EDGE-AUTH-7',
        level: 'MUST',
        profile: 'implementation',
        text: `Every route declares what it needs (\`public\`, \`reader\`, \`user\`, \`own\`,
\`admin\`, \`distributor\`, or \`read\`, \`deploy\`, \`delete\`, \`annotate\`, \`copy\`, \`move\` on its path;
\`edge/http/route-access.ts\`); an Edge with a route that declares nothing does not start. The
authorization matrix (\`test/authz-matrix.test.ts\`) pins what each route must need in its own
table (\`PINNED_ACCESS\` in \`test/authz-routes.ts\`), checks every route declares exactly that,
calls every route as every identity and checks the status the pinned access implies (never
the route's own declaration, so a route declared too permissively fails), that refusals and
reads change nothing, that no request changes an item or property its caller may not read,
and that no answer shows one — nor anything admin-only (users and their details, permission
targets, tokens, trusted certificates, transactions) to anyone but an admin.`,
        source: `docs/decisions/0007`,
      },
      {
        id: 'EDGE-AUTH-8',
        level: 'MUST',
        profile: 'core',
        text: `Include and exclude patterns are Ant patterns as Artifactory reads them
(Spring's AntPathMatcher): \`**\` any number of folders, \`*\` any characters within a name, \`?\`
one character, and \`a/**\` also matches \`a\` itself. A file is covered when an include pattern
matches it and no exclude pattern does; a folder also when an include pattern could match
something below it, so the way to a readable file is visible (\`team/**\` shows the repository
root and \`team\`), while an excluded folder (\`secret/**\` excludes \`secret\`) answers as absent.`,
        source: `docs/decisions/0007 (Artifactory reads patterns as Ant patterns)`,
      },
      {
        id: 'EDGE-AUTH-9',
        level: 'MUST',
        profile: 'core',
        text: `Failed password logins are counted per user name and client address
(unknown names alike, and checked against a dummy scrypt hash so they cost what known names
do). From the \`loginSuspendAfterFailures\`-th failure in a row (default 5; 0 never) each
failure suspends logins of that name from that address for 1 s, doubling, at most
\`loginSuspendMaxSecs\` (default 60); while suspended, every password attempt from there — the
right one included, whatever succeeded before from there or elsewhere — is answered 429
\`LOGIN_SUSPENDED\` with \`Retry-After\`, without checking the password and without counting.
The check comes before the verified-password cache. Password checks in flight (all but
cache hits of the exact password already proven) count against the failures left before a
suspension (at least one at a time), so parallel guesses get no more than sequential ones; the excess is answered 429 with \`Retry-After: 1\`. A success, or 15
minutes without a failure, starts the count again; tokens are not throttled; at most 10,000
names and addresses are followed, keyed by a hash of both; when full, entries that never
reached a suspension go first (oldest first), a currently suspended one only if all are.`,
        source: `JFrog's temporary login suspension; docs/decisions/0010`,
      },
      {
        id: 'EDGE-AUTH-10',
        level: 'MUST',
        profile: 'implementation',
        text: `A successful password or token check may be remembered, so a client sending the same
credentials on every request does not pay scrypt or a signature check each time: keyed by a
SHA-256 of the credentials, for at most 60 s, a token never past its \`exp\`, and only tokens
this Edge signed (another service's hangs on a trusted certificate that may leave the trusted
folder). Permission targets are kept in memory the same way. Every write to users, permission
targets or tokens ends all of it at once, a write made while a check was in flight included:
a changed password, a removed user or permission, a revoked or refreshed token is refused on
the very next request. Failures are never remembered. Requests bringing the same credentials
while their check runs share it (one scrypt, one login-throttle reservation), unless a write
came between.`,
        source: `docs/decisions/0001; issue #13`,
      },
      {
        id: 'EDGE-AUTH-11',
        level: 'MUST',
        profile: 'implementation',
        text: `A change to users, permission targets or tokens made through any process sharing
the metadata store (another worker, another Edge on the same database) is honoured by every
process's caches of credentials and permissions on its next request: the store's security
versions move for a write by any process (SQLite: a counter row bumped in the write's
transaction and read on each check; PostgreSQL: a notification moves the other nodes' versions,
and a credential a node's cache holds is confirmed against the version rows before it is honoured),
so a revoked token, a removed user or a changed password is refused everywhere at once.`,
        source: `docs/decisions/0025; issue #13`,
      },
    ],
  },
  {
    prefix: 'EDGE-SYS',
    title: 'system',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-SYS-1',
        level: 'MUST',
        profile: 'core',
        text: `\`/api/system/service_id\` answers \`jfrt@<ulid>\`, stable across restarts.`,
        source: `docs/jfrog-compat.md §0.5, §1.8`,
      },
      {
        id: 'EDGE-SYS-2',
        level: 'MUST',
        profile: 'core',
        text: `\`/api/system/license\` answers \`type: "Edge"\`.`,
        source: `docs/jfrog-compat.md §1.8`,
      },
      {
        id: 'EDGE-SYS-3',
        level: 'MUST',
        profile: 'core',
        text: `Without credentials, \`/api/system/ping\` answers the text \`OK\`,
\`/api/system/version\` \`{"version":"7.x.y","revision",…}\`, \`/api/v1/system/readiness\` and
\`/api/v1/system/liveness\` \`{"code":"OK"}\`, \`/api/system/status\`
\`{"nodes":[{"id","state":"RUNNING"}]}\`, and \`/router/api/v1/system/health\` a \`HEALTHY\`
router with a service whose \`service_id\` is the Edge's.`,
        source: `docs/jfrog-compat.md §1.8`,
      },
      {
        id: 'EDGE-SYS-4',
        level: 'MUST',
        profile: 'core',
        text: `Every response carries \`X-JFrog-Version: Artifactory/<version>\` and
\`X-Artifactory-Id\`, a hex id that stays the same; a path the Edge does not serve answers 404
\`NOT_FOUND\` in Artifactory's error body.`,
        source: `docs/jfrog-compat.md §1.3`,
      },
    ],
  },
  {
    prefix: 'EDGE-OPS',
    title: 'running an Edge',
    doc: 'requirements',
    intro: `Why it works this way: [decisions/0010](decisions/0010-operator-edge.md).`,
    requirements: [
      {
        id: 'EDGE-OPS-1',
        level: 'MUST',
        profile: 'implementation',
        text: `One Edge per data directory: \`serve\` holds a lock on
\`<dataDir>/edgeproof.lock\` that the kernel releases when the process ends, however it ends;
a second \`serve\` on a directory in use refuses at once with one line naming the holder's
PID, and changes nothing.`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-2',
        level: 'MUST',
        profile: 'implementation',
        text: `\`serve\` refuses a data directory under \`/proc\`, \`/sys\` or \`/dev\`, one
that is not a directory or cannot be written (or created), a port in use, a host that is
not an address of the machine, and a data directory in use (EDGE-OPS-1) with one line on
stderr and exit code 1, before anything is created in the data directory or printed on
stdout (the generated admin password included).`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-3',
        level: 'MUST',
        profile: 'core',
        text: `Every response carries \`X-Request-Id\`, and every entry of an error
body the same id as \`requestId\`. The id is the request's own \`X-Request-Id\` when it matches
\`^[A-Za-z0-9][A-Za-z0-9._:=+/@-]{0,127}$\`, otherwise a new ULID.`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-4',
        level: 'MUST',
        profile: 'implementation',
        text: `Each request is logged at \`info\` in one line with exactly one \`msg\`:
\`requestId\`, \`method\`, \`path\` (without the query string), \`status\`, \`bytes\` written,
\`durationMs\`, \`user\`, \`address\` (and \`aborted\` when the client left first); every log line
about a request carries its \`requestId\` (EDGE-OPS-3). The log is JSON
lines, or readable single lines when stdout is a terminal; it never holds credentials,
tokens or query strings. \`logLevel\` defaults to \`info\`.`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-5',
        level: 'MUST',
        profile: 'implementation',
        text: `Distribution is logged at \`info\`: a signing key trusted or removed, a
transaction opened, each file verified, a bundle committed, and each refusal of a start,
upload or commit with its EDP code.`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-6',
        level: 'MUST',
        profile: 'implementation',
        text: `A configuration value that is not accepted is refused in one line
that names it as given (\`--flag\`, \`EDGEPROOF_*\` variable, or key in the config file) and
says what is accepted; an unknown flag or command, or a flag missing its value, is one
line; all of them exit with code 2.`,
        source: `docs/decisions/0010`,
      },
      {
        id: 'EDGE-OPS-7',
        level: 'MUST',
        profile: 'implementation',
        text: `A connection made while \`serve\` starts (the port is held from before the data
directory is opened, EDGE-OPS-2) is closed at once and does not delay the start: health checks
that knock from the first moment (Docker's, a load balancer's) never keep an Edge from serving.`,
        source: `docs/decisions/0012`,
      },
      {
        id: 'EDGE-OPS-8',
        level: 'MUST',
        profile: 'implementation',
        text: `Housekeeping (the start-up sweep of unreferenced content, the expiry of idle
distribution transactions) runs in one process at a time among all the processes sharing the
metadata store, under a lease the store keeps; a lease whose holder died lapses, and the next
holder finishes the idempotent job.`,
        source: `docs/decisions/0001`,
      },
    ],
  },
  {
    prefix: 'EDGE-CLU',
    title: 'several processes',
    doc: 'requirements',
    intro: `One Edge may run as several worker processes sharing its port, its metadata store and its
binary store: [decisions/0025](decisions/0025-workers-and-group-commit.md).`,
    requirements: [
      {
        id: 'EDGE-CLU-1',
        level: 'MUST',
        profile: 'implementation',
        text: `\`edgeproof serve --workers N\` (config \`workers\`, 1–64, default 1) runs N worker
processes sharing the port (\`node:cluster\`). The primary holds the data directory's lock
(EDGE-OPS-1) and reserves the port before anything starts (EDGE-OPS-2); the first worker
initialises the data directory alone, the others start once it serves; the start-up line is
printed once every worker listens. A worker that dies is replaced; SIGTERM or SIGINT stops
every worker gracefully, then the primary releases the lock and exits.`,
        source: `docs/decisions/0025; issue #13`,
      },
      {
        id: 'EDGE-CLU-2',
        level: 'MUST',
        profile: 'implementation',
        text: `Behaviour does not depend on which worker answers: every answer the conformance
profiles check is the same from a multi-worker Edge, state kept in one process's memory is
either derived from the shared stores and invalidated by them, or harmless when per process
(listed in decision 0025), and a busy database (\`SQLITE_BUSY\` while another process writes)
is waited for, never answered 500.`,
        source: `docs/decisions/0025; issue #13`,
      },
      {
        id: 'EDGE-CLU-3',
        level: 'MUST',
        profile: 'implementation',
        text: `The start-up sweep of unreferenced content reclaims only content older than a
grace period (10 minutes): another live process sharing the binary store may have published
content whose metadata row it has not written yet.`,
        source: `docs/decisions/0025; issue #13`,
      },
    ],
  },
  {
    prefix: 'EDGE-PKG',
    title: 'package formats',
    doc: 'requirements',
    intro: `What each format serves and how its index is computed: [packages.md](packages.md); why:
[decisions/0019](decisions/0019-package-indexes.md).`,
    requirements: [
      {
        id: 'EDGE-PKG-1',
        level: 'MUST',
        profile: 'packages',
        text: `The index of an \`npm\` or \`pypi\` repository is computed on the Edge from the
files the repository holds, whatever brought them: it shows a release bundle's files from the
moment its commit answers, no longer shows them once the bundle is deleted, and is unchanged by
a bundle that is refused.`,
        source: `docs/packages.md; docs/decisions/0019`,
      },
      {
        id: 'EDGE-PKG-2',
        level: 'MUST',
        profile: 'packages',
        text: `An index lists only files the caller may read (EDGE-AUTH-5): a packument has no
version, and a simple page no link, whose file the caller may not read, and such a file answers
404 through the package API as through any other.`,
        source: `docs/packages.md; docs/requirements.md EDGE-AUTH-5`,
      },
      {
        id: 'EDGE-PKG-3',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET /artifactory/api/npm/{repo}/{name}\` (and \`@scope%2fname\`, \`@scope/name\`)
answers the packument built from the \`package.json\` of every \`.tgz\` of that name in the
repository: each version with \`dist.tarball\` an absolute URL on the Edge that downloads the
tarball, \`dist.shasum\` its SHA-1 and \`dist.integrity\` \`sha512-\` and its base64 SHA-512;
\`dist-tags.latest\` the highest release version by semver (a prerelease only when there is no
release); the abbreviated form (\`application/vnd.npm.install-v1+json\`) when the Accept header
asks for it; 404 for a name the repository does not hold.`,
        source: `docs/packages.md (npm registry package-metadata responses)`,
      },
      {
        id: 'EDGE-PKG-4',
        level: 'MUST',
        profile: 'packages',
        text: `A bundle bringing into an \`npm\` repository a \`.tgz\` that is not a gzipped tar
holding a \`package.json\` with a valid \`name\` and semver \`version\` is refused at commit with
422 \`EDP_PACKAGE_INVALID\` naming the file (\`repo_path\`), and nothing of it is published.`,
        source: `docs/packages.md; docs/decisions/0019`,
      },
      {
        id: 'EDGE-PKG-5',
        level: 'MUST',
        profile: 'packages',
        text: `Every write npm makes to \`/artifactory/api/npm/{repo}/…\` (publish, unpublish,
dist-tag, login) is refused with 403 \`EDGE_READ_ONLY\` (EDGE-RO-1's message) in Artifactory's
error body with npm's \`error\` member beside it, so npm prints the reason; nothing changes.`,
        source: `docs/jfrog-compat.md §6; docs/packages.md`,
      },
      {
        id: 'EDGE-PKG-6',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET /artifactory/api/pypi/{repo}/simple/\` lists one link per project and
\`…/simple/{project}/\` one link per wheel or sdist of the project, named by the file, to a URL
that downloads it, with a \`#sha256=\` fragment of its SHA-256 (PEP 503); when the Accept header
prefers \`application/vnd.pypi.simple.v1+json\`, the same as PEP 691 JSON with that content type.`,
        source: `docs/packages.md (PEP 503, PEP 691)`,
      },
      {
        id: 'EDGE-PKG-7',
        level: 'MUST',
        profile: 'packages',
        text: `Projects are indexed under their PEP 503 normalized name; a project URL with another
spelling, or without its trailing slash, and \`…/simple\` without its slash, answer 301 to the
normalized URL; an unknown project answers 404.`,
        source: `docs/packages.md (PEP 503)`,
      },
      {
        id: 'EDGE-PKG-8',
        level: 'MUST',
        profile: 'implementation',
        text: `The unmodified clients install from an Edge: \`pip install --index-url
http://user:pass@host/artifactory/api/pypi/{repo}/simple\` of a wheel and of an sdist, each with
a dependency, and \`npm install\` of a scoped package with a dependency, with \`_auth\` and with
\`_authToken\` in \`.npmrc\`, for files a signed release bundle delivered; \`npm publish\` fails
printing the read-only refusal.`,
        source: `docs/packages.md; docs/decisions/0019`,
      },
      {
        id: 'EDGE-PKG-9',
        level: 'MUST',
        profile: 'packages',
        text: `The index of an \`npm\` or \`pypi\` smart remote is computed from its cache merged
with its upstream's listing (an upstream file the listing gives no SHA-256 for is left out), its
links point at the remote's own package API and download through it, which caches the file; a
file the remote caches is in its index from that moment; a caller who may read the remote but
not cache into it is shown its cache only; a file that cannot be read now is left out of the
answer.`,
        source: `docs/packages.md; docs/decisions/0020; docs/requirements.md EDGE-SR-13, EDGE-SR-17`,
      },
      {
        id: 'EDGE-PKG-10',
        level: 'MUST',
        profile: 'packages',
        text: `The index of an \`npm\` or \`pypi\` virtual repository merges its members' in
resolution order (EDGE-VR-2), as far as the caller may read each: for a path, an npm version and a
PyPI file name the first member holding it wins; links point at the virtual's own package API and
download through it; a member of another package type adds nothing.`,
        source: `docs/packages.md; docs/decisions/0020; docs/requirements.md EDGE-VR-2, EDGE-VR-4`,
      },
      {
        id: 'EDGE-PKG-11',
        level: 'MUST',
        profile: 'packages',
        text: `Through a smart remote, an upstream npm tarball whose \`package.json\` is missing or
broken is never a version of any packument, and a file whose bytes do not match the checksum
the upstream declared is refused (EDGE-SR-5: never a complete 200), is not cached, and leaves the
index as it was.`,
        source: `docs/packages.md; docs/decisions/0020; docs/requirements.md EDGE-SR-5`,
      },
      {
        id: 'EDGE-PKG-12',
        level: 'MUST',
        profile: 'implementation',
        text: `The unmodified \`npm install\` (a scoped package with a dependency) and \`pip
install\` (a wheel and an sdist, each with a dependency) succeed through an \`npm\` or \`pypi\`
smart remote pulling from the upstream simulator, and through a virtual repository over a local
repository fed by a signed bundle and that smart remote.`,
        source: `docs/packages.md; docs/decisions/0020`,
      },
    ],
  },
  {
    prefix: 'EDGE-TRUST',
    title: 'circle of trust',
    doc: 'requirements',
    intro: `How to set one up: [circle-of-trust.md](circle-of-trust.md); why it works this way:
[decisions/0004](decisions/0004-circle-of-trust.md). Source: jfrog-compat.md §5 and §0.5.`,
    requirements: [
      {
        id: 'EDGE-TRUST-1',
        level: 'MUST',
        profile: 'implementation',
        text: `On first start the Edge creates an RSA-2048 signing key
(\`access/keys/private.key\`, mode 0600) and a self-signed root certificate for it
(\`access/keys/root.crt\`, common name = service id) and keeps both for the life of the data
directory; a missing certificate is re-created from the key, one that does not match the key
stops the start. Its tokens' \`kid\` is the RFC 7638 SHA-256 thumbprint of that key.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-2',
        level: 'MUST',
        profile: 'trust',
        text: `\`GET /access/api/v1/cert/root\` answers the root certificate as PEM
(\`text/plain\`), to admins only (as Artifactory since 7.12).`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-3',
        level: 'MUST',
        profile: 'implementation',
        text: `Every \`*.crt\` in \`access/keys/trusted/\` is a trusted certificate.
Adding, replacing or removing a file takes effect on the next request, without a restart.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-4',
        level: 'MUST',
        profile: 'trust',
        text: `A certificate that does not parse, is expired or not yet valid, holds
no RSA key of 2048 bits or more, holds several certificates, or is self-issued with a
signature that does not verify trusts nothing; in the folder it is logged (once) and listed
as refused, through REST or the CLI it is refused with 400 \`CERT_INVALID\` naming the reason
and nothing is written.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-5',
        level: 'MUST',
        profile: 'trust',
        text: `Admins list, add and remove trusted certificates with
\`GET /access/api/v1/cert/trusted\`, \`PUT /access/api/v1/cert/trusted/{alias}\` (PEM or DER
body) and \`DELETE /access/api/v1/cert/trusted/{alias}\`; \`edgeproof trust list|add|remove
--data-dir D\` does the same on the folder, validating alike.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-6',
        level: 'MUST',
        profile: 'trust',
        text: `\`POST /access/api/v1/tokens\` (JSON or form: \`username\`, \`scope\`,
\`expires_in\`, \`audience\`, \`refreshable\`, \`description\`) issues an RS256 JWT with header
\`ver\`, \`typ\`, \`alg\`, \`kid\` and claims \`sub\` (\`<service id>/users/<name>\`), \`scp\`, \`aud\`,
\`iss\`, \`iat\`, \`exp\`, \`jti\`, answering \`{token_id, access_token, [refresh_token,]
expires_in, scope, token_type: "Bearer"}\`. Defaults: the caller, \`applied-permissions/user\`,
\`tokenDefaultExpiresInSecs\`, audience \`*@*\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-7',
        level: 'MUST',
        profile: 'trust',
        text: `Only an admin may issue tokens for another user, with admin scope, or
for groups the caller is not a member of (403); a user-scoped token needs an existing user;
tokens always expire (\`expires_in\` 0 and above \`tokenMaxExpiresInSecs\` are 400).`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-8',
        level: 'MUST',
        profile: 'trust',
        text: `A token is accepted as \`Authorization: Bearer <token>\` and as the
password of basic auth, where the user name must be the user its subject names.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-9',
        level: 'MUST',
        profile: 'trust',
        text: `A token that is not three base64url parts with JSON-object header and
payload, whose required claims (\`sub\`, \`scp\`, \`aud\`, \`exp\`) are missing or mistyped, or whose
header carries \`crit\`, \`b64\`, \`jku\`, \`jwk\`, \`x5u\` or \`x5c\`, is refused with
\`TOKEN_MALFORMED\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-10',
        level: 'MUST',
        profile: 'trust',
        text: `Only \`alg: RS256\` is accepted, decided before any key is used:
\`none\`, HMAC (also with the public key as secret), \`RS384\`/\`RS512\`/\`PS*\` and others are
refused with \`TOKEN_BAD_ALGORITHM\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-11',
        level: 'MUST',
        profile: 'trust',
        text: `The verifying certificate is the Edge's own or the trusted one whose
key has the token's \`kid\`; keys are never tried in turn. No \`kid\`, or one no trusted
certificate has, is refused with \`TOKEN_UNTRUSTED_ISSUER\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-12',
        level: 'MUST',
        profile: 'trust',
        text: `A signature that does not verify against that certificate is refused
with \`TOKEN_BAD_SIGNATURE\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-13',
        level: 'MUST',
        profile: 'trust',
        text: `\`exp\`, \`nbf\` and \`iat\` are checked with \`tokenClockSkewSecs\` of
tolerance for tokens other services signed, and with none for the Edge's own tokens (its
clock stamped them): expired is \`TOKEN_EXPIRED\`, not yet valid (or issued in the future)
\`TOKEN_NOT_YET_VALID\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-14',
        level: 'MUST',
        profile: 'trust',
        text: `\`aud\` (a string or an array) must name this Edge's service id,
\`jfrt@*\` or \`*@*\`; otherwise \`TOKEN_WRONG_AUDIENCE\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-15',
        level: 'MUST',
        profile: 'trust',
        text: `\`applied-permissions/admin\` grants what an admin may;
\`applied-permissions/user\` what the subject's user may here, and that user must exist here
(\`TOKEN_UNKNOWN_USER\`); \`applied-permissions/groups:a,b\` what those groups may and nothing
of the subject's user. A scope granting none of these, or a user scope whose subject names no
user, is \`TOKEN_BAD_SCOPE\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-16',
        level: 'MUST',
        profile: 'trust',
        text: `\`DELETE /access/api/v1/tokens/{id}\` revokes a token this Edge issued
(admins any, users their own) and it is refused from the next request on with
\`TOKEN_REVOKED\`, as is a token signed with the Edge's key that it has no record of;
\`GET /access/api/v1/tokens\` lists all tokens to admins, their own to users. Tokens of other
services cannot be revoked here (jfrog-compat.md §5: circle-of-trust tokens are
non-revocable); they end at \`exp\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-17',
        level: 'MUST',
        profile: 'trust',
        text: `Every token refusal is a 401 with Artifactory's error body, its
stable code and a message naming the failed check that repeats no part of the token, and
changes nothing.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-18',
        level: 'MUST',
        profile: 'trust',
        text: `A \`refreshable\` token comes with a \`refresh_token\` good for exactly
one \`grant_type=refresh_token\` request, which returns a new token with the same subject,
scope, audience and lifetime and revokes the old one; a used or unknown refresh token is
\`TOKEN_REVOKED\`.`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
      {
        id: 'EDGE-TRUST-19',
        level: 'MUST',
        profile: 'trust',
        text: `The certificate \`GET /access/api/v1/cert/root\` answers is self-signed with
the service id as its common name, holds an RSA key of 2048 bits or more, is valid now, and
verifies the Edge's own tokens, whose \`kid\` is the RFC 7638 SHA-256 thumbprint of its key: a
peer that trusts the certificate can check the Edge's tokens (EDGE-TRUST-1 says where key and
certificate are kept).`,
        source: `docs/jfrog-compat.md §5, §0.5; docs/decisions/0004`,
      },
    ],
  },
  {
    prefix: 'EDGE-BIN',
    title: 'binary stores (object stores, cache, shards)',
    doc: 'requirements',
    requirements: [
      {
        id: 'EDGE-BIN-1',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`binariesType\` \`s3\`, content is kept in the bucket under
\`<s3Prefix><sha256[0:2]>/<sha256>\`. A body is streamed to a staging key in multipart parts of
bounded size (memory does not grow with the body) while its MD5, SHA-1 and SHA-256 are computed
in the same pass and the EDGE-IN-6 limit stops it mid-stream; publishing copies the staging
object, whose stored size was checked against the bytes hashed, to its content key, so a content
key never holds a partial object; an upload refused or broken off leaves no object in the bucket.
Reads use ranged GETs, and the object's size the store reports must be the recorded one
(EDGE-DUR-3).`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-2',
        level: 'MUST',
        profile: 'implementation',
        text: `A store that cannot read its staging back while it grows (an object store, the
sharded filestore) stages a download shared by late joiners (EDGE-SR-7) in a local spool file
under the data directory, read back from there, and passes the bytes to its own staging when
staging finishes; the spool file is then removed.`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-3',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`binariesCacheMaxBytes\` above 0, an object store's content read whole is
kept under \`<dataDir>/cache\` and read from there the next times without a request to the
object store. A cached copy is kept only when its SHA-256 and size are the content's; one of
another size is dropped, not served; whole files are evicted, least recently read first, to stay
under the bound.`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-4',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`binariesType\` \`sharded\`, each content is written to
\`binariesRedundancy\` of the \`binariesShards\` directories, the first of its rendezvous
order (on SHA-256) that take the write. A read takes the first copy of the recorded size, so
while one copy is sound a shard that is gone or damaged loses nothing; with every copy gone the
read fails, never with a short body. \`edgeproof storage rebalance\` (with no Edge serving the
data directory) copies each content, from a copy whose SHA-256 checks out, to its shards lacking
one, lists each copy it made and each content lost, and exits 1 when content is lost.`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-5',
        level: 'MUST',
        profile: 'implementation',
        text: `A binary store configuration that cannot work (no bucket or container, fewer
shard directories than copies, an endpoint that does not answer) refuses the start in one line
naming the key or the store, never with the value of a secret (S3 secret key, Azure connection
string).`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-6',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`binariesType\` \`azure\`, content is kept as block blobs in
\`azureContainer\` under \`<sha256[0:2]>/<sha256>\`, with the promises of EDGE-BIN-1: blocks of
bounded size committed by one last block list (a blob appears whole or not at all), checksums and
limits while streaming, publication by a server-side copy, ranged reads checked against the
recorded size, nothing left by an upload refused or broken off.`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-7',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`binariesType\` \`s3\`, content larger than S3's single-request limits (5 GiB for
PutObject and CopyObject) is stored and published whole: a body larger than one part is always
uploaded in parts, and content larger than the copy threshold is published by a multipart copy
(UploadPartCopy of bounded ranges, completed in one last call). A copy that fails at any part is
aborted, leaving no object at the content key, no staging object and no unfinished upload; the
sweep aborts multipart uploads under the prefix left unfinished for more than a day.`,
        source: `docs/decisions/0024`,
      },
      {
        id: 'EDGE-BIN-8',
        level: 'MUST',
        profile: 'implementation',
        text: `With an object store, work on many objects is not one request after another: an
EDP commit asks whether its files' content is still held a bounded number at a time (16 by
default), and the staging objects of publications running together are removed in batches (one
DeleteObjects of up to 1,000 keys on S3; on Azure Blob, removals a bounded number at a time), a
publication returning only once its staging is gone.`,
        source: `docs/decisions/0024`,
      },
    ],
  },
  {
    prefix: 'EDGE-SR',
    title: 'smart remote repositories',
    doc: 'requirements',
    intro: `What the Edge asks the upstream for each of these: [smart-remote.md](smart-remote.md); why it works this way: [decisions/0017](decisions/0017-smart-remote.md).`,
    requirements: [
      {
        id: 'EDGE-SR-1',
        level: 'MUST',
        profile: 'smart-remote',
        text: `\`rclass: remote\` with \`contentSynchronisation.enabled: true\` and a \`url\` of the form
\`http(s)://host[:port]/artifactory/<repoKey>\` creates a smart remote repository. Before storing
anything the Edge checks that the URL answers as an Artifactory: \`GET <base>/api/system/ping\`
answers 200 \`OK\` and \`GET <base>/api/storage/<repoKey>\` answers 200 (with the configured
\`username\`/\`password\` as Basic auth when given). A missing or malformed \`url\`, an unreachable
one, or one that does not answer as an Artifactory is 400 \`REMOTE_NOT_SMART\` whose message starts
with \`Only smart remote repositories are supported with Artifactory Edge license\` and then names
the field and why (e.g. \`: 'url' http://127.0.0.1:9/artifactory/x is unreachable (ECONNREFUSED).\`);
nothing is created.`,
        source: `docs/jfrog-compat.md §2, §1.7; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-2',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Every JFrog remote field that applies is accepted, stored and returned by
\`GET /api/repositories/{key}\`, with JFrog's defaults when missing (\`retrievalCachePeriodSecs\`
7200, \`missedRetrievalCachePeriodSecs\` 1800, \`assumedOfflinePeriodSecs\` 300,
\`socketTimeoutMillis\` 15000, \`metadataRetrievalTimeoutSecs\` 60, \`listRemoteFolderItems\` true,
\`hardFail\` false, \`offline\` false, \`bypassHeadRequests\` false, \`storeArtifactsLocally\` true,
\`synchronizeProperties\` false, \`contentSynchronisation.{statistics,properties}.enabled\` false,
\`contentSynchronisation.source.originAbsenceDetection\` false, …); a field of the wrong type is 400
\`INVALID_BODY\` naming it; \`password\` is never returned in clear.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-3',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Cache first: a cached item is answered from the cache without any upstream request
while it is fresh (a released artifact never expires).`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-4',
        level: 'MUST',
        profile: 'smart-remote',
        text: `On a miss the Edge sends HEAD (unless \`bypassHeadRequests\`) then GET to
\`<url>/<path>\`, streams the body to the client and into the cache at once, and caches the item
with the upstream's checksums; the client's answer carries the same checksum headers.`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-5',
        level: 'MUST',
        profile: 'smart-remote',
        text: `The upstream's declared checksums (\`X-Checksum-Sha256\`, \`-Sha1\`, \`-Md5\`) and
\`Content-Length\` are verified while the bytes pass. Content that fails is never cached, and the
client never receives a complete, successful response with those bytes: the Edge holds back the
end of the body until the checksums are known and aborts the response (connection reset or
premature close) otherwise. An upstream answer without an SHA-256 or SHA-1 checksum header is not
cached.`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-6',
        level: 'MUST',
        profile: 'smart-remote',
        text: `An upstream that truncates the body, resets the connection mid-body, or stalls
longer than \`socketTimeoutMillis\` leaves nothing cached (no item, no half file, no staged
bytes); the next request fetches again.`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-7',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Concurrent requests for the same uncached item cause exactly one upstream GET,
whatever their number; requests that arrive while it is in flight stream from it.`,
        source: `docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-8',
        level: 'MUST',
        profile: 'smart-remote',
        text: `An upstream 404 is remembered for \`missedRetrievalCachePeriodSecs\`: within it the
Edge answers 404 without asking the upstream; after it the upstream is asked again; 0 disables
miss caching.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-9',
        level: 'MUST',
        profile: 'smart-remote',
        text: `After a connection failure the upstream is assumed offline for
\`assumedOfflinePeriodSecs\`: only cached content is served and the upstream is not contacted;
after the period it is asked again.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-10',
        level: 'MUST',
        profile: 'smart-remote',
        text: `With \`offline: true\` the upstream is never contacted: cached content is served,
anything else is 404.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-11',
        level: 'MUST',
        profile: 'smart-remote',
        text: `With \`hardFail\`, an upstream failure (connection error, timeout, 5xx) reaches the
client as 502 \`UPSTREAM_UNAVAILABLE\` in Artifactory's error body, whose message names the
repository and no internal address beyond the configured URL; without it the client gets 404
\`NOT_FOUND\`, as for an absent item.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-12',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Storage info (\`GET /api/storage/{remote}/{path}\`) of a cached file carries
\`remoteUrl\`, the upstream URL of the file; a download from the remote carries
\`X-Artifactory-Origin-Remote-Path\`, the path on the upstream repository.`,
        source: `docs/jfrog-compat.md §1.4, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-13',
        level: 'MUST',
        profile: 'smart-remote',
        text: `With \`listRemoteFolderItems\` (default true), folder listings of the remote (storage
folder info \`children\`, \`?list\`, the HTML index) merge the upstream's listing of that folder
with what is cached, each name once; the upstream listing is cached for
\`retrievalCachePeriodSecs\`. Upstream names that are not clean paths are dropped.`,
        source: `docs/jfrog-compat.md §1.7, §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-14',
        level: 'MUST',
        profile: 'smart-remote',
        text: `With \`contentSynchronisation.properties.enabled\`, a download of a cached item makes
the item's properties follow the upstream's
(\`GET <base>/api/storage/<repo>/<path>?properties\`).`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-15',
        level: 'MUST',
        profile: 'smart-remote',
        text: `With \`contentSynchronisation.source.originAbsenceDetection\`, a cached item the
upstream no longer has (found when the Edge checks it: a listing merge, or a storage-info request
when its last check is older than \`retrievalCachePeriodSecs\`) is marked: its file info carries
\`"originAbsent": true\`, and it stays downloadable from the cache.`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-16',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Cached content is read-only: deploy, copy/move and property writes on a remote are
the read-only 403 \`EDGE_READ_ONLY\` like every repository but the uploads one; an admin (only) may
\`DELETE\` a cached item or folder (204), and the next request fetches it again; a non-admin
delete is 403.`,
        source: `docs/jfrog-compat.md §1.9, §2, §6; docs/decisions/0017`,
      },
      {
        id: 'EDGE-SR-17',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Reading through a smart remote needs read permission on the path in the remote
repository; a caller without it gets exactly the absent 404 and causes no upstream request.`,
        source: `docs/jfrog-compat.md §2; docs/decisions/0007, 0017`,
      },
      {
        id: 'EDGE-SR-18',
        level: 'MUST',
        profile: 'smart-remote',
        text: `An upstream body larger than the Edge's \`maxUploadBytes\` is never cached and the
Edge keeps nothing of it. When the upstream declares the length, the client gets 502
\`UPSTREAM_UNAVAILABLE\` with \`hardFail\`, 404 without, before any byte; a body that runs past
the limit without declaring it is broken off (the answer has begun: EDGE-SR-5's rule, never a
complete response).`,
        source: `docs/decisions/0014, 0017`,
      },
    ],
  },
  {
    prefix: 'EDGE-VR',
    title: 'virtual repositories',
    doc: 'requirements',
    intro: `Why it works this way: [decisions/0018](decisions/0018-virtual-repositories.md).`,
    requirements: [
      {
        id: 'EDGE-VR-1',
        level: 'MUST',
        profile: 'smart-remote',
        text: `\`rclass: virtual\` with \`repositories\` (ordered keys) creates a virtual repository;
an unknown member, a member of another package type, or a loop (the virtual reachable from its
own members, directly or through other virtuals) is 400 \`INVALID_BODY\` naming \`repositories\`.
\`GET /api/repositories/{key}\` returns the configuration with JFrog's defaults (\`repositories\`
\`[]\`, \`includesPattern\` \`**/*\`, \`excludesPattern\` \`""\`, \`defaultDeploymentRepo\`
absent or null, \`artifactoryRequestsCanRetrieveRemoteArtifacts\` false, …).`,
        source: `docs/jfrog-compat.md §1.7; docs/decisions/0018`,
      },
      {
        id: 'EDGE-VR-2',
        level: 'MUST',
        profile: 'smart-remote',
        text: `A download through a virtual resolves the path in its members: local members first,
in list order, then remote members (cache, then upstream), in list order, nested virtuals
expanded in place; the first member that has it answers.`,
        source: `docs/jfrog-compat.md §1.7; docs/decisions/0018`,
      },
      {
        id: 'EDGE-VR-3',
        level: 'MUST',
        profile: 'smart-remote',
        text: `The virtual's \`includesPattern\`/\`excludesPattern\` (Ant patterns) hide paths: an
excluded path is 404 through the virtual, absent from its listings, and no member (nor any
upstream) is asked for it.`,
        source: `docs/jfrog-compat.md §1.7; docs/decisions/0018`,
      },
      {
        id: 'EDGE-VR-4',
        level: 'MUST',
        profile: 'smart-remote',
        text: `Folder listings through a virtual (storage folder info \`children\`, \`?list\`, the
HTML index) merge the members' listings, each name once; the first member in resolution order
wins.`,
        source: `docs/jfrog-compat.md §1.7; docs/decisions/0018`,
      },
      {
        id: 'EDGE-VR-5',
        level: 'MUST',
        profile: 'smart-remote',
        text: `\`defaultDeploymentRepo\` may only be \`artifactory-edge-uploads\` and must be a
member (otherwise 400 \`INVALID_BODY\` naming \`defaultDeploymentRepo\`); a deploy through the
virtual then lands in it, under the uploads repository's rules and permissions; any other write
through a virtual is the read-only 403 \`EDGE_READ_ONLY\`.`,
        source: `docs/jfrog-compat.md §1.7, §1.9, §6; docs/decisions/0018`,
      },
      {
        id: 'EDGE-VR-6',
        level: 'MUST',
        profile: 'smart-remote',
        text: `A virtual reveals nothing the caller may not read in the member where the item
lies: downloads, storage info and listings through it follow the caller's path-level permissions
on that member (EDGE-AUTH-5), and a member the caller may not read is skipped as if it did not
hold the item.`,
        source: `docs/decisions/0007, 0018`,
      },
    ],
  },
  {
    prefix: 'EDGE-MVN',
    title: 'Maven',
    doc: 'requirements',
    intro: `Maven repositories (\`packageType: maven\`) in the plain layout under
\`/artifactory/{repo}/\`: [packages.md](packages.md#maven--packagetype-maven); why:
[decisions/0022](decisions/0022-maven.md).`,
    requirements: [
      {
        id: 'EDGE-MVN-1',
        level: 'MUST',
        profile: 'packages',
        text: `Every 401 outside the Docker API carries \`WWW-Authenticate: Basic realm="Artifactory
Realm"\`, exactly: Maven's HTTP transport sends the \`settings.xml\` credentials only after
that challenge.`,
        source: `docs/packages.md; docs/decisions/0022`,
      },
      {
        id: 'EDGE-MVN-2',
        level: 'MUST',
        profile: 'packages',
        text: `In a \`maven\` repository, \`{groupPath}/{artifactId}/maven-metadata.xml\` is
computed from the version folders below it that hold a file of the artifact the caller may read
(\`groupId\`, \`artifactId\`, \`versioning/{latest,release,versions,lastUpdated}\`), whatever
brought the files: current from the moment a bundle's commit answers, without them once it is
deleted; a stored file of that name is not served in its place. A virtual repository merges its
members'. A folder with no readable versions answers what is stored there, usually 404.`,
        source: `docs/packages.md; docs/decisions/0022`,
      },
      {
        id: 'EDGE-MVN-3',
        level: 'MUST',
        profile: 'packages',
        text: `Versions are listed ascending in Maven's order (Maven 3.8's \`ComparableVersion\`);
\`latest\` is the highest, \`release\` the highest that is not a SNAPSHOT (absent when all are).`,
        source: `docs/decisions/0022`,
      },
      {
        id: 'EDGE-MVN-4',
        level: 'SHOULD',
        profile: 'packages',
        text: `A \`{version}-SNAPSHOT\` folder holding timestamped builds
(\`{artifactId}-{base}-{yyyyMMdd.HHmmss}-{build}[-{classifier}].{ext}\`) has a computed
\`maven-metadata.xml\`: the newest build in \`snapshot\`, and the newest file per classifier
and extension in \`snapshotVersions\`.`,
        source: `docs/decisions/0022`,
      },
      {
        id: 'EDGE-MVN-5',
        level: 'MUST',
        profile: 'packages',
        text: `\`{file}.sha1\`, \`.md5\` and \`.sha256\` answer the checksum of every file and of
every computed \`maven-metadata.xml\` (the same bytes the document is served with), whether
or not the bundle carried checksum files; GET and HEAD both work on all of them.`,
        source: `docs/packages.md; docs/decisions/0022`,
      },
      {
        id: 'EDGE-MVN-6',
        level: 'MUST',
        profile: 'packages',
        text: `A deploy to a \`maven\` repository (\`mvn deploy\`'s PUTs of artifacts, POMs,
checksums and metadata) gets the read-only 403 \`EDGE_READ_ONLY\` and changes nothing.`,
        source: `docs/jfrog-compat.md §1.9`,
      },
      {
        id: 'EDGE-MVN-7',
        level: 'MUST',
        profile: 'packages',
        text: `A bundle bringing into a \`maven\` repository a \`.pom\` that is not well-formed XML,
whose root is not \`project\`, or whose \`groupId\`, \`artifactId\` or \`version\` (the
parent's \`groupId\` and \`version\` when its own are absent) disagree with its path, is refused
at commit with 422 \`EDP_PACKAGE_INVALID\` naming the file; nothing of it is published and the
metadata is unchanged. As Artifactory's POM consistency check, it is skipped for a repository
whose configuration sets \`suppressPomConsistencyChecks: true\`.`,
        source: `docs/decisions/0022 (JFrog KB how-can-i-find-corrupted-artifacts-using-aql-and-delete-them)`,
      },
      {
        id: 'EDGE-MVN-8',
        level: 'MUST',
        profile: 'implementation',
        text: `The unmodified \`mvn\` (3.8, plugins from Debian's repository) resolves from an
Edge with \`settings.xml\` credentials: \`mvn dependency:get\` of an artifact with a dependency,
and a project build resolving its dependency, for files a signed release bundle delivered, pulled
through a smart remote, and through a virtual over both.`,
        source: `docs/packages.md; docs/decisions/0022`,
      },
    ],
  },
  {
    prefix: 'EDGE-OCI',
    title: 'Docker/OCI registry',
    doc: 'requirements',
    intro: `The registry API Docker clients pull through, over Artifactory's storage layout:
[packages.md](packages.md#docker--oci--packagetype-docker); why:
[decisions/0021](decisions/0021-docker-registry.md).`,
    requirements: [
      {
        id: 'EDGE-OCI-1',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET /v2/\` (and \`/artifactory/api/docker/{repo}/v2/\`) answers an anonymous caller
401 with \`WWW-Authenticate: Bearer realm="<base>/artifactory/api/docker/{repo}/v2/token",service="<host>"\`
(the root's realm without \`{repo}\`) and \`Docker-Distribution-Api-Version: registry/2.0\`, even
when anonymous access is on, and 200 \`{}\` with Basic credentials or a token the Edge accepts;
\`GET …/v2/token\` with Basic credentials answers \`{"token","access_token","expires_in"}\` holding an
Edge access token, which then authenticates every registry request as the user it was issued to.
Every answer under the registry API carries the API-version header; every 401 the Bearer
challenge (the token endpoint's: Basic).`,
        source: `docs/packages.md; docs/decisions/0021; JFrog KB how-to-troubleshoot-docker-problems; distribution.github.io/distribution/spec/auth/token`,
      },
      {
        id: 'EDGE-OCI-2',
        level: 'MUST',
        profile: 'packages',
        text: `A \`docker\` repository's images are Artifactory's storage layout: a tag is a folder
\`{image}/{tag}/\` holding \`manifest.json\` (its config and layers beside it as
\`sha256__{hex}\`) or \`list.manifest.json\` (each platform image in \`{image}/sha256__{hex}/\`);
requests address \`/v2/{repo}/{image…}/…\` (first segment: the repository key) or
\`/artifactory/api/docker/{repo}/v2/{image…}/…\`, and show only files the caller may read.`,
        source: `docs/packages.md; docs/decisions/0021; jfrog.com/help docker-repository-url-formats; jfrog/jfrog-cli-artifactory ocicontainer/`,
      },
      {
        id: 'EDGE-OCI-3',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET|HEAD …/manifests/{tag|digest}\` answers the stored manifest's bytes with
\`Content-Type\` its media type, \`Docker-Content-Digest\` its sha256 digest, \`Content-Length\`
and \`X-Artifactory-Docker-Registry: {repo}\`; a tag of a multi-arch image answers its list; a
digest answers the image's manifest with that SHA-256, wherever in the image it is stored. An
unknown or impossible tag is 404 \`MANIFEST_UNKNOWN\`; a digest that is not sha256 is 400
\`DIGEST_INVALID\`.`,
        source: `docs/packages.md; github.com/opencontainers/distribution-spec spec.md`,
      },
      {
        id: 'EDGE-OCI-4',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET|HEAD …/blobs/{digest}\` answers the image's \`sha256__{hex}\` file with
\`Docker-Content-Digest\`, \`Content-Length\` and byte ranges (206); a file whose content does
not hash to its name is never served as that digest; an unknown blob is 404 \`BLOB_UNKNOWN\`.`,
        source: `docs/packages.md; github.com/opencontainers/distribution-spec spec.md`,
      },
      {
        id: 'EDGE-OCI-5',
        level: 'MUST',
        profile: 'packages',
        text: `\`GET …/tags/list\` answers \`{"name","tags"}\` with the image's tag folders sorted,
paginated by \`n\` and \`last\` with a \`Link: <…>; rel="next"\` header while more remain; an image
the repository does not hold is 404 \`NAME_UNKNOWN\`. \`GET …/referrers/{digest}\` answers an
OCI index of the image's manifests whose \`subject\` is that digest (empty when none).`,
        source: `docs/packages.md; github.com/opencontainers/distribution-spec spec.md`,
      },
      {
        id: 'EDGE-OCI-6',
        level: 'MUST',
        profile: 'packages',
        text: `Refusals under the registry API carry the registry's error body
\`{"errors":[{"code","message",…}]}\` with the spec's codes (\`UNAUTHORIZED\`, \`DENIED\`,
\`NAME_UNKNOWN\`, \`MANIFEST_UNKNOWN\`, \`BLOB_UNKNOWN\`, \`DIGEST_INVALID\`, \`NAME_INVALID\`,
\`UNSUPPORTED\`), keeping Artifactory's \`status\` and the Edge's own code in \`detail.edgeCode\`;
a repository that is not a \`docker\` repository is \`NAME_UNKNOWN\`.`,
        source: `docs/decisions/0021; github.com/opencontainers/distribution-spec spec.md`,
      },
      {
        id: 'EDGE-OCI-7',
        level: 'MUST',
        profile: 'packages',
        text: `A bundle that brings into a \`docker\` repository a \`manifest.json\` or
\`list.manifest.json\` that is not a Docker/OCI manifest, a manifest that references a blob (or
platform manifest) neither the bundle nor the repository holds where the layout puts it, or a
\`sha256__{hex}\` file whose content does not hash to \`{hex}\` is refused at commit with 422
\`EDP_PACKAGE_INVALID\` naming the file, and the registry answers as before.`,
        source: `docs/packages.md; docs/decisions/0021`,
      },
      {
        id: 'EDGE-OCI-8',
        level: 'MUST',
        profile: 'packages',
        text: `Every push (\`POST\`, \`PUT\`, \`PATCH\`, \`DELETE\` under the registry API) is refused
403 \`DENIED\` with the Edge's read-only message, whoever asks (anonymous: 401).`,
        source: `docs/decisions/0021; docs/jfrog-compat.md §1.9`,
      },
      {
        id: 'EDGE-OCI-9',
        level: 'MUST',
        profile: 'implementation',
        text: `The unmodified clients pull from an Edge's \`docker\` repository images a signed
release bundle delivered (a Docker v2 and an OCI image, a multi-arch list): \`skopeo inspect\`,
\`skopeo copy docker://… dir:…\` with credentials over plain HTTP, and \`docker login\` then
\`docker pull 127.0.0.1:{port}/{repo}/{image}:{tag}\`.`,
        source: `docs/packages.md; docs/decisions/0021`,
      },
      {
        id: 'EDGE-OCI-10',
        level: 'MUST',
        profile: 'implementation',
        text: `The same clients pull through a smart remote \`docker\` repository whose upstream
holds the layout's files (the Edge pulls manifests and blobs through its cache as clients ask)
and through a virtual \`docker\` repository over a local and that remote.`,
        source: `docs/packages.md; docs/decisions/0021`,
      },
    ],
  },
  {
    prefix: 'EDGE-PG',
    title: 'PostgreSQL metadata',
    doc: 'requirements',
    intro: `Why it works this way: [decisions/0023](decisions/0023-postgresql-metadata.md).`,
    requirements: [
      {
        id: 'EDGE-PG-1',
        level: 'MUST',
        profile: 'implementation',
        text: `With \`databaseType: postgresql\` and a \`databaseUrl\`, the Edge keeps its metadata in
that PostgreSQL database, behind the same metadata interface with the same promises as SQLite
(the metadata contract suite passes unchanged, and so do the conformance profiles). A server that
cannot be reached, a login refused or a missing database refuses the start in one line naming
the host, port and database, never the password.`,
        source: `docs/decisions/0023`,
      },
      {
        id: 'EDGE-PG-2',
        level: 'MUST',
        profile: 'implementation',
        text: `The schema is versioned: the missing migrations are applied in one transaction under
an advisory lock, so nodes starting together on an empty database migrate it once; a schema
newer than the code refuses the start.`,
        source: `docs/decisions/0023`,
      },
      {
        id: 'EDGE-PG-3',
        level: 'MUST',
        profile: 'implementation',
        text: `There is at most one OPEN distribution transaction per bundle name and version, whichever
node starts it: starts racing on two nodes both answer the one transaction's id.`,
        source: `docs/decisions/0023`,
      },
      {
        id: 'EDGE-PG-4',
        level: 'MUST',
        profile: 'implementation',
        text: `Writes through several nodes at once behave as if one went first, as they do under
SQLite's single writer: a file and a folder deployed at one path, or two bundles committed with
different content at one path, leave one winner and a coded refusal (\`ITEM_TYPE_CONFLICT\`,
\`EDP_PATH_CONFLICT\`), never a mixed tree or a 500.`,
        source: `docs/decisions/0023`,
      },
      {
        id: 'EDGE-PG-5',
        level: 'MUST',
        profile: 'implementation',
        text: `Listings come in SQLite's order (folders first, then by name in byte order) whatever
collation the database was created with.`,
        source: `docs/decisions/0023`,
      },
      {
        id: 'EDGE-PG-6',
        level: 'MUST',
        profile: 'implementation',
        text: `The metadata of an EDP bundle costs round trips to PostgreSQL per batch of files (at
most 1,000 rows a statement), not per file: a transaction's start inserts its files with set
statements, an upload reads its transaction and file in one statement and marks the file
PRESENT in one more, a commit reads every target path and writes the items, folders, properties
and the bundle's file list with set statements, still as one serializable, retried transaction
that publishes all or nothing (EDP-PUB-1), and a bundle's deletion removes its files with set
statements and the folders they leave empty with one statement per folder depth (EDP-PUB-5).`,
        source: `docs/decisions/0023`,
      },
    ],
  },
  {
    prefix: 'EDGE-UI',
    title: 'the web UI',
    doc: 'requirements',
    intro: `Why it works this way: [decisions/0026](decisions/0026-web-ui.md); how to open it: [ui.md](ui.md).`,
    requirements: [
      {
        id: 'EDGE-UI-1',
        level: 'MUST',
        profile: 'implementation',
        text: `The Edge serves its web UI itself at \`/ui/\` (\`/ui\` redirects there), to anyone: static
files built from \`ui/\`, nothing from another origin. \`index.html\` is sent with \`Cache-Control:
no-cache\`; the assets it names carry a content hash in their names and are sent with
\`Cache-Control: public, max-age=31536000, immutable\`. A name the build did not make answers 404
\`NOT_FOUND\` in Artifactory's error body without touching the file system; an Edge whose UI is not
built answers \`/ui/\` with 404 \`UI_NOT_BUILT\`.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-2',
        level: 'MUST',
        profile: 'implementation',
        text: `The UI reads and writes only through the Edge's public REST API, with the signed-in
user's credentials (a password, an access token, or none when anonymous access is on), so it
shows exactly what those calls answer that user: what a \`GET\` refuses or hides is neither
listed nor shown, and a refusal is shown with Artifactory's message and the Edge's code.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-3',
        level: 'MUST',
        profile: 'implementation',
        text: `Every UI response carries a Content-Security-Policy that lets only the UI's own files
load and run (\`default-src 'none'\`, \`script-src 'self'\`, \`connect-src 'self'\`, no inline script
of its own) plus, by hash, the conformance report's one inline style and script; it may not be
framed by another page, and carries \`X-Content-Type-Options: nosniff\` and \`Referrer-Policy:
no-referrer\`.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-4',
        level: 'MUST',
        profile: 'implementation',
        text: `Uploading from the UI (a file picker or drag and drop) shows progress, computes the
file's SHA-256, SHA-1 and MD5 in the browser and sends them as \`X-Checksum-Sha256\`,
\`X-Checksum-Sha1\` and \`X-Checksum-Md5\`; every repository but \`artifactory-edge-uploads\` says it is
read-only and why, and an upload the Edge refuses shows the Edge's message.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-5',
        level: 'MUST',
        profile: 'implementation',
        text: `\`GET /artifactory/api/edgeproof/distribution/refusals\` answers an admin (anyone else:
401 or 403) \`{"events":[{at, step, code, message, txId?, repoPath?}]}\`: the latest refused
deliveries of this process with their EDP codes, newest first, at most 200; the UI's release
bundles page shows them.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-6',
        level: 'MUST',
        profile: 'implementation',
        text: `The UI's conformance view opens a report folder (or its \`result.json\`) chosen from
the user's disk and draws it with the renderer of \`report.html\` (\`reports/html.ts\`), in a
sandboxed frame: the same page, drawn by the same code, and nothing of the report is sent.`,
        source: `docs/decisions/0026`,
      },
      {
        id: 'EDGE-UI-7',
        level: 'MUST',
        profile: 'implementation',
        text: `Every page of the UI can be used with the keyboard alone (sign-in included) and fits a
phone: at 390 CSS pixels wide no page scrolls sideways.`,
        source: `docs/decisions/0026`,
      },
    ],
  },
  {
    prefix: 'EDGE-HA',
    title: 'Several nodes behind a load balancer',
    doc: 'requirements',
    intro: `Why it works this way: [decisions/0027](decisions/0027-cluster.md).`,
    requirements: [
      {
        id: 'EDGE-HA-1',
        level: 'MUST',
        profile: 'implementation',
        text: `Nodes sharing one metadata database and one binary store share the serviceId but each
has a node id of its own (\`nodeId\`, else one made on the data directory's first start and kept in
\`<dataDir>/node.id\`), sent as \`X-Artifactory-Node-Id\` and named by the router's health. They
share the circle-of-trust key directory (\`<dataDir>/access/keys\`), so a token one node issues
verifies on every other.`,
        source: `docs/decisions/0027`,
      },
      {
        id: 'EDGE-HA-2',
        level: 'MUST',
        profile: 'implementation',
        text: `Every node writes a heartbeat into the shared store every 5 s; \`/api/system/status\`
lists every node that ever did, RUNNING when seen within 15 s, DOWN otherwise (a node stopping
cleanly is DOWN at once); readiness answers 503 while the node cannot write to the shared store.`,
        source: `docs/decisions/0027`,
      },
      {
        id: 'EDGE-HA-3',
        level: 'MUST',
        profile: 'implementation',
        text: `Three nodes on PostgreSQL and S3 behind nginx (round robin, passive health checks,
bodies streamed) pass the default conformance profiles, request after request landing on
different nodes: no node serves a stale answer from a cache of its own.`,
        source: `docs/decisions/0027`,
      },
      {
        id: 'EDGE-HA-4',
        level: 'MUST',
        profile: 'implementation',
        text: `A distribution transaction started on one node continues and commits on any other;
a node killed mid-upload loses nothing acknowledged and leaves nothing visible before the commit;
once committed, the bundle and its files are visible on every node.`,
        source: `docs/decisions/0027`,
      },
      {
        id: 'EDGE-HA-5',
        level: 'MUST',
        profile: 'implementation',
        text: `A smart remote's memory of its upstream is shared by every node (and worker) on the
metadata store: a 404 any node met is remembered for \`missedRetrievalCachePeriodSecs\` by all
(EDGE-SR-8), a connection failure makes the upstream assumed offline on all for
\`assumedOfflinePeriodSecs\` (EDGE-SR-9), and concurrent requests for one uncached file through
different nodes cause one upstream GET (EDGE-SR-7): the download is claimed in the store, the
other nodes wait for the file in the cache or the claim's outcome, and take over a claim whose
holder died once it lapses (10 s). A cached file costs no extra read of the store.`,
        source: `docs/decisions/0027`,
      },
    ],
  },
];
