import { readFile, writeFile } from 'node:fs/promises';
import { SUITE } from '../suite.ts';
import { evidenceOf, renderProtocol, renderRequirements } from './docs.ts';
import { testEvidence } from './test-evidence.ts';

/** `npm run requirements`: writes docs/requirements.md and the requirement blocks of docs/protocol.md. */

const root = new URL('../../', import.meta.url);
const evidence = evidenceOf(SUITE, await testEvidence(root));
await writeFile(new URL('docs/requirements.md', root), renderRequirements(evidence));
const protocol = new URL('docs/protocol.md', root);
await writeFile(protocol, renderProtocol(await readFile(protocol, 'utf8')));
process.stdout.write('wrote docs/requirements.md and docs/protocol.md\n');
