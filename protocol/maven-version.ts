/**
 * Maven's version order (Maven 3.8's `ComparableVersion`, the one the `mvn` we test with
 * uses to pick `release` and `latest`): a version is a tree of items split at `.`, `-` and at
 * each change between digits and letters, where `-` and a digit/letter change open a sub-list.
 * Numbers compare by value; the known qualifiers order alpha < beta < milestone < rc < snapshot
 * < (release) < sp, and any other qualifier comes after them, by text; trailing "null" items
 * (0, the empty qualifier, `ga`, `final`, `release`) do not count, so 1.0 == 1 == 1-ga.
 * The only npm package for this (mvncmp) follows Maven 3.0 and orders `1-1` before `1-sp`,
 * which 3.8 does not; checked against Maven's own class in maven-version.test.ts.
 */

type Item = { kind: 'int'; value: bigint } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
/** `a1`, `b2`, `m3`: a single letter right before a digit is a shorthand. */
const SHORTHANDS: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };

/** Compares as Java's `String.compareTo` does (UTF-16 units), which is the order Maven sorts unknown qualifiers in. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparableQualifier(qualifier: string): string {
  const index = QUALIFIERS.indexOf(qualifier);
  return index === -1 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

function stringItem(text: string, followedByDigit: boolean): Item {
  const expanded = followedByDigit && text.length === 1 ? (SHORTHANDS[text] ?? text) : text;
  return { kind: 'string', value: ALIASES[expanded] ?? expanded };
}

function parseItem(digits: boolean, text: string): Item {
  return digits ? { kind: 'int', value: BigInt(text) } : stringItem(text, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === 0n;
  if (item.kind === 'string') return item.value === '';
  return item.items.length === 0;
}

/** Drops trailing null items, stopping at the first non-null item that is not a list. */
function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i] as Item;
    if (isNull(item)) list.items.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

function parse(version: string): Item & { kind: 'list' } {
  const text = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  const stack = [root];
  let list = root;
  let digits = false;
  let start = 0;
  const open = (): void => {
    const child: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(child);
    list = child;
    stack.push(child);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? { kind: 'int', value: 0n } : parseItem(digits, text.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!digits && i > start) {
        list.items.push(stringItem(text.slice(start, i), true));
        start = i;
        open();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.items.push(parseItem(true, text.slice(start, i)));
        start = i;
        open();
      }
      digits = false;
    }
  }
  if (text.length > start) list.items.push(parseItem(digits, text.slice(start)));
  while (stack.length > 0) normalize(stack.pop() as Item & { kind: 'list' });
  return root;
}

/** `item` against `other`, where an absent `other` stands for the end of the shorter list. */
function compareItems(item: Item, other: Item | undefined): number {
  if (item.kind === 'int') {
    if (other === undefined) return item.value === 0n ? 0 : 1;
    if (other.kind === 'int') return item.value < other.value ? -1 : item.value > other.value ? 1 : 0;
    return 1;
  }
  if (item.kind === 'string') {
    if (other === undefined) return Math.sign(compareText(comparableQualifier(item.value), RELEASE_INDEX));
    if (other.kind === 'string') return Math.sign(compareText(comparableQualifier(item.value), comparableQualifier(other.value)));
    return -1;
  }
  if (other === undefined) return item.items.length === 0 ? 0 : compareItems(item.items[0] as Item, undefined);
  if (other.kind === 'int') return -1;
  if (other.kind === 'string') return 1;
  for (let i = 0; i < Math.max(item.items.length, other.items.length); i++) {
    const left = item.items[i];
    const right = other.items[i];
    const result = left === undefined ? -compareItems(right as Item, undefined) : compareItems(left, right);
    if (result !== 0) return result;
  }
  return 0;
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b` in Maven's order. */
export function compareMavenVersions(a: string, b: string): number {
  return compareItems(parse(a), parse(b));
}

/** Whether `version` names a SNAPSHOT (a moving development version), as Maven decides it. */
export function isSnapshotVersion(version: string): boolean {
  return version.endsWith('-SNAPSHOT') || /-\d{8}\.\d{6}-\d+$/.test(version);
}
