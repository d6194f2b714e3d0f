// The boot test's real readers (docs/boot-test.md, "The real readers"): one guest per network
// stack and store that reads the files ttyconf writes: CentOS 7's network-scripts (ifup, ifdown,
// ifup-post) and NetworkManager with its ifcfg-rh plugin for ifcfg files, and Debian's stock
// NetworkManager with its keyfile plugin for keyfiles (EL9's shape). ttyconf detects the stack by itself;
// the test drives the console over the serial line, then asks the guest's kernel and the reader
// itself what came of each change. The guest's NIC sits on a tap in a network namespace that the
// test makes (hostlink.ts): DHCP and DNS come from dnsmasq there, and no packet leaves it.
// The steps of one guest run in order against one boot (and one reboot); none asserts a duration.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Guest, type Manifest, readManifest, sleep, waitUntil } from './guest.js';
import { HostLink, NET } from './hostlink.js';
import { type TaggedPeer, removeTaggedPeer, taggedPeer } from './vlan.js';

const WORK = process.env.TTYCONF_BOOT_WORK ?? '';
if (!WORK) throw new Error('run the boot test with "npm run test:boot" (test/boot/run.sh builds the images)');
const SLOW = Number(process.env.TTYCONF_BOOT_SLOW ?? '1') || 1;
const T = { boot: 420_000, step: 120_000, apply: 240_000, poweroff: 120_000 } as const;
const limit = (ms: number): number => ms * SLOW;
const since = (t0: number): number => (performance.now() - t0) / 1000;

type Flavour = 'network-scripts' | 'nm-ifcfg' | 'nm-keyfile';
interface StackGuest {
  readonly flavour: Flavour;
  /** The stack name ttyconf must detect by itself. */
  readonly stack: 'network-scripts' | 'nm';
  /** The store of eth0's profile, which ttyconf must detect by itself. */
  readonly store: 'ifcfg' | 'keyfile';
  /** The hostlink's name (part of the network namespace's name). */
  readonly link: string;
  readonly label: string;
}
const GUESTS: readonly StackGuest[] = [
  { flavour: 'network-scripts', stack: 'network-scripts', store: 'ifcfg', link: 'ns', label: "CentOS 7's network-scripts" },
  { flavour: 'nm-ifcfg', stack: 'nm', store: 'ifcfg', link: 'nm', label: 'NetworkManager with the ifcfg-rh plugin' },
  { flavour: 'nm-keyfile', stack: 'nm', store: 'keyfile', link: 'nk', label: "Debian's stock NetworkManager with keyfiles" },
];
/** TTYCONF_BOOT_GUESTS: the guests to run (run.sh sets it; default all). */
const wanted = (process.env.TTYCONF_BOOT_GUESTS ?? 'iproute2 network-scripts nm-ifcfg nm-keyfile').split(/[\s,]+/);
const envName = (f: Flavour): string => f.toUpperCase().replace(/-/g, '_');

const DEV = 'eth0';
const MAC = '52:54:00:12:34:56';
/** The profile's UUID in the guest's ifcfg-eth0 and eth0.nmconnection. */
const UUID = '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03';
const PROFILE = { ifcfg: '/etc/sysconfig/network-scripts/ifcfg-eth0', keyfile: '/etc/NetworkManager/system-connections/eth0.nmconnection' } as const;
const FIRST = { address: '192.0.2.10/24', gateway: NET.gateway1 };
const SECOND = { address: '198.51.100.20/24', gateway: NET.gateway2 };
const DNS = { servers: [NET.gateway2, NET.dns1], search: ['example.test', 'lab.example.test'] };
const RESULT_TITLE = /\+- (Nothing changed|Not done|FAILED[^-]*|Done: [a-z ]+|Rolled back|Result) -/;
const PROMPT = /password/i;

const figureLines: string[] = [];

for (const g of GUESTS.filter((x) => wanted.includes(x.flavour))) {
  const image = process.env[`TTYCONF_BOOT_IMAGE_${envName(g.flavour)}`] ?? '';
  const broken = process.env[`TTYCONF_BOOT_BROKEN_${envName(g.flavour)}`] ?? '';
  const dnsmasqDir = process.env.TTYCONF_BOOT_DNSMASQ ?? '';

  describe(`${g.label} reads what ttyconf writes (guest ${g.flavour})`, () => {
    if (!image || broken || !dnsmasqDir) {
      // A guest that cannot be built fails, saying why; it never passes quietly.
      it('builds the guest', () => {
        expect.fail(broken || (dnsmasqDir ? `no image for ${g.flavour} (run the boot test with npm run test:boot)` : `no DHCP server: ${process.env.TTYCONF_BOOT_DNSMASQ_BROKEN ?? 'TTYCONF_BOOT_DNSMASQ is not set'}`));
      });
      return;
    }
    const manifest: Manifest = readManifest(image);
    const work = join(WORK, g.flavour);
    const figures: string[] = [];
    const figure = (name: string, seconds: number): void => {
      figures.push(`${name}: ${seconds.toFixed(1)}s`);
    };
    let guest: Guest;
    let link: HostLink;
    let bootStart = 0;
    const disk = join(work, 'root.img');
    const boot = (): Promise<Guest> => Guest.boot({ image, work, nic: { netns: link.netns, tap: link.tap, mac: MAC }, disk });

    const sh = async (cmd: string, timeoutMs = 60_000): Promise<string> => {
      const r = await guest.shell.run(cmd, timeoutMs);
      expect(r.code, `${cmd}:\n${r.out}`).toBe(0);
      return r.out;
    };
    /** The kernel's view: IPv4 addresses of eth0 and the default route. */
    const kernel = async (): Promise<{ addresses: string[]; route: string }> => {
      const a = await sh(`ip -o -4 addr show dev ${DEV} | awk '{ print $4 }'`);
      const r = await sh('ip -4 route show default');
      return { addresses: a.split('\n').filter(Boolean), route: r.trim() };
    };
    /** NetworkManager's own view of the profile, as the issue states it. */
    const nmView = async (): Promise<Record<string, string>> => {
      const out = await sh(`nmcli -t -f ipv4.method,ipv4.addresses,ipv4.gateway,ipv4.dns,ipv4.dns-search connection show ${UUID}`);
      return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
    };
    const PATH = PROFILE[g.store];
    /** eth0's profile file as it is on the guest's disk. */
    const profile = async (): Promise<string> => sh(`cat ${PATH}`);
    const key = (file: string, k: string): string | null => {
      const m = new RegExp(`^${k}=(.*)$`, 'm').exec(file);
      return m ? m[1]!.replace(/^"(.*)"$/, '$1') : null;
    };
    /** A key of one group of a keyfile (these profiles use no escapes). */
    const kf = (file: string, group: string, k: string): string | null => {
      const body = new RegExp(`^\\[${group}\\]\n([^[]*)`, 'm').exec(file)?.[1] ?? '';
      return key(body, k);
    };
    /**
     * NetworkManager holds this very file as eth0's active profile, and the keyfile keeps what
     * NetworkManager requires of it (mode 0600, owner root: else NM ignores it).
     */
    async function expectActive(): Promise<void> {
      if (g.stack !== 'nm') return;
      const line = `${UUID}:${DEV}:${PATH}`;
      const active = await waitUntil(`${UUID} active on ${DEV}`, limit(T.step), async () => {
        const out = await sh('nmcli -t -f UUID,DEVICE,FILENAME connection show --active');
        return out.split('\n').includes(line) ? out : undefined;
      }).catch(async () => sh('nmcli -t -f UUID,DEVICE,FILENAME,STATE connection show'));
      expect(active.split('\n'), 'nmcli -t -f UUID,DEVICE,FILENAME connection show --active').toContain(line);
      if (g.store === 'keyfile') expect((await sh(`stat -c '%a %U:%G' ${PATH}`)).trim()).toBe('600 root:root');
    }

    /** The status screen, from wherever the UI is (a result screen returns there with Enter). */
    async function toStatus(): Promise<void> {
      const screen = guest.screen;
      for (let i = 0; i < 4; i++) {
        await screen.settled();
        const t = screen.text();
        if (/Choose what to set up/.test(t)) await screen.type(['\x1b']);
        else if (RESULT_TITLE.test(t)) await screen.type(['\r']);
        else if (/Status/.test(t) && t.includes(DEV)) return;
        else await screen.type(['\x1b']);
        await sleep(800);
      }
      await screen.waitFor('the status screen', /Status[\s\S]*eth0/, limit(T.step));
    }

    async function logIn(form: RegExp): Promise<void> {
      const screen = guest.screen;
      for (let attempt = 1; ; attempt++) {
        await screen.type(['\x15', ...manifest.password, '\r'], 60);
        const seen = await waitUntil('the form after logging in', limit(T.step), async () => {
          await screen.settled();
          const t = screen.text();
          return form.test(t) ? 'form' : /Wait \d+ s/.test(t) ? 'wait' : undefined;
        });
        if (seen === 'form') return;
        if (attempt === 3) expect.fail(`the password was not accepted:\n${screen.text()}`);
        await sleep(3000 * attempt);
      }
    }

    /** Status -> menu -> the entry with `hotkey`; logs in when asked; resolves on `form`. */
    async function openFeature(hotkey: string, form: RegExp): Promise<void> {
      const screen = guest.screen;
      await toStatus();
      await screen.type(['\r']);
      await screen.waitFor('the menu', /Choose what to set up/, limit(T.step));
      await screen.type([hotkey, '\r']);
      const what = await waitUntil(`${form} or a password prompt`, limit(T.step), async () => {
        await screen.settled();
        const t = screen.text();
        return form.test(t) ? 'form' : PROMPT.test(t) ? 'prompt' : undefined;
      });
      if (what === 'prompt') await logIn(form);
    }

    /** The interface form for eth0 (menu N, then the first interface of the list). */
    async function openInterfaceForm(): Promise<void> {
      await openFeature('n', /Choose the interface to configure|Interface eth0/);
      const screen = guest.screen;
      if (!/Interface eth0/.test(screen.text())) {
        await screen.type(['\r']);
        await screen.waitFor('the form of eth0', /Interface eth0/, limit(T.step));
      }
    }

    /** Enter on a form, then the review (must show `expectInReview`), then Y; returns the result screen. */
    async function reviewAndApply(expectInReview: readonly string[], what: string, command = g.stack === 'nm' ? 'nmcli connection load' : `ifup ${DEV}`): Promise<{ text: string; seconds: number }> {
      const screen = guest.screen;
      await screen.type(['\r']);
      await screen.waitFor('the review', /Review changes/, limit(T.step));
      // The title comes first over the serial line: wait until the lines asked for are drawn too.
      const review = await waitUntil(`the review of ${what}`, limit(T.step), async () => {
        await screen.settled();
        const t = screen.text();
        return /Review changes/.test(t) && expectInReview.every((s) => t.includes(s)) ? t : undefined;
      }).catch(() => screen.text());
      for (const s of expectInReview) expect(review, `the review of ${what}`).toContain(s);
      // The review ignores keys for its first half second (typed ahead, before anyone could read it).
      await sleep(700);
      const t0 = performance.now();
      await screen.type(['y']);
      let kept = false;
      let again = false;
      const text = await waitUntil(`the result screen of ${what}`, limit(T.apply), async () => {
        await screen.settled();
        const t = screen.text();
        // A loaded guest may still count the Y as typed ahead: the review says so and asks again.
        if (!again && /typed before this screen appeared and ignored/.test(t)) {
          again = true;
          await sleep(700);
          await screen.type(['y']);
        }
        if (!kept && /Keep these settings\?/.test(t)) {
          kept = true;
          await screen.type(['k']);
        }
        // The title comes first over the serial line: wait for the footer too, so the whole screen is drawn.
        return RESULT_TITLE.test(t) && /Back to status/.test(t) ? t : undefined;
      });
      const seconds = since(t0);
      const whole = await wholeResult(text);
      console.log(`[${g.flavour}] result of ${what} (${seconds.toFixed(1)}s):\n${whole}`);
      // Applied through the reader, not with iproute2 behind its back.
      expect(whole, `the commands of ${what}`).toContain(command);
      return { text, seconds };
    }

    /** A long result scrolls: page down (PgDn) until its last line is drawn, and return every page. */
    async function wholeResult(first: string): Promise<string> {
      const screen = guest.screen;
      const pages = [first];
      const range = (t: string): { end: number; of: number } | undefined => {
        const m = /-- lines \d+-(\d+) of (\d+);/.exec(t);
        return m ? { end: Number(m[1]), of: Number(m[2]) } : undefined;
      };
      let at = range(first);
      while (at && at.end < at.of) {
        const before = at.end;
        await screen.type(['\x1b[6~']);
        const t = await waitUntil('the next page of the result', limit(T.step), async () => {
          await screen.settled();
          const now = screen.text();
          const r = range(now);
          return r && r.end > before ? now : undefined;
        });
        pages.push(t);
        at = range(t);
      }
      return pages.join('\n');
    }

    /** Static address and gateway through the interface form. */
    async function setStatic(address: string, gateway: string, what: string, inReview = [address.split('/')[0]!]): Promise<{ text: string; seconds: number }> {
      await openInterfaceForm();
      const screen = guest.screen;
      // Method (focused first): S; then Address, Netmask (left empty), Gateway.
      await screen.type(['s', '\t', '\x15', ...address, '\t', '\x15', '\t', '\x15', ...gateway], 80);
      await screen.waitFor(`${gateway} typed in the form`, gateway, limit(T.step));
      return reviewAndApply(inReview, what);
    }

    async function expectKernel(address: string, gateway: string): Promise<void> {
      const k = await waitUntil(`${address} via ${gateway} in the kernel`, limit(T.step), async () => {
        const v = await kernel();
        return v.addresses.includes(address) && v.route.startsWith(`default via ${gateway} dev ${DEV}`) ? v : undefined;
      }).catch(async () => kernel());
      expect(k.addresses).toEqual([address]);
      expect(k.route).toMatch(new RegExp(`^default via ${gateway.replace(/\./g, '\\.')} dev ${DEV}\\b`));
    }

    async function expectReaderStatic(address: string, gateway: string): Promise<void> {
      const file = await profile();
      if (g.store === 'keyfile') {
        expect(kf(file, 'ipv4', 'method'), file).toBe('manual');
        // NetworkManager reads the gateway from address1's second field or from gateway=.
        const [addr, gw] = (kf(file, 'ipv4', 'address1') ?? '').split(',');
        expect(addr, file).toBe(address);
        expect(gw ?? kf(file, 'ipv4', 'gateway'), file).toBe(gateway);
        expect(file, file).not.toMatch(/^address2=/m);
      } else {
        expect(key(file, 'BOOTPROTO'), file).toMatch(/^(none|static)$/);
        expect(key(file, 'IPADDR'), file).toBe(address.split('/')[0]);
        expect(key(file, 'PREFIX'), file).toBe(address.split('/')[1]);
        expect(key(file, 'GATEWAY'), file).toBe(gateway);
      }
      if (g.stack === 'nm') {
        const v = await nmView();
        expect(v['ipv4.method']).toBe('manual');
        expect(v['ipv4.addresses']).toBe(address);
        expect(v['ipv4.gateway']).toBe(gateway);
        await expectActive();
      }
    }

    async function resolvConf(): Promise<{ servers: string[]; search: string[] }> {
      const text = await sh('cat /etc/resolv.conf');
      const servers = [...text.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]!);
      const search = /^search\s+(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
      return { servers, search };
    }

    /**
     * `exact`: the search line is the domains set, nothing else. Otherwise they come first: ifup-post
     * puts DOMAIN in front of the search domains already in /etc/resolv.conf and keeps those (a DHCP
     * lease's domain stays there until a reboot starts from the files alone).
     */
    async function expectDns(where: string, exact: boolean): Promise<void> {
      const rc = await waitUntil(`the DNS servers in /etc/resolv.conf (${where})`, limit(T.step), async () => {
        const r = await resolvConf();
        return DNS.servers.every((s) => r.servers.includes(s)) ? r : undefined;
      }).catch(async () => resolvConf());
      expect(rc.servers.slice(0, DNS.servers.length), `/etc/resolv.conf ${where}`).toEqual(DNS.servers);
      if (exact) expect(rc.search, `/etc/resolv.conf ${where}`).toEqual(DNS.search);
      else expect(rc.search.slice(0, DNS.search.length), `/etc/resolv.conf ${where}`).toEqual(DNS.search);
      if (g.stack === 'nm') {
        const v = await nmView();
        expect(v['ipv4.dns']).toBe(DNS.servers.join(','));
        expect(v['ipv4.dns-search']).toBe(DNS.search.join(','));
      }
    }

    /** nmcli's terse output as a map (a value's `\:` is a colon). */
    const nmFields = async (fields: string): Promise<Record<string, string>> => {
      const out = await sh(`nmcli -t -f ${fields} connection show ${UUID}`);
      return Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).replace(/\\(.)/g, '$1')]));
    };
    interface Addr6 { cidr: string; scope: string; tentative: boolean; dadfailed: boolean }
    /** The kernel's view of IPv6 on eth0 (`ip -6 -j addr`, with the DAD flags) and the IPv6 default route. */
    const kernel6 = async (): Promise<{ addresses: Addr6[]; route: string }> => {
      type Info = { family: string; local: string; prefixlen: number; scope: string; tentative?: boolean; dadfailed?: boolean };
      const j = JSON.parse(await sh(`ip -6 -j addr show dev ${DEV}`)) as { addr_info?: Info[] }[];
      const addresses = (j[0]?.addr_info ?? []).filter((a) => a.family === 'inet6')
        .map((a) => ({ cidr: `${a.local}/${a.prefixlen}`, scope: a.scope, tentative: a.tentative === true, dadfailed: a.dadfailed === true }));
      return { addresses, route: (await sh('ip -6 route show default')).trim() };
    };
    /** eth0 holds the static IPv6 address past duplicate address detection, and the IPv6 default route goes via the gateway. */
    async function expectKernel6(where: string): Promise<void> {
      const usable = (v: { addresses: Addr6[]; route: string }): boolean => {
        const a = v.addresses.find((x) => x.cidr === NET.guest6);
        return a !== undefined && !a.tentative && !a.dadfailed && v.route.startsWith(`default via ${NET.gateway6} dev ${DEV}`);
      };
      const k = await waitUntil(`${NET.guest6} on ${DEV} past DAD, default via ${NET.gateway6} (${where})`, limit(T.step), async () => {
        const v = await kernel6();
        return usable(v) ? v : undefined;
      }).catch(async () => kernel6());
      expect(k.addresses.find((x) => x.cidr === NET.guest6), `ip -6 -j addr show dev ${DEV} ${where}: ${JSON.stringify(k.addresses)}`)
        .toEqual({ cidr: NET.guest6, scope: 'global', tentative: false, dadfailed: false });
      expect(k.route, `ip -6 route show default ${where}`).toMatch(new RegExp(`^default via ${NET.gateway6} dev ${DEV}\\b`));
    }
    /** The profile file and the reader (NetworkManager) say IPv6 static with that address and gateway. */
    async function expectReader6(): Promise<void> {
      const file = await profile();
      if (g.store === 'keyfile') {
        expect(kf(file, 'ipv6', 'method'), file).toBe('manual');
        const [addr, gw] = (kf(file, 'ipv6', 'address1') ?? '').split(',');
        expect(addr, file).toBe(NET.guest6);
        expect(gw ?? kf(file, 'ipv6', 'gateway'), file).toBe(NET.gateway6);
      } else {
        expect(key(file, 'IPV6INIT'), file).toBe('yes');
        expect(key(file, 'IPV6ADDR'), file).toBe(NET.guest6);
        expect(key(file, 'IPV6_DEFAULTGW'), file).toBe(NET.gateway6);
      }
      if (g.stack === 'nm') {
        expect(await nmFields('ipv6.method,ipv6.addresses,ipv6.gateway')).toEqual({
          'ipv6.method': 'manual', 'ipv6.addresses': NET.guest6, 'ipv6.gateway': NET.gateway6,
        });
      }
    }

    beforeAll(async () => {
      mkdirSync(work, { recursive: true });
      for (const n of manifest.notes) console.log(`[${g.flavour}] image note: ${n}`);
      link = await HostLink.create(g.link, work, dnsmasqDir);
      // A copy the guest writes to and a reboot keeps (the cached image never changes).
      execFileSync('cp', ['--sparse=always', join(image, 'root.img'), disk]);
      bootStart = performance.now();
      guest = await boot();
    });

    afterEach(async (ctx) => {
      if (ctx.task.result?.state !== 'fail' || !guest?.running) return;
      console.log(`[${g.flavour}] ttyS0 screen at the failure:\n${guest.screen.text()}`);
      try {
        const j = await guest.shell.run(`journalctl -b --no-pager -n 60 -u '${manifest.unitTtyS0}' -u network -u NetworkManager`, 20_000);
        console.log(`[${g.flavour}] journal:\n${j.out}`);
        const f = await guest.shell.run(`cat ${PATH}; ip -o -4 addr; ip -4 route; cat /etc/resolv.conf`, 20_000);
        console.log(`[${g.flavour}] files and kernel:\n${f.out}`);
      } catch {
        console.log('(the test shell on ttyS1 did not answer)');
      }
    });

    afterAll(async () => {
      if (guest?.running) guest.stop();
      if (guest) await guest.exited;
      link?.close();
      rmSync(disk, { force: true });
      figureLines.push(...figures.map((f) => `${g.flavour}: ${f}`));
      writeFileSync(join(WORK, 'figures-stacks.txt'), figureLines.map((f) => f + '\n').join(''));
    });

    it(`boots with eth0 up from the ${g.store === 'keyfile' ? 'keyfile' : 'ifcfg file'}, and ttyconf detects the stack and the store by itself`, async () => {
      await guest.screen.waitFor(`the hostname ${manifest.hostname}`, manifest.hostname, limit(T.boot));
      figure('boot to first screen', since(bootStart));
      await guest.shell.ready(limit(T.step));
      if (g.stack === 'nm') {
        // NetworkManager has read the profiles and activated what it starts at boot.
        await sh(`nm-online -s -q --timeout=${Math.round(limit(T.boot) / 1000)}`, limit(T.boot));
        figure('boot to NetworkManager startup complete', since(bootStart));
        const t = await guest.shell.run('time -p nmcli -t -f RUNNING general', 120_000);
        console.log(`[${g.flavour}] nmcli -t -f RUNNING general (ttyconf waits 5 s for it):\n${t.out}`);
      }
      const show = JSON.parse(await sh('ttyconf show --json')) as {
        stack: { name: string; source: string; why: string } | null;
        interfaces: { name: string; file: string | null; store: string | null }[];
        newProfileStore: { store: string; why: string };
      };
      expect(show.stack, 'ttyconf show --json: stack').toMatchObject({ name: g.stack, source: 'detected' });
      console.log(`[${g.flavour}] ttyconf: ${show.stack?.name}: ${show.stack?.why}`);
      expect(show.interfaces.find((i) => i.name === DEV), 'ttyconf show --json: eth0').toMatchObject({ file: PATH.slice(1), store: g.store });
      if (g.store === 'keyfile') {
        expect(show.newProfileStore.store, `new profiles: ${show.newProfileStore.why}`).toBe('keyfile');
        console.log(`[${g.flavour}] new profiles: ${show.newProfileStore.why}`);
      }
      await expectKernel(FIRST.address, FIRST.gateway);
      await expectReaderStatic(FIRST.address, FIRST.gateway);
    });

    it('changes the static address and gateway through the console: kernel, route and reader agree', async () => {
      const r = await setStatic(SECOND.address, SECOND.gateway, 'static -> static with a new gateway');
      figure('static change: Y to result screen (write + apply + verify)', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      await expectKernel(SECOND.address, SECOND.gateway);
      await expectReaderStatic(SECOND.address, SECOND.gateway);
    });

    it('switches to DHCP (a lease from dnsmasq in the namespace) and back to static', async () => {
      await openInterfaceForm();
      await guest.screen.type(['d']);
      const r = await reviewAndApply(['method: static -> DHCP'], 'static -> DHCP');
      figure('DHCP: Y to result screen', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      const k = await kernel();
      expect(k.addresses.some((a) => a.startsWith(NET.dhcpPrefix)), `a lease in ${NET.dhcpPrefix}0/24: ${k.addresses.join(' ')}`).toBe(true);
      expect(k.route).toMatch(new RegExp(`^default via ${NET.dhcpRouter.replace(/\./g, '\\.')} dev ${DEV}`));
      expect(link.leases(), 'dnsmasq lease file').toContain(MAC);
      const file = await profile();
      if (g.store === 'keyfile') {
        expect(kf(file, 'ipv4', 'method'), file).toBe('auto');
        expect(file).not.toMatch(/^(address|addresses)\d*=|^gateway=/m);
      } else {
        expect(key(file, 'BOOTPROTO'), file).toBe('dhcp');
        expect(file).not.toMatch(/^(IPADDR|PREFIX|NETMASK|GATEWAY)\d*=/m);
      }
      if (g.stack === 'nm') {
        expect((await nmView())['ipv4.method']).toBe('auto');
        await expectActive();
      }

      const back = await setStatic(SECOND.address, SECOND.gateway, 'DHCP -> static');
      figure('back to static: Y to result screen', back.seconds);
      expect(back.text).toMatch(/\+- Done: applied -/);
      await expectKernel(SECOND.address, SECOND.gateway);
      await expectReaderStatic(SECOND.address, SECOND.gateway);
    });

    it('sets DNS servers and search domains: they reach /etc/resolv.conf through the reader', async () => {
      await openFeature('d', /DNS server 1/);
      const screen = guest.screen;
      await screen.type(['\x15', ...DNS.servers[0]!, '\t', '\x15', ...DNS.servers[1]!, '\t', '\x15', '\t', '\x15', ...DNS.search.join(' ')], 80);
      await screen.waitFor('the search domains typed', DNS.search[1]!, limit(T.step));
      const r = await reviewAndApply([DNS.servers[0]!], 'DNS');
      figure('DNS: Y to result screen', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      const file = await profile();
      if (g.store === 'keyfile') {
        expect(kf(file, 'ipv4', 'dns')?.split(';').filter(Boolean), file).toEqual(DNS.servers);
        expect(kf(file, 'ipv4', 'dns-search')?.split(';').filter(Boolean), file).toEqual(DNS.search);
      } else {
        expect(key(file, 'DNS1'), file).toBe(DNS.servers[0]);
        expect(key(file, 'DNS2'), file).toBe(DNS.servers[1]);
        expect(key(file, 'DOMAIN'), file).toBe(DNS.search.join(' '));
      }
      await expectDns('after the change', g.stack === 'nm');
    });

    it('sets a static IPv6 address and gateway through the console: status screen, kernel, files and reader agree', async () => {
      await openInterfaceForm();
      const screen = guest.screen;
      // Method, Address, Netmask, Gateway stay as they are (IPv4 is not applied again); then the
      // IPv6 method (S: static), its addresses and its gateway.
      await screen.type(['\t', '\t', '\t', '\t', 's', '\t', '\x15', ...NET.guest6, '\t', '\x15', ...NET.gateway6], 80);
      await screen.waitFor(`${NET.gateway6} typed in the form`, NET.gateway6, limit(T.step));
      const r = await reviewAndApply(['IPv6 method: ', '-> static', `IPv6 address: (none) -> ${NET.guest6}`, `IPv6 gateway: (none) -> ${NET.gateway6}`], 'IPv6 static');
      figure('IPv6 static: Y to result screen (write + apply + verify)', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      // The status screen: the method and the whole address (never cut), and the IPv6 gateway.
      await screen.type(['\r']);
      const status = await screen.waitFor('IPv6 on the status screen', new RegExp(`IPv6 static ${NET.guest6.replace(/[.]/g, '\\.')}`), limit(T.step))
        .then(() => screen.text()).catch(() => screen.text());
      console.log(`[${g.flavour}] status screen after the IPv6 change:\n${status}`);
      expect(status).toContain(`IPv6 static ${NET.guest6}`);
      expect(status).toMatch(new RegExp(`IPv6 gateway +${NET.gateway6} \\(${DEV}\\)`));
      await expectKernel6('after the change');
      await expectReader6();
      await expectActive();
      await expectKernel(SECOND.address, SECOND.gateway);
      if (g.stack === 'network-scripts') {
        // The reader alone: the global address goes, then ifdown + ifup bring it back from ifcfg-eth0.
        await sh(`ip -6 addr flush dev ${DEV} scope global && ifdown ${DEV}; ifup ${DEV}`, limit(T.apply));
        await expectKernel6('after ifdown + ifup');
        await expectKernel(SECOND.address, SECOND.gateway);
      }
    });

    it('rolls back through the reader when the gateway does not answer', async () => {
      const before = await profile();
      const r = await setStatic(SECOND.address, NET.unreachable, 'an unreachable gateway', [NET.unreachable]);
      figure('unreachable gateway: Y to rolled-back result (apply + failed check + rollback)', r.seconds);
      expect(r.text).toMatch(/\+- Rolled back -/);
      expect(r.text).toContain(NET.unreachable);
      await expectKernel(SECOND.address, SECOND.gateway);
      expect(await profile()).toBe(before);
      await expectReaderStatic(SECOND.address, SECOND.gateway);
      await expectKernel6('after the rollback');
    });

    // A VLAN through the console, on the tagged peer (vlan.ts): lab0 is the parent, lab0p.100 in the
    // namespace `tagged` answers 10.100.0.1 on id 100 only. The reboot that follows brings eth0 back
    // from its files whatever the VLAN's gateway did to the default route.
    let peer: TaggedPeer | undefined;
    const VLAN_NAME = 'lab0.100';
    const VLAN_PATH = g.store === 'keyfile' ? `/etc/NetworkManager/system-connections/${VLAN_NAME}.nmconnection` : `/etc/sysconfig/network-scripts/ifcfg-${VLAN_NAME}`;
    const LAB0_IFCFG = '/etc/sysconfig/network-scripts/ifcfg-lab0';
    const VLAN_ADDRESS = '10.100.0.2/24';
    const VLAN_GATEWAY = '10.100.0.1';
    /** The reader's command in a VLAN change's result (the VLAN goes with the stack of its parent). */
    const vlanCommand = (nm: string, ns: string): string => (g.stack === 'nm' ? nm : ns);
    const pingPeer = async (): Promise<boolean> => (await guest.shell.run(`ping -n -c1 -W2 ${VLAN_GATEWAY}`, 30_000)).code === 0;
    async function expectPingPeer(answers: boolean, where: string): Promise<void> {
      const ok = answers
        ? await waitUntil(`${VLAN_GATEWAY} answering over ${VLAN_NAME} (${where})`, limit(30_000), pingPeer, 1000).catch(() => false)
        : await pingPeer();
      expect(ok, `ping -c1 -W2 ${VLAN_GATEWAY} ${where}`).toBe(answers);
    }
    /** The kernel has the VLAN on lab0 with that id. */
    async function expectVlanLink(id: number, where: string): Promise<void> {
      const want = new RegExp(`^\\d+: ${VLAN_NAME.replace('.', '\\.')}@lab0:[\\s\\S]*vlan protocol 802\\.1Q id ${id} `);
      const show = async (): Promise<string> => (await guest.shell.run(`ip -d -o link show ${VLAN_NAME}`, 20_000)).out;
      const out = await waitUntil(`${VLAN_NAME} with id ${id} on lab0 (${where})`, limit(T.step), async () => {
        const o = await show();
        return want.test(o) ? o : undefined;
      }).catch(show);
      expect(out, `ip -d -o link show ${VLAN_NAME} ${where}`).toMatch(want);
    }
    /** The VLAN's file says id on lab0, and NetworkManager reads it so. Returns its UUID. */
    async function expectVlanFile(id: number): Promise<string> {
      const file = await sh(`cat ${VLAN_PATH}`);
      let uuid: string | null;
      if (g.store === 'keyfile') {
        expect(kf(file, 'connection', 'type'), file).toBe('vlan');
        expect(kf(file, 'vlan', 'parent'), file).toBe('lab0');
        expect(kf(file, 'vlan', 'id'), file).toBe(String(id));
        expect((await sh(`stat -c '%a %U:%G' ${VLAN_PATH}`)).trim()).toBe('600 root:root');
        uuid = kf(file, 'connection', 'uuid');
      } else {
        expect(key(file, 'VLAN'), file).toBe('yes');
        expect(key(file, 'PHYSDEV'), file).toBe('lab0');
        expect(key(file, 'VLAN_ID'), file).toBe(String(id));
        uuid = key(file, 'UUID');
      }
      expect(uuid, file).toMatch(/^[0-9a-f-]{36}$/);
      if (g.stack === 'nm') {
        const out = await sh(`nmcli -t -f connection.type,vlan.parent,vlan.id connection show ${uuid}`);
        const v = Object.fromEntries(out.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)]));
        expect(v, `nmcli connection show ${uuid}`).toEqual({ 'connection.type': 'vlan', 'vlan.parent': 'lab0', 'vlan.id': String(id) });
      }
      return uuid!;
    }
    /** The interface list, read again first (R on the status screen) so that it shows `name`. */
    async function openListWith(name: string): Promise<void> {
      const screen = guest.screen;
      await toStatus();
      await screen.type(['r']);
      await screen.waitFor(`${name} on the status screen`, new RegExp(`\\b${name.replace('.', '\\.')}\\b`), limit(T.step));
      await openFeature('n', /Choose the interface to configure/);
      await screen.waitFor(`${name} in the interface list`, new RegExp(`\\b${name.replace('.', '\\.')}\\b`), limit(T.step));
    }
    /** The list, then L (lab0) or L L (lab0.100 right under it), then `key`. */
    async function onListItem(name: 'lab0' | typeof VLAN_NAME, key: string, form: RegExp, what: string): Promise<void> {
      await openListWith(name);
      const screen = guest.screen;
      await screen.type(name === 'lab0' ? ['l'] : ['l', 'l'], 150);
      await screen.type([key]);
      await screen.waitFor(what, form, limit(T.step));
    }

    it('adds VLAN 100 on lab0 through the console: kernel, file and reader agree, the status screen lists it under lab0', async () => {
      peer = await taggedPeer(sh);
      if (g.stack === 'network-scripts') {
        // The test's network, not ttyconf's job: ttyconf lists a virtual link (the veth) only when a
        // profile configures it, so lab0 gets one that brings up nothing (no address, not at boot).
        await sh(`printf 'DEVICE=lab0\\nTYPE=Ethernet\\nONBOOT=no\\nBOOTPROTO=none\\nIPV6INIT=no\\nNM_CONTROLLED=no\\n' > ${LAB0_IFCFG}`);
      }
      if (g.stack === 'nm') {
        // The test's network, not ttyconf's job: NetworkManager manages the veth with a profile of
        // its own that runs no DHCP (else it starts its automatic "Wired connection 1" there).
        await sh(`nmcli connection add type ethernet ifname lab0 con-name lab0 ipv4.method disabled ipv6.method ignore && nmcli device set lab0 managed yes && nmcli connection up lab0`, limit(T.apply));
      }
      await onListItem('lab0', 'a', /Add a VLAN[\s\S]*Parent\s+\[lab0\s*\]/, 'the Add a VLAN form with Parent lab0');
      const screen = guest.screen;
      await screen.type(['\t', '1', '0', '0'], 80);
      await screen.waitFor('VLAN ID 100 typed', /VLAN ID\s+\[100/, limit(T.step));
      const r = await reviewAndApply([`${VLAN_NAME} VLAN: (none) -> 100 on lab0`, `${VLAN_PATH.slice(1)} (new file)`], 'VLAN add',
        vlanCommand('nmcli connection load', `ifup ${VLAN_NAME}`));
      figure('VLAN add: Y to result', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      await expectVlanLink(100, 'after the add');
      await expectVlanFile(100);
      await toStatus();
      await screen.type(['r']);
      const status = await screen.waitFor('lab0.100 under lab0 on the status screen', /\blab0 [\s\S]*lab0\.100 [\s\S]*VLAN 100 on lab0/, limit(T.step))
        .then(() => screen.text()).catch(() => screen.text());
      console.log(`[${g.flavour}] status screen with the VLAN:\n${status}`);
      const lines = status.split('\n');
      const parentAt = lines.findIndex((l) => /\blab0 /.test(l));
      const vlanAt = lines.findIndex((l) => / {3}lab0\.100 /.test(l));
      expect(parentAt, 'lab0 on the status screen').toBeGreaterThanOrEqual(0);
      expect(vlanAt, 'lab0.100 indented under lab0 on the status screen').toBeGreaterThan(parentAt);
      expect(lines.slice(vlanAt).join('\n')).toContain('VLAN 100 on lab0');
    });

    it('gives the VLAN a static address and gateway through its form: the peer answers over the tag', async () => {
      await onListItem(VLAN_NAME, '\r', /Interface lab0\.100[\s\S]*VLAN ID\s+\[100/, 'the form of lab0.100');
      const screen = guest.screen;
      // VLAN ID (focused first) as it is; Method S, Address, Netmask (left empty), Gateway.
      await screen.type(['\t', 's', '\t', '\x15', ...VLAN_ADDRESS, '\t', '\x15', '\t', '\x15', ...VLAN_GATEWAY], 80);
      await screen.waitFor(`${VLAN_GATEWAY} typed in the form`, VLAN_GATEWAY, limit(T.step));
      const r = await reviewAndApply([VLAN_ADDRESS.split('/')[0]!], 'VLAN static address', vlanCommand('nmcli connection load', `ifup ${VLAN_NAME}`));
      figure('VLAN static address: Y to result', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      const addrs = await sh(`ip -o -4 addr show dev ${VLAN_NAME} | awk '{ print $4 }'`);
      expect(addrs.split('\n').filter(Boolean), `addresses of ${VLAN_NAME}`).toEqual([VLAN_ADDRESS]);
      await expectPingPeer(true, `over ${VLAN_NAME} (id 100)`);
      await expectVlanLink(100, 'after the address');
    });

    it('re-tags the VLAN to 101 through its form: the gateway does not answer, ttyconf rolls back to 100', async () => {
      const before = await sh(`cat ${VLAN_PATH}`);
      await onListItem(VLAN_NAME, '\r', /Interface lab0\.100[\s\S]*VLAN ID\s+\[100/, 'the form of lab0.100');
      const screen = guest.screen;
      await screen.type(['\x15', '1', '0', '1'], 80);
      await screen.waitFor('VLAN ID 101 typed', /VLAN ID\s+\[101/, limit(T.step));
      const r = await reviewAndApply([`${VLAN_NAME} VLAN: 100 on lab0 -> 101 on lab0`], 'VLAN wrong ID', vlanCommand('nmcli connection load', `ifup ${VLAN_NAME}`));
      figure('VLAN wrong ID: Y to rolled-back result', r.seconds);
      expect(r.text).toMatch(/\+- Rolled back -/);
      await expectVlanLink(100, 'after the rollback');
      expect(await sh(`cat ${VLAN_PATH}`), `${VLAN_PATH} after the rollback`).toBe(before);
      await expectVlanFile(100);
      await expectPingPeer(true, `over ${VLAN_NAME} after the rollback`);
    });

    it('deletes the VLAN through the console: the link and the file are gone, the file is in the backup', async () => {
      await onListItem(VLAN_NAME, 'd', /Review changes/, 'the review of the delete');
      const r = await reviewAndApply([`${VLAN_NAME} VLAN: 100 on lab0 -> (none)`, `${VLAN_PATH.slice(1)} (removed)`], 'VLAN delete',
        vlanCommand('nmcli connection delete', `ifdown ${VLAN_NAME}`));
      figure('VLAN delete: Y to result', r.seconds);
      expect(r.text).toMatch(/\+- Done: applied -/);
      const gone = await waitUntil(`${VLAN_NAME} gone from the kernel`, limit(T.step), async () =>
        (await guest.shell.run(`ip link show ${VLAN_NAME}`, 20_000)).code !== 0).catch(() => false);
      expect(gone, `ip link show ${VLAN_NAME} after the delete`).toBe(true);
      expect((await guest.shell.run(`test -e ${VLAN_PATH}`, 20_000)).code, `${VLAN_PATH} after the delete`).not.toBe(0);
      const newest = (await sh('ls -t /var/lib/ttyconf/backups | head -n 1')).trim();
      const saved = await sh(`find /var/lib/ttyconf/backups/${newest} -name '${VLAN_PATH.split('/').pop()!}*'`);
      expect(saved.trim(), `${VLAN_PATH} in the backup ${newest}`).not.toBe('');
      if (g.stack === 'nm') {
        const left = await sh('nmcli -t -f NAME,TYPE,FILENAME connection show');
        expect(left, 'nmcli connection show after the delete').not.toContain(VLAN_PATH);
        await sh('nmcli connection delete lab0');
      }
      if (g.stack === 'network-scripts') await sh(`rm -f ${LAB0_IFCFG}`);
      if (peer) await removeTaggedPeer(sh, peer);
      peer = undefined;
    });

    it('comes up after a reboot from the files alone, with the last kept settings', async () => {
      await toStatus();
      // Whatever is in /etc/resolv.conf now goes: after the reboot only the reader can have written it.
      // (ifdown-post would put ifup-post's backup, resolv.conf.save, back at shutdown: it goes too.)
      await sh(`printf '# emptied by the boot test before the reboot\\n' > /etc/resolv.conf; rm -f /etc/resolv.conf.save`);
      const t0 = performance.now();
      // A clean reboot inside; qemu (-no-reboot) exits on the reset and a new qemu boots the same disk.
      guest.shell.fire('systemctl reboot');
      const code = await Promise.race([guest.exited, sleep(limit(T.poweroff)).then(() => 'timeout' as const)]);
      expect(code, 'qemu after systemctl reboot').toBe(0);
      guest = await boot();
      await guest.screen.waitFor(`the hostname ${manifest.hostname} after the reboot`, manifest.hostname, limit(T.boot));
      figure('reboot to first screen', since(t0));
      await guest.shell.ready(limit(T.step));
      await expectKernel(SECOND.address, SECOND.gateway);
      await expectReaderStatic(SECOND.address, SECOND.gateway);
      await expectDns('after the reboot', true);
      await expectKernel6('after the reboot');
      await expectReader6();
    });

    it('the same change by hand, for comparison (figures only)', async () => {
      const t0 = performance.now();
      if (g.stack === 'nm') {
        await sh(`nmcli connection modify ${UUID} ipv4.method manual ipv4.addresses ${FIRST.address} ipv4.gateway ${FIRST.gateway} && nmcli connection up ${UUID}`, limit(T.apply));
        figure('by hand: nmcli connection modify + up', since(t0));
      } else {
        await sh(`sed -i -e 's/^IPADDR=.*/IPADDR=${FIRST.address.split('/')[0]}/' -e 's/^GATEWAY=.*/GATEWAY=${FIRST.gateway}/' ${PATH} && ifdown ${DEV}; ifup ${DEV}`, limit(T.apply));
        figure('by hand: edit ifcfg + ifdown; ifup', since(t0));
      }
      await expectKernel(FIRST.address, FIRST.gateway);
    });

    it('the guest kernel carries a VLAN: a tagged peer answers on id 100, not on 101 (by hand, for a VLAN step)', async () => {
      const peer = await taggedPeer(sh);
      const vlan = (id: number): string => `ip link add link ${peer.parent} name ${peer.parent}.${id} type vlan id ${id} && ip addr add ${peer.local}/${peer.prefix} dev ${peer.parent}.${id} && ip link set ${peer.parent}.${id} up`;
      const ping = async (): Promise<boolean> => (await guest.shell.run(`ping -n -c 2 -W 2 ${peer.peer}`, 30_000)).code === 0;
      await sh(vlan(peer.id));
      expect(await sh(`ip -d -o link show ${peer.parent}.${peer.id}`)).toMatch(new RegExp(`vlan protocol 802.1Q id ${peer.id}\\b`));
      expect(await ping(), `ping ${peer.peer} over ${peer.parent}.${peer.id}`).toBe(true);
      await sh(`ip link del ${peer.parent}.${peer.id} && ${vlan(peer.id + 1)}`);
      expect(await ping(), `ping ${peer.peer} over ${peer.parent}.${peer.id + 1} (the wrong id)`).toBe(false);
      await sh(`ip link del ${peer.parent}.${peer.id + 1}`);
      if (g.stack === 'nm') {
        // What NetworkManager makes of the veth, and a VLAN on it brought up by hand with nmcli.
        const before = await sh(`nmcli -t -f DEVICE,TYPE,STATE device status`);
        console.log(`[${g.flavour}] nmcli device status with the tagged peer:\n${before}`);
        await sh(`nmcli device set ${peer.parent} managed yes`);
        const t0 = performance.now();
        await sh(`nmcli connection add type vlan con-name vlan${peer.id} ifname ${peer.parent}.${peer.id} dev ${peer.parent} id ${peer.id} ipv4.method manual ipv4.addresses ${peer.local}/${peer.prefix} ipv6.method disabled && nmcli connection up vlan${peer.id}`, limit(T.apply));
        figure('VLAN by hand: nmcli connection add + up', since(t0));
        console.log(`[${g.flavour}] after nmcli connection up vlan${peer.id}:\n${await sh(`nmcli -t -f DEVICE,TYPE,STATE,CONNECTION device status; nmcli -t -f NAME,DEVICE,FILENAME connection show --active`)}`);
        expect(await ping(), `ping ${peer.peer} over NetworkManager's ${peer.parent}.${peer.id}`).toBe(true);
        await sh(`nmcli connection delete vlan${peer.id}`);
      }
      await removeTaggedPeer(sh, peer);
    });

    it('powers off cleanly', async () => {
      const r = await guest.poweroff(limit(T.poweroff));
      figure('boot to poweroff (the whole guest run)', since(bootStart));
      expect(r).toEqual({ clean: true, code: 0 });
    });
  });
}
