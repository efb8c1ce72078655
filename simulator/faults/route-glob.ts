// Compiles a route glob into a matcher on URL paths (`URL.pathname`, still percent-encoded,
// query excluded). `*` matches within one segment (never `/`); `**` matches across segments,
// and `/**` at the end or `/**/` in the middle also match zero segments, so `/api/**` covers
// `/api` itself and `/a/**/b` covers `/a/b`. Every other character is literal.
// (Line comments because a glob like `**/` would end a block comment.)
export function compileRouteGlob(glob: string): (path: string) => boolean {
  let source = '';
  for (let i = 0; i < glob.length; ) {
    if (glob.startsWith('/**/', i)) {
      source += '(?:/.*)?/';
      i += 4;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      source += '(?:/.*)?';
      i += 3;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 2;
    } else if (glob[i] === '*') {
      source += '[^/]*';
      i += 1;
    } else {
      source += escapeRegExp(glob[i]!);
      i += 1;
    }
  }
  const pattern = new RegExp(`^${source}$`);
  return (path) => pattern.test(path);
}

function escapeRegExp(char: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(char) ? `\\${char}` : char;
}
