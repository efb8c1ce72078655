import type { Family } from './types.ts';

export const EDP_FAMILIES: readonly Family[] = [
  {
    prefix: 'EDP-SIG',
    title: 'the signed bundle',
    doc: 'protocol',
    requirements: [
      {
        id: 'EDP-SIG-1',
        level: 'MUST',
        profile: 'edp',
        text: `E accepts a bundle as a compact JWS of exactly three dot-separated
segments, each canonical unpadded base64url (RFC 7515 §2: alphabet \`A–Z a–z 0–9 - _\`, no \`=\`,
no whitespace, unused trailing bits zero) with a non-empty payload; or as Distribution's
\`?format=jws\` object \`{"header","payload","signature"}\` (jfrog-compat.md §3.4, exactly those
three string members), which E turns into the compact form by joining the three strings with
\`.\` as received. Anything else is refused with 400 \`EDP_BUNDLE_MALFORMED\`.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-2',
        level: 'MUST',
        profile: 'edp',
        text: `The protected header's \`alg\` is \`RS256\`. Any other string (\`none\`,
\`HS256\`, \`RS512\`, \`PS256\`, \`ES256\`, \`rs256\`, …) is refused with 403 \`EDP_BAD_SIGNATURE\`
before any trusted key is looked up, so no key material is ever used with another algorithm
(no HMAC keyed with a public key). A missing or non-string \`alg\` is refused with 400
\`EDP_BUNDLE_MALFORMED\`.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-3',
        level: 'MUST',
        profile: 'edp',
        text: `The protected header is a UTF-8 JSON object without duplicate member
names, whose members are \`alg\`, \`kid\` and optionally \`typ\` (a string) and nothing else:
\`crit\`, \`b64\`, \`jwk\`, \`jku\`, \`x5c\`, \`x5u\` or any unknown member is refused with 400
\`EDP_BUNDLE_MALFORMED\`.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-4',
        level: 'MUST',
        profile: 'edp',
        text: `\`kid\` is the key id of the signing key's OpenPGP primary key as 16
lowercase hex digits (what \`gpg --keyid-format long\` shows, lower-cased). A missing \`kid\`, or
one in any other form (upper case, JFrog's short form, a fingerprint, a \`0x\` prefix) is
refused with 400 \`EDP_BUNDLE_MALFORMED\`.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-5',
        level: 'MUST',
        profile: 'edp',
        text: `E selects the verification key by \`kid\` alone, with one exact lookup in
its trusted keys, and never tries other keys. An unknown \`kid\` is refused with 403
\`EDP_UNTRUSTED_KEY\`; so is a \`kid\` whose stored key is not an RSA key of at least 2048 bits.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-6',
        level: 'MUST',
        profile: 'edp',
        text: `A key that is revoked, or whose expiry time is at or before the time of
the check, is refused with 403 \`EDP_KEY_EXPIRED\`. The check runs when a transaction starts
and again at commit (EDP-TX-8).`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-7',
        level: 'MUST',
        profile: 'edp',
        text: `The signature is RSASSA-PKCS1-v1_5 with SHA-256 (RS256, RFC 7518 §3.3)
over the received ASCII bytes \`<header segment>.<payload segment>\`, verified with the RSA
public material (n, e) of the key's OpenPGP primary key. A signature that does not verify is
refused with 403 \`EDP_BAD_SIGNATURE\`.`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-8',
        level: 'MUST',
        profile: 'edp',
        text: `E reads the payload from the exact bytes that were signed and never
re-serialises them. The bundle's identity is the lowercase hex SHA-256 of those payload
bytes (used by EDP-TX-4 and EDP-TX-5), and E keeps the compact JWS character for character
as received for \`?format=jws\` (EDP-PUB-8).`,
        source: `docs/protocol.md §2.1`,
      },
      {
        id: 'EDP-SIG-9',
        level: 'MUST',
        profile: 'edp',
        text: `The payload is UTF-8 (no byte order mark) encoding one JSON object
without duplicate member names at any depth (I-JSON, RFC 7493). Otherwise: 400
\`EDP_BUNDLE_MALFORMED\`.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-10',
        level: 'MUST',
        profile: 'edp',
        text: `\`name\` is a string of at most 128 characters matching
\`^[A-Za-z0-9][A-Za-z0-9_.\\-:]+$\`.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-11',
        level: 'MUST',
        profile: 'edp',
        text: `\`version\` is a string of at most 32 characters matching
\`^[A-Za-z0-9][A-Za-z0-9_.\\-:]+$\`, and is not \`LATEST\` in any letter case.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-12',
        level: 'MUST',
        profile: 'edp',
        text: `\`type\` is \`"release_bundle_v1"\`; \`created\` is an ISO 8601 date-time
with seconds and a zone (\`Z\`, \`±hh:mm\` or \`±hhmm\`), optionally with a fraction, as
Distribution writes it (\`2020-05-03T12:33:40.759+0300\`); \`description\`, when present, is a
string; \`release_notes\`, when present, is an object with string \`syntax\` and \`content\`.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-13',
        level: 'MUST',
        profile: 'edp',
        text: `\`artifacts\` is a non-empty array of objects.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-14',
        level: 'MUST',
        profile: 'edp',
        text: `Each \`repo_path\` is a clean relative path \`<repo>/<path>\`: not empty, no
leading \`/\`, no empty, \`.\` or \`..\` segment (so no trailing \`/\` and no \`//\`), no backslash, no
control character (Unicode Cc: U+0000–U+001F, U+007F, U+0080–U+009F), no lone surrogate, and
no percent-encoded dot, separator or NUL (\`%2e\`, \`%2f\`, \`%5c\`, \`%00\` in any case), and at
least one segment after the repository key.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-15',
        level: 'MUST',
        profile: 'edp',
        text: `The first segment of \`repo_path\` is a repository key matching
\`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$\` (the same rule as EDGE-IN-3).`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-16',
        level: 'MUST',
        profile: 'edp',
        text: `Each segment of \`repo_path\` is at most 255 bytes and the whole
\`repo_path\` at most 1024 bytes, counted in UTF-8.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-17',
        level: 'MUST',
        profile: 'edp',
        text: `No two artifacts have the same \`repo_path\`, compared exactly (code unit
by code unit, no case folding, no Unicode normalisation).`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-18',
        level: 'MUST',
        profile: 'edp',
        text: `\`checksum\` is a SHA-256 written as 64 lowercase hex digits.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-19',
        level: 'MUST',
        profile: 'edp',
        text: `\`size\` is present and is an integer from 0 to 2^53−1 (JSON number,
not a string).`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-20',
        level: 'MUST',
        profile: 'edp',
        text: `\`props\`, when present, is an array of objects with a string \`key\` and
an array of strings \`values\`.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-21',
        level: 'MUST',
        profile: 'edp',
        text: `When the sizes of all artifacts add up to more than E's configured limit
(\`maxBundleBytes\`, passed to \`verifyBundle\` as \`maxTotalBytes\`), the bundle is refused with
413 \`EDP_BUNDLE_TOO_LARGE\`. The sum is exact (no floating-point rounding).`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-22',
        level: 'MUST',
        profile: 'edp',
        text: `Unknown members, at the top level of the payload and inside artifacts
(for example JFrog's \`id\`, \`signature\`, \`download_token\`), are accepted and ignored. They stay
in the signed bytes and in \`?format=jws\`, and do not appear in E's JSON views.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-23',
        level: 'MUST',
        profile: 'edp',
        text: `E checks a bundle in this order and reports the first failure only:
JWS form (EDP-SIG-1), header (EDP-SIG-2, EDP-SIG-3, then EDP-SIG-4), key lookup (EDP-SIG-5),
key validity (EDP-SIG-6), signature (EDP-SIG-7), payload encoding (EDP-SIG-9), payload
members in the order of EDP-SIG-10 … EDP-SIG-20 (\`name\`, \`version\`, \`type\`, \`created\`,
\`description\`, \`release_notes\`, then each artifact in array order: \`repo_path\`, \`checksum\`,
\`size\`, \`props\`), duplicate paths (EDP-SIG-17), file/folder conflicts (EDP-SIG-25), total
size (EDP-SIG-21). Nothing in the
payload is interpreted before the signature has verified.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-24',
        level: 'SHOULD',
        profile: 'edp',
        text: `A refusal's message names the exact problem: the member
(\`artifacts[3].checksum\`), the artifact's index and \`repo_path\`, the rule broken; the error
entry carries \`field\`, \`index\`, \`repo_path\` (and \`duplicate_of\`, \`kid\`, \`alg\`, \`limit_bytes\`
where they apply) next to \`status\`, \`message\` and \`code\`.`,
        source: `docs/protocol.md §2.2`,
      },
      {
        id: 'EDP-SIG-25',
        level: 'MUST',
        profile: 'edp',
        text: `No artifact's \`repo_path\` is an ancestor folder of another artifact's
\`repo_path\` in the same bundle (\`r/a\` and \`r/a/b\`, at any distance): a path cannot be both a
file and a folder, so such a bundle could never commit. It is refused at start with 400
\`EDP_BUNDLE_MALFORMED\` naming the later artifact (\`field\`, \`index\`, \`repo_path\`) and the
earlier one (\`conflicts_with\`), and nothing is created. Paths are compared segment by segment
and exactly, as in EDP-SIG-17: \`r/a\` does not hold \`r/ab/c\`, \`r/A/b\` or \`r/e\\u0301/b\` when the
file is \`r/\\u00e9\`.`,
        source: `docs/protocol.md §2.2`,
      },
    ],
  },
  {
    prefix: 'EDP-TX',
    title: 'transactions',
    doc: 'protocol',
    requirements: [
      {
        id: 'EDP-TX-1',
        level: 'MUST',
        profile: 'edp',
        text: `Every call under \`/api/edp/v1\` requires D's or S's credentials: an RS256
access token E trusts through the circle of trust (signed by E's own or a trusted
certificate, \`aud\` matching E's service id, \`jfrt@*\` or \`*@*\`, admin scope) or basic auth of
an E admin. No or invalid credentials get 401; a valid identity without admin rights gets
403. Credentials are checked before the body is read.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-2',
        level: 'MUST',
        profile: 'edp',
        text: `Every EDP refusal uses Artifactory's error body with the stable \`code\`
from the table above (\`{"errors":[{"status","message","code"}]}\`), with the status the table
gives.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-3',
        level: 'MUST',
        profile: 'edp',
        text: `\`POST /transactions\` verifies the bundle as §2 requires (EDP-SIG-1 …
EDP-SIG-23) before it creates anything, then answers 201 with
\`{id,state:"OPEN",name,version,expires_at,files:[{repo_path,checksum,size,state}]}\`, one file
per artifact in bundle order, \`state\` \`PRESENT\` when E's filestore already holds content with
that SHA-256 and \`MISSING\` otherwise.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-4',
        level: 'MUST',
        profile: 'edp',
        text: `When a bundle with the same payload bytes (same payload SHA-256,
EDP-SIG-8) is already OPEN or COMMITTED, \`POST /transactions\` answers 200 with that
transaction and creates nothing.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-5',
        level: 'MUST',
        profile: 'edp',
        text: `When a transaction for the same name/version with a different payload is
OPEN or COMMITTED, \`POST /transactions\` is refused with 409 \`EDP_BUNDLE_IMMUTABLE\`.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-6',
        level: 'MUST',
        profile: 'edp',
        text: `Every target repository (first segment of each \`repo_path\`) exists and is
a plain local repository other than \`artifactory-edge-uploads\`; a missing one is refused with
409 \`EDP_REPO_MISSING\` unless \`auto_create_missing_repositories\` is \`true\` (then E creates it
as a local generic repository), any other is refused with 409 \`EDP_REPO_INVALID\`. This holds
at the moment of publishing too: a target repository deleted or reclassified after the commit
checked it makes the store's compare-and-set refuse the plan, and the commit is judged again
(then \`EDP_REPO_MISSING\` / \`EDP_REPO_INVALID\`), never a 500 or a write to the wrong target.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-7',
        level: 'MUST',
        profile: 'edp',
        text: `\`GET /transactions/{id}\` answers 200 with the transaction and the state of
each file; \`GET /transactions?state=OPEN\` lists the transactions in that state; an unknown id
gets 404 \`EDP_TX_UNKNOWN\`.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-8',
        level: 'MUST',
        profile: 'edp',
        text: `\`POST /transactions/{id}/commit\` re-checks the signing key against the
trusted keys at commit time (EDP-SIG-5, EDP-SIG-6: 403 \`EDP_UNTRUSTED_KEY\` /
\`EDP_KEY_EXPIRED\`), refuses with 409 \`EDP_INCOMPLETE\` and \`missing:[repo_path…]\` while any
file is not PRESENT, with 409 \`EDP_PATH_CONFLICT\` when other content already sits at a target
path or a path the bundle needs as a folder is a file (or the reverse, also among the
bundle's own files), and with 409 \`EDP_TX_CLOSED\` when the transaction is not OPEN; otherwise
it publishes (EDP-PUB-1) and answers 200 \`{state:"COMMITTED",bundle:{…}}\`. The whole bundle
is verified again as §2 requires, so a transaction opened under older rules that it no longer
passes (e.g. EDP-SIG-25) is refused with that rule's code. No other code reaches the client
from a commit (no \`ITEM_TYPE_CONFLICT\`).`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-9',
        level: 'MUST',
        profile: 'edp',
        text: `\`DELETE /transactions/{id}\` on an OPEN transaction answers 204, sets it
ABORTED and reclaims its staged bytes; on a COMMITTED one it is refused with 409
\`EDP_TX_CLOSED\`; an unknown id gets 404 \`EDP_TX_UNKNOWN\`.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-10',
        level: 'MUST',
        profile: 'edp',
        text: `OPEN transactions survive restarts of E with their file states; files
already PRESENT are not asked for again.`,
        source: `docs/protocol.md §3.1`,
      },
      {
        id: 'EDP-TX-11',
        level: 'MUST',
        profile: 'edp',
        text: `An OPEN transaction without activity for \`transactionTtlSecs\` (default
3600) expires: it leaves the OPEN state and its staged bytes are reclaimed; \`expires_at\`
always shows when that will happen.`,
        source: `docs/protocol.md §3.1`,
      },
    ],
  },
  {
    prefix: 'EDP-FILE',
    title: 'files of a transaction',
    doc: 'protocol',
    requirements: [
      {
        id: 'EDP-FILE-1',
        level: 'MUST',
        profile: 'edp',
        text: `\`PUT /transactions/{id}/files/{repo_path}\` requires \`X-Checksum-Sha256\`;
an unknown transaction gets 404 \`EDP_TX_UNKNOWN\`, a \`repo_path\` not in the bundle 404
\`EDP_FILE_NOT_IN_BUNDLE\`, a transaction that is not OPEN 409 \`EDP_TX_CLOSED\`.`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-2',
        level: 'MUST',
        profile: 'edp',
        text: `When \`X-Checksum-Sha256\` differs from the bundle's checksum for that
file, E refuses with 409 \`EDP_CHECKSUM_MISMATCH\` before reading any byte of the body.`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-3',
        level: 'MUST',
        profile: 'edp',
        text: `E stops reading and refuses with 413 \`EDP_SIZE_EXCEEDED\` as soon as the
body exceeds the file's signed \`size\` (at once when \`Content-Length\` already does).`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-4',
        level: 'MUST',
        profile: 'edp',
        text: `When the received bytes' SHA-256 or length differ from the signed
\`checksum\` and \`size\`, E refuses with 409 \`EDP_CHECKSUM_MISMATCH\`; the content is discarded,
never published and not left in the filestore.`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-5',
        level: 'MUST',
        profile: 'edp',
        text: `A verified upload answers 201 \`{repo_path,checksum,size,state:"PRESENT"}\`;
an upload to a file that is already PRESENT answers 200 with the same body and changes
nothing.`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-6',
        level: 'MUST',
        profile: 'edp',
        text: `\`PUT\` with \`X-Checksum-Deploy: true\` and no body marks the file PRESENT
with 201 when E already holds content with the bundle's SHA-256 for it, and is refused with
404 \`EDP_CONTENT_UNKNOWN\` otherwise.`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-7',
        level: 'MUST',
        profile: 'implementation',
        text: `After 201 on a file, its bytes are on stable storage (fsynced).`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-8',
        level: 'MUST',
        profile: 'edp',
        text: `Content already in E's filestore is never transferred again: it is
PRESENT when the transaction starts (EDP-TX-3) and can be claimed by checksum deploy
(EDP-FILE-6).`,
        source: `docs/protocol.md §3.2`,
      },
      {
        id: 'EDP-FILE-9',
        level: 'MUST',
        profile: 'edp',
        text: `An upload whose connection breaks before its body ends (reset, closed or
abandoned by the sender) stores nothing: the file stays MISSING, a checksum deploy for it is
still refused with 404 \`EDP_CONTENT_UNKNOWN\`, and a later upload of the same file to the same
OPEN transaction is accepted. A sender resumes a broken transfer by starting the same bundle
again (EDP-TX-4) and sending only the files still MISSING.`,
        source: `docs/protocol.md §3.2`,
      },
    ],
  },
  {
    prefix: 'EDP-PUB',
    title: 'publishing, deletion and public reads',
    doc: 'protocol',
    requirements: [
      {
        id: 'EDP-PUB-1',
        level: 'MUST',
        profile: 'edp',
        text: `Before commit no file of the bundle is visible through any read (download,
\`HEAD\`, storage API, listings, release bundle reads); after the 200 of commit all of them are.
No reader ever sees part of a bundle, also when E crashes at any point of the commit.`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-2',
        level: 'MUST',
        profile: 'edp',
        text: `Every published file's bytes have the SHA-256 and size the bundle signed.`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-3',
        level: 'MUST',
        profile: 'edp',
        text: `A committed name/version never changes, and its files cannot be changed
or deleted through any user API: such writes get 403
\`Deployment to an Edge Artifactory node is not supported.\` (EDGE-RO-1).`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-4',
        level: 'MUST',
        profile: 'implementation',
        text: `After 200 on commit the bundle survives \`kill -9\` and power loss of the
process (for the filestore's part: EDGE-DUR-1, EDGE-DUR-2 in requirements.md).`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-5',
        level: 'MUST',
        profile: 'edp',
        text: `\`DELETE /artifactory/api/release/bundles/{name}/{version}\`, with the
credentials of EDP-TX-1, answers 204 and removes the bundle; each of its files leaves its
repository unless another committed bundle holds the same path with the same checksum. An
unknown name/version gets 404 \`EDP_BUNDLE_UNKNOWN\`.`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-6',
        level: 'MUST',
        profile: 'edp',
        text: `\`GET /artifactory/api/release/bundles\` answers, to any reader,
\`{"bundles":{"<name>":[{"version","created","status":"COMPLETE","keep":false}]}}\` listing
committed bundles only, and of those only the bundles whose files the caller may all read
(EDGE-AUTH-5).`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-7',
        level: 'MUST',
        profile: 'edp',
        text: `\`GET /artifactory/api/release/bundles/{name}/{version}\` answers, to any
reader who may read every file of the bundle, the committed bundle as JFrog's Edge does
(\`{name,version,description?,release_notes?:{syntax,content},created,artifacts:[{repo_path,checksum,props}]}\`)
with exactly these members: \`description\` and \`release_notes\` only when the payload has them,
\`props\` always (\`[]\` when the artifact has none), and nothing else — no \`type\`, and none of the
unknown members EDP-SIG-22 keeps out of JSON views (\`id\`, \`signature\`, an artifact's
\`download_token\`, …). A name/version that is not committed, or that has a file the caller may
not read, gets 404 \`EDP_BUNDLE_UNKNOWN\` (EDGE-AUTH-5).`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-8',
        level: 'MUST',
        profile: 'edp',
        text: `\`GET /artifactory/api/release/bundles/{name}/{version}?format=jws\`
answers the compact JWS exactly as received (EDP-SIG-8), so that any client can verify it —
to the same callers as EDP-PUB-7. Being the signed bytes, it carries the unknown members too
(EDP-SIG-22), so whatever a signer puts into a bundle is readable by everyone who may read
all of the bundle's files.`,
        source: `docs/protocol.md §4.1`,
      },
      {
        id: 'EDP-PUB-9',
        level: 'MUST',
        profile: 'implementation',
        text: `A commit that fails at any of its writes (an I/O error, a full disk)
answers an error and publishes nothing — no item, property, listing entry or release bundle —
and leaves the transaction OPEN with its files PRESENT, so that committing again, or starting
the same bundle again (EDP-TX-4) and committing, publishes it.`,
        source: `docs/protocol.md §4.1`,
      },
    ],
  },
  {
    prefix: 'EDP-KEY',
    title: 'trusted signing keys',
    doc: 'protocol',
    requirements: [
      {
        id: 'EDP-KEY-1',
        level: 'MUST',
        profile: 'trust',
        text: `The trusted keys API requires the credentials of EDP-TX-1 (an E admin);
others get 401 or 403.`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-2',
        level: 'MUST',
        profile: 'trust',
        text: `\`POST /artifactory/api/security/keys/trusted\` takes \`{"alias","public_key"}\`
or \`{"alias","key"}\` and answers 201
\`{kid,alias,fingerprint,type,issued,issuedBy,expiry}\`: \`kid\` as in EDP-SIG-4, \`fingerprint\` as
lowercase hex pairs joined by \`:\`, \`issued\` the key's creation time and \`expiry\` its expiry
time in milliseconds since the epoch (0 when it never expires), \`issuedBy\` its first user id
(\`Name <email>\`).`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-3',
        level: 'MUST',
        profile: 'trust',
        text: `The key is refused with 400 \`KEY_INVALID\`, naming the reason, unless it
is exactly one OpenPGP public key in one armored block with a valid self-signature: not a
private key, not revoked, not expired at the time of upload.`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-4',
        level: 'MUST',
        profile: 'trust',
        text: `The key is refused with 400 \`KEY_INVALID\` unless its primary key is an
RSA signing key (\`RSA (Encrypt or Sign)\` or \`RSA Sign-Only\`) of at least 2048 bits.`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-5',
        level: 'MUST',
        profile: 'trust',
        text: `An alias or a key (same \`kid\`) already trusted is refused with 409
\`KEY_DUPLICATE\`.`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-6',
        level: 'MUST',
        profile: 'trust',
        text: `\`GET /artifactory/api/security/keys/trusted\` answers
\`{"keys":[{kid,alias,fingerprint,type,issued,issuedBy,expiry}]}\`.`,
        source: `docs/protocol.md §5.1`,
      },
      {
        id: 'EDP-KEY-7',
        level: 'MUST',
        profile: 'trust',
        text: `\`DELETE /artifactory/api/security/keys/trusted/{kid}\` answers 204; an
unknown \`kid\` gets 404 \`KEY_UNKNOWN\`. From then on, transactions signed with that key can
neither start nor commit (EDP-SIG-5); bundles already committed stay published.`,
        source: `docs/protocol.md §5.1`,
      },
    ],
  },
];
