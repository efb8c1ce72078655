import { sha256 } from '../kit/bundles.ts';

/**
 * What the Edge must expose, as the model-based property tracks it: the files published by the
 * bundles it committed (path → checksum, and which bundles hold each), the bundles themselves,
 * and the files uploaded to `artifactory-edge-uploads`. Pure: commands predict answers from it.
 */

/** A small pool of contents, so bundles share bytes (dedup) and collide (conflicts). */
export const CONTENTS: readonly Buffer[] = [
  Buffer.alloc(0),
  Buffer.from('edgeproof model content one\n'),
  Buffer.from('edgeproof model content two\n'),
  Buffer.alloc(70_000, 'edgeproof '),
];

/**
 * Paths inside a bundle repository; `d` as a file conflicts with `d/f2.bin` and `d/e/f3.bin` as
 * files below it (EDP-TX-8), so the model also predicts file/folder conflicts.
 */
export const PATHS: readonly string[] = ['f0.bin', 'f1.bin', 'd/f2.bin', 'd/e/f3.bin', 'd'];

export interface ModelFile {
  /** Index into the model's repositories. */
  repo: number;
  path: string;
  content: number;
}

export interface Published {
  sha256: string;
  /** Bundles (by key) holding this path with this checksum. */
  holders: Set<string>;
}

export class EdgeModel {
  /** repo index → path → what is published there. */
  readonly published: Map<string, Published>[];
  /** bundle key → its files. */
  readonly bundles = new Map<string, ModelFile[]>();
  /** uploads path → sha256. */
  readonly uploads = new Map<string, string>();
  /** Nodes of a cluster target killed and not yet started again (EDGE-HA-4). */
  readonly downNodes = new Set<number>();
  #next = 0;

  constructor(
    readonly repoCount: number,
    /** The target restarts an Edge (the restart command runs only then). */
    readonly canRestart: boolean,
    /** The nodes of a cluster target, which the node commands kill and start; 0 elsewhere. */
    readonly nodeCount = 0,
  ) {
    this.published = Array.from({ length: repoCount }, () => new Map());
  }

  /** A new bundle name/version key (`b<N>`), unique in the run. */
  nextBundle(): string {
    this.#next += 1;
    return `b${this.#next}`;
  }

  /**
   * Whether committing `files` would be refused with EDP_PATH_CONFLICT: other content at a
   * target path, or a published file where the bundle needs a folder, or the reverse.
   */
  conflicts(files: readonly ModelFile[]): boolean {
    return files.some((f) => {
      const here = this.published[f.repo] as Map<string, Published>;
      const existing = here.get(f.path);
      if (existing && existing.sha256 !== sha256(CONTENTS[f.content] as Buffer)) return true;
      for (const path of here.keys()) if (path.startsWith(`${f.path}/`) || f.path.startsWith(`${path}/`)) return true;
      return false;
    });
  }

  publish(key: string, files: ModelFile[]): void {
    this.bundles.set(key, files);
    for (const f of files) {
      const here = this.published[f.repo] as Map<string, Published>;
      const entry = here.get(f.path) ?? { sha256: sha256(CONTENTS[f.content] as Buffer), holders: new Set<string>() };
      entry.holders.add(key);
      here.set(f.path, entry);
    }
  }

  /** EDP-PUB-5: each file leaves unless another committed bundle holds the same path and checksum. */
  remove(key: string): void {
    for (const f of this.bundles.get(key) ?? []) {
      const here = this.published[f.repo] as Map<string, Published>;
      const entry = here.get(f.path);
      entry?.holders.delete(key);
      if (entry && entry.holders.size === 0) here.delete(f.path);
    }
    this.bundles.delete(key);
  }

  /** Whether any published file exists (forbidden-write commands need a target). */
  publishedPaths(): { repo: number; path: string }[] {
    return this.published.flatMap((here, repo) => [...here.keys()].map((path) => ({ repo, path })));
  }
}

/** Bundle files as a readable list: `a:f0.bin=c1, b:d/f2.bin=c3`. */
export function describeFiles(files: readonly ModelFile[]): string {
  return files.map((f) => `${'ab'[f.repo] ?? f.repo}:${f.path}=c${f.content}`).join(' + ');
}

/** Paths of one bundle that are not each other's folders (EDP-SIG-25 would refuse the bundle at start). */
export function consistentBundle(files: readonly ModelFile[]): boolean {
  return files.every((f, i) =>
    files.every((g, j) => i === j || f.repo !== g.repo || (f.path !== g.path && !f.path.startsWith(`${g.path}/`) && !g.path.startsWith(`${f.path}/`))),
  );
}
