import { writeSync } from 'node:fs';
import { openSqliteStore } from '../sqlite-store.ts';

/**
 * One grouped write (`items.putFile`) on a fresh store at `argv[2]`, between two lines written
 * straight to stderr, so a system-call trace shows what happened between the write's start and
 * its acknowledgement (group-commit-sync.test.ts).
 */
const store = openSqliteStore(process.argv[2] as string);
await store.repos.create({ key: 'r', rclass: 'local', packageType: 'generic', config: {}, created: 1 });
const checksums = { sha256: 'a'.repeat(64), sha1: 'b'.repeat(40), md5: 'c'.repeat(32) };
writeSync(2, 'grouped write: start\n');
await store.items.putFile({ repo: 'r', path: 'a/x', size: 1, checksums, mimeType: 'application/octet-stream', by: 'admin', at: 1, properties: {} });
writeSync(2, 'grouped write: acknowledged\n');
await store.close();
