#!/usr/bin/env bash
# npm run test:boot: boots ttyconf in a real Debian guest under qemu (systemd as PID 1) and drives
# it over its serial lines. See docs/boot-test.md. Needs root; installs qemu, mmdebstrap and
# e2fsprogs when missing. Environment:
#   TTYCONF_BOOT_CACHE=DIR      image cache (default /var/cache/ttyconf-boot)
#   TTYCONF_BOOT_PAYLOAD=dist   test dist/ + node_modules instead of the bundle
#   TTYCONF_BOOT_KEEP=1         keep the work directory (serial logs) after a passing run
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

# 2. The guest image (cached under a hash of its inputs).
t_image=$(now)
image=$(bash test/boot/build-image.sh) || fail "the image build failed"
image_seconds=$(secs "$t_image" "$(now)")

# 3. Boot it and drive it.
work=$(mktemp -d /tmp/ttyconf-boot.XXXXXX)
echo "boot test: image $image; serial logs in $work"
TTYCONF_BOOT_IMAGE="$image" TTYCONF_BOOT_WORK="$work" npx vitest run --config test/boot/vitest.config.ts
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
echo "  image build (this run): ${image_seconds}s"
if [ -f "$work/figures.txt" ]; then sed 's/^/  /' "$work/figures.txt"; fi
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
