/**
 * Text from a run — failure messages, response bodies, header values — is attacker-controlled
 * (an Edge under test chooses what it answers). Every writer passes it through here before it
 * becomes XML, HTML or Markdown, so one function decides what survives.
 */

// Terminal colour and cursor sequences (a message copied from a coloured diff): noise in a file.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences this finds.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

// What XML 1.0 forbids (C0 controls but tab, LF and CR; lone surrogates; U+FFFE/U+FFFF) and the
// DEL/C1 controls it merely discourages: JUnit readers reject the first, browsers show the second
// as boxes. Each becomes U+FFFD, so a reader still sees that something was there.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text fit for any report: no terminal escapes, no control characters. */
export function cleanText(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '\ufffd');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Clean text escaped for XML and HTML alike, in element content and in quoted attribute values.
 * @example markup('<script>') === '&lt;script&gt;'
 */
export function markup(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** The first line of `text`, at most `max` characters: for attributes and one-line summaries. */
export function firstLine(text: string, max = 300): string {
  const line = cleanText(text).split(/\r?\n/, 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
