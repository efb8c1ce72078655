import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startEdge, type RunningEdge } from './edge-harness.ts';
import { runProcess } from './served-edge.ts';

/**
 * The README's curl tour, run as written against a real Edge: each command's output must be
 * exactly the `# ` lines that follow it. Only the port, the admin password and the request ids
 * (fresh ULIDs) are substituted.
 */
interface Step {
  command: string;
  expected: string;
}

async function tourSteps(): Promise<Step[]> {
  const readme = await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const block = /<!-- tour[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no tour block');
  const steps: Step[] = [];
  let command: string[] = [];
  let expected: string[] = [];
  const flush = () => {
    if (command.length) steps.push({ command: command.join('\n'), expected: expected.join('\n') });
    command = [];
    expected = [];
  };
  for (const line of block.split('\n')) {
    if (line.startsWith('# ')) expected.push(line.slice(2));
    else if (line.trim() === '') continue;
    else {
      if (expected.length) flush();
      command.push(line);
    }
  }
  flush();
  return steps;
}

describe('README curl tour', () => {
  let edge: RunningEdge;
  beforeAll(async () => {
    edge = await startEdge();
  });
  afterAll(() => edge.close());

  it('works as written', async () => {
    const port = new URL(edge.url).port;
    const steps = await tourSteps();
    expect(steps.length).toBeGreaterThan(10);
    const marker = '<<<edgeproof-step>>>';
    const localise = (text: string) => text.replaceAll('127.0.0.1:8082', `127.0.0.1:${port}`).replaceAll('tour-password', ADMIN_PASSWORD);
    const anyRequestId = (text: string) => text.replace(/"requestId":"[0-9A-HJKMNP-TV-Z]{26}"/g, '"requestId":"<ULID>"');
    const script = steps.map((s) => `${localise(s.command)}\necho; echo '${marker}'`).join('\n');
    // The tour runs in the reader's own shell environment.
    const result = await runProcess('bash', ['-c', script], process.env as Record<string, string>);
    expect(result.stderr).toBe('');
    const outputs = result.stdout.split(`${marker}\n`);
    steps.forEach((step, i) => {
      expect(anyRequestId((outputs[i] ?? '').trim()), step.command).toBe(anyRequestId(localise(step.expected).trim()));
    });
  });
});
