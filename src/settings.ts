// The vendor's settings: /etc/ttyconf/ttyconf.conf (INI, read with the `ini` package).
// A missing file means the defaults. A bad value gets a warning naming the key, the value and the rule,
// and its default; nothing here throws on a bad file.
import { readRootFile } from './files/safeRead.js';
import { decode } from 'ini';
import type { Root } from './files/root.js';

export const SETTINGS_PATH = 'etc/ttyconf/ttyconf.conf';

/** Menu entries a vendor can hide; the UI maps each to its own screen. */
export const MENU_ITEMS = ['ip', 'dns', 'hostname', 'test', 'shell', 'power'] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

export interface Settings {
  readonly product: { readonly name: string; readonly banner: string };
  readonly menu: Readonly<Record<MenuItem, boolean>>;
  readonly login: {
    readonly required: boolean;
    /** Members of this group may also log in, with their own password (null: root only). */
    readonly group: string | null;
    /** Seconds without a key before the session locks; 0 never locks. */
    readonly idleTimeoutSec: number;
  };
  /** Interface-name globs (`*`, `?`, `[...]`) kept off every screen. */
  readonly network: { readonly hide: readonly string[] };
  /** Ask for a root password on the first boot of a fresh image (see docs/console.md). */
  readonly firstboot: { readonly enabled: boolean };
}

export interface SettingsWarning {
  /** `section.key`, or the section or file the warning is about. */
  readonly key: string;
  readonly message: string;
}

export interface LoadedSettings {
  readonly settings: Settings;
  readonly warnings: readonly SettingsWarning[];
}

export const DEFAULT_SETTINGS: Settings = {
  product: { name: 'ttyconf', banner: '' },
  menu: { ip: true, dns: true, hostname: true, test: true, shell: false, power: true },
  login: { required: true, group: null, idleTimeoutSec: 300 },
  network: { hide: [] },
  firstboot: { enabled: true },
};

export const IDLE_MIN_SEC = 30;
export const IDLE_MAX_SEC = 86_400;
export const NAME_MAX = 40;
export const BANNER_MAX = 76;

type Raw = Record<string, unknown>;

/** One key's parser: the typed value, or the rule the raw value breaks. */
type Parse<T> = (raw: unknown) => { ok: true; value: T } | { ok: false; rule: string };

const asText = (raw: unknown): string | null => (typeof raw === 'string' ? raw : typeof raw === 'boolean' ? String(raw) : null);

const bool: Parse<boolean> = (raw) => {
  const s = asText(raw)?.trim().toLowerCase();
  if (s === 'yes' || s === 'true' || s === 'on' || s === '1') return { ok: true, value: true };
  if (s === 'no' || s === 'false' || s === 'off' || s === '0') return { ok: true, value: false };
  return { ok: false, rule: 'must be yes or no' };
};

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function asciiLine(max: number, allowEmpty: boolean): Parse<string> {
  return (raw) => {
    const s = asText(raw);
    if (s === null) return { ok: false, rule: 'must be one line of text' };
    const t = s.trim();
    if (!PRINTABLE_ASCII.test(t)) return { ok: false, rule: 'must be printable ASCII (the console font and serial terminals show nothing else)' };
    if (!allowEmpty && t === '') return { ok: false, rule: 'must not be empty' };
    if (t.length > max) return { ok: false, rule: `must be at most ${max} characters to fit the screen` };
    return { ok: true, value: t };
  };
}

const GROUP_NAME = /^[a-z_][a-z0-9_-]{0,31}$/i;

const group: Parse<string | null> = (raw) => {
  const s = asText(raw)?.trim();
  if (s === undefined) return { ok: false, rule: 'must be a group name' };
  if (s === '') return { ok: true, value: null };
  if (s === 'root') return { ok: true, value: null };
  return GROUP_NAME.test(s) ? { ok: true, value: s } : { ok: false, rule: 'must be a group name (letters, digits, _ and -, at most 32)' };
};

/** `300`, `300s`, `5m`, `1h`; `0`, `never` or `off` never lock. */
const idle: Parse<number> = (raw) => {
  const s = asText(raw)?.trim().toLowerCase() ?? '';
  const rule = `must be a time such as 300, 90s, 5m or 1h (between ${IDLE_MIN_SEC}s and 24h), or 0/never`;
  if (s === 'never' || s === 'off' || s === '0') return { ok: true, value: 0 };
  const m = /^(\d{1,6})\s*(s|sec|m|min|h)?$/.exec(s);
  if (!m) return { ok: false, rule };
  const unit = m[2]?.[0] ?? 's';
  const sec = Number(m[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
  if (sec < IDLE_MIN_SEC || sec > IDLE_MAX_SEC) return { ok: false, rule };
  return { ok: true, value: sec };
};

const GLOB = /^[A-Za-z0-9_.:@*?[\]!-]{1,32}$/;

const globs: Parse<string[]> = (raw) => {
  const s = asText(raw);
  if (s === null) return { ok: false, rule: 'must be a comma-separated list of interface names or globs' };
  const items = s.split(/[,\s]+/).filter(Boolean);
  const bad = items.filter((g) => !GLOB.test(g) || globToRegExp(g) === null);
  if (bad.length > 0) return { ok: false, rule: `has invalid globs (${bad.join(', ')}): use letters, digits, . _ - : @ and * ? [...]` };
  return { ok: true, value: items };
};

/** Each section's keys, with their parsers. */
const SCHEMA = {
  product: { name: asciiLine(NAME_MAX, false), banner: asciiLine(BANNER_MAX, true) },
  menu: Object.fromEntries(MENU_ITEMS.map((k) => [k, bool])) as Record<MenuItem, Parse<boolean>>,
  login: { required: bool, group, idle_timeout: idle },
  network: { hide: globs },
  firstboot: { enabled: bool },
} as const;

type SectionName = keyof typeof SCHEMA;

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(raw: unknown): string {
  return Array.isArray(raw) ? raw.map(String).join(',') : String(raw);
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** How each default reads in a warning, by `section.key`. */
const DEFAULT_TEXT: Record<string, string> = {
  'product.name': DEFAULT_SETTINGS.product.name,
  'product.banner': DEFAULT_SETTINGS.product.banner || '(none)',
  ...Object.fromEntries(MENU_ITEMS.map((k) => [`menu.${k}`, yesNo(DEFAULT_SETTINGS.menu[k])])),
  'login.required': yesNo(DEFAULT_SETTINGS.login.required),
  'login.group': DEFAULT_SETTINGS.login.group ?? '(none: root only)',
  'login.idle_timeout': DEFAULT_SETTINGS.login.idleTimeoutSec ? `${DEFAULT_SETTINGS.login.idleTimeoutSec}s` : 'never',
  'network.hide': DEFAULT_SETTINGS.network.hide.join(', ') || '(none)',
  'firstboot.enabled': yesNo(DEFAULT_SETTINGS.firstboot.enabled),
};

/** Parses the text of ttyconf.conf. Never throws. */
export function parseSettings(text: string, file = SETTINGS_PATH): LoadedSettings {
  const warnings: SettingsWarning[] = [];
  const warn = (key: string, message: string): void => void warnings.push({ key, message: `${file}: ${message}` });
  let doc: Raw;
  try {
    doc = decode(text);
  } catch (e) {
    warn(file, `cannot be read as INI (${(e as Error).message}); using every default`);
    return { settings: DEFAULT_SETTINGS, warnings };
  }

  const values: Record<string, Record<string, unknown>> = {};
  for (const [section, body] of Object.entries(doc)) {
    if (!(section in SCHEMA)) {
      if (isRecord(body)) warn(section, `unknown section [${section}] ignored (known: ${Object.keys(SCHEMA).join(', ')})`);
      else warn(section, `"${section}" is outside any section and was ignored; put it under a [section]`);
      continue;
    }
    if (!isRecord(body)) {
      warn(section, `"${section}" must be a [section], not a key; ignored`);
      continue;
    }
    const schema = SCHEMA[section as SectionName] as Record<string, Parse<unknown>>;
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(body)) {
      const parse = schema[key];
      const where = `${section}.${key}`;
      if (!parse) {
        const hint = isRecord(raw) ? `unknown section [${section}.${key}]` : `unknown key "${key}" in [${section}]`;
        warn(where, `${hint} ignored (known: ${Object.keys(schema).join(', ')})`);
        continue;
      }
      const r = parse(raw);
      if (r.ok) out[key] = r.value;
      else warn(where, `[${section}] ${key} = "${show(raw)}" ${r.rule}; using the default, ${DEFAULT_TEXT[where]}`);
    }
    values[section] = out;
  }

  const pick = <T>(section: SectionName, key: string, fallback: T): T => (values[section]?.[key] ?? fallback) as T;
  const d = DEFAULT_SETTINGS;
  const settings: Settings = {
    product: { name: pick('product', 'name', d.product.name), banner: pick('product', 'banner', d.product.banner) },
    menu: Object.fromEntries(MENU_ITEMS.map((k) => [k, pick('menu', k, d.menu[k])])) as Record<MenuItem, boolean>,
    login: {
      required: pick('login', 'required', d.login.required),
      group: pick('login', 'group', d.login.group),
      idleTimeoutSec: pick('login', 'idle_timeout', d.login.idleTimeoutSec),
    },
    network: { hide: pick('network', 'hide', d.network.hide) },
    firstboot: { enabled: pick('firstboot', 'enabled', d.firstboot.enabled) },
  };
  return { settings, warnings };
}

const SETTINGS_LIMIT = 1024 * 1024;

/** Reads ttyconf.conf under the root; a missing file is the defaults, an unreadable one a warning. */
export async function readSettings(root: Root): Promise<LoadedSettings> {
  // A small local file, read on the first screen's path: synchronously, without loading fs/promises.
  // Only a regular file is read (a FIFO or a device there must not hang the console).
  const r = readRootFile(root, SETTINGS_PATH, SETTINGS_LIMIT);
  if (r.kind === 'missing') return { settings: DEFAULT_SETTINGS, warnings: [] };
  if (r.kind === 'unreadable') return { settings: DEFAULT_SETTINGS, warnings: [{ key: SETTINGS_PATH, message: `${SETTINGS_PATH}: ${r.reason}; using every default` }] };
  return parseSettings(r.data.toString('utf8'));
}

/** A shell-style glob as an anchored RegExp, or null when malformed (an unclosed `[`). */
export function globToRegExp(glob: string): RegExp | null {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return null;
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/[\\\]]/g, '\\$&') + ']';
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$');
  } catch {
    return null;
  }
}

/** True when the vendor asked to keep this interface off the screens. */
export function isInterfaceHidden(settings: Settings, name: string): boolean {
  return settings.network.hide.some((g) => globToRegExp(g)?.test(name) ?? false);
}
