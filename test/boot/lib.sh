# shellcheck shell=bash
# Sourced by build-image.sh and build-tools.sh: log lines on stderr under the script's name
# (LOG_AS, set before sourcing), timing, and the Debian mirror the host's apt uses.

log() { printf '%s: %s\n' "$LOG_AS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# The Debian mirror the host's apt uses (deb822 first, then the one-line format).
mirror() {
  local m=''
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ && !/security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $2 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}
