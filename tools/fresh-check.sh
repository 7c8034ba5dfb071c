#!/bin/sh
# fresh-check.sh: the README's Set-up block, line by line, on a fresh
# minimal Debian 12 root (debootstrap --variant=minbase bookworm), first as
# root and then as a user with sudo; then the checks a newcomer's first
# build must pass: no liblua in `ldd tsbox`, `--version` says deterministic,
# two runs of one seed byte-identical. Needs root and Debian's archive.
#   FRESH_MIRROR   the archive (default http://deb.debian.org/debian)
#   FRESH_USERS    which passes to run: "root sudo" (default), "root", "sudo"
#   TMPDIR         where the minbase tarball is cached between runs
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
users=${FRESH_USERS:-root sudo}
cache=${TMPDIR:-/tmp}/tsbox-fresh-cache
tarball=$cache/bookworm-minbase.tgz

say() { echo "fresh-check: $*"; }
die() { echo "fresh-check: FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap and chroot)"
sh "$repo/tools/need-pkgs.sh" debootstrap git

# The set-up block: the lines of the first ```sh block under "## Set-up".
setup=$(awk '/^## Set-up/ { s = 1; next } s && /^```sh/ { b = 1; next }
             b && /^```/ { exit } b && NF { print }' "$repo/README.md")
[ -n "$setup" ] || die "README.md has no \`\`\`sh block under '## Set-up'"
[ "$(printf '%s\n' "$setup" | wc -l)" -eq 2 ] || die "the Set-up block is not exactly two commands"

mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  say "making the minbase tarball (once; cached in $cache)"
  debootstrap --variant=minbase --make-tarball="$tarball.part" bookworm "$cache/work" "$mirror" \
    > "$cache/make-tarball.log" 2>&1 || { tail -5 "$cache/make-tarball.log"; die "debootstrap --make-tarball"; }
  mv "$tarball.part" "$tarball"
  rm -rf "$cache/work"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tsbox-fresh.XXXXXX")
roots=""
unmount_all() {
  for r in $roots; do
    for m in dev/shm dev/pts sys proc; do
      mountpoint -q "$r/$m" 2> /dev/null && umount -l "$r/$m"
    done
  done
}
cleanup() {
  unmount_all
  # Nothing of the host is bound into the roots (their /dev holds device
  # nodes of their own), so removing them cannot reach outside $work.
  grep -q " $work/" /proc/mounts || rm -rf "$work"
}
trap cleanup EXIT INT TERM

# new_root DIR: a minbase root from the cached tarball, with proc, sys, its
# own devpts and /dev/shm mounted, and the network's resolver.
new_root() {
  debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$1" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -5 "$work/debootstrap.log"; die "debootstrap --unpack-tarball"; }
  roots="$roots $1"
  cp /etc/resolv.conf "$1/etc/resolv.conf"
  mount -t proc proc "$1/proc"
  mount -t sysfs -o ro sysfs "$1/sys"
  mkdir -p "$1/dev/pts" "$1/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$1/dev/pts"
  [ -e "$1/dev/ptmx" ] || ln -s pts/ptmx "$1/dev/ptmx"
  mount -t tmpfs -o mode=1777 tmpfs "$1/dev/shm"
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

# pass WHO: one fresh root; the set-up block run by WHO (root, or a user
# that has sudo); then the checks on the binary it built.
pass() {
  who=$1
  root=$work/$who
  say "[$who] unpacking a fresh minbase bookworm root"
  new_root "$root"
  if [ "$who" = root ]; then
    home=/root
    in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                  LANG=C.UTF-8 /bin/sh -c "$1"; }
  else
    # What an administrator gives a new user: sudo and a sudoers entry.
    home=/home/newcomer
    chroot "$root" /bin/sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo' \
      > "$work/sudo.log" 2>&1 || { tail -5 "$work/sudo.log"; die "installing sudo in the root"; }
    chroot "$root" useradd -m -s /bin/sh newcomer
    echo 'newcomer ALL=(ALL) NOPASSWD:ALL' > "$root/etc/sudoers.d/newcomer"
    chmod 440 "$root/etc/sudoers.d/newcomer"
    in_root() { chroot --userspec=newcomer:newcomer "$root" /usr/bin/env -i HOME=/home/newcomer \
                  USER=newcomer PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 /bin/sh -c "$1"; }
  fi
  git clone -q "$repo" "$root$home/tsbox"
  [ "$who" = root ] || chroot "$root" chown -R newcomer:newcomer "$home/tsbox"
  printf '%s\n' "$setup" > "$work/setup.lines"
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    say "[$who] command $i: $line"
    t0=$(now)
    if ! in_root "cd $home/tsbox && $line" > "$work/$who.cmd$i.log" 2>&1 < /dev/null; then
      tail -30 "$work/$who.cmd$i.log"
      die "[$who] command $i failed: $line"
    fi
    say "[$who] command $i took $(secs "$t0" "$(now)") s; last lines:"
    tail -3 "$work/$who.cmd$i.log" | sed 's/^/    /'
    grep -i 'skipped' "$work/$who.cmd$i.log" | sed 's/^/    /' || true
  done < "$work/setup.lines"

  bin=$root$home/tsbox/tsbox
  [ -x "$bin" ] || die "[$who] no tsbox binary after the set-up block"
  if chroot "$root" ldd "$home/tsbox/tsbox" | grep -q liblua; then
    die "[$who] ldd tsbox lists liblua: $(chroot "$root" ldd "$home/tsbox/tsbox" | grep liblua)"
  fi
  say "[$who] ldd tsbox lists no liblua"
  v=$(in_root "cd $home/tsbox && ./tsbox --version")
  case "$v" in *": deterministic") say "[$who] $v" ;; *) die "[$who] --version: $v" ;; esac
  in_root "cd $home/tsbox && ./tsbox --seed 7 scripts/race.lua" > "$work/a" 2>&1 || true
  in_root "cd $home/tsbox && ./tsbox --seed 7 scripts/race.lua" > "$work/b" 2>&1 || true
  cmp -s "$work/a" "$work/b" || { diff "$work/a" "$work/b" | head; die "[$who] two runs of --seed 7 differ"; }
  [ -s "$work/a" ] || die "[$who] scripts/race.lua printed nothing"
  say "[$who] two runs of tsbox --seed 7 scripts/race.lua are byte-identical ($(wc -c < "$work/a") bytes)"
  pkgs=$(chroot "$root" sh -c "zcat -f /var/log/apt/history.log* 2>/dev/null" |
         sed -n 's/^Commandline: apt-get install -y -q --no-install-recommends //p' | tr '\n' ' ')
  say "[$who] packages the set-up block asked for: $pkgs"
}

for who in $users; do pass "$who"; done
say "passed ($users)"
