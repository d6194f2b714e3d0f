// blessed's key events -> one small key type the views switch on.

export type Key =
  | { readonly name: 'char'; readonly ch: string }
  | { readonly name: NamedKey };

export type NamedKey =
  | 'enter' | 'escape' | 'tab' | 'backtab' | 'up' | 'down' | 'left' | 'right'
  | 'home' | 'end' | 'pageup' | 'pagedown' | 'backspace' | 'delete'
  | 'C-c' | 'C-l' | 'C-u' | 'C-a' | 'C-e' | 'C-k'
  | 'f1' | 'f2' | 'f3' | 'f4' | 'f5' | 'f6' | 'f7' | 'f8' | 'f9' | 'f10' | 'f11' | 'f12';

/** What blessed passes with a keypress. */
export interface RawKey {
  readonly name?: string;
  readonly full?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
  readonly sequence?: string;
}

const NAMED = new Set<string>([
  'escape', 'tab', 'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'backspace', 'delete',
  'C-c', 'C-l', 'C-u', 'C-a', 'C-e', 'C-k',
  'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12',
]);

/**
 * Normalizes a blessed keypress. Returns null for keys to ignore: blessed reports a carriage return
 * twice ("enter", then "return"), so "return" is dropped.
 */
export function toKey(ch: string | undefined, raw: RawKey | undefined): Key | null {
  const name = raw?.name;
  const full = raw?.full ?? name;
  if (name === 'return') return null;
  if (name === 'enter' || name === 'linefeed') return { name: 'enter' };
  if (full === 'S-tab') return { name: 'backtab' };
  if (full && NAMED.has(full)) return { name: full as NamedKey };
  if (!raw?.ctrl && !raw?.meta && ch && ch.length === 1 && ch >= ' ' && ch <= '~') return { name: 'char', ch };
  return null;
}

export function isChar(k: Key, ...chars: string[]): boolean {
  return k.name === 'char' && chars.includes(k.ch.toLowerCase());
}
