#!/usr/bin/env bash
# Builds the noarch ttyconf RPMs, one per target (el7 el8 el9 el10), from whatever the tree holds now:
# the bundle (scripts/build.mjs), systemd/*.service (-> /usr/lib/systemd/system), systemd/*.conf
# (drop-ins -> /usr/share/ttyconf, linked in by "ttyconf console enable"), systemd/ttyconf.conf.example
# (-> %config(noreplace) /etc/ttyconf/ttyconf.conf), packaging/ttyconf.1 and packaging/ttyconf.sh.
#
# Usage: bash scripts/rpm.sh [--out DIR] [--targets "el7 el8 el9 el10"]
#   Output: DIR/ttyconf-VERSION-1.elN.noarch.rpm (default DIR: build/rpm). Needs rpmbuild
#   (Debian: apt-get install rpm; EL: dnf install rpm-build) and node.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

out=build/rpm
targets="el7 el8 el9 el10"
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --targets) targets=${2:?--targets needs a list such as "el7 el9"}; shift 2 ;;
    *) echo "rpm.sh: unknown argument $1 (usage: scripts/rpm.sh [--out DIR] [--targets \"el7 el8 el9 el10\"])" >&2; exit 2 ;;
  esac
done
for t in $targets; do
  case $t in el[0-9] | el[0-9][0-9]) ;; *) echo "rpm.sh: target \"$t\" must look like el7, el8, el9 or el10" >&2; exit 2 ;; esac
done
if ! command -v rpmbuild >/dev/null 2>&1; then
  echo "rpm.sh: rpmbuild not found: apt-get install rpm (Debian) or dnf install rpm-build (EL)" >&2
  exit 1
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ttyconf-rpm.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
mkdir -p "$stage/units" "$stage/data" "$work/top"

# 1. The bundle (and the licences of what it bundles), built fresh into the stage.
node scripts/build.mjs --outfile "$stage/ttyconf.cjs" --report "$work/bundle.json" --quiet
# The package runs it through /usr/bin/ttyconf: drop the shebang (keeping the line count, so stack
# traces match build/ttyconf.cjs).
sed -i '1s|^#!.*$|// Run by /usr/bin/ttyconf (a node found at run time); see packaging.md.|' "$stage/ttyconf.cjs"
version=$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$top/package.json")
license=$(node -e 'process.stdout.write(require(process.argv[1]).licenses.join(" and "))' "$work/bundle.json")

# 2. Everything else the package installs.
install -m 0755 packaging/ttyconf.sh "$stage/ttyconf"
install -m 0644 packaging/ttyconf.1 "$stage/ttyconf.1"
install -m 0644 README.md "$stage/README.md"
install -m 0644 docs/packaging.md "$stage/packaging.md"
if [ -f systemd/ttyconf.conf.example ]; then
  install -m 0644 systemd/ttyconf.conf.example "$stage/ttyconf.conf"
else
  echo "rpm.sh: warning: systemd/ttyconf.conf.example is missing; the package gets a placeholder /etc/ttyconf/ttyconf.conf" >&2
  printf '%s\n' '# /etc/ttyconf/ttyconf.conf: the vendor settings for ttyconf (INI). Every key is optional;' \
    '# this placeholder sets none, so every default applies.' >"$stage/ttyconf.conf"
fi

files=$stage/files.list
: >"$files"
templates=()
shopt -s nullglob
units=(systemd/*.service)
dropins=(systemd/*.conf)
shopt -u nullglob
if [ ${#units[@]} -eq 0 ]; then
  echo "rpm.sh: warning: no systemd/*.service: the package has no units" >&2
fi
for u in "${units[@]}"; do
  name=${u##*/}
  install -m 0644 "$u" "$stage/units/$name"
  echo "/usr/lib/systemd/system/$name" >>"$files"
  case $name in *@.service) templates+=("${name%@.service}") ;; esac
done
if [ ${#dropins[@]} -gt 0 ]; then
  echo "%dir /usr/share/ttyconf" >>"$files"
fi
for d in "${dropins[@]}"; do
  name=${d##*/}
  install -m 0644 "$d" "$stage/data/$name"
  echo "/usr/share/ttyconf/$name" >>"$files"
done

# 3. One rpmbuild per target; only the dist tag differs.
for t in $targets; do
  rpmbuild -bb packaging/ttyconf.spec \
    --define "_topdir $work/top" \
    --define "_rpmdir $out" \
    --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "stage $stage" \
    --define "dist .$t" \
    --define "ttyconf_version $version" \
    --define "ttyconf_license $license" \
    --define "ttyconf_templates ${templates[*]}" \
    --quiet >"$work/rpmbuild-$t.log" 2>&1 || {
    cat "$work/rpmbuild-$t.log" >&2
    echo "rpm.sh: rpmbuild failed for $t" >&2
    exit 1
  }
  echo "$out/ttyconf-$version-1.$t.noarch.rpm"
done
