/** Control characters (C0 and DEL): never allowed in names, never echoed back. */
export function hasControl(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}

/** Keeps messages printable: never echo control characters back to a client or a log. */
export function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
