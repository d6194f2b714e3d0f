#!/usr/bin/env bash
# Builds the boot test's guest: a small Debian bookworm with systemd as PID 1, node, a CentOS-like
# network tree and ttyconf installed with `ttyconf console enable` on tty1 and ttyS0.
#
# One argument, the guest's flavour (the network stack in charge; default iproute2):
#   iproute2         a dummy eth0 and no network stack: ttyconf applies with iproute2
#   network-scripts  CentOS 7's initscripts (ifup, ifdown, network-functions, /etc/init.d/network,
#                    its own ipcalc) in charge of a virtio eth0, no NetworkManager
#   nm-ifcfg         NetworkManager built with its ifcfg-rh plugin (plugins=ifcfg-rh, CentOS 7's
#                    default) in charge of a virtio eth0
#   nm-keyfile       EL9's shape: Debian's stock NetworkManager (its own plugins=ifupdown,keyfile)
#                    in charge of a virtio eth0 owned by the keyfile
#                    /etc/NetworkManager/system-connections/eth0.nmconnection, no ifcfg file
#
# Two layers, each cached in $TTYCONF_BOOT_CACHE (default /var/cache/ttyconf-boot) under a hash of
# its inputs:
#   base   mmdebstrap + small initramfs + node + root password (minutes; rebuilt only when the
#          recipe, the mirror or the host's node binary change)
#   image  base + test/boot/guest + ttyconf + its units, then root.img (seconds; rebuilt whenever
#          ttyconf, systemd/ or test/boot change)
# Logs go to stderr; the last line on stdout is the image directory (root.img, vmlinuz,
# initrd.img, manifest.json). Needs root (mmdebstrap --mode=root, chroot).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
CACHE=${TTYCONF_BOOT_CACHE:-/var/cache/ttyconf-boot}
# A known test value: the harness logs in with it. Only ever in this throwaway guest.
PASSWORD=${TTYCONF_BOOT_PASSWORD:-ttyconf-boot-pw}
HOSTNAME_=ttyconf-guest
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,procps,iproute2
FLAVOUR=${1:-iproute2}
# What each flavour adds to the base: the programs its stack calls (gawk: network-functions uses
# gensub; ping and arping: ttyconf's gateway check and ifup-eth's duplicate address check).
case "$FLAVOUR" in
  iproute2) EXTRA_PACKAGES='' ;;
  network-scripts) EXTRA_PACKAGES=,gawk,isc-dhcp-client,iputils-ping,iputils-arping,libpopt0 ;;
  nm-ifcfg|nm-keyfile) EXTRA_PACKAGES=,network-manager,iputils-ping,iputils-arping ;;
  *) printf 'build-image: ERROR: unknown flavour %s (iproute2, network-scripts, nm-ifcfg or nm-keyfile)\n' "$FLAVOUR" >&2; exit 2 ;;
esac
PACKAGES=$PACKAGES$EXTRA_PACKAGES
REALREADERS=${TTYCONF_REALREADERS:-$PROJECT/../shared/realreaders}
INITSCRIPTS=$REALREADERS/initscripts-9.49.53
# Units that only cost boot time in a guest that lives for a minute.
MASK=(apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer e2scrub_reap.service
  fstrim.timer systemd-tmpfiles-clean.timer systemd-firstboot.service ldconfig.service
  systemd-binfmt.service proc-sys-fs-binfmt_misc.automount systemd-hwdb-update.service)

LOG_AS=build-image
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, chroot)"

ensure_tools() {
  local need=() pair
  for pair in mmdebstrap:mmdebstrap mkfs.ext4:e2fsprogs qemu-system-x86_64:qemu-system-x86 chpasswd:passwd; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  log "installing ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >&2
}

hash_tree() { # a stable hash of the files (names, modes and contents) under each argument
  local d
  for d in "$@"; do
    [ -e "$d" ] || { echo "absent $d"; continue; }
    (cd "$d" && find . \( -type f -o -type l \) -printf '%p %m %l\n' | LC_ALL=C sort &&
      find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
  done | sha256sum | cut -c1-16
}

NODE_BIN=$(readlink -f "$(command -v node)")
MIRROR=$(mirror)

build_base() { # $1: the new rootfs directory
  local root=$1 hash
  # shellcheck disable=SC2016 # the hooks' $1 is mmdebstrap's, expanded when they run
  mmdebstrap --mode=root --variant=minbase --include="$PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo MODULES=list > "$1/etc/initramfs-tools/conf.d/boottest.conf"' \
    --customize-hook='printf "%s\n" virtio_pci virtio_blk ext4 >> "$1/etc/initramfs-tools/modules"' \
    --customize-hook='chroot "$1" update-initramfs -u -k all' \
    "$SUITE" "$root" "deb $MIRROR $SUITE main" >&2
  # Debian's own node is 18; the host's 20 runs in the guest (same glibc).
  install -m 0755 "$NODE_BIN" "$root/usr/local/bin/node"
  ln -sf /usr/local/bin/node "$root/usr/bin/node"
  # ttyconf verifies $5$/$6$ hashes only (bookworm's default would be yescrypt).
  echo "root:$PASSWORD" | chroot "$root" chpasswd -c SHA512
  hash=$(awk -F: '$1 == "root" { print $2 }' "$root/etc/shadow")
  case "$hash" in "\$6\$"*) ;; *) die "root's password hash is not SHA-512: ${hash:0:4}..." ;; esac
  # A fixed machine id: no first-boot units, the same journal each boot.
  echo 0123456789abcdef0123456789abcdef > "$root/etc/machine-id"
  : > "$root/etc/fstab"
  rm -rf "$root/var/cache/apt/"*.bin "$root/var/lib/apt/lists/"* 2>/dev/null || true
}

# ---- layer 1: the base rootfs -------------------------------------------------------------------
ensure_tools
mkdir -p "$CACHE"
# One build at a time per cache; whatever .tmp a killed build left is stale once we hold the lock.
exec 9>"$CACHE/.lock"
flock 9
rm -rf "$CACHE"/*.tmp
BASE_KEY=$( { declare -f build_base; echo "$SUITE $PACKAGES $MIRROR $PASSWORD"; sha256sum "$NODE_BIN"; } | sha256sum | cut -c1-16)
# The two NetworkManager guests install the same packages: they share one base.
BASE_NAME=$FLAVOUR
[ "$FLAVOUR" = nm-keyfile ] && BASE_NAME=nm-ifcfg
BASE="$CACHE/base-$BASE_NAME-$BASE_KEY"
T_START=$(now)
BASE_SECONDS=null
if [ -f "$BASE/done" ]; then
  log "base rootfs cached: $BASE"
else
  log "building the base rootfs with mmdebstrap ($SUITE from $MIRROR; 1.5-4 minutes)"
  t0=$(now)
  rm -rf "$BASE.tmp" && mkdir -p "$BASE.tmp"
  build_base "$BASE.tmp/rootfs"
  touch "$BASE.tmp/done"
  rm -rf "$BASE" && mv "$BASE.tmp" "$BASE"
  BASE_SECONDS=$(secs "$t0" "$(now)")
  log "base rootfs built in ${BASE_SECONDS}s"
  # keep the two newest bases of this flavour
  find "$CACHE" -maxdepth 1 -name "base-$BASE_NAME-*" ! -name '*.tmp' -printf '%T@ %p\n' | sort -rn | tail -n +3 | cut -d' ' -f2- | xargs -r rm -rf
fi

# ---- what to install: the bundle, else dist/ + production node_modules --------------------------
# TTYCONF_BOOT_PAYLOAD=bundle|dist forces one (default: the bundle when it exists).
WANT=${TTYCONF_BOOT_PAYLOAD:-auto}
if [ "$WANT" != dist ] && [ -f "$PROJECT/build/ttyconf.cjs" ]; then
  PAYLOAD=bundle
  PAYLOAD_HASH=$(sha256sum "$PROJECT/build/ttyconf.cjs" | cut -c1-16)
  HOST_TTYCONF=("$NODE_BIN" "$PROJECT/build/ttyconf.cjs")
elif [ "$WANT" = bundle ]; then
  die "TTYCONF_BOOT_PAYLOAD=bundle but build/ttyconf.cjs does not exist (npm run build)"
elif [ -f "$PROJECT/dist/cli.js" ]; then
  PAYLOAD=dist
  PAYLOAD_HASH=$(hash_tree "$PROJECT/dist" "$PROJECT/bin"; sha256sum "$PROJECT/package-lock.json" | cut -c1-16)
  PAYLOAD_HASH=$(echo "$PAYLOAD_HASH" | sha256sum | cut -c1-16)
  HOST_TTYCONF=("$NODE_BIN" "$PROJECT/bin/ttyconf.js")
else
  die "neither build/ttyconf.cjs (npm run build) nor dist/ (npm run build:tsc) exists"
fi

# ---- what the flavour's stack needs beyond Debian's binary packages (build-tools.sh, cached) ------
READER_INPUTS=''
case "$FLAVOUR" in
  network-scripts)
    [ -x "$INITSCRIPTS/sysconfig/network-scripts/ifup" ] || die "CentOS 7's network-scripts are missing: $INITSCRIPTS (set TTYCONF_REALREADERS)"
    IPCALC_DIR=$(bash "$HERE/build-tools.sh" ipcalc) || die "could not compile CentOS 7's ipcalc (build-tools.sh ipcalc)"
    READER_INPUTS="$IPCALC_DIR $(hash_tree "$INITSCRIPTS" "$HERE/guest-network-scripts")" ;;
  nm-ifcfg)
    NM_DIR=$(bash "$HERE/build-tools.sh" nm) || die "could not build NetworkManager with the ifcfg-rh plugin (build-tools.sh nm)"
    READER_INPUTS="$NM_DIR $(hash_tree "$NM_DIR" "$HERE/guest-nm-ifcfg")" ;;
  nm-keyfile)
    READER_INPUTS=$(hash_tree "$HERE/guest-nm-keyfile") ;;
esac

SCRIPT_HASH=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
KEY=$(echo "$BASE_KEY $PAYLOAD $PAYLOAD_HASH $SCRIPT_HASH $READER_INPUTS $(hash_tree "$HERE/guest" "$HERE/fallback" "$PROJECT/systemd")" | sha256sum | cut -c1-16)
IMAGE="$CACHE/image-$FLAVOUR-$KEY"
if [ -f "$IMAGE/manifest.json" ]; then
  log "image cached: $IMAGE (ttyconf from the $PAYLOAD)"
  echo "$IMAGE"
  exit 0
fi

# ---- layer 2: ttyconf and the test-only pieces --------------------------------------------------
t1=$(now)
rm -rf "$IMAGE.tmp" && mkdir -p "$IMAGE.tmp"
STAGE="$IMAGE.tmp/rootfs"
cp -a "$BASE/rootfs" "$STAGE"
cp -a "$HERE/guest/." "$STAGE/"
echo "$HOSTNAME_" > "$STAGE/etc/hostname"
systemctl --root="$STAGE" --quiet enable serial-getty@ttyS1.service
systemctl --root="$STAGE" --quiet mask "${MASK[@]}"

NOTES=()
note() { NOTES+=("$*"); log "NOTE: $*"; }

# The network stack in charge, laid out as the release it stands for lays it out.
case "$FLAVOUR" in
  iproute2)
    # No stack and no NIC (qemu -nic none): a dummy eth0 gives the status screen a link.
    NIC=dummy
    systemctl --root="$STAGE" --quiet enable boottest-nic.service ;;
  network-scripts)
    NIC=virtio
    cp -a "$HERE/guest-network-scripts/." "$STAGE/"
    ns="$STAGE/etc/sysconfig/network-scripts"
    # The scripts unchanged, with CentOS's modes (ifcfg-lo stays the guest's own).
    for f in "$INITSCRIPTS"/sysconfig/network-scripts/*; do
      name=${f##*/}
      [ "$name" = ifcfg-lo ] && continue
      case "$name" in network-functions*) mode=0644 ;; *) mode=0755 ;; esac
      install -m "$mode" "$f" "$ns/$name"
    done
    # CentOS: /etc/init.d -> rc.d/init.d; Debian keeps /etc/init.d a directory, so link the two files.
    install -D -m 0644 "$INITSCRIPTS/rc.d/init.d/functions" "$STAGE/etc/rc.d/init.d/functions"
    install -D -m 0755 "$INITSCRIPTS/rc.d/init.d/network" "$STAGE/etc/rc.d/init.d/network"
    ln -sf ../rc.d/init.d/functions "$STAGE/etc/init.d/functions"
    ln -sf ../rc.d/init.d/network "$STAGE/etc/init.d/network"
    ln -sf /etc/sysconfig/network-scripts/ifup "$STAGE/usr/sbin/ifup"
    ln -sf /etc/sysconfig/network-scripts/ifdown "$STAGE/usr/sbin/ifdown"
    install -m 0755 "$IPCALC_DIR/ipcalc" "$STAGE/usr/bin/ipcalc"
    # Shims for what CentOS has and Debian lacks or names differently (docs/boot-test.md lists them).
    [ -e "$STAGE/usr/sbin/arping" ] || ln -s ../bin/arping "$STAGE/usr/sbin/arping"
    [ -e "$STAGE/usr/sbin/ip" ] || ln -s ../bin/ip "$STAGE/usr/sbin/ip"
    mv "$STAGE/usr/sbin/dhclient" "$STAGE/usr/sbin/dhclient.debian"
    install -m 0755 "$HERE/shims/dhclient" "$STAGE/usr/sbin/dhclient"
    mkdir -p "$STAGE/var/lib/dhclient"
    # Scripts with #!/bin/sh (init.ipv6-global, ifup-ipv6) source functions, which is bash: CentOS's
    # /bin/sh is bash, Debian's is dash.
    ln -sf bash "$STAGE/usr/bin/sh"
    # By hand: with /etc/init.d/network present, systemctl enable would hand it to update-rc.d.
    mkdir -p "$STAGE/etc/systemd/system/multi-user.target.wants"
    ln -sf ../network.service "$STAGE/etc/systemd/system/multi-user.target.wants/network.service"
    note "network-scripts: CentOS 7's initscripts $(basename "$INITSCRIPTS"), ipcalc compiled from its source" ;;
  nm-ifcfg)
    NIC=virtio
    # Debian's network-manager package (nmcli, libnm, units, D-Bus policy) with the daemon and
    # the ifcfg-rh plugin built from the same source package with the plugin enabled.
    cp -a "$NM_DIR/root/." "$STAGE/"
    cp -a "$HERE/guest-nm-ifcfg/." "$STAGE/"
    # The daemon is built without Wi-Fi, WWAN, Bluetooth, team and ADSL: Debian's device plugins for
    # them cannot load into it. Debian's ifupdown dispatcher script has no ifupdown to talk to.
    rm -f "$STAGE"/usr/lib/x86_64-linux-gnu/NetworkManager/*/libnm-device-plugin-*.so \
      "$STAGE"/usr/lib/x86_64-linux-gnu/NetworkManager/*/libnm-wwan.so "$STAGE/etc/NetworkManager/dispatcher.d/01-ifupdown"
    systemctl --root="$STAGE" --quiet enable NetworkManager.service
    note "nm-ifcfg: NetworkManager $(awk '$1 == "version" { print $2 }' "$NM_DIR/manifest") with the ifcfg-rh plugin ($NM_DIR)" ;;
  nm-keyfile)
    NIC=virtio
    # Debian's network-manager package as it installs, configuration included; eth0 is owned by
    # a keyfile as EL9's installer writes it, and no ifcfg file (nor /etc/network/interfaces) names it.
    cp -a "$HERE/guest-nm-keyfile/." "$STAGE/"
    rm -f "$STAGE/etc/sysconfig/network-scripts/ifcfg-eth0"
    chown root:root "$STAGE/etc/NetworkManager/system-connections/eth0.nmconnection"
    chmod 0600 "$STAGE/etc/NetworkManager/system-connections/eth0.nmconnection"
    systemctl --root="$STAGE" --quiet enable NetworkManager.service
    note "nm-keyfile: Debian's NetworkManager $(chroot "$STAGE" dpkg-query -W -f '${Version}' network-manager), $(awk -F= '$1 == "plugins" { print $0; exit }' "$STAGE/etc/NetworkManager/NetworkManager.conf")" ;;
esac

# ttyconf itself, as /usr/bin/ttyconf
if [ "$PAYLOAD" = bundle ]; then
  if head -c 2 "$PROJECT/build/ttyconf.cjs" | grep -q '^#!'; then
    install -m 0755 "$PROJECT/build/ttyconf.cjs" "$STAGE/usr/bin/ttyconf"
    CODE=("$STAGE/usr/bin/ttyconf")
    log "installed the bundle build/ttyconf.cjs as /usr/bin/ttyconf"
  else
    install -D -m 0644 "$PROJECT/build/ttyconf.cjs" "$STAGE/usr/lib/ttyconf/ttyconf.cjs"
    printf '#!/bin/sh\nexec /usr/bin/node /usr/lib/ttyconf/ttyconf.cjs "$@"\n' > "$STAGE/usr/bin/ttyconf"
    chmod 0755 "$STAGE/usr/bin/ttyconf"
    CODE=("$STAGE/usr/lib/ttyconf/ttyconf.cjs")
    note "the bundle has no #! line: installed it in /usr/lib/ttyconf with a /usr/bin/ttyconf wrapper"
  fi
else
  lib="$STAGE/usr/lib/ttyconf"
  mkdir -p "$lib/node_modules"
  cp -a "$PROJECT/dist" "$PROJECT/bin" "$PROJECT/package.json" "$lib/"
  # production dependencies only (npm ls lists them; the first line is the project itself)
  (cd "$PROJECT" && npm ls --omit=dev --all --parseable 2>/dev/null | tail -n +2) | while read -r dep; do
    rel=${dep#"$PROJECT/node_modules/"}
    mkdir -p "$lib/node_modules/$(dirname "$rel")"
    cp -a "$dep" "$lib/node_modules/$rel"
  done
  ln -sf ../lib/ttyconf/bin/ttyconf.js "$STAGE/usr/bin/ttyconf"
  CODE=("$lib/dist")
  note "ttyconf from dist/ + production node_modules in /usr/lib/ttyconf, not the bundle (none, or TTYCONF_BOOT_PAYLOAD=dist)"
fi

# the units: the project's systemd/ if it has any, else the test's fallback
UNITS=project
if find "$PROJECT/systemd" -name '*.service' 2>/dev/null | grep -q .; then
  # as the package lays them out: units in /usr/lib/systemd/system, drop-ins and examples in
  # /usr/share/ttyconf (console enable links the serial drop-in from there)
  mkdir -p "$STAGE/usr/share/ttyconf"
  for f in "$PROJECT"/systemd/*; do
    case "$f" in
      *.service|*.target|*.socket|*.path|*.timer) install -m 0644 "$f" "$STAGE/usr/lib/systemd/system/" ;;
      *.md) ;;
      *) install -m 0644 "$f" "$STAGE/usr/share/ttyconf/" ;;
    esac
  done
  log "installed the units from systemd/: $(find "$PROJECT/systemd" -mindepth 1 -maxdepth 1 -printf '%f ')"
else
  UNITS=fallback
  install -m 0644 "$HERE/fallback/ttyconf@.service" "$STAGE/usr/lib/systemd/system/ttyconf@.service"
  note "systemd/ has no unit yet: installed the test's fallback ttyconf@.service (console-notes section 3)"
fi

# ttyconf console enable, for each tty
CONSOLE="command"
for tty in tty1 ttyS0; do
  out=$("${HOST_TTYCONF[@]}" console enable --tty "$tty" --root "$STAGE" 2>&1) && { log "ttyconf console enable --tty $tty: ok"; continue; }
  if ! grep -q 'not built yet' <<<"$out"; then
    die "ttyconf console enable --tty $tty --root ROOTFS failed: $out"
  fi
  CONSOLE=fallback
  template=$(find "$STAGE/usr/lib/systemd/system" -maxdepth 1 -name 'ttyconf*@.service' -printf '%f\n' | sort | head -n 1)
  getty=getty@$tty.service
  case "$tty" in ttyS*) getty=serial-getty@$tty.service ;; esac
  systemctl --root="$STAGE" --quiet enable "${template/@/@$tty}"
  systemctl --root="$STAGE" --quiet mask "$getty"
  case "$tty" in ttyS*)
    if [ -f "$STAGE/usr/share/ttyconf/ttyconf-serial.conf" ]; then
      mkdir -p "$STAGE/etc/systemd/system/${template/@/@$tty}.d"
      ln -sf ../../../../usr/share/ttyconf/ttyconf-serial.conf "$STAGE/etc/systemd/system/${template/@/@$tty}.d/ttyconf-serial.conf"
    fi ;;
  esac
  note "\`ttyconf console enable\` is not built yet: enabled ${template/@/@$tty} and masked $getty with systemctl --root"
done

# which unit runs on each tty (found from what was enabled, whatever its name)
unit_for() {
  find "$STAGE/etc/systemd/system" -path '*.wants/*' -name "*@$1.service" ! -name "*getty@*" -printf '%f\n' | head -n 1
}
UNIT_TTY1=$(unit_for tty1)
UNIT_TTYS0=$(unit_for ttyS0)
{ [ -n "$UNIT_TTY1" ] && [ -n "$UNIT_TTYS0" ]; } || die "no unit enabled for tty1 ($UNIT_TTY1) or ttyS0 ($UNIT_TTYS0)"

# While the console UI is a placeholder, a stand-in proves the plumbing (see fallback/boottest-standin).
UI=real
if grep -rqs 'the console UI is not built yet' "${CODE[@]}"; then
  UI=stand-in
  install -m 0755 "$HERE/fallback/boottest-standin" "$STAGE/usr/local/sbin/boottest-standin"
  for unit in "$UNIT_TTY1" "$UNIT_TTYS0"; do
    template=${unit%%@*}@.service
    mkdir -p "$STAGE/etc/systemd/system/$template.d"
    # zz-: drop-ins apply in file-name order across directories; this one must come last
    printf '[Service]\nExecStart=\nExecStart=/usr/local/sbin/boottest-standin\n' > "$STAGE/etc/systemd/system/$template.d/zz-boottest-standin.conf"
  done
  note "the console UI is not built yet: $UNIT_TTY1 and $UNIT_TTYS0 run the test's stand-in (ttyconf show + echo)"
fi

newest() { find "$STAGE/boot" -maxdepth 1 -name "$1" | sort -V | tail -n 1; }
cp "$(newest 'vmlinuz-*')" "$IMAGE.tmp/vmlinuz"
cp "$(newest 'initrd.img-*')" "$IMAGE.tmp/initrd.img"
size_mb=$(( $(du -sm "$STAGE" | cut -f1) + 384 ))
truncate -s "${size_mb}M" "$IMAGE.tmp/root.img"
mkfs.ext4 -q -F -L root -d "$STAGE" "$IMAGE.tmp/root.img"
rm -rf "$STAGE"
LAYER_SECONDS=$(secs "$t1" "$(now)")
BUILD_SECONDS=$(secs "$T_START" "$(now)")

json_str() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }
notes_json=$(node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "${NOTES[@]}")
cat > "$IMAGE.tmp/manifest.json" <<EOF
{
  "key": "$KEY",
  "flavour": "$FLAVOUR",
  "nic": "$NIC",
  "baseKey": "$BASE_KEY",
  "payload": "$PAYLOAD",
  "units": "$UNITS",
  "console": "$CONSOLE",
  "ui": "$UI",
  "unitTty1": "$UNIT_TTY1",
  "unitTtyS0": "$UNIT_TTYS0",
  "hostname": "$HOSTNAME_",
  "password": $(json_str "$PASSWORD"),
  "baseSeconds": $BASE_SECONDS,
  "layerSeconds": $LAYER_SECONDS,
  "buildSeconds": $BUILD_SECONDS,
  "imageMB": $size_mb,
  "notes": $notes_json
}
EOF
rm -rf "$IMAGE" && mv "$IMAGE.tmp" "$IMAGE"
find "$CACHE" -maxdepth 1 -name "image-$FLAVOUR-*" ! -name '*.tmp' -printf '%T@ %p\n' | sort -rn | tail -n +3 | cut -d' ' -f2- | xargs -r rm -rf
base_said="${BASE_SECONDS}s"; [ "$BASE_SECONDS" = null ] && base_said=cached
log "image built in ${BUILD_SECONDS}s (base: $base_said; ttyconf layer + root.img: ${LAYER_SECONDS}s): $IMAGE"
echo "$IMAGE"
