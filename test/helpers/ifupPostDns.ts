import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INITSCRIPTS } from './ifupRoutes.js';

const SCRIPTS = join(INITSCRIPTS, 'sysconfig', 'network-scripts');
export const haveIfupPost = existsSync(join(SCRIPTS, 'ifup-post'));

/**
 * What `ifdown DEV; ifup DEV` does to resolv.conf on CentOS 7, under ROOT: the DNS part of the real
 * ifdown-post (puts resolv.conf.save back) and of the real ifup-post (DOMAIN before the search domains
 * already there, DNS1..3 as the nameservers, the replaced file saved as resolv.conf.save), each after
 * the scripts' own source_config of ifcfg-DEV. The scripts' text is used unchanged except for its
 * absolute paths (under ROOT) and logger (not called); is_true/is_false come from their own functions file.
 */
export function ifdownIfupResolv(root: string, device: string): void {
  const script = `
set +e
ROOT=$1 SCRIPTS=$2 FUNCTIONS=$3 DEV=$4
paths() { sed -e "s#/etc/#$ROOT/etc/#g" -e "s#/var/run/#$ROOT/var/run/#g" -e 's#/usr/bin/logger#:#g' "$@"; }
. <(sed -n -e '/^is_true() {/,/^}/p' -e '/^is_false() {/,/^}/p' "$FUNCTIONS")
__sed_discard_ignored_files='/\\(~\\|\\.bak\\|\\.old\\|\\.orig\\|\\.rpmnew\\|\\.rpmorig\\|\\.rpmsave\\)$/d'
. <(paths "$SCRIPTS/network-functions")
cd "$ROOT/etc/sysconfig/network-scripts" || exit 1
( CONFIG=ifcfg-$DEV; source_config; . <(paths "$SCRIPTS/ifdown-post" | sed -n '/^update_DNS_entries$/,/^fi$/p') )
( CONFIG=ifcfg-$DEV; source_config; . <(paths "$SCRIPTS/ifup-post" | sed -n '/^if ! is_false "\${PEERDNS}" || is_true "\${RESOLV_MODS}"; then$/,/^fi$/p') )
`;
  execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', script, 'bash', root, SCRIPTS, join(INITSCRIPTS, 'rc.d', 'init.d', 'functions'), device], {
    env: { PATH: '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}
