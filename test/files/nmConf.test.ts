// NetworkManager's configuration as ttyconf reads it (does NM write resolv.conf?) must be what
// NetworkManager itself merges: its own binary prints the merged [main] of generated trees.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nmLeavesResolvConf, readNmDnsConfig } from '../../src/files/nmConf.js';
import { networkManagerBinary, nmPrintMain } from '../helpers/networkManager.js';

const nm = networkManagerBinary();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const CONTENTS = [
  '[main]\ndns=none\n', '[main]\ndns = default\n', '[main]\nrc-manager=unmanaged\n', '[main]\nrc-manager=symlink\n',
  '# Created by cloud-init on instance boot automatically, do not edit.\n#\n[main]\ndns = none\n',
  '[logging]\ndns=none\n', '', '#[main]\n#dns=none\n', '[main]\nplugins=ifcfg-rh\n', '[main]\n  dns=dnsmasq  \n',
  '[main]\ndns=none\n[main]\ndns=default\n', '[connection]\nipv4.dns-priority=10\n[main]\nrc-manager=file\n',
];
const NAMES = ['10-a.conf', '50-dns.conf', '99-cloud-init.conf', 'zz.conf', '50-dns.conf.bak', '.hidden.conf', 'README'];

/** A tree with NetworkManager.conf and conf.d files in etc/ and usr/lib/, names that shadow each other. */
function tree(r: () => number): string {
  const root = mkdtempSync(join(tmpdir(), 'ttyconf-nmconf-'));
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const put = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put('etc/NetworkManager/NetworkManager.conf', pick(CONTENTS));
  mkdirSync(join(root, 'etc/NetworkManager/conf.d'), { recursive: true });
  mkdirSync(join(root, 'usr/lib/NetworkManager/conf.d'), { recursive: true });
  for (const dir of ['etc/NetworkManager/conf.d', 'usr/lib/NetworkManager/conf.d']) {
    const n = Math.floor(r() * 4);
    for (let i = 0; i < n; i++) put(join(dir, pick(NAMES)), pick(CONTENTS));
  }
  return root;
}

const read = (root: string) => (rel: string): Buffer | null => {
  try {
    return readFileSync(join(root, rel));
  } catch {
    return null;
  }
};
const list = (root: string) => (rel: string): string[] => {
  try {
    return readdirSync(join(root, rel));
  } catch {
    return [];
  }
};

describe.skipIf(nm === null)('NetworkManager.conf and conf.d, as NetworkManager merges them', () => {
  it('80 generated trees: dns= and rc-manager= agree with NetworkManager --print-config', { timeout: 240_000 }, () => {
    const r = rng(4242);
    let leftAlone = 0;
    for (let n = 0; n < 80; n++) {
      const root = tree(r);
      try {
        const theirs = nmPrintMain(nm!, root);
        const ours = readNmDnsConfig(read(root), list(root));
        const files = JSON.stringify(Object.fromEntries(['etc/NetworkManager/conf.d', 'usr/lib/NetworkManager/conf.d'].map((d) => [d, list(root)(d)])));
        // --print-config shows a value with its trailing blanks; NetworkManager strips them when it uses it.
        expect(ours.dns?.value ?? null, files).toBe(theirs.get('dns')?.trim() ?? null);
        expect(ours.rcManager?.value ?? null, files).toBe(theirs.get('rc-manager')?.trim() ?? null);
        if (nmLeavesResolvConf(ours)) leftAlone++;
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    expect(leftAlone).toBeGreaterThan(10);
  });
});

if (nm === null) console.warn('SKIPPED: NetworkManager is not unpacked here (run: bash scripts/nm-offline.sh fetch)');
