/** C0 control characters and DEL: never accepted in a name, never echoed back. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function hasControl(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/** Keeps messages printable: never echo control characters back to a client or a log. */
export function printable(text: string): string {
  const clean = text.replace(new RegExp(CONTROL_CHARACTER, 'g'), '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
