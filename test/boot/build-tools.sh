#!/usr/bin/env bash
# Builds (once per machine, cached) what the boot test's real-reader guests need beyond Debian's
# binary packages, and prints the directory of the result on stdout (logs go to stderr):
#   builder  a bookworm build chroot (mmdebstrap --variant=buildd + the build dependencies below)
#   ipcalc   CentOS 7's own ipcalc, compiled from the initscripts source (network-scripts call it)
#   nm       NetworkManager from Debian's own source package (apt-get source network-manager),
#            built with the ifcfg-rh plugin: the daemon and the plugin only (the guest takes nmcli,
#            libnm and the units from Debian's network-manager package of the same version)
#   dnsmasq  dnsmasq-base and the libraries the host lacks, unpacked (apt-get download + dpkg -x):
#            the DHCP and DNS server on the host side of a guest's link, run in a network namespace
# Each is cached in $TTYCONF_BOOT_CACHE (default /var/cache/ttyconf-boot) under a hash of its
# inputs; NetworkManager's under the hash of Debian's source package (its .dsc), so only the first
# run on a machine, or a new Debian upload, pays for the build. Needs root.
# Environment: TTYCONF_REALREADERS (default ../shared/realreaders beside the repository).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
CACHE=${TTYCONF_BOOT_CACHE:-/var/cache/ttyconf-boot}
REALREADERS=${TTYCONF_REALREADERS:-$PROJECT/../shared/realreaders}
SUITE=bookworm
# What compiles ipcalc and the parts of NetworkManager the guest needs (meson, no autotools).
BUILD_DEPS=meson,ninja-build,pkg-config,xsltproc,python3,dpkg-dev,libglib2.0-dev,libudev-dev,libsystemd-dev,libndp-dev,libreadline-dev,uuid-dev,libdbus-1-dev,libjansson-dev,libpopt-dev
# Only what the guest runs: the daemon, nmcli and the ifcfg-rh plugin; no docs, introspection,
# VPN, Wi-Fi, modem, PPP, Bluetooth, OVS, team, polkit, SELinux, audit, cloud-setup or tests.
NM_OPTIONS=(--prefix=/usr --libdir=lib/x86_64-linux-gnu --sysconfdir=/etc --localstatedir=/var
  --libexecdir=lib/NetworkManager --buildtype=release
  -Dsystemdsystemunitdir=/lib/systemd/system -Dudev_dir=/lib/udev -Ddbus_conf_dir=/usr/share/dbus-1/system.d
  -Dsession_tracking_consolekit=false -Dsession_tracking=no -Dsuspend_resume=systemd -Dpolkit=false
  -Dselinux=false -Dsystemd_journal=true -Dlibaudit=no
  -Dwext=false -Dwifi=false -Diwd=false -Dppp=false -Dmodem_manager=false -Dofono=false -Dconcheck=false
  -Dteamdctl=false -Dovs=false -Dnmcli=true -Dnmtui=false -Dnm_cloud_setup=false -Dbluez5_dun=false -Debpf=false
  -Difcfg_rh=true -Difupdown=false -Dconfig_plugins_default=ifcfg-rh
  -Ddhclient=no -Ddhcpcanon=no -Ddhcpcd=no -Dconfig_dhcp_default=internal
  -Dintrospection=false -Dvapi=false -Ddocs=false -Dtests=no -Dfirewalld_zone=false -Dmore_asserts=no
  -Dmore_logging=false -Dlibpsl=false -Dcrypto=null -Dqt=false -Dreadline=libreadline)
NM_TARGETS=(src/core/NetworkManager src/core/settings/plugins/ifcfg-rh/libnm-settings-plugin-ifcfg-rh.so)
# dnsmasq-base and the libraries it needs that a minimal Debian host may lack.
DNSMASQ_DEBS=(dnsmasq-base libnetfilter-conntrack3 libnfnetlink0 libnftables1 libnftnl11 libjansson4 libxtables12 libmnl0)

LOG_AS=build-tools
# shellcheck source=lib.sh
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, chroot)"

MIRROR=$(mirror)

# Runs a command in the chroot with /proc and /dev mounted (NetworkManager's build reads
# /dev/fd), in a private mount namespace so nothing stays mounted when it ends.
in_chroot() { # $1 root, then the command
  local root=$1
  shift
  # shellcheck disable=SC2016 # $0 and $@ are the inner shell's
  unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"' "$root" "$@"
}

mkdir -p "$CACHE"
exec 8>"$CACHE/.tools-lock"
flock 8

# Moves a finished build into place and keeps only the newest two of its kind.
finish() { # $1 tmp dir, $2 final dir, $3 glob of its kind
  rm -rf "$2" && mv "$1" "$2"
  find "$CACHE" -maxdepth 1 -name "$3" ! -name '*.tmp' -printf '%T@ %p\n' | sort -rn | tail -n +3 | cut -d' ' -f2- | xargs -r rm -rf
}

builder() {
  local key dir t0
  key=$(echo "$SUITE $MIRROR $BUILD_DEPS v1" | sha256sum | cut -c1-16)
  dir="$CACHE/builder-$key"
  if [ ! -f "$dir/done" ]; then
    log "building the build chroot (mmdebstrap buildd + build dependencies; 2-4 minutes)"
    t0=$(now)
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    # The deb-src line is derived from the host's own mirror: apt-get source reads it.
    mmdebstrap --mode=root --variant=buildd --include="$BUILD_DEPS" \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      "$SUITE" "$dir.tmp/rootfs" "deb $MIRROR $SUITE main" "deb-src $MIRROR $SUITE main" >&2
    touch "$dir.tmp/done"
    finish "$dir.tmp" "$dir" 'builder-*'
    log "build chroot ready in $(secs "$t0" "$(now)")s"
  fi
  printf '%s\n' "$dir/rootfs"
}

ipcalc() {
  local src="$REALREADERS/initscripts-9.49.53/src/ipcalc.c" key dir root
  [ -f "$src" ] || die "CentOS 7's ipcalc source is missing: $src (set TTYCONF_REALREADERS)"
  root=$(builder)
  key=$( { sha256sum "$src" | cut -c1-64; echo "$root"; } | sha256sum | cut -c1-16)
  dir="$CACHE/ipcalc-$key"
  if [ ! -x "$dir/ipcalc" ]; then
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    mkdir -p "$root/tmp/ipcalc"
    cp "$src" "$root/tmp/ipcalc/ipcalc.c"
    chroot "$root" cc -O2 -D_GNU_SOURCE -o /tmp/ipcalc/ipcalc /tmp/ipcalc/ipcalc.c -lpopt >&2
    install -m 0755 "$root/tmp/ipcalc/ipcalc" "$dir.tmp/ipcalc"
    rm -rf "$root/tmp/ipcalc"
    finish "$dir.tmp" "$dir" 'ipcalc-*'
    log "compiled CentOS 7's ipcalc: $dir/ipcalc"
  fi
  printf '%s\n' "$dir"
}

nm() {
  local root dsc key dir t0 ver w=/tmp/nm-build
  root=$(builder)
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" apt-get -qq update >&2 || log "apt-get update failed in the build chroot"
  # The source package's identity: its .dsc and that file's SHA-256, as the archive lists them.
  dsc=$(chroot "$root" apt-get source --print-uris -qq network-manager 2>/dev/null | awk '$2 ~ /\.dsc$/ { print $2, $4; exit }') || true
  if [ -z "$dsc" ]; then
    # No archive: the newest cached build of the same recipe still serves.
    dir=$(find "$CACHE" -maxdepth 1 -name 'nm-*' ! -name '*.tmp' -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
    { [ -n "$dir" ] && [ -f "$dir/manifest" ]; } || die "cannot ask apt for Debian's network-manager source package (no deb-src, no network?) and no cached build"
    log "the archive did not answer: using the cached build $dir"
    printf '%s\n' "$dir"
    return
  fi
  key=$(echo "$dsc ${NM_OPTIONS[*]} ${NM_TARGETS[*]} $(declare -f nm | sha256sum)" | sha256sum | cut -c1-16)
  dir="$CACHE/nm-$key"
  if [ -f "$dir/manifest" ]; then
    log "NetworkManager with ifcfg-rh cached: $dir ($dsc)"
    printf '%s\n' "$dir"
    return
  fi
  log "building NetworkManager with the ifcfg-rh plugin from $dsc (15-30 minutes on 2 cores; only the first run pays)"
  t0=$(now)
  rm -rf "$dir.tmp" "$root$w" && mkdir -p "$dir.tmp/root" "$root$w"
  # shellcheck disable=SC2064 # expand now: the paths are fixed
  trap "rm -rf '$root$w'" EXIT
  chroot "$root" sh -c "cd $w && apt-get source -qq network-manager" >&2
  src=$(find "$root$w" -mindepth 1 -maxdepth 1 -type d -name 'network-manager-*' | head -n 1)
  [ -n "$src" ] || die "apt-get source network-manager unpacked nothing"
  src=${src#"$root"}
  ver=${src##*/network-manager-}
  in_chroot "$root" meson setup "$w/build" "$src" "${NM_OPTIONS[@]}" >&2
  in_chroot "$root" nice ninja -C "$w/build" -j "$(nproc)" "${NM_TARGETS[@]}" >&2
  local out="$dir.tmp/root"
  install -D -m 0755 "$root$w/build/src/core/NetworkManager" "$out/usr/sbin/NetworkManager"
  install -D -m 0644 "$root$w/build/src/core/settings/plugins/ifcfg-rh/libnm-settings-plugin-ifcfg-rh.so" \
    "$out/usr/lib/x86_64-linux-gnu/NetworkManager/$ver/libnm-settings-plugin-ifcfg-rh.so"
  install -D -m 0644 "$root$src/src/core/settings/plugins/ifcfg-rh/nm-ifcfg-rh.conf" "$out/usr/share/dbus-1/system.d/nm-ifcfg-rh.conf"
  printf 'source %s\nversion %s\nseconds %s\n' "$dsc" "$ver" "$(secs "$t0" "$(now)")" > "$dir.tmp/manifest"
  rm -rf "${root:?}$w"
  trap - EXIT
  finish "$dir.tmp" "$dir" 'nm-*'
  log "NetworkManager $ver with ifcfg-rh built in $(secs "$t0" "$(now)")s: $dir"
  printf '%s\n' "$dir"
}

dnsmasq() {
  local key dir
  key=$(echo "$MIRROR ${DNSMASQ_DEBS[*]} $(apt-cache policy dnsmasq-base 2>/dev/null | awk '/Candidate:/ { print $2 }')" | sha256sum | cut -c1-16)
  dir="$CACHE/dnsmasq-$key"
  if [ ! -x "$dir/root/usr/sbin/dnsmasq" ]; then
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/debs"
    (cd "$dir.tmp/debs" && apt-get download -qq "${DNSMASQ_DEBS[@]}" 2>/dev/null) \
      || { apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 && (cd "$dir.tmp/debs" && apt-get download -qq "${DNSMASQ_DEBS[@]}") >&2; } \
      || die "apt-get download ${DNSMASQ_DEBS[*]} failed"
    for deb in "$dir.tmp"/debs/*.deb; do dpkg -x "$deb" "$dir.tmp/root"; done
    rm -rf "$dir.tmp/debs"
    if LD_LIBRARY_PATH="$dir.tmp/root/usr/lib/x86_64-linux-gnu" ldd "$dir.tmp/root/usr/sbin/dnsmasq" | grep -q 'not found'; then
      die "dnsmasq lacks libraries: $(LD_LIBRARY_PATH="$dir.tmp/root/usr/lib/x86_64-linux-gnu" ldd "$dir.tmp/root/usr/sbin/dnsmasq" | grep 'not found' | tr -s ' \n' ' ')"
    fi
    finish "$dir.tmp" "$dir" 'dnsmasq-*'
    log "unpacked dnsmasq: $dir"
  fi
  printf '%s\n' "$dir"
}

case "${1:-}" in
  builder | ipcalc | nm | dnsmasq) "$1" ;;
  *) die "usage: build-tools.sh builder|ipcalc|nm|dnsmasq" ;;
esac
