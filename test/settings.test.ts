// Vendor settings (/etc/ttyconf/ttyconf.conf): good files, bad values (a clear warning and the
// default, never a crash), and the shipped example documenting every key with its default.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'ini';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Root } from '../src/files/root.js';
import { DEFAULT_SETTINGS, MENU_ITEMS, SETTINGS_PATH, globToRegExp, isInterfaceHidden, parseSettings, readSettings } from '../src/settings.js';

const EXAMPLE = readFileSync(new URL('../systemd/ttyconf.conf.example', import.meta.url), 'utf8');

/** Every key the parser knows, as section.key. */
const ALL_KEYS = [
  'product.name', 'product.banner',
  ...MENU_ITEMS.map((k) => `menu.${k}`),
  'login.required', 'login.group', 'login.idle_timeout',
  'network.hide',
  'firstboot.enabled',
];

/** The example with every commented-out key turned on. */
const EXAMPLE_ALL_ON = EXAMPLE.replace(/^#([a-z_]+ =)/gm, '$1');

describe('the shipped example (also installed as the default /etc/ttyconf/ttyconf.conf)', () => {
  it('as shipped (every key commented out): the defaults, no warning', () => {
    expect(parseSettings(EXAMPLE)).toEqual({ settings: DEFAULT_SETTINGS, warnings: [] });
  });
  it('with every key uncommented: still exactly the defaults, no warning (the values shown are the defaults)', () => {
    expect(parseSettings(EXAMPLE_ALL_ON)).toEqual({ settings: DEFAULT_SETTINGS, warnings: [] });
  });
  it('documents every key (and no other), each with a comment above it', () => {
    const doc = decode(EXAMPLE_ALL_ON) as Record<string, Record<string, unknown>>;
    const keys = Object.entries(doc).flatMap(([s, body]) => Object.keys(body).map((k) => `${s}.${k}`));
    expect(keys.sort()).toEqual([...ALL_KEYS].sort());
    const lines = EXAMPLE.split('\n');
    for (const key of ALL_KEYS) {
      const name = key.split('.')[1]!;
      const i = lines.findIndex((l) => l.startsWith(`#${name} =`));
      expect(lines[i - 1], key).toMatch(/^# /);
    }
  });
});

describe('parseSettings', () => {
  it('reads a vendor file', () => {
    const r = parseSettings(`
[product]
name = Acme Edge 3000
banner = "Support: +1 555 0100 ; acme.example"

[menu]
shell = yes
power = off
test = false

[login]
required = yes
group = wheel
idle_timeout = 10m

[network]
hide = lo, docker*, veth?, virbr[0-9]

[firstboot]
enabled = no
`);
    expect(r.warnings).toEqual([]);
    expect(r.settings).toEqual({
      product: { name: 'Acme Edge 3000', banner: 'Support: +1 555 0100 ; acme.example' },
      menu: { ip: true, dns: true, hostname: true, test: false, shell: true, power: false },
      login: { required: true, group: 'wheel', idleTimeoutSec: 600 },
      network: { hide: ['lo', 'docker*', 'veth?', 'virbr[0-9]'] },
      firstboot: { enabled: false },
    });
  });

  it.each([
    ['300', 300], ['90s', 90], ['5m', 300], ['5 min', 300], ['1h', 3600], ['0', 0], ['never', 0], ['off', 0],
  ])('idle_timeout = %s -> %i s', (value, sec) => {
    const r = parseSettings(`[login]\nidle_timeout = ${value}\n`);
    expect(r.warnings).toEqual([]);
    expect(r.settings.login.idleTimeoutSec).toBe(sec);
  });

  it('each bad value: a warning naming key, value, rule and default; the good keys still apply', () => {
    const r = parseSettings(`
[product]
name = ${'x'.repeat(41)}
banner = Caf\u00e9 ready

[menu]
dns = maybe
hostname = no

[login]
required = perhaps
group = ../wheel
idle_timeout = 10

[network]
hide = eth0, we/ird, bad[

[firstboot]
enabled = 2
`);
    expect(r.warnings.map((w) => w.message)).toEqual([
      `etc/ttyconf/ttyconf.conf: [product] name = "${'x'.repeat(41)}" must be at most 40 characters to fit the screen; using the default, ttyconf`,
      'etc/ttyconf/ttyconf.conf: [product] banner = "Caf\u00e9 ready" must be printable ASCII (the console font and serial terminals show nothing else); using the default, (none)',
      'etc/ttyconf/ttyconf.conf: [menu] dns = "maybe" must be yes or no; using the default, yes',
      'etc/ttyconf/ttyconf.conf: [login] required = "perhaps" must be yes or no; using the default, yes',
      'etc/ttyconf/ttyconf.conf: [login] group = "../wheel" must be a group name (letters, digits, _ and -, at most 32); using the default, (none: root only)',
      'etc/ttyconf/ttyconf.conf: [login] idle_timeout = "10" must be a time such as 300, 90s, 5m or 1h (between 30s and 24h), or 0/never; using the default, 300s',
      'etc/ttyconf/ttyconf.conf: [network] hide = "eth0, we/ird, bad[" has invalid globs (we/ird, bad[): use letters, digits, . _ - : @ and * ? [...]; using the default, (none)',
      'etc/ttyconf/ttyconf.conf: [firstboot] enabled = "2" must be yes or no; using the default, yes',
    ]);
    expect(r.warnings.map((w) => w.key)).toEqual([
      'product.name', 'product.banner', 'menu.dns', 'login.required', 'login.group', 'login.idle_timeout', 'network.hide', 'firstboot.enabled',
    ]);
    expect(r.settings).toEqual({ ...DEFAULT_SETTINGS, menu: { ...DEFAULT_SETTINGS.menu, hostname: false } });
  });

  it('unknown sections and keys, and keys outside a section, are reported and ignored', () => {
    const r = parseSettings('stray = 1\n[colors]\nfg = red\n[login]\nrequird = no\njust a line\n[menu.extra]\nx = 1\n');
    expect(r.warnings.map((w) => w.message)).toEqual([
      'etc/ttyconf/ttyconf.conf: "stray" is outside any section and was ignored; put it under a [section]',
      'etc/ttyconf/ttyconf.conf: unknown section [colors] ignored (known: product, menu, login, network, firstboot)',
      'etc/ttyconf/ttyconf.conf: unknown key "requird" in [login] ignored (known: required, group, idle_timeout)',
      'etc/ttyconf/ttyconf.conf: unknown key "just a line" in [login] ignored (known: required, group, idle_timeout)',
      'etc/ttyconf/ttyconf.conf: unknown section [menu.extra] ignored (known: ip, dns, hostname, test, shell, power)',
    ]);
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('never throws, whatever the bytes', () => {
    for (const text of ['\u0000\u0001\u00ff[[[', '[', '=', '[login]\n=\n', 'a'.repeat(100_000), '[__proto__]\npolluted = yes\n', '[login]\n__proto__ = x\n']) {
      expect(() => parseSettings(text)).not.toThrow();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('readSettings under a root', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ttyconf-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('no file: the defaults, no warning', async () => {
    expect(await readSettings(new Root(dir))).toEqual({ settings: DEFAULT_SETTINGS, warnings: [] });
  });
  it('reads etc/ttyconf/ttyconf.conf', async () => {
    mkdirSync(join(dir, 'etc/ttyconf'), { recursive: true });
    writeFileSync(join(dir, SETTINGS_PATH), '[product]\nname = Acme\n');
    expect((await readSettings(new Root(dir))).settings.product.name).toBe('Acme');
  });
  it('an unreadable file: the defaults and a warning', async () => {
    mkdirSync(join(dir, SETTINGS_PATH), { recursive: true });
    expect(await readSettings(new Root(dir))).toEqual({
      settings: DEFAULT_SETTINGS,
      warnings: [{ key: SETTINGS_PATH, message: `${SETTINGS_PATH}: is a directory, not a file; using every default` }],
    });
  });
});

describe('hidden interfaces', () => {
  const s = { ...DEFAULT_SETTINGS, network: { hide: ['lo', 'docker*', 'veth?', 'virbr[0-9]', 'tap[!0]'] } };
  it.each([
    ['lo', true], ['docker0', true], ['veth1', true], ['veth12', false], ['virbr0', true], ['virbr', false],
    ['tap1', true], ['tap0', false], ['eth0', false], ['lo0', false],
  ])('%s hidden: %s', (name, hidden) => expect(isInterfaceHidden(s, name)).toBe(hidden));
  it('a dot in a glob is literal', () => expect(globToRegExp('eth0.10')!.test('eth0x10')).toBe(false));
});
