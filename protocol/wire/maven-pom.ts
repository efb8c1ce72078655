import { SaxesParser } from 'saxes';

/** What a POM says it is: its own coordinates, the parent's standing in for an absent groupId or version. */
export interface PomCoordinates {
  groupId?: string;
  artifactId?: string;
  version?: string;
}

const WANTED = new Set(['project/groupId', 'project/artifactId', 'project/version', 'project/parent/groupId', 'project/parent/version']);
const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * EDGE-MVN-7: the coordinates a POM declares, or why it is not a POM (not well-formed XML, by a
 * strict parser, or a root other than `project`). As Maven's model builder does, a missing
 * `groupId` or `version` is inherited from `parent`.
 */
export function readPom(text: string): { coordinates: PomCoordinates } | { invalid: string } {
  const parser = new SaxesParser();
  const open: string[] = [];
  const found: Record<string, string> = {};
  let root: string | undefined;
  parser.on('opentag', (tag) => {
    root ??= local(tag.name);
    open.push(local(tag.name));
  });
  parser.on('text', (chunk) => {
    const path = open.join('/');
    if (WANTED.has(path)) found[path] = (found[path] ?? '') + chunk;
  });
  parser.on('closetag', () => open.pop());
  try {
    parser.write(text).close();
  } catch (error) {
    return { invalid: `not well-formed XML (${(error as Error).message.split('\n')[0]})` };
  }
  if (root !== 'project') return { invalid: `its root element is ${root === undefined ? 'missing' : `'${root}'`}, not 'project'` };
  const value = (own: string, parent?: string): string | undefined => (found[own] ?? (parent ? found[parent] : undefined))?.trim();
  const coordinates: PomCoordinates = {};
  const groupId = value('project/groupId', 'project/parent/groupId');
  const artifactId = value('project/artifactId');
  const version = value('project/version', 'project/parent/version');
  if (groupId) coordinates.groupId = groupId;
  if (artifactId) coordinates.artifactId = artifactId;
  if (version) coordinates.version = version;
  return { coordinates };
}

/**
 * Where the plain layout puts a POM of `coordinates`: how the path `{groupPath}/{artifactId}/{version}/{file}.pom`
 * disagrees with them, if it does. A value still holding a `${property}` cannot be checked and is let through.
 */
export function pomPathMismatch(path: string, coordinates: PomCoordinates): string | undefined {
  const segments = path.split('/');
  if (segments.length < 4) return 'it is not at {groupPath}/{artifactId}/{version}/ in the repository';
  const [version, artifactId] = [segments.at(-2) as string, segments.at(-3) as string];
  const groupId = segments.slice(0, -3).join('.');
  const expected: [keyof PomCoordinates, string][] = [
    ['groupId', groupId],
    ['artifactId', artifactId],
    ['version', version],
  ];
  for (const [field, atPath] of expected) {
    const declared = coordinates[field];
    if (declared === undefined) return `it declares no ${field}`;
    if (declared.includes('${')) continue;
    if (declared !== atPath) return `its ${field} '${declared}' is not '${atPath}', as its path says`;
  }
  return undefined;
}
