import { readFile } from 'node:fs/promises';

export { serveEdge, type ServedEdge } from './served-edge.ts';

/** Resident set size of a process in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/** Samples RSS every `intervalMs` until stopped; returns the peak. */
export function sampleRss(pid: number, intervalMs = 50): { stop(): Promise<{ peak: number; samples: number }> } {
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssOf(pid).catch(() => 0));
      samples++;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, samples };
    },
  };
}

/** Peak RSS of each of `pids` while `work` runs; `peakMib` gives the largest of some of them, in MiB. */
export async function peakRssWhile<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ value: T; peakMib(of?: readonly number[]): number }> {
  const samplers = pids.map((pid) => ({ pid, sampler: sampleRss(pid) }));
  const stopAll = async () => new Map(await Promise.all(samplers.map(async ({ pid, sampler }) => [pid, (await sampler.stop()).peak] as const)));
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await stopAll();
    throw error;
  }
  const peaks = await stopAll();
  return { value, peakMib: (of = pids) => Math.max(0, ...of.map((pid) => peaks.get(pid) ?? 0)) / (1024 * 1024) };
}
