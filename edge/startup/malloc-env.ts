/**
 * Issue #13: the environment an Edge process should start with on glibc (the image sets the
 * same in its Dockerfile; `npm start` and the benchmarks' and cluster target's Edges pass it).
 * glibc raises its mmap threshold to the size of the largest block it has given back (up to
 * 32 MiB), and its trim threshold to twice that. A password check is scrypt with 16 MiB of
 * working memory on a thread-pool thread: after the first, every thread that runs one keeps its
 * 16 MiB in its own arena for good, ~64 MiB over the four threads, and blocks between 128 KiB and
 * 16 MiB stay in the arenas too. A fixed threshold (glibc's own default, 128 KiB) stops that
 * growth, and two arenas bound what the threads keep. Measured in decision 0029.
 * Read by glibc when the process starts, so it cannot be set from inside the Edge.
 */
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_ARENA_MAX: '2',
};
