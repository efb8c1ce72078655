import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

/**
 * Self time by function of a V8 CPU profile (`node --cpu-prof`), heaviest first: where a
 * benchmark's time goes, without a browser.
 *
 *   node --import tsx bench/profile-summary.ts file.cpuprofile [--top 30]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: profile-summary.ts file.cpuprofile [--top N]');
const topAt = process.argv.indexOf('--top');
const top = topAt < 0 ? 30 : Number(process.argv[topAt + 1]);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<string, number>();
let totalMs = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  totalMs += ms;
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${relative(process.cwd(), url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  selfMs.set(key, (selfMs.get(key) ?? 0) + ms);
});

console.log(`${totalMs.toFixed(0)} ms sampled in ${file}`);
console.log('| self ms | share | function |');
console.log('|---:|---:|---|');
for (const [key, ms] of [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| ${ms.toFixed(0)} | ${((ms / totalMs) * 100).toFixed(1)}% | ${key} |`);
}
