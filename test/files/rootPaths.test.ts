// Root.path builds its paths without path.join on every component, and one reading keeps each
// component's lstat answer: the paths must be exactly what path.join and the link rules give, and a
// link made after a reading must be followed by the next one. Root.presentPath tells a path with a
// missing component from one to open.
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Root } from '../../src/files/root.js';
import { listRootDir, readRootFile } from '../../src/files/safeRead.js';
import { useTempRoots } from '../helpers/tree.js';

const newTree = useTempRoots(null);

describe('Root.path', () => {
  it('on / gives what path.join gives, for clean and unclean relative paths', () => {
    const root = new Root('/');
    for (const rel of ['etc/hostname', 'etc', 'a', '.hidden', 'etc/.x', 'etc/..x', 'x.', 'etc//hosts', './etc/hosts', 'etc/./hosts', 'etc/../hosts', 'etc/', '.', '..', 'x/..', '../..', '']) {
      expect(root.path(rel), rel).toBe(join('/', rel));
    }
  });

  it('under a tree follows links inside it, the same within one reading and outside', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'real', 'sysconfig'), { recursive: true });
    writeFileSync(join(dir, 'real', 'sysconfig', 'network'), 'NETWORKING=yes\n');
    symlinkSync('/real', join(dir, 'etc'));
    symlinkSync('../real/sysconfig/network', join(dir, 'netlink'));
    const root = new Root(dir);
    const expected = {
      'etc/sysconfig/network': join(root.base, 'real/sysconfig/network'),
      'etc//sysconfig/./network': join(root.base, 'real/sysconfig/network'),
      'netlink': join(root.base, 'real/sysconfig/network'),
      'etc/../../../etc/missing/x': join(root.base, 'real/missing/x'),
      'etc': join(root.base, 'real'),
      '': root.base,
    };
    for (const [rel, abs] of Object.entries(expected)) {
      expect(root.path(rel), rel).toBe(abs);
      expect(root.readingOnce(() => [root.path(rel), root.path(rel)]), rel).toEqual([abs, abs]);
    }
    expect(root.linkPath('netlink')).toBe(join(root.base, 'netlink'));
  });

  it('a link made after one reading is followed by the next', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'etc'));
    mkdirSync(join(dir, 'other'));
    const root = new Root(dir);
    // Within one reading the answers are kept (the reading sees one state of the tree) ...
    const [before, during] = root.readingOnce(() => {
      const first = root.path('etc/hostname');
      renameSync(join(dir, 'etc'), join(dir, 'etc.old'));
      symlinkSync('/other', join(dir, 'etc'));
      return [first, root.path('etc/hostname')];
    });
    expect(before).toBe(join(root.base, 'etc/hostname'));
    expect(during).toBe(before);
    // ... and dropped when it ends.
    expect(root.path('etc/hostname')).toBe(join(root.base, 'other/hostname'));
    expect(root.readingOnce(() => root.path('etc/hostname'))).toBe(join(root.base, 'other/hostname'));
  });

  it('a reading that throws leaves no answers behind', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'etc'));
    mkdirSync(join(dir, 'other'));
    const root = new Root(dir);
    expect(() =>
      root.readingOnce(() => {
        root.path('etc/hosts');
        throw new Error('read failed');
      }),
    ).toThrow('read failed');
    renameSync(join(dir, 'etc'), join(dir, 'etc.old'));
    symlinkSync('other', join(dir, 'etc'));
    expect(root.path('etc/hosts')).toBe(join(root.base, 'other/hosts'));
  });
});

describe('Root.presentPath', () => {
  it('under a tree is null when a component is missing, and path() otherwise, links followed inside the tree', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'real', 'sysconfig'), { recursive: true });
    writeFileSync(join(dir, 'real', 'sysconfig', 'network'), 'NETWORKING=yes\n');
    writeFileSync(join(dir, 'afile'), 'x\n');
    symlinkSync('/real', join(dir, 'etc'));
    symlinkSync('/nowhere', join(dir, 'dangling'));
    const root = new Root(dir);
    for (const read of [(f: () => unknown) => f(), (f: () => unknown) => root.readingOnce(f)]) {
      read(() => {
        expect(root.presentPath('etc/sysconfig/network')).toBe(join(root.base, 'real/sysconfig/network'));
        expect(root.presentPath('etc/sysconfig')).toBe(join(root.base, 'real/sysconfig'));
        expect(root.presentPath('etc/sysconfig/missing')).toBeNull();
        expect(root.presentPath('etc/missing/deeper/file')).toBeNull();
        expect(root.presentPath('dangling')).toBeNull();
        expect(root.presentPath('dangling/x')).toBeNull();
        // Not ENOENT: the open says what is wrong (ENOTDIR here), as before.
        expect(root.presentPath('afile/x')).toBe(root.path('afile/x'));
      });
    }
  });

  it('on / is path(), whether the file exists or not', () => {
    const root = new Root('/');
    for (const rel of ['etc', 'no/such/file/anywhere', 'etc/../x']) expect(root.presentPath(rel)).toBe(root.path(rel));
  });

  it('readRootFile says missing for a missing component without opening, unreadable for a file used as a folder', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'hosts'), '127.0.0.1 localhost\n');
    const root = new Root(dir);
    expect(readRootFile(root, 'etc/hosts')).toEqual({ kind: 'file', data: Buffer.from('127.0.0.1 localhost\n') });
    expect(readRootFile(root, 'etc/missing')).toEqual({ kind: 'missing' });
    expect(readRootFile(root, 'etc/NetworkManager/conf.d/x.conf')).toEqual({ kind: 'missing' });
    expect(readRootFile(root, 'etc/hosts/x')).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('ENOTDIR') });
  });

  it('listRootDir lists a folder sorted, nothing for a missing one, and throws for a file', () => {
    const dir = newTree();
    mkdirSync(join(dir, 'etc', 'conf.d'), { recursive: true });
    for (const f of ['b.conf', 'a.conf', 'c']) writeFileSync(join(dir, 'etc', 'conf.d', f), '');
    writeFileSync(join(dir, 'etc', 'hosts'), '');
    const root = new Root(dir);
    expect(listRootDir(root, 'etc/conf.d')).toEqual(['a.conf', 'b.conf', 'c']);
    expect(listRootDir(root, 'etc/missing')).toEqual([]);
    expect(listRootDir(root, 'usr/lib/NetworkManager/conf.d')).toEqual([]);
    expect(() => listRootDir(root, 'etc/hosts')).toThrow(/ENOTDIR/);
  });
});
