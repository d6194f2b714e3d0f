// Values that NetworkManager (ifcfg-rh) and network-scripts (bash sourcing the file) read differently
// (docs/boot-test.md, "Divergence"): each case is an ifcfg file that ttyconf keeps byte for byte. Both
// real readers load it in their guests: NetworkManager through `nmcli connection load` and its own
// view of the profile, network-scripts through the scripts' own source_config (what ifup does before
// anything else) and, for BOOTPROTO, through ifup itself. What each reader made of the value is
// recorded, and the warning `ttyconf show --json` prints for the file must say exactly that.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteBytes } from '../../src/files/bashValue.js';
import { Guest, limit, readManifest, since } from './guest.js';
import { HostLink } from './hostlink.js';

const WORK = process.env.TTYCONF_BOOT_WORK ?? '';
if (!WORK) throw new Error('run the boot test with "npm run test:boot" (test/boot/run.sh builds the images)');
const T = { boot: 420_000, step: 180_000, poweroff: 120_000 } as const;
const MAC = '52:54:00:12:34:56';
const DIR = '/etc/sysconfig/network-scripts';

interface ValueCase {
  /** The line as it stands in the file (a latin1 byte string; may run over two lines). */
  readonly line: string;
  /** The variable bash takes from the environment ifup runs in, when the value refers to one. */
  readonly env?: string;
}
/** Each is ZONE=... (NetworkManager's connection.zone: free text, shown as it was read). */
const VALUES: readonly ValueCase[] = [
  { line: 'ZONE=$HOME', env: 'HOME' },
  { line: 'ZONE="$HOME"', env: 'HOME' },
  { line: 'ZONE=${DEVICE}' },
  { line: 'ZONE="-K ${DEVICE} tso on"' },
  { line: 'ZONE=~' },
  { line: 'ZONE=a:~/x' },
  { line: 'ZONE=yes\r' },
  { line: 'ZONE="a\\\'b"' },
  { line: 'ZONE="a\\~"' },
  { line: "ZONE=$'\\c1'" },
  { line: 'ZONE=foo\\\nbar' },
  { line: 'ZONE=\xe9' },
];
const name = (i: number): string => `dv${i + 1}`;
const uuid = (i: number): string => `d1e0c0de-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
const fileOf = (i: number, line: string): string => `DEVICE=${name(i)}\nTYPE=Ethernet\nONBOOT=no\nBOOTPROTO=none\nUUID=${uuid(i)}\n${line}\n`;
/** BOOTPROTO spelled in capitals, with a static address: the reader decides DHCP or static. */
const BOOT = VALUES.length;
const BOOT_FILE = `DEVICE=${name(BOOT)}\nTYPE=Ethernet\nONBOOT=no\nBOOTPROTO=DHCP\nIPADDR=10.99.0.1\nPREFIX=24\nARPCHECK=no\nUUID=${uuid(BOOT)}\n`;

const b64 = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('latin1');

const wanted = (process.env.TTYCONF_BOOT_GUESTS ?? 'iproute2 network-scripts nm-ifcfg nm-keyfile').split(/[\s,]+/);
const figureLines: string[] = [];
/** What each reader made of each case: printed in the closing lines and checked against ttyconf's warnings. */
const outcomes = new Map<string, string[]>();

for (const flavour of (['network-scripts', 'nm-ifcfg'] as const).filter((f) => wanted.includes(f))) {
  const env = flavour.toUpperCase().replace(/-/g, '_');
  const image = process.env[`TTYCONF_BOOT_IMAGE_${env}`] ?? '';
  const broken = process.env[`TTYCONF_BOOT_BROKEN_${env}`] ?? '';
  const dnsmasqDir = process.env.TTYCONF_BOOT_DNSMASQ ?? '';
  const reader = flavour === 'nm-ifcfg' ? 'NetworkManager' : 'network-scripts';

  describe(`${reader} reads the divergence cases (guest ${flavour})`, () => {
    if (!image || broken || !dnsmasqDir) {
      it('builds the guest', () => {
        expect.fail(broken || (dnsmasqDir ? `no image for ${flavour} (run the boot test with npm run test:boot)` : `no DHCP server: ${process.env.TTYCONF_BOOT_DNSMASQ_BROKEN ?? 'TTYCONF_BOOT_DNSMASQ is not set'}`));
      });
      return;
    }
    for (const n of readManifest(image).notes) console.log(`[divergence ${flavour}] image note: ${n}`);
    const work = join(WORK, `divergence-${flavour}`);
    let guest: Guest;
    let link: HostLink;
    let bootStart = 0;

    const sh = async (cmd: string, timeoutMs = 60_000): Promise<string> => {
      const r = await guest.shell.run(cmd, timeoutMs);
      expect(r.code, `${cmd}:\n${r.out}`).toBe(0);
      return r.out;
    };
    /** Puts bytes into a guest file in short lines (a terminal line has a length limit). */
    const put = async (path: string, bytes: string): Promise<void> => {
      const text = b64(bytes);
      await sh(`: > /tmp/put.b64`);
      for (let i = 0; i < text.length; i += 600) await sh(`printf %s '${text.slice(i, i + 600)}' >> /tmp/put.b64`);
      await sh(`base64 -d /tmp/put.b64 > '${path}'`);
    };
    /** The warnings `ttyconf show --json` gives for a file. */
    let warnings: { file: string | null; message: string }[] = [];
    const warningsOf = (i: number): string[] => warnings.filter((w) => w.file?.endsWith(`/ifcfg-${name(i)}`)).map((w) => w.message);

    beforeAll(async () => {
      mkdirSync(work, { recursive: true });
      link = await HostLink.create(flavour === 'nm-ifcfg' ? 'dvn' : 'dvs', work, dnsmasqDir);
      bootStart = performance.now();
      guest = await Guest.boot({ image, work, nic: { netns: link.netns, tap: link.tap, mac: MAC } });
    });

    afterAll(async () => {
      if (guest?.running) await guest.poweroff(limit(T.poweroff));
      if (guest) await guest.exited;
      link?.close();
      figureLines.push(`divergence, ${flavour}: boot to shell and cases read: ${since(bootStart).toFixed(1)}s`);
      writeFileSync(join(WORK, 'figures-divergence.txt'), [...figureLines, ...[...outcomes].map(([k, v]) => `${k}: ${v.join('; ')}`)].map((l) => l + '\n').join(''));
      rmSync(join(work, 'put.b64'), { force: true });
    });

    it('boots, and the case files go into network-scripts beside ifcfg-eth0', async () => {
      await guest.shell.ready(limit(T.boot));
      await sh(`systemctl is-system-running --wait >/dev/null; true`, limit(T.boot));
      if (flavour === 'nm-ifcfg') await sh(`nm-online -s -q --timeout=${Math.round(limit(T.boot) / 1000)}`, limit(T.boot));
      figureLines.push(`divergence, ${flavour}: boot to a settled system: ${since(bootStart).toFixed(1)}s`);
      for (let i = 0; i < VALUES.length; i++) await put(`${DIR}/ifcfg-${name(i)}`, fileOf(i, VALUES[i]!.line));
      await put(`${DIR}/ifcfg-${name(BOOT)}`, BOOT_FILE);
      const show = JSON.parse(await sh('ttyconf show --json', limit(T.step))) as { warnings: { file: string | null; message: string }[] };
      warnings = show.warnings;
      console.log(`[divergence ${flavour}] ttyconf's warnings:\n${warnings.map((w) => `  ${w.file}: ${w.message}`).join('\n')}`);
    });

    it.each(VALUES.map((c, i) => [JSON.stringify(c.line), i] as const))(`${reader} reads %s as ttyconf's warning says`, async (_label, i) => {
      const c = VALUES[i]!;
      const key = c.line.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
      const mine = warningsOf(i).filter((m) => m.startsWith('ZONE '));
      expect(mine, `ttyconf's warning for ZONE in ifcfg-${name(i)}`).toHaveLength(1);
      const warning = mine[0]!;
      const t0 = performance.now();
      if (flavour === 'nm-ifcfg') {
        await sh(`nmcli connection load ${DIR}/ifcfg-${name(i)}`);
        const out = await sh(`nmcli -e no -g connection.zone connection show ${uuid(i)} | base64 -w0; echo`);
        const zone = unb64(out.trim()).replace(/\n$/, '');
        const says = zone === '' ? 'NetworkManager treats it as empty ("")' : `NetworkManager reads ${quoteBytes(zone)}`;
        outcomes.set(key, [...(outcomes.get(key) ?? []), `NetworkManager: connection.zone ${quoteBytes(zone)}`]);
        console.log(`[divergence nm-ifcfg] ${JSON.stringify(c.line)}: connection.zone ${quoteBytes(zone)} (${since(t0).toFixed(1)}s)`);
        expect(warning).toContain(says);
      } else {
        // What ifup does first: `. ./network-functions`, then source_config (`. ifcfg-NAME`).
        const out = await sh(`cd ${DIR} && ( . ./network-functions >/dev/null 2>&1; CONFIG=ifcfg-${name(i)}; source_config >/dev/null 2>&1; if [ -n "\${ZONE+x}" ]; then printf S%s "$ZONE"; else printf U; fi ) | base64 -w0; echo; cd /root`);
        const got = unb64(out.trim());
        expect(got.startsWith('S'), 'ZONE is set after source_config').toBe(true);
        const zone = got.slice(1);
        outcomes.set(key, [...(outcomes.get(key) ?? []), `network-scripts: ZONE=${quoteBytes(zone)}`]);
        console.log(`[divergence network-scripts] ${JSON.stringify(c.line)}: ZONE ${quoteBytes(zone)} (${since(t0).toFixed(1)}s)`);
        if (c.env) {
          const value = (await sh(`printenv ${c.env} || true`)).replace(/\n$/, '');
          expect(zone, `$${c.env} in the shell ifup runs in`).toBe(value);
          expect(warning).toContain(`network-scripts (bash) read $${c.env} from the environment ifup runs in`);
        } else {
          expect(warning).toContain(`network-scripts (bash) read ${quoteBytes(zone)}`);
        }
      }
    });

    it(`${reader} decides BOOTPROTO=DHCP as ttyconf's warning says`, async () => {
      const mine = warningsOf(BOOT).filter((m) => m.startsWith('BOOTPROTO=DHCP:'));
      expect(mine, `ttyconf's warning for BOOTPROTO in ifcfg-${name(BOOT)}`).toHaveLength(1);
      const warning = mine[0]!;
      if (flavour === 'nm-ifcfg') {
        await sh(`nmcli connection load ${DIR}/ifcfg-${name(BOOT)}`);
        const method = (await sh(`nmcli -g ipv4.method connection show ${uuid(BOOT)}`)).trim();
        outcomes.set('BOOTPROTO=DHCP', [...(outcomes.get('BOOTPROTO=DHCP') ?? []), `NetworkManager: ipv4.method ${method}`]);
        expect(warning).toContain(method === 'auto' ? 'NetworkManager uses DHCP' : 'NetworkManager does not use DHCP');
      } else {
        // ifup itself, on a dummy device of that name: DHCP would start dhclient; static sets the address.
        await sh(`modprobe dummy 2>/dev/null; ip link add ${name(BOOT)} type dummy`);
        const r = await guest.shell.run(`ifup ${name(BOOT)}`, limit(T.step));
        const addr = (await sh(`ip -o -4 addr show dev ${name(BOOT)} | awk '{ print $4 }'`)).trim();
        const dhclient = (await sh(`pgrep -af 'dhclient.*${name(BOOT)}' || true`)).trim();
        console.log(`[divergence network-scripts] ifup ${name(BOOT)} (exit ${r.code}): ${r.out}\naddresses: ${addr || 'none'}; dhclient: ${dhclient || 'none'}`);
        const did = dhclient ? 'dhclient' : addr === '10.99.0.1/24' ? 'static 10.99.0.1/24' : `neither (addresses: ${addr || 'none'})`;
        outcomes.set('BOOTPROTO=DHCP', [...(outcomes.get('BOOTPROTO=DHCP') ?? []), `network-scripts: ifup ${did}`]);
        expect(dhclient ? 'dhcp' : addr).toBe('10.99.0.1/24');
        expect(warning).toContain('network-scripts do not');
      }
    });
  });
}
