import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A crypt hash made by openssl (an implementation independent of the one under test). */
export function opensslHash(scheme: '5' | '6', salt: string, password: string): string {
  return execFileSync('openssl', ['passwd', `-${scheme}`, '-salt', salt, '-stdin'], { input: password, encoding: 'utf8' }).trim();
}

export const PW = { root: 'correct horse', alice: 'alice-pass-5', bob: 'bob-pass-6', carol: 'carol-pass' } as const;

/** A temp root with /etc/shadow (mode 0000, as on CentOS), /etc/passwd and /etc/group. */
export function accountsRoot(rootHash?: string): { dir: string; lines: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-auth-'));
  const lines: Record<string, string> = {
    root: `root:${rootHash ?? opensslHash('6', 'rootsalt', PW.root)}:19000:0:99999:7:::`,
    bin: 'bin:*:18000:0:99999:7:::',
    alice: `alice:${opensslHash('5', 'alicesalt', PW.alice)}:19000:0:99999:7:::`,
    bob: `bob:${opensslHash('6', 'bobsalt', PW.bob)}:19000:0:99999:7:::`,
    carol: `carol:${opensslHash('6', 'carolsalt', PW.carol)}:19000:0:99999:7:::`,
    locked: `locked:!${opensslHash('6', 'lockedsalt', 'locked-pass')}:19000:0:99999:7:::`,
    never: 'never:!!:19000:0:99999:7:::',
    empty: 'empty::19000:0:99999:7:::',
    yes: 'yes:$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7:19000:0:99999:7:::',
    md5: 'md5:$1$abcdefgh$G//4keteveJKB4dZbV7Vf0:19000:0:99999:7:::',
    expired: `expired:${opensslHash('6', 'expsalt', 'expired-pass')}:19000:0:99999:7::19001:`,
  };
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc/shadow'), Object.values(lines).join('\n') + '\n');
  // 0000 as on CentOS; only root can read that, so a non-root run of the tests gets 0600.
  chmodSync(join(dir, 'etc/shadow'), process.getuid?.() === 0 ? 0o000 : 0o600);
  writeFileSync(
    join(dir, 'etc/passwd'),
    ['root:x:0:0:root:/root:/bin/bash', 'alice:x:1000:1000::/home/alice:/bin/bash', 'bob:x:1001:10::/home/bob:/bin/bash', 'carol:x:1002:1002::/home/carol:/bin/bash'].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'etc/group'), ['root:x:0:', 'wheel:x:10:alice', 'carol:x:1002:'].join('\n') + '\n');
  return { dir, lines };
}

export function removeRoot(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
