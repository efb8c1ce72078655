import { writeSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Preloaded into the served Edge by `npm run bench -- --loop-probe` (`node --import`): how much
 * of the time its event loop was busy (`eventLoopUtilization`, which counts a synchronous fsync
 * such as a SQLite commit's as busy) and how late its timers ran (`monitorEventLoopDelay`),
 * and the CPU time the process used (`cpuUsage`): less sensitive to a shared machine's load than
 * rates are. Each SIGUSR2 writes the figures since the previous one to stderr as one
 * `loop-probe {json}` line and starts over.
 */
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
let since: EventLoopUtilization = performance.eventLoopUtilization();
let cpuSince = process.cpuUsage();
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

process.on('SIGUSR2', () => {
  const elu = performance.eventLoopUtilization(since);
  since = performance.eventLoopUtilization();
  const cpu = process.cpuUsage(cpuSince);
  cpuSince = process.cpuUsage();
  const figures = {
    busyShare: elu.utilization,
    busyMs: Math.round(elu.active),
    // Every thread of the process (the thread pool's fsyncs included), user and system.
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    p50Ms: ms(delay.percentile(50)),
    p99Ms: ms(delay.percentile(99)),
    maxMs: ms(delay.max),
  };
  delay.reset();
  writeSync(2, `loop-probe ${JSON.stringify(figures)}\n`);
});
