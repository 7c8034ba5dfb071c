#!/bin/sh
# need-pkgs.sh PKG...: installs, with apt-get, those of the Debian packages
# named that are not installed yet, and says which and why; as a non-root
# user through sudo. Nothing is installed without this announcement.
set -eu
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "tsbox: installing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
  echo "tsbox: not root and no sudo: as root, run: apt-get install$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# An install can fail on a stale package list: refresh it once, then retry.
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing > /dev/null 2>&1 || {
  $SUDO apt-get update -q > /dev/null &&
  $SUDO apt-get install -y -q --no-install-recommends $missing > /dev/null
} || {
  echo "tsbox: could not install:$missing (apt-get failed; see the lines above)" >&2
  exit 1
}
