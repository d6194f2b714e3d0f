// A file ttyconf cannot read exactly as bash does is refused through the CLI: exit 2, the file and
// the line named, nothing written, and nothing run when bash sources the file afterwards.
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { IFCFG, bashRead, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();
const ETH0 = `${IFCFG}/ifcfg-eth0`;
const ETH1 = `${IFCFG}/ifcfg-eth1`;

function lineCount(r: string, rel: string): number {
  return readFileSync(join(r, rel), 'latin1').split('\n').length - 1;
}

describe('ttyconf set on a file it will not edit', () => {
  it('the reported file: GATEWAY=x\\ #" opens a quote over the next lines; exit 2, file and line named, nothing written', async () => {
    const r = root();
    const canary = join(r, 'canary');
    const first = lineCount(r, ETH0) + 1;
    appendFileSync(join(r, ETH0), `GATEWAY=x\\ #"\ntouch ${canary}\nY="\n`);
    const before = treeBytes(r);
    for (const dryRun of [[], ['--dry-run']]) {
      const res = await cli('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--root', r, ...dryRun);
      expect(res.code).toBe(2);
      expect(res.out).toBe('');
      expect(res.err).toContain(`ttyconf: will not edit ${ETH0}, line ${first + 2}: NetworkManager reads an assignment of Y here, bash reads the line as part of the value of GATEWAY on line ${first}`);
      expect(res.err).toContain('ttyconf: nothing was written\n');
      expect(treeBytes(r)).toEqual(before);
    }
    bashRead(join(r, ETH0), ['GATEWAY']);
    expect(() => statSync(canary)).toThrow();
  });

  it.each([
    ['a here-document', 'ZONE=x <<EOF\nGATEWAY=192.0.2.1\nEOF\n', 0, /"<" after the value of ZONE is shell syntax/],
    ['a command', ': <<EOF\nGATEWAY=192.0.2.1\nEOF\n', 0, /bash runs ":" as a command/],
    ['a command substitution', 'ZONE=$(hostname)\n', 0, /\$\(\.\.\.\) runs a command/],
    ['a quote never closed', 'NAME="eth1\n', 0, /quote opened here is never closed/],
    ['a command after a value', 'ZONE=public true\n', 0, /runs what follows the value of ZONE as a command/],
  ])('%s: exit 2 naming the file and line, nothing written', async (_name, extra, offset, reason) => {
    const r = root();
    const line = lineCount(r, ETH1) + 1 + offset;
    appendFileSync(join(r, ETH1), extra);
    const before = treeBytes(r);
    const res = await cli('set', 'ip', 'eth1', 'dhcp', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(new RegExp(`^ttyconf: will not edit ${ETH1}, line ${line}: `));
    expect(res.err).toMatch(reason);
    expect(res.err).toContain('ttyconf: nothing was written\n');
    expect(treeBytes(r)).toEqual(before);

    const shown = await cli('show', '--json', '--root', r);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out).warnings).toContainEqual(expect.objectContaining({ file: ETH1, line, message: expect.stringMatching(/^ttyconf will not edit this file: /) }));
  });

  it('a value that refers to a key the change sets: refused for that change, other changes go ahead', async () => {
    const r = root();
    const line = lineCount(r, ETH1) + 1;
    appendFileSync(join(r, ETH1), 'ZONE="${GATEWAY}-zone"\n');
    const before = treeBytes(r);
    const res = await cli('set', 'ip', 'eth1', 'static', '192.0.2.20/24', '--gateway', '192.0.2.1', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toContain(`ttyconf: will not edit ${ETH1}, line ${line}: a value refers to $GATEWAY, which this change sets or removes`);
    expect(treeBytes(r)).toEqual(before);

    const dns = await cli('set', 'dns', '192.0.2.53', '--root', r);
    expect(dns.err).toBe('');
    expect(dns.code).toBe(0);
  });
});
