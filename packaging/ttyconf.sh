#!/bin/sh
# /usr/bin/ttyconf: runs the ttyconf bundle with a Node.js runtime (20 or later).
# The package requires no node package (CentOS 7 has none that is recent enough), so this finds one:
#   1. /usr/libexec/ttyconf/node, if the vendor put a node binary or a symlink to one there;
#   2. `node` on PATH (the PATH systemd gives units includes /usr/local/bin);
#   3. /usr/local/bin/node, then /usr/bin/node (for callers with an unusual PATH).
bundle=/usr/libexec/ttyconf/ttyconf.cjs
node=
for candidate in /usr/libexec/ttyconf/node "$(command -v node 2>/dev/null)" /usr/local/bin/node /usr/bin/node; do
  if [ -n "$candidate" ] && [ -f "$candidate" ] && [ -x "$candidate" ]; then
    node=$candidate
    break
  fi
done
if [ -z "$node" ]; then
  echo "ttyconf: no Node.js runtime found (looked for /usr/libexec/ttyconf/node, node on PATH," \
    "/usr/local/bin/node, /usr/bin/node). Install Node.js 20 or later, or link one to" \
    "/usr/libexec/ttyconf/node: see /usr/share/doc/ttyconf/packaging.md." >&2
  exit 1
fi
exec "$node" "$bundle" "$@"
