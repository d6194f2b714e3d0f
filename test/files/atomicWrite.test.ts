// The one atomic writer: new bytes whole, mode and owner kept (or given), no temp file left behind,
// the async and the synchronous form alike.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMP_MARK, writeFileAtomic, writeFileAtomicSync } from '../../src/files/atomicWrite.js';

const isRoot = process.getuid?.() === 0;
let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'ttyconf-atomic-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const temps = (): string[] => readdirSync(dir).filter((n) => n.includes(TEMP_MARK));

describe.each([
  ['writeFileAtomic', (p: string, c: string, o?: { mode?: number }) => writeFileAtomic(p, c, o)],
  ['writeFileAtomicSync', async (p: string, c: string, o?: { mode?: number }) => writeFileAtomicSync(p, c, o)],
])('%s', (_name, write) => {
  it('creates a new file with the given mode (the umask does not narrow it)', async () => {
    const p = join(dir, 'new');
    await write(p, 'hello\n', { mode: 0o664 });
    expect(readFileSync(p, 'utf8')).toBe('hello\n');
    expect(statSync(p).mode & 0o7777).toBe(0o664);
    expect(temps()).toEqual([]);
  });

  it('a new file without a mode gets 0644', async () => {
    const p = join(dir, 'plain');
    await write(p, 'x');
    expect(statSync(p).mode & 0o7777).toBe(0o644);
  });

  it('replaces a file whole and keeps its mode (0000 stays 0000) and its owner', async () => {
    const p = join(dir, 'kept');
    writeFileSync(p, 'old old old old\n');
    chmodSync(p, 0o000);
    if (isRoot) chownSync(p, 1234, 5678);
    const inode = statSync(p).ino;
    await write(p, 'new\n');
    const st = statSync(p);
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect(st.mode & 0o7777).toBe(0o000);
    expect(st.ino).not.toBe(inode); // renamed over, not rewritten in place
    if (isRoot) expect([st.uid, st.gid]).toEqual([1234, 5678]);
    expect(temps()).toEqual([]);
  });

  it('a failed rename leaves the old thing there and no temp file', async () => {
    const p = join(dir, 'busy');
    mkdirSync(p);
    writeFileSync(join(p, 'inside'), 'x');
    await expect(write(p, 'new')).rejects.toThrow();
    expect(readdirSync(p)).toEqual(['inside']);
    expect(temps()).toEqual([]);
  });

  it('a missing folder is an error, nothing is created', async () => {
    await expect(write(join(dir, 'no/such/file'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

it('writeFileAtomic relabels the file once it is in place', async () => {
  const seen: string[] = [];
  const p = join(dir, 'labelled');
  await writeFileAtomic(p, 'x', { relabel: async (abs) => void seen.push(`${abs}:${readFileSync(abs, 'utf8')}`) });
  expect(seen).toEqual([`${p}:x`]);
});
