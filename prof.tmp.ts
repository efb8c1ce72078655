import { harnessMaterial } from './fixtures/keys/index.ts';
import { embeddedTarget, runScenario } from './scenarios/index.ts';
import { edpScenarios } from './scenarios/scripted/edp/index.ts';
const target = embeddedTarget();
const edge = await target.start();
const id = process.argv[2];
const r = await runScenario(edpScenarios.find((s) => s.id === id)!, { target, edge, material: harnessMaterial(), seed: 1, runs: 1, runTag: 'x', waivers: [], today: '2026-11-30' });
console.log(r.status, r.failure?.message);
if (r.failure?.expected) { const e = JSON.parse(r.failure.expected); const a = JSON.parse(r.failure.actual!); for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) if (JSON.stringify(e[k]) !== JSON.stringify(a[k])) console.log(k, 'expected', JSON.stringify(e[k]), 'actual', JSON.stringify(a[k])); }
await target.close();
