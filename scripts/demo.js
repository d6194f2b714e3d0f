#!/usr/bin/env node
// Runs ttyconf on a copy of the bundled demo tree (a CentOS 7 machine), never on the real /etc.
// Usage: npm run demo [-- ARGS...]   (default: the console UI; e.g. `npm run demo -- show`)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ttyconf-demo-'));
cpSync(join(here, '..', 'demo', 'centos7'), root, { recursive: true });
const args = process.argv.slice(2);
const cmd = args.length ? args : ['ui'];
process.stderr.write(`ttyconf demo: working on a copy of demo/centos7 in ${root}\n`);
const r = spawnSync(process.execPath, [join(here, '..', 'bin', 'ttyconf.js'), ...cmd, '--root', root], { stdio: 'inherit' });
process.stderr.write(`ttyconf demo: the demo tree is still in ${root}\n`);
process.exit(r.status ?? 1);
