import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultSchema, readFaultPlan } from './plan.ts';

const EXAMPLES = join(import.meta.dirname, 'examples');
const files = (await readdir(EXAMPLES)).filter((name) => name.endsWith('.json')).sort();

describe('example plans', () => {
  it.each(files)('%s is a valid plan', async (file) => {
    const plan = await readFaultPlan(join(EXAMPLES, file));
    expect(plan.rules.length).toBeGreaterThan(0);
    expect(plan.description).toBeTruthy();
  });

  it('there is one example per fault kind, named after it', async () => {
    const kinds = faultSchema.options.map((option) => option.shape.kind.value).sort();
    expect(files).toEqual(kinds.map((kind) => `${kind}.json`));
    for (const file of files) {
      const plan = await readFaultPlan(join(EXAMPLES, file));
      expect(plan.rules.map((rule) => rule.fault.kind)).toEqual([file.replace(/\.json$/, '')]);
    }
  });
});
