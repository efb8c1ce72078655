/**
 * Who the UI acts as: basic credentials or a token, kept in sessionStorage so a reload keeps the
 * sign-in and closing the tab ends it. Anonymous means no Authorization header at all, so the
 * Edge answers exactly as it answers any anonymous client (EDGE-UI-2).
 */
export interface Session {
  /** The Authorization header value; undefined when browsing anonymously. */
  authorization?: string;
  /** What the header shows of whom it names. */
  label: string;
}

const KEY = 'edgeproof.session';

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

export function basicSession(user: string, password: string): Session {
  return { authorization: `Basic ${base64(`${user}:${password}`)}`, label: user };
}

export function tokenSession(token: string): Session {
  return { authorization: `Bearer ${token.trim()}`, label: 'token' };
}

export const ANONYMOUS: Session = { label: 'anonymous' };

export function savedSession(): Session | undefined {
  const saved = sessionStorage.getItem(KEY);
  return saved ? (JSON.parse(saved) as Session) : undefined;
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
