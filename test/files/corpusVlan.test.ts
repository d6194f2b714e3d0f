// VLANs in the files of NetworkManager's own test corpus (read when the corpus is there, skipped with
// the reason when not). ifcfg: the VLAN each file makes, as NetworkManager reads it (VLAN_ID or the
// number in DEVICE, PHYSDEV or the part before the dot); a re-tag changes only VLAN_ID/VID (and
// PHYSDEV where the name said the parent), bash reads the new ID, every other key reads the same.
// Keyfiles: NetworkManager's parser reads the new [vlan] id, and everything else as before.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IFCFG_VLAN_KEYS, editIfcfgVlanId, readIfcfgVlan } from '../../src/files/ifcfgVlan.js';
import { readProfile } from '../../src/files/ifcfg.js';
import { KeyFile } from '../../src/files/keyfile.js';
import { editKeyfileVlanId, isVlanKeyfile, readKeyfileVlan } from '../../src/files/keyfileVlan.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import { CORPUS } from '../helpers/corpus.js';
import { NMCLI, NMCLI_SKIP, nmKeys, nmRead } from '../helpers/nmcli.js';
import { bashRead } from '../helpers/tree.js';

const ifcfgDir = join(CORPUS, 'ifcfg-rh');
const ifcfgNames = existsSync(ifcfgDir)
  ? readdirSync(ifcfgDir).filter((n) => n.startsWith('ifcfg-') && !n.endsWith('.cexpected') && /^VLAN=/m.test(readFileSync(join(ifcfgDir, n), 'latin1'))).sort()
  : [];
if (ifcfgNames.length === 0) console.warn(`test/files/corpusVlan.test.ts: ifcfg part SKIPPED: no corpus at ${ifcfgDir} (TTYCONF_CORPUS names another)`);
const tmp = mkdtempSync(join(tmpdir(), 'ttyconf-corpusvlan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const vlanOf = (name: string): ReturnType<typeof readIfcfgVlan> => {
  const doc = ShellVarsFile.fromBuffer(readFileSync(join(ifcfgDir, name)));
  return readProfile(name, name, doc).profile.vlan;
};

describe.skipIf(ifcfgNames.length === 0)(`ifcfg corpus files with VLAN keys (${ifcfgDir})`, () => {
  it('has them', () => expect(ifcfgNames.length).toBeGreaterThan(5));

  it('reads each VLAN as NetworkManager\'s ifcfg-rh does', () => {
    expect(vlanOf('ifcfg-test-vlan-interface')).toEqual({ parent: 'eth9', id: 43 });
    expect(vlanOf('ifcfg-test-vlan-only-device')).toEqual({ parent: 'eth0', id: 9 });
    // VLAN_ID wins over the number in the name.
    expect(vlanOf('ifcfg-test-vlan-vlanid-use')).toEqual({ parent: 'eth0', id: 10 });
    expect(vlanOf('ifcfg-test-vlan-physdev')).toEqual({ parent: 'eth0', id: 3 });
    expect(vlanOf('ifcfg-test-vlan-only-vlanid')).toEqual({ parent: 'eth9', id: 43 });
    // vlanN with PHYSDEV, values with trailing blanks.
    expect(vlanOf('ifcfg-test-vlan-trailing-spaces')).toEqual({ parent: 'enccw0.0.fb00', id: 201 });
  });

  it.each(ifcfgNames)('%s: a re-tag changes only the VLAN keys; bash reads the new ID', (name) => {
    const buf = readFileSync(join(ifcfgDir, name));
    const before = ShellVarsFile.fromBuffer(buf);
    const device = readProfile(name, name, before).profile.device;
    const vlan = readIfcfgVlan(before, device);
    expect(vlan, name).toBeDefined();
    const f = ShellVarsFile.fromBuffer(buf);
    editIfcfgVlanId(f, { parent: vlan!.parent, id: 77 });
    if (f.refused()) {
      expect(f.toBuffer().equals(buf)).toBe(true);
      return;
    }
    const after = ShellVarsFile.fromBuffer(f.toBuffer());
    for (const k of new Set([...before.keys(), ...after.keys()])) if (!IFCFG_VLAN_KEYS.test(k)) expect(after.get(k), k).toBe(before.get(k));
    const keep = (text: string): string[] => text.split('\n').filter((l) => !/^[ \t]*(VLAN|VLAN_ID|VID|PHYSDEV)=/.test(l) && l !== '');
    expect(keep(f.serialize())).toEqual(keep(buf.toString('latin1')));
    expect(readIfcfgVlan(after, device)).toEqual({ parent: vlan!.parent, id: 77 });
    const file = join(tmp, name);
    writeFileSync(file, f.toBuffer());
    expect(bashRead(file, ['VLAN_ID', 'VID', 'PHYSDEV'])).toEqual({ VLAN_ID: '77', VID: '77', PHYSDEV: vlan!.parent });
  });
});

const kfDir = join(CORPUS, 'keyfile-tests');
const kfNames = existsSync(kfDir) ? readdirSync(kfDir).filter((n) => {
  const r = KeyFile.fromBuffer(readFileSync(join(kfDir, n)));
  return r.ok && isVlanKeyfile(r.value);
}).sort() : [];
if (kfNames.length === 0) console.warn(`test/files/corpusVlan.test.ts: keyfile part SKIPPED: no VLAN keyfiles at ${kfDir}`);
else if (!NMCLI) console.warn(`test/files/corpusVlan.test.ts: keyfile part ${NMCLI_SKIP}`);

function nm(buf: Buffer | string): Map<string, string> {
  const r = nmRead(buf);
  if (!r.ok) throw new Error(r.message);
  return nmKeys(r.text);
}

describe.skipIf(kfNames.length === 0 || !NMCLI)(`keyfile corpus files of type vlan (${kfDir})`, () => {
  it('reads [vlan] id and parent; a profile without [vlan] names no parent ttyconf can use', () => {
    const read = (n: string): ReturnType<typeof readKeyfileVlan> => {
      const k = KeyFile.fromBuffer(readFileSync(join(kfDir, n)));
      return k.ok ? readKeyfileVlan(k.value) : undefined;
    };
    expect(read('Test_Missing_Vlan_Flags')).toEqual({ parent: 'em1', id: 444 });
    expect(read('Test_Missing_Vlan_Setting')).toBeUndefined();
  });

  it.each(kfNames.filter((n) => n !== 'Test_Missing_Vlan_Setting'))('%s: a re-tag changes [vlan] id only (and pins the name NetworkManager gave the link), as NetworkManager reads it', (name) => {
    const buf = readFileSync(join(kfDir, name));
    const k = KeyFile.fromBuffer(buf);
    if (!k.ok) throw new Error(k.error.message);
    const v = readKeyfileVlan(k.value)!;
    const had = k.value.get('connection', 'interface-name');
    const link = had || `${v.parent}.${v.id}`;
    editKeyfileVlanId(k.value, { parent: v.parent, id: 77 }, link);
    const before = nm(buf);
    const after = nm(k.value.toBuffer());
    expect(after.get('vlan.id')).toBe('77');
    // Without interface-name NetworkManager names the link PARENT.ID: a new ID would rename it.
    if (!had) expect(after.get('connection.interface-name')).toBe(link);
    const others = (m: Map<string, string>): Record<string, string> => Object.fromEntries([...m].filter(([x]) => x !== 'vlan.id' && (had || x !== 'connection.interface-name')));
    expect(others(after)).toEqual(others(before));
    // Comments and every other line stay where they were.
    const keep = (t: string): string[] => t.split('\n').filter((l) => !/^id=\d+$/.test(l) && (had || !l.startsWith('interface-name=')));
    expect(keep(k.value.serialize())).toEqual(keep(buf.toString('latin1')));
  });
});
