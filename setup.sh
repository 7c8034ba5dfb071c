#!/bin/sh
# setup.sh: the first command on a fresh Debian machine, which may have
# neither make nor a C compiler. Installs make (as root, or through sudo),
# then hands over to `make run`, which installs the rest of what the build
# needs, builds ./tsbox and runs scripts/barrier.lua.
set -eu
cd "$(dirname "$0")"
command -v make > /dev/null 2>&1 || sh tools/need-pkgs.sh make
exec make run
