import { readdir, readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Which test files (`*.test.ts`, outside node_modules) name each requirement ID: the evidence for
 * requirements of the `implementation` profile, which no scenario checks.
 */
export async function testEvidence(root: URL): Promise<Map<string, string[]>> {
  const base = fileURLToPath(root);
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.test.ts')) files.push(full);
    }
  };
  await walk(base.replace(/\/$/, ''));
  const evidence = new Map<string, string[]>();
  for (const file of files.sort()) {
    const ids = new Set((await readFile(file, 'utf8')).match(/\b(?:EDGE|EDP)-[A-Z]+-\d+\b/g) ?? []);
    for (const id of ids) evidence.set(id, [...(evidence.get(id) ?? []), relative(base, file)]);
  }
  return evidence;
}
