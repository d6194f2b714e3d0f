// Under --root every path resolves inside the tree at every component: a symbolic link anywhere on a
// managed path (absolute or relative, pointing out of the tree or into it, or a loop) never leads a
// read, write, backup or restore out of the tree. Generated: each component of each managed path x
// each kind of link x each operation, with a digest of the directory outside the tree.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomicCommit } from '../../src/files/commit.js';
import { Root } from '../../src/files/root.js';
import { cli } from '../helpers/cli.js';
import { BIN, DEMO, IFCFG } from '../helpers/tree.js';

const made: string[] = [];
// Each test's trees go when it ends: one hook for the whole file (some 260 trees) outran the hook
// timeout on a machine busy with disk I/O.
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `ttyconf-${tag}-`));
  made.push(d);
  return d;
}

/**
 * Every entry under dir (files by content and mode, links by target, directories by name); with
 * filesOnly, directories are walked but not counted, and ttyconf's own state (backups, jobs) is skipped.
 */
function digest(dir: string, filesOnly = false): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (filesOnly && /ttyconf\/(backups|jobs)$/.test(p)) continue;
      const st = lstatSync(p);
      if (!(filesOnly && st.isDirectory())) h.update(`${relative(dir, p)}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Each component of each path ttyconf reads or writes under a root. */
const COMPONENTS = [
  'etc',
  'etc/sysconfig',
  IFCFG,
  `${IFCFG}/ifcfg-eth0`,
  'etc/sysconfig/network',
  'etc/hostname',
  'etc/hosts',
  'etc/resolv.conf',
  'var',
  'var/lib',
  'var/lib/ttyconf',
  'var/lib/ttyconf/backups',
  'var/lib/ttyconf/jobs',
] as const;

type Kind = 'absolute-out' | 'relative-out' | 'absolute-in' | 'relative-in' | 'loop';
const KINDS: readonly Kind[] = ['absolute-out', 'relative-out', 'absolute-in', 'relative-in', 'loop'];

interface Case {
  readonly tree: string;
  readonly out: string;
  /** True when the link leads to the real content inside the tree (the change must land there). */
  readonly inside: boolean;
}

/**
 * A copy of the demo tree whose `component` is a link of the given kind. The outside directory holds
 * a copy of the component at the same absolute path an absolute link names (bait for a resolver that
 * follows links out of the tree).
 */
function makeCase(component: string, kind: Kind): Case {
  const tree = tempDir('tree');
  const out = tempDir('outside');
  cpSync(DEMO, tree, { recursive: true });
  mkdirSync(join(tree, 'var/lib/ttyconf/backups'), { recursive: true });
  mkdirSync(join(tree, 'var/lib/ttyconf/jobs'), { recursive: true });
  const at = join(tree, component);
  const bait = join(out, component);
  mkdirSync(dirname(bait), { recursive: true });
  cpSync(at, bait, { recursive: true });
  switch (kind) {
    case 'absolute-out':
      rmSync(at, { recursive: true });
      symlinkSync(bait, at);
      return { tree, out, inside: false };
    case 'relative-out':
      rmSync(at, { recursive: true });
      symlinkSync(relative(dirname(at), bait), at);
      return { tree, out, inside: false };
    case 'absolute-in': {
      // The link names the bait's absolute path; inside the tree that path holds the real content.
      const real = join(tree, bait);
      mkdirSync(dirname(real), { recursive: true });
      renameSync(at, real);
      symlinkSync(bait, at);
      return { tree, out, inside: true };
    }
    case 'relative-in': {
      const real = join(tree, 'alt', component);
      mkdirSync(dirname(real), { recursive: true });
      renameSync(at, real);
      symlinkSync(relative(dirname(at), real), at);
      return { tree, out, inside: true };
    }
    case 'loop':
      rmSync(at, { recursive: true });
      symlinkSync(component.split('/').pop()!, at);
      return { tree, out, inside: false };
  }
}

interface Op {
  readonly name: string;
  readonly argv: readonly string[];
  /** What `show` prints once the change landed. */
  readonly shows: RegExp;
}

const OPS: readonly Op[] = [
  { name: 'set hostname', argv: ['set', 'hostname', 'linked.example.com'], shows: /Hostname:\s+linked\.example\.com/ },
  { name: 'set dns', argv: ['set', 'dns', '192.0.2.77', '--search', 'linked.example'], shows: /192\.0\.2\.77/ },
  { name: 'set ip static', argv: ['set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1'], shows: /192\.0\.2\.10\/24/ },
  { name: 'set ip dhcp', argv: ['set', 'ip', 'eth1', 'dhcp'], shows: /eth1[\s\S]*dhcp/i },
];

let cases = 0;

describe('every component of every managed path may be a link: nothing outside the tree changes', () => {
  for (const component of COMPONENTS) {
    describe(component, () => {
      for (const kind of KINDS) {
        it(`${kind}: show, each set, the backups`, async () => {
          // One tree, the four changes one after the other (each writes other files, and backs them up).
          const c = makeCase(component, kind);
          const outBefore = digest(c.out);
          const shown = await cli('show', '--root', c.tree);
          expect(shown.code, shown.err).toBe(0);
          for (const op of OPS) {
            const r = await cli(...op.argv, '--root', c.tree, '--no-apply');
            // A loop is refused (exit 1 naming the file) or ignored; anything else is written inside.
            if (kind === 'loop') expect([0, 1], r.err).toContain(r.code);
            else expect(r.code, `${op.name}: ${r.err}`).toBe(0);
            if (r.code === 1) expect(r.err).toMatch(/cannot write \S+: .*\(ELOOP\).*; nothing was written/);
            expect(digest(c.out), `${op.name} changed the directory outside the tree`).toBe(outBefore);
            if (c.inside) {
              const after = await cli('show', '--root', c.tree);
              expect(after.out, op.name).toMatch(op.shows);
            }
            cases++;
          }
        }, 120_000);

        it(`${kind}: a failed change is restored through the link, inside the tree`, async () => {
          const c = makeCase(component, kind);
          const outBefore = digest(c.out);
          const treeBefore = digest(c.tree, true);
          const paths = [`${IFCFG}/ifcfg-eth0`, 'etc/hostname', 'etc/hosts', 'etc/resolv.conf', 'etc/sysconfig/network'];
          let n = 0;
          const res = await atomicCommit(new Root(c.tree), paths.map((p) => ({ path: p, content: Buffer.from(`new ${p}\n`) })), {
            beforeRename: () => {
              if (++n === paths.length) throw Object.assign(new Error('injected'), { code: 'EIO' });
            },
          });
          expect(res.ok).toBe(false);
          if (!res.ok && kind !== 'loop') expect(res.error.restored, res.error.cause).toBe(true);
          expect(digest(c.out)).toBe(outBefore);
          expect(digest(c.tree, true), 'the tree is back as it was').toBe(treeBefore);
          cases++;
        }, 60_000);
      }
    });
  }

  it('generated enough cases', () => {
    expect(cases).toBe(COMPONENTS.length * KINDS.length * (OPS.length + 1));
  });
});

describe('a journal in the tree that names another directory', () => {
  for (const kind of ['files', 'apply'] as const) {
    it(`${kind} job: the repair happens inside the tree it was found in, and runs nothing`, async () => {
      const tree = tempDir('tree');
      const out = tempDir('outside');
      cpSync(DEMO, tree, { recursive: true });
      cpSync(DEMO, out, { recursive: true });
      const killed = spawnSync(process.execPath, [BIN, 'set', 'hostname', 'forged.example.com', '--root', tree, '--no-apply'], {
        encoding: 'utf8', timeout: 60_000, env: { ...process.env, VITEST: 'true', TTYCONF_TEST_KILL_AT_RENAME: '2' },
      });
      expect(killed.signal).toBe('SIGKILL');
      // Make the other directory look half-changed too, so a restore there would show.
      writeFileSync(join(out, 'etc/hostname'), 'forged.example.com\n');
      const jobs = join(tree, 'var/lib/ttyconf/jobs');
      const id = readdirSync(jobs).find((n) => /^\d{8}-/.test(n))!;
      const spec = JSON.parse(readFileSync(join(jobs, id, 'job.json'), 'utf8')) as Record<string, unknown>;
      spec.rootDir = out;
      if (kind === 'apply') {
        delete spec.kind;
        Object.assign(spec, { stack: { name: 'iproute2', source: 'option', why: 'forged' }, confirmSeconds: 1, noRevert: false, timeouts: {}, hostnameVia: null });
      }
      writeFileSync(join(jobs, id, 'job.json'), JSON.stringify(spec));
      const outBefore = digest(out);
      const res = await cli('show', '--root', tree);
      expect(res.code, res.err).toBe(0);
      expect(res.err).toMatch(/was undone/);
      expect(digest(out)).toBe(outBefore);
      expect(readFileSync(join(tree, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
    }, 60_000);
  }
});

describe('Root.path resolves like a chroot', () => {
  it('an absolute link starts again at the top of the tree, .. stops there, a loop is ELOOP', () => {
    const tree = tempDir('tree');
    mkdirSync(join(tree, 'real/dir'), { recursive: true });
    symlinkSync('/real', join(tree, 'abs'));
    symlinkSync('../../../../../../real', join(tree, 'up'));
    symlinkSync('self', join(tree, 'self'));
    const root = new Root(tree);
    expect(root.path('abs/dir')).toBe(join(root.base, 'real/dir'));
    expect(root.path('up/dir')).toBe(join(root.base, 'real/dir'));
    expect(root.path('../../etc/passwd')).toBe(join(root.base, 'etc/passwd'));
    expect(root.linkPath('abs')).toBe(join(root.base, 'abs'));
    expect(() => root.path('self/x')).toThrow(/ELOOP/);
  });

  it('on / the kernel resolves: paths are joined as given', () => {
    expect(new Root('/').path('etc/resolv.conf')).toBe('/etc/resolv.conf');
  });
});
