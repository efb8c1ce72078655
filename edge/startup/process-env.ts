/**
 * Issue #13: the environment an Edge process should start with (the image sets the same in its
 * Dockerfile; `npm start` and the benchmarks' and cluster target's Edges pass it). Each is read
 * once, when the process starts, so none can be set from inside the Edge.
 *
 * glibc (decision 0029): glibc raises its mmap threshold to the size of the largest block it has
 * given back (up to 32 MiB), and its trim threshold to twice that. A password check is scrypt
 * with 16 MiB of working memory on a thread-pool thread: after the first, every thread that runs
 * one keeps its 16 MiB in its own arena for good, ~64 MiB over the four threads, and blocks
 * between 128 KiB and 16 MiB stay in the arenas too. A fixed threshold (glibc's own default,
 * 128 KiB) stops that growth, and two arenas bound what the threads keep.
 *
 * V8 (decision 0030): a young generation of 2 × 2 MiB semi-spaces instead of 2 × 16 MiB. Serving
 * 4 KiB GETs from 64 connections the Edge's peak RSS went from 250–257 to 206–208 MiB, with
 * requests per second within the runs' noise (2,234–3,049 vs 2,819–3,032).
 */
export const EDGE_PROCESS_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_ARENA_MAX: '2',
  NODE_OPTIONS: '--max-semi-space-size=2',
};
