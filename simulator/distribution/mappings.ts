import { repoPathProblem } from '../../protocol/bundle/index.ts';
import { badRequest } from './errors.ts';

export interface PathMapping {
  input: string;
  output: string;
}

/**
 * Where a source file goes on the Edges (jfrog-compat.md §3.1 `mappings`: `input` a regex,
 * `output` with `$1`-style references, as jfrog-client-go writes them). JFrog does not say how
 * a mapping is matched; we decide: the first mapping whose `input` matches the WHOLE
 * `<repo>/<path>` wins (like Java's `matches()`), and `output` is expanded with JavaScript's
 * replacement rules (`$1`…`$99`, `$<name>`, `$&`, `$$`). No matching mapping: the file keeps
 * its path. Either way the result must be a clean repo path an Edge accepts
 * (docs/protocol.md EDP-SIG-14), or the spec is refused with 400.
 */
export function mapPath(sourceRepoPath: string, mappings: readonly PathMapping[], queryName: string): string {
  const mapping = mappings.find((m) => whole(m.input).test(sourceRepoPath));
  const target = mapping ? sourceRepoPath.replace(whole(mapping.input), mapping.output) : sourceRepoPath;
  const problem = repoPathProblem(target);
  if (problem !== undefined) {
    const how = mapping ? `mapping ${JSON.stringify(mapping)} turns ${sourceRepoPath} into "${target}", which` : `"${target}"`;
    throw badRequest(`Query "${queryName}": ${how} ${problem}.`);
  }
  return target;
}

function whole(input: string): RegExp {
  return new RegExp(`^(?:${input})$`, 'u');
}
