#!/usr/bin/env bash
# NetworkManager's own keyfile parser for the tests, without installing NetworkManager.
#
# Installing network-manager (apt-get install, dpkg -i) would start its daemon, which takes over the
# machine's network. This script only downloads Debian's packages (apt-get download) and unpacks
# them with dpkg -x into a cache directory keyed by the package versions, then writes a wrapper that
# runs that nmcli with LD_LIBRARY_PATH pointing into the cache:
#
#   nmcli --offline connection modify PROPERTY VALUE < FILE.nmconnection
#
# reads a keyfile on stdin with NetworkManager's parser and prints the profile as NetworkManager
# would store it (or fails with NetworkManager's message). No daemon, no D-Bus.
#
# Usage: bash scripts/nm-offline.sh fetch   download + unpack when missing; prints the wrapper path
#        bash scripts/nm-offline.sh path    prints the wrapper path, exit 1 when not fetched yet
# Beside DIR/current/nmcli, DIR/current/NetworkManager runs the daemon's binary the same way, for
# `NetworkManager --print-config` (reads the configuration and exits; never started as a daemon).
# Cache: $TTYCONF_NM_CACHE (default /var/cache/ttyconf-nm); DIR/current/nmcli is the wrapper.
set -euo pipefail

cache=${TTYCONF_NM_CACHE:-/var/cache/ttyconf-nm}
cmd=${1:-fetch}
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)

wrapper_ok() { [ -x "$1/nmcli" ] && "$1/nmcli" --version >/dev/null 2>&1 && [ -x "$1/NetworkManager" ] && "$1/NetworkManager" --version >/dev/null 2>&1; }

case $cmd in
  path)
    if wrapper_ok "$cache/current"; then echo "$cache/current/nmcli"; exit 0; fi
    echo "nm-offline: not fetched yet: run bash scripts/nm-offline.sh fetch" >&2
    exit 1 ;;
  fetch) ;;
  *) echo "usage: nm-offline.sh fetch|path" >&2; exit 2 ;;
esac

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "nm-offline: needs apt-get and dpkg (a Debian machine); the tests that need NetworkManager's parser skip" >&2
  exit 1
fi

candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' || true; }

version=$(candidate network-manager)
if [ -z "$version" ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  version=$(candidate network-manager)
fi
if [ -z "$version" ]; then
  echo "nm-offline: apt knows no network-manager package; cannot fetch NetworkManager" >&2
  exit 1
fi
dir="$cache/network-manager_${version//[^A-Za-z0-9.+~-]/_}_$arch"

if ! wrapper_ok "$dir"; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/ttyconf-nm.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  tree=$work/tree
  mkdir -p "$tree" "$work/debs"
  # _apt cannot write into a private temp dir; the download itself is verified by apt as usual.
  chmod 0755 "$work" "$work/debs"
  fetch() { (cd "$work/debs" && apt-get download "$@" >/dev/null 2>"$work/apt.err") || { cat "$work/apt.err" >&2; return 1; }; }
  fetch network-manager libnm0
  for d in "$work"/debs/*.deb; do dpkg -x "$d" "$tree"; done
  libdir=$tree/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
  missing() { LD_LIBRARY_PATH="$libdir" ldd "$tree/usr/bin/nmcli" "$tree/usr/sbin/NetworkManager" 2>/dev/null | awk '/not found/ {print $1}' | sort -u; }
  # The libraries nmcli and NetworkManager link that this machine lacks: the direct dependencies of the two packages
  # (and, once more, of those) that are not installed, unpacked beside them.
  for _round in 1 2; do
    [ -z "$(missing)" ] && break
    deps=$(for d in "$work"/debs/*.deb; do dpkg-deb -f "$d" Depends; done | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/ //g' | sort -u)
    want=()
    for p in $deps; do
      [ -n "$p" ] || continue
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
      ls "$work"/debs/"${p}"_*.deb >/dev/null 2>&1 && continue
      case $p in udev|adduser|dbus*|polkit*|policykit*|systemd|init-system-helpers) continue ;; esac
      want+=("$p")
    done
    [ ${#want[@]} -eq 0 ] && break
    for p in "${want[@]}"; do fetch "$p" || true; done
    for d in "$work"/debs/*.deb; do dpkg -x "$d" "$tree"; done
  done
  if [ -n "$(missing)" ]; then
    echo "nm-offline: nmcli or NetworkManager still lacks: $(missing | tr '\n' ' ')" >&2
    exit 1
  fi
  mkdir -p "$cache"
  rm -rf "$dir.new"
  mv "$tree" "$dir.new"
  libdir=${libdir/#$tree/$dir}
  cat >"$dir.new/nmcli" <<EOF
#!/bin/sh
# nmcli from Debian's network-manager $version, unpacked (never installed) by scripts/nm-offline.sh.
LD_LIBRARY_PATH="$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/usr/bin/nmcli" "\$@"
EOF
  cat >"$dir.new/NetworkManager" <<EOF
#!/bin/sh
# NetworkManager from Debian's network-manager $version, unpacked (never installed) by scripts/nm-offline.sh.
LD_LIBRARY_PATH="$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/usr/sbin/NetworkManager" "\$@"
EOF
  chmod 0755 "$dir.new/nmcli" "$dir.new/NetworkManager"
  rm -rf "$dir"
  mv "$dir.new" "$dir"
  wrapper_ok "$dir" || { echo "nm-offline: the unpacked nmcli does not run" >&2; exit 1; }
fi
ln -sfn "$(basename "$dir")" "$cache/current"
echo "$cache/current/nmcli"
