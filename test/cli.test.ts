// The CLI contract: exit codes, messages, what lands on disk (read back through bash).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { BIN, IFCFG, PROJECT, bashRead, read, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();

const ETH0 = `${IFCFG}/ifcfg-eth0`;
const ETH1 = `${IFCFG}/ifcfg-eth1`;

describe('ttyconf set ip', () => {
  it('switches a DHCP interface to static with a gateway; bash reads every key back', async () => {
    const r = root();
    const before = read(r, ETH0);
    const res = await cli('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--root', r);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toContain('eth0 method: DHCP -> static');
    expect(res.out).toContain('eth0 address: (none) -> 192.0.2.10/24');
    const got = bashRead(join(r, ETH0), ['BOOTPROTO', 'IPADDR', 'PREFIX', 'GATEWAY', 'DEFROUTE', 'NAME', 'HWADDR', 'ETHTOOL_OPTS', 'UUID', 'ZONE', 'NETMASK']);
    expect(got).toEqual({
      BOOTPROTO: 'none', IPADDR: '192.0.2.10', PREFIX: '24', GATEWAY: '192.0.2.1', DEFROUTE: 'yes',
      NAME: 'System eth0', HWADDR: '52:54:00:12:34:56', ETHTOOL_OPTS: '-K eth0 tso off',
      UUID: '5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03', ZONE: 'public', NETMASK: null,
    });
    // Comments and untouched lines are byte for byte where they were.
    const after = read(r, ETH0);
    for (const line of before.split('\n')) if (!/^(BOOTPROTO|DEFROUTE)=/.test(line)) expect(after).toContain(line);
    expect(after.startsWith('# Management interface: DHCP from the lab network.\n')).toBe(true);
  });

  it('accepts address plus --netmask and removes the conflicting NETMASK', async () => {
    const r = root();
    const res = await cli('set', 'ip', 'eth1', 'static', '198.51.100.30', '--netmask', '255.255.255.128', '--root', r);
    expect(res.code).toBe(0);
    const got = bashRead(join(r, ETH1), ['IPADDR', 'PREFIX', 'NETMASK', 'MTU', 'VENDOR_STORAGE_ROLE', 'DEVICE']);
    expect(got).toEqual({ IPADDR: '198.51.100.30', PREFIX: '25', NETMASK: null, MTU: '9000', VENDOR_STORAGE_ROLE: 'primary replica', DEVICE: 'eth1' });
    expect(read(r, ETH1)).toContain('DEVICE="eth1"\n'); // other keys' quoting stays
  });

  it('switches static to DHCP and removes every IPADDR*/PREFIX*/NETMASK*/GATEWAY*', async () => {
    const r = root();
    const res = await cli('set', 'ip', 'eth1', 'dhcp', '--root', r);
    expect(res.code).toBe(0);
    const text = read(r, ETH1);
    expect(text).not.toMatch(/^(IPADDR|PREFIX|NETMASK|GATEWAY)/m);
    expect(bashRead(join(r, ETH1), ['BOOTPROTO'])).toEqual({ BOOTPROTO: 'dhcp' });
  });

  it('creates a file for an interface without one', async () => {
    const r = root();
    execFileSync('cp', ['-r', join(r, 'sys/class/net/eth1'), join(r, 'sys/class/net/eth2')]);
    const res = await cli('set', 'ip', 'eth2', 'dhcp', '--root', r);
    expect(res.code).toBe(0);
    const got = bashRead(join(r, IFCFG, 'ifcfg-eth2'), ['DEVICE', 'NAME', 'TYPE', 'UUID', 'ONBOOT', 'IPV6INIT', 'BOOTPROTO']);
    expect(got).toMatchObject({ DEVICE: 'eth2', NAME: 'eth2', TYPE: 'Ethernet', ONBOOT: 'yes', IPV6INIT: 'no', BOOTPROTO: 'dhcp' });
    expect(got.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(read(r, `${IFCFG}/ifcfg-eth2`)).toContain('NAME="eth2"');
    expect(statSync(join(r, IFCFG, 'ifcfg-eth2')).mode & 0o777).toBe(0o644);
  });

  it('rejects an unknown interface when the machine lists its interfaces', async () => {
    const r = root();
    const res = await cli('set', 'ip', 'eth7', 'dhcp', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toContain('invalid device: "eth7" is not an interface of this machine');
  });
});

describe('invalid input: exit 2, every error named, nothing written', () => {
  it.each([
    [['set', 'ip', 'eth0', 'static', '192.0.2.10'], ['invalid address: "192.0.2.10" has no prefix']],
    [['set', 'ip', 'eth0', 'static', '192.0.2.0/24', '--gateway', '198.51.100.1'],
      ['invalid address: "192.0.2.0/24" is the network address', 'invalid gateway: "198.51.100.1" is outside the subnet']],
    [['set', 'ip', 'eth0', 'static', '192.0.2.10', '--netmask', '255.0.255.0'], ['invalid netmask: "255.0.255.0" is not a contiguous netmask']],
    [['set', 'dns', '192.0.2.1', '192.0.2.1', 'x'], ['invalid dns2: "192.0.2.1" is listed twice', 'invalid dns3: "x" is not an IPv4 or IPv6 address']],
    [['set', 'hostname', 'bad_name.'], ['invalid hostname: "bad_name." must not end with a dot']],
    [['set', 'hostname', '192.0.2.5'], ['invalid hostname: "192.0.2.5" is an IP address, not a name']],
    [['set', 'dns', '::'], ['invalid dns1: "::" is the unspecified address ::']],
    [['set', 'dns', '192.0.2.53', '0::0'], ['invalid dns2: "0::0" is the unspecified address ::']],
    [['set', 'ip', 'lo', 'dhcp'], ['invalid device: "lo" is the loopback interface, which ttyconf does not configure']],
    [['set', 'ip', 'lo', 'static', '192.0.2.10/24'], ['invalid device: "lo" is the loopback interface']],
    [['set', 'ip', 'eth0.bak', 'dhcp'], ['invalid device: "eth0.bak" ends in ".bak": initscripts and NetworkManager skip an ifcfg file named so']],
    [['set', 'ip', 'eth0~', 'dhcp'], ['invalid device: "eth0~" ends in "~"']],
    [['set', 'ip', 'eth0.rpmnew', 'static', '192.0.2.10/24'], ['invalid device: "eth0.rpmnew" ends in ".rpmnew"']],
    [['set', 'ip', 'eth0-range1', 'dhcp'], ['invalid device: "eth0-range1" contains "-range"']],
    [['set', 'ip', 'averyveryverylong0', 'dhcp'], ['invalid device: "averyveryverylong0" is 18 bytes long; the kernel takes at most 15']],
    [['set', 'ip', 'eth0:1', 'dhcp'], ['invalid device: "eth0:1" contains ":": the kernel refuses']],
  ])('%j', async (argv, messages) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli(...argv, '--root', r);
    expect(res.code).toBe(2);
    for (const m of messages) expect(res.err).toContain(m);
    expect(res.err).toContain('nothing was written');
    expect(treeBytes(r)).toEqual(before);
  });

  it.each([
    ['no such directory', (r: string) => join(r, 'typo')],
    ['not a directory', (r: string) => join(r, 'etc', 'hostname')],
  ])('--root that is %s: exit 2, and no tree is made there', async (says, dir) => {
    const r = root();
    const before = treeBytes(r);
    for (const argv of [['set', 'ip', 'eth9', 'dhcp'], ['set', 'hostname', 'box'], ['show']]) {
      const res = await cli(...argv, '--root', dir(r));
      expect(res.code).toBe(2);
      expect(res.err).toContain(`ttyconf: --root ${dir(r)}: ${says}`);
    }
    expect(existsSync(join(r, 'typo'))).toBe(false);
    expect(treeBytes(r)).toEqual(before);
  });

  it.each([[['set']], [['set', 'ip', 'eth0']], [['set', 'ip', 'eth0', 'manual']], [['frobnicate']], [['show', '--bogus']], [['set', 'ip', 'eth0', 'dhcp', '--gateway', '1.2.3.4']]])(
    'usage error %j', async (argv) => {
      const res = await cli(...argv, '--root', root());
      expect(res.code).toBe(2);
      expect(res.err).toMatch(/^ttyconf: /);
      expect(res.err).toContain('Usage:');
    });
});

describe('each command takes only its own options: exit 2, the option and the command named, nothing written', () => {
  it.each([
    [['show', '--gateway', '1.2.3.4', '--tty', 'ttyS9'], '"show" does not take the option --gateway'],
    [['show', '--gateway=1.2.3.4'], '"show" does not take the option --gateway'],
    [['show', '-x'], '"show" does not take the option -x'],
    [['show', '--dry-run'], '"show" does not take the option --dry-run'],
    [['set', 'hostname', 'box', '--search', 'a.example'], '"set hostname" does not take the option --search'],
    [['set', 'hostname', 'box', '--json'], '"set hostname" does not take the option --json'],
    [['set', 'dns', '192.0.2.9', '--gateway', '192.0.2.1'], '"set dns" does not take the option --gateway'],
    [['set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--search', 'a.example'], '"set ip" does not take the option --search'],
    [['set', 'ip', 'eth0', 'dhcp', '--netmask', '24'], '"set ip DEV dhcp" does not take the option --netmask'],
    [['test', '--stack', 'nm'], '"test" does not take the option --stack'],
    [['test', '--dry-run'], '"test" does not take the option --dry-run'],
    [['console', 'status', '--dry-run'], '"console status" does not take the option --dry-run'],
    [['console', 'firstboot', '--tty', 'tty1'], '"console firstboot" does not take the option --tty'],
    [['--tty', 'ttyS0'], '"ui" does not take the option --tty'],
    [['ui', '--json'], '"ui" does not take the option --json'],
  ])('%j', async (argv, message) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli(...argv, '--root', r);
    expect(res.code).toBe(2);
    expect(res.err.split('\n')[0]!.startsWith(`ttyconf: ${message}`), res.err).toBe(true);
    expect(res.err).toContain('Usage: ttyconf ');
    expect(res.out).toBe('');
    expect(treeBytes(r)).toEqual(before);
  });

  it.each([
    [['show', '--root', '{r}', '--root', '{r}'], '--root is given twice; it takes one value'],
    [['--root', '{r}', '--root', '{r}'], '--root is given twice; it takes one value'],
    [['set', 'hostname', 'box', '--root', '{r}', '--root={r}'], '--root is given twice; it takes one value'],
    [['set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--gateway', '192.0.2.2', '--root', '{r}'], '--gateway is given twice'],
    [['set', 'hostname', 'box', '--stack', 'nm', '--stack', 'iproute2', '--root', '{r}'], '--stack is given twice'],
    [['set', 'hostname', 'box', '--confirm-timeout', '5', '--confirm-timeout', '9', '--root', '{r}'], '--confirm-timeout is given twice'],
    [['test', '--ping', '192.0.2.1', '--ping', '192.0.2.2', '--root', '{r}'], '--ping is given twice'],
    [['console', 'enable', '--tty', 'tty1', '--tty', 'tty2', '--root', '{r}'], '--tty is given twice'],
    [['set', 'hostname', 'box', '--dry-run=yes', '--root', '{r}'], '--dry-run takes no value'],
    [['set', 'hostname', 'box', '--root'], '--root needs a value'],
  ])('%j', async (argv, message) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli(...argv.map((a) => a.replace('{r}', r)));
    expect(res.code).toBe(2);
    expect(res.err.split('\n')[0]!.startsWith(`ttyconf: ${message}`), res.err).toBe(true);
    expect(treeBytes(r)).toEqual(before);
  });

  it('a command after an option is refused with the order to use', async () => {
    const r = root();
    const res = await cli('--root', r, 'show');
    expect(res.code).toBe(2);
    expect(res.err).toContain('ttyconf: "show" must come first: ttyconf show [OPTIONS]');
  });

  it.each([['show'], ['test'], ['set'], ['console'], ['set', 'ip'], ['set', 'dns'], ['set', 'hostname'], ['console', 'enable'], ['console', 'status'], ['console', 'firstboot']])(
    '%j --help: exit 0, and every line fits an 80-column console', async (...words) => {
      const res = await cli(...words, '--help');
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/^Usage: ttyconf /);
      for (const l of res.out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);
    });

  it('COMMAND --help prints that command\'s options, and only those', async () => {
    const res = await cli('set', 'dns', '--help');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/^Usage: ttyconf set dns \[SERVER\.\.\.\] \[--search DOMAIN\]\.\.\. \[OPTIONS\]\n/);
    expect(res.out).toContain('--search DOMAIN');
    expect(res.out).not.toContain('--gateway');
    const show = await cli('show', '-h');
    expect(show.out).toContain('--json');
    expect(show.out).not.toContain('--dry-run');
  });
});

describe('set dns: --search takes one domain per use', () => {
  it.each([
    [['set', 'dns', '--search', 'example.com', '192.0.2.1']],
    [['set', 'dns', '--search', 'example.com', '192.0.2.1', '--dry-run']],
    [['set', 'dns', '--search=example.com', '192.0.2.1']],
    [['set', 'dns', '192.0.2.53', '--search', 'example.com', 'lab.example.com']],
    [['set', 'dns', '--search', 'example.com', '--no-apply', '192.0.2.1']],
    [['set', 'dns', '--search', 'example.com', '--', '192.0.2.1']],
  ])('a word after --search is refused, not taken as a server or a domain: %j', async (argv) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli(...argv, '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/^ttyconf: set dns: "[^"]+" comes after --search, which takes one domain: give the servers first/);
    expect(res.out).toBe('');
    expect(treeBytes(r)).toEqual(before);
  });

  it('repeated, comma-listed and --search= forms write the same files', async () => {
    const forms = [
      ['--search', 'a.example', '--search', 'b.example'],
      ['--search', 'a.example,b.example'],
      ['--search=a.example,b.example'],
      ['--search=a.example', '--search', 'b.example'],
    ];
    const results: string[] = [];
    for (const f of forms) {
      const r = root();
      const res = await cli('set', 'dns', '192.0.2.9', '192.0.2.10', ...f, '--root', r);
      expect(res.code, res.err).toBe(0);
      expect(bashRead(join(r, ETH0), ['DNS1', 'DNS2', 'DOMAIN'])).toEqual({ DNS1: '192.0.2.9', DNS2: '192.0.2.10', DOMAIN: 'a.example b.example' });
      results.push(read(r, 'etc/resolv.conf'));
    }
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toContain('search a.example b.example\n');
  });

  it.each([['192.0.2.1'], ['2001:db8::1'], ['10.1']])('refuses an address as a search domain: %s', async (domain) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli('set', 'dns', '192.0.2.9', '--search', domain, '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(new RegExp(`invalid search: "${domain.replace(/\./g, '\\.')}" (is an IP address, not a name|ends in an all-numeric label)`));
    expect(treeBytes(r)).toEqual(before);
  });
});

describe('--dry-run', () => {
  it('prints a unified diff and writes nothing', async () => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli('set', 'ip', 'eth0', 'static', '192.0.2.10/24', '--gateway', '192.0.2.1', '--dry-run', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain(`--- a/${ETH0}\n+++ b/${ETH0}\n`);
    expect(res.out).toContain('-BOOTPROTO=dhcp\n+BOOTPROTO=none\n');
    expect(res.out).toContain('+IPADDR=192.0.2.10\n');
    expect(treeBytes(r)).toEqual(before);
  });

  it('is a patch that turns the old files into exactly what set writes', async () => {
    const a = root();
    const b = root();
    const argv = ['set', 'dns', '192.0.2.9', '--search', 'a.example', '--search', 'b.example'];
    const diff = (await cli(...argv, '--dry-run', '--root', a)).out;
    expect(spawnSync('patch', ['-p1', '-s'], { cwd: a, input: diff, encoding: 'utf8' }).status).toBe(0);
    expect((await cli(...argv, '--root', b)).code).toBe(0);
    for (const f of [ETH0, 'etc/resolv.conf']) expect(read(a, f)).toBe(read(b, f));
  });
});

describe('ttyconf set dns', () => {
  it('writes DNS1..3, DOMAIN and PEERDNS=no into the default-route DHCP interface, and resolv.conf', async () => {
    const r = root();
    const res = await cli('set', 'dns', '192.0.2.53', '2001:db8::53', '--search', 'example.com,lab.example.com', '--root', r);
    expect(res.code).toBe(0);
    expect(bashRead(join(r, ETH0), ['DNS1', 'DNS2', 'DNS3', 'DOMAIN', 'PEERDNS'])).toEqual({
      DNS1: '192.0.2.53', DNS2: '2001:db8::53', DNS3: null, DOMAIN: 'example.com lab.example.com', PEERDNS: 'no',
    });
    expect(read(r, 'etc/resolv.conf')).toBe(
      '; generated by /usr/sbin/dhclient-script\nsearch example.com lab.example.com\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions timeout:2 attempts:2\n');
    expect(read(r, ETH1)).not.toMatch(/^DNS/m);
  });

  it('clears servers and domains when given none', async () => {
    const r = root();
    await cli('set', 'dns', '192.0.2.53', '--search', 'example.com', '--root', r);
    const res = await cli('set', 'dns', '--root', r);
    expect(res.code).toBe(0);
    expect(bashRead(join(r, ETH0), ['DNS1', 'DOMAIN', 'PEERDNS'])).toEqual({ DNS1: null, DOMAIN: null, PEERDNS: null });
    expect(read(r, 'etc/resolv.conf')).toBe('; generated by /usr/sbin/dhclient-script\noptions timeout:2 attempts:2\n');
  });

  it('leaves resolv.conf to NetworkManager when NM generated it', async () => {
    const r = root();
    execFileSync('sh', ['-c', `printf '# Generated by NetworkManager\\nnameserver 10.9.9.9\\n' > ${join(r, 'etc/resolv.conf')}`]);
    const res = await cli('set', 'dns', '192.0.2.53', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain('managed by networkmanager');
    expect(read(r, 'etc/resolv.conf')).toBe('# Generated by NetworkManager\nnameserver 10.9.9.9\n');
    expect(bashRead(join(r, ETH0), ['DNS1'])).toEqual({ DNS1: '192.0.2.53' });
  });
});

describe('ttyconf set hostname', () => {
  it('writes /etc/hostname and one managed /etc/hosts line; the localhost lines stay', async () => {
    const r = root();
    const hostsBefore = read(r, 'etc/hosts');
    const res = await cli('set', 'hostname', 'node1.example.com', '--root', r);
    expect(res.code).toBe(0);
    expect(read(r, 'etc/hostname')).toBe('node1.example.com\n');
    const hosts = read(r, 'etc/hosts');
    expect(hosts.startsWith(hostsBefore)).toBe(true);
    expect(hosts.slice(hostsBefore.length)).toBe('127.0.0.1\tnode1.example.com node1\t# ttyconf\n');
    await cli('set', 'hostname', 'node2', '--root', r);
    expect(read(r, 'etc/hosts')).toBe(hostsBefore + '127.0.0.1\tnode2\t# ttyconf\n');
    // /etc/sysconfig/network has no HOSTNAME= here, so it is not added.
    expect(read(r, 'etc/sysconfig/network')).not.toContain('HOSTNAME');
  });

  it('updates HOSTNAME= in /etc/sysconfig/network only where it exists', async () => {
    const r = root();
    execFileSync('sh', ['-c', `echo HOSTNAME=old.example.com >> ${join(r, 'etc/sysconfig/network')}`]);
    await cli('set', 'hostname', 'new.example.com', '--root', r);
    expect(bashRead(join(r, 'etc/sysconfig/network'), ['HOSTNAME', 'NETWORKING'])).toEqual({ HOSTNAME: 'new.example.com', NETWORKING: 'yes' });
  });
});

describe('ttyconf show', () => {
  it('--json has the documented shape', async () => {
    const r = root();
    const res = await cli('show', '--json', '--root', r);
    expect(res.code).toBe(0);
    const j = JSON.parse(res.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['version', 'root', 'hostname', 'defaultGateway', 'dns', 'resolvConf', 'interfaces', 'warnings']));
    expect(j.version).toBe(1);
    expect(j.hostname).toBe('localhost.localdomain');
    expect(j.dns).toEqual({ servers: ['192.0.2.53'], search: ['lab.example.com'] });
    expect(j.interfaces).toEqual([
      expect.objectContaining({ name: 'eth0', mac: '52:54:00:12:34:56', link: 'up', method: 'dhcp', addresses: [], liveAddresses: ['192.0.2.115/24'], gateway: null, onboot: true, file: ETH0 }),
      expect.objectContaining({ name: 'eth1', mac: '52:54:00:ab:cd:ef', link: 'no-carrier', method: 'static', addresses: ['198.51.100.20/24'], gateway: null, file: ETH1 }),
    ]);
    expect(j.warnings.map((w: { message: string }) => w.message)).toContain('hostname is localhost.localdomain: set a real name');
  });

  it('reports values bash and NetworkManager read differently', async () => {
    const r = root();
    execFileSync('sh', ['-c', `echo 'ETHTOOL_OPTS=$HOME' >> ${join(r, ETH1)}`]);
    const res = await cli('show', '--root', r);
    expect(res.out).toMatch(/ifcfg-eth1:\d+: ETHTOOL_OPTS has an unquoted "\$"/);
  });
});

describe('control characters from files and arguments reach the terminal as escapes', () => {
  // Window title, clipboard write (OSC 52), clear screen, carriage return, and a C1 CSI (U+009B).
  const HOSTNAME = 'evil\x1b]0;pwned\x07\r\u009b2J';
  const SHOWN = 'evil\\x1b]0;pwned\\x07\\x0d\\x9b2J';
  // Every control character but a line break and a TAB, DEL, C1, and the bidirectional overrides.
   
  // eslint-disable-next-line no-control-regex
  const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

  function hostileTree(): string {
    const r = root();
    writeFileSync(join(r, 'etc/hostname'), `${HOSTNAME}\n`);
    writeFileSync(join(r, 'etc/resolv.conf'), 'search ex\x1b[2Jample.com\nnameserver 192.0.2.53\n');
    const eth1 = read(r, ETH1).replace(/^DEVICE=.*$/m, 'DEVICE="eth1\x1b[5m\u202e"');
    writeFileSync(join(r, ETH1), eth1);
    cpSync(join(r, 'sys/class/net/eth1'), join(r, 'sys/class/net/e\x1b[31m'), { recursive: true });
    return r;
  }

  it('show', async () => {
    const res = await cli('show', '--root', hostileTree());
    expect(res.code).toBe(0);
    expect(res.out).not.toMatch(RAW);
    expect(res.out).toContain(`Hostname:        ${SHOWN}\n`);
    expect(res.out).toContain('Search domains:  ex\\x1b[2Jample.com\n');
    expect(res.out).toContain('  eth1\\x1b[5m\\u202e ');
    expect(res.out).toContain('  e\\x1b[31m ');
  });

  it('show --json: the same values, as JSON escapes, and nothing raw', async () => {
    const res = await cli('show', '--json', '--root', hostileTree());
    expect(res.out).not.toMatch(RAW);
    const j = JSON.parse(res.out);
    expect(j.hostname).toBe(HOSTNAME);
    expect(j.interfaces.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['eth1\x1b[5m\u202e', 'e\x1b[31m']));
  });

  it('set: the summary, and the --dry-run diff (whose TABs stay TABs)', async () => {
    const r = hostileTree();
    const dry = await cli('set', 'hostname', 'good', '--dry-run', '--root', r);
    expect(dry.code).toBe(0);
    expect(dry.out).not.toMatch(RAW);
    expect(dry.out).toContain('\n-evil\\x1b]0;pwned\\x07\\x0d');
    expect(dry.out).toContain('\n+127.0.0.1\tgood\t# ttyconf\n');
    const res = await cli('set', 'hostname', 'good', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).not.toMatch(RAW);
    expect(res.out).toContain(`hostname: ${SHOWN} -> good\n`);
  });

  it.each([
    [['set', 'hostname', 'a\x1b]52;c;cm0gLXJmIC8K\x07']],
    [['set', 'ip', 'eth0\x1b[2J', 'dhcp']],
    [['set', 'dns', '192.0.2.1\x9b2J']],
    [['test', '--ping', 'x\x1b]0;t\x07']],
    [['console', 'status', '--tty', 'tty1\x1b[2J']],
    [['show', '--\x1b[2J']],
    [['frob\x1b[2Jnicate']],
  ])('an error quoting the value: %j', async (argv) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli(...argv, '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).not.toMatch(RAW);
    expect(res.err).toMatch(/\\x(1b|9b)/);
    expect(treeBytes(r)).toEqual(before);
  });
});

describe('the installed command', () => {
  beforeAll(() => {
    if (!existsSync(join(PROJECT, 'dist', 'cli.js'))) execFileSync('npm', ['run', '-s', 'build:tsc'], { cwd: PROJECT });
  });
  it('exits 0/2 with the message on stderr', () => {
    const r = root();
    const ok = spawnSync(process.execPath, [BIN, 'show', '--root', r], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('eth0');
    const bad = spawnSync(process.execPath, [BIN, 'set', 'hostname', '--root', r, '--', '-x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('invalid hostname: "-x"');
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    const option = spawnSync(process.execPath, [BIN, 'set', 'hostname', '-x', '--root', r], { encoding: 'utf8' });
    expect(option.status).toBe(2);
    expect(option.stderr).toContain('ttyconf: "set hostname" does not take the option -x');
  });
});
