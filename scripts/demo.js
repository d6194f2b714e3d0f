#!/usr/bin/env node
// Runs ttyconf on a copy of a bundled demo tree, never on the real /etc: demo/centos7 (ifcfg files,
// the default) or demo/el9 (CentOS Stream 9, NetworkManager keyfiles).
// Usage: npm run demo [-- [--tree centos7|el9] ARGS...]   (default: the console UI; e.g. `npm run demo -- --tree el9 show`)
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const TREES = { centos7: 'CentOS 7, ifcfg files', el9: 'CentOS Stream 9, NetworkManager keyfiles' };
let args = process.argv.slice(2);
let tree = 'centos7';
const at = args.findIndex((a) => a === '--tree' || a.startsWith('--tree='));
if (at >= 0) {
  tree = args[at].includes('=') ? args[at].slice('--tree='.length) : args[at + 1];
  args = args.filter((_, i) => i !== at && !(i === at + 1 && !args[at].includes('=')));
}
if (!(tree in TREES)) {
  process.stderr.write(`ttyconf demo: --tree must be one of: ${Object.entries(TREES).map(([k, v]) => `${k} (${v})`).join(', ')}\n`);
  process.exit(2);
}
const root = mkdtempSync(join(tmpdir(), 'ttyconf-demo-'));
cpSync(join(here, '..', 'demo', tree), root, { recursive: true });
// git keeps no 0600 mode, and NetworkManager ignores a keyfile that others may read.
const keyfiles = join(root, 'etc', 'NetworkManager', 'system-connections');
if (existsSync(keyfiles)) for (const n of readdirSync(keyfiles)) chmodSync(join(keyfiles, n), 0o600);
const cmd = args.length ? args : ['ui'];
process.stderr.write(`ttyconf demo: working on a copy of demo/${tree} (${TREES[tree]}) in ${root}\n`);
const r = spawnSync(process.execPath, [join(here, '..', 'bin', 'ttyconf.js'), ...cmd, '--root', root], { stdio: 'inherit' });
process.stderr.write(`ttyconf demo: the demo tree is still in ${root}\n`);
process.exit(r.status ?? 1);
