#!/usr/bin/env bash
# npm run test:boot: boots ttyconf in a real Debian guest under qemu (systemd as PID 1) and drives
# it over its serial lines. See docs/boot-test.md. Needs root; installs qemu, mmdebstrap and
# e2fsprogs when missing. Environment:
#   TTYCONF_BOOT_CACHE=DIR      image cache (default /var/cache/ttyconf-boot)
#   TTYCONF_BOOT_PAYLOAD=dist   test dist/ + node_modules instead of the bundle
#   TTYCONF_BOOT_KEEP=1         keep the work directory (serial logs) after a passing run
#   TTYCONF_BOOT_GUESTS="..."   the guests to run (default: iproute2 recovery network-scripts nm-ifcfg
#                               nm-keyfile; recovery boots the iproute2 image with --via agetty/autologin)
#   TTYCONF_REALREADERS=DIR     CentOS 7's network-scripts (default ../shared/realreaders)
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)
fail() {
  echo "boot test: $*"
  echo "boot: 0 passed, 1 failed, 0 skipped"
  exit 1
}

# 1. The program as it ships: the bundle when the project has a bundler, else dist/.
if [ "${TTYCONF_BOOT_PAYLOAD:-auto}" != dist ] && [ -f scripts/build.mjs ]; then
  echo "boot test: npm run build (the one-file bundle)"
  npm run -s build || fail "npm run build failed"
else
  echo "boot test: npm run build:tsc (dist/)"
  npm run -s build:tsc || fail "tsc failed"
fi

# 2. The guest images (each cached under a hash of its inputs). The iproute2 guest is the base
# of the test; a real-reader guest that cannot be built fails its own tests, saying why.
GUESTS=${TTYCONF_BOOT_GUESTS:-iproute2 recovery network-scripts nm-ifcfg nm-keyfile}
export TTYCONF_BOOT_GUESTS="$GUESTS"
work=$(mktemp -d /tmp/ttyconf-boot.XXXXXX)
files=()
image_figures=()
for flavour in $GUESTS; do
  t_image=$(now)
  var=$(echo "$flavour" | tr 'a-z-' 'A-Z_')
  # The recovery guest is the iproute2 image (the same hash: built once, then cached).
  build=$flavour
  [ "$flavour" = recovery ] && build=iproute2
  if image=$(bash test/boot/build-image.sh "$build" 2> >(tee "$work/build-$flavour.log" >&2)); then
    image_figures+=("image build, $flavour guest (this run): $(secs "$t_image" "$(now)")s")
    echo "boot test: $flavour image $image"
    if [ "$flavour" = iproute2 ]; then
      export TTYCONF_BOOT_IMAGE="$image"
      files+=(test/boot/boot.boot.ts)
    elif [ "$flavour" = recovery ]; then
      export TTYCONF_BOOT_IMAGE_RECOVERY="$image"
      files+=(test/boot/recovery.boot.ts)
    else
      export "TTYCONF_BOOT_IMAGE_$var=$image"
    fi
  else
    [ "$build" = iproute2 ] && fail "the image build failed"
    why=$(grep -E 'ERROR' "$work/build-$flavour.log" | tail -n 1)
    export "TTYCONF_BOOT_BROKEN_$var=the $flavour guest could not be built: ${why:-see $work/build-$flavour.log}"
    echo "boot test: the $flavour guest could not be built: ${why:-see $work/build-$flavour.log}"
  fi
done
if [ -n "$(printf '%s\n' $GUESTS | grep -vx -e iproute2 -e recovery)" ]; then
  files+=(test/boot/stacks.boot.ts)
  # Values the two readers of ifcfg files read differently, loaded by both.
  case " $GUESTS " in *" network-scripts "*|*" nm-ifcfg "*) files+=(test/boot/divergence.boot.ts) ;; esac
  # The DHCP and DNS server on the host side of the real-reader guests' links.
  if dnsmasq_dir=$(bash test/boot/build-tools.sh dnsmasq 2> >(tee "$work/build-dnsmasq.log" >&2)); then
    export TTYCONF_BOOT_DNSMASQ="$dnsmasq_dir"
  else
    why=$(grep ERROR "$work/build-dnsmasq.log" | tail -n 1)
    export TTYCONF_BOOT_DNSMASQ_BROKEN="dnsmasq could not be unpacked: $why"
  fi
fi

# 3. Boot them and drive them.
echo "boot test: serial logs in $work"
TTYCONF_BOOT_WORK="$work" npx vitest run --config test/boot/vitest.config.ts "${files[@]}"
status=$?
# A harness that died hard may leave its qemu behind: end that one process (by its pidfile).
if [ -s "$work/qemu.pid" ]; then
  pid=$(cat "$work/qemu.pid")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ]; then kill "$pid" 2>/dev/null; fi
fi

# The closing line counts the harness's own report (a run that broke before it counts as failed).
counts="0 passed, 1 failed, 0 skipped"
if [ -s "$work/vitest.json" ]; then
  # shellcheck disable=SC2016 # JavaScript, not shell
  counts=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + broken} failed, ${r.numPendingTests + (r.numTodoTests || 0)} skipped`);
  ' "$work/vitest.json")
fi
[ $status -ne 0 ] && [ "${counts#* passed, 0 failed}" != "$counts" ] && counts="${counts/ 0 failed/ 1 failed}"
echo "boot test figures:"
for f in "${image_figures[@]}"; do echo "  $f"; done
if [ -f "$work/figures.txt" ]; then sed 's/^/  /' "$work/figures.txt"; fi
if [ -f "$work/figures-stacks.txt" ]; then sed 's/^/  /' "$work/figures-stacks.txt"; fi
if [ -f "$work/figures-recovery.txt" ]; then sed 's/^/  /' "$work/figures-recovery.txt"; fi
if [ -f "$work/figures-divergence.txt" ]; then sed 's/^/  /' "$work/figures-divergence.txt"; fi
echo "  whole run: $(secs "$t_start" "$(now)")s"
if [ -s "$work/pending.txt" ]; then
  echo "boot test: pending steps (skipped):"
  sed 's/^/  /' "$work/pending.txt"
fi
if [ $status -eq 0 ] && [ "${TTYCONF_BOOT_KEEP:-}" != 1 ]; then
  rm -rf "$work"
else
  echo "boot test: serial logs and qemu output kept in $work"
fi
echo "boot: $counts"
exit $status
