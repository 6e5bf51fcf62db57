#!/bin/bash
# Builds (once per machine) the read-only root filesystem the sandbox containers run on.
#
# Usage: build-image.sh [--packages FILE] [--root DIR] [--print-path] [--force]
#   --packages FILE  package list (default: packages.txt beside this script)
#   --root DIR       cache root (default: /var/lib/assay/images)
#   --print-path     print only the rootfs path on stdout (progress goes to stderr)
#   --force          rebuild even when the cached image exists
#
# The Debian mirror and suite come from this machine's own apt configuration
# (/etc/apt/sources.list or /etc/apt/sources.list.d/*.sources / *.list); the repository
# names no mirror. The image lands in <root>/<hash>/rootfs, where <hash> covers the
# package list, the suite and the architecture; <root>/default points at the newest one.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
packages_file="$here/packages.txt"
cache_root=/var/lib/assay/images
print_path=0
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --packages) packages_file=$2; shift 2 ;;
    --root) cache_root=$2; shift 2 ;;
    --print-path) print_path=1; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image: unknown argument $1" >&2; exit 2 ;;
  esac
done

say() { echo "build-image: $*" >&2; }
die() { say "error: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap needs it)"
[[ -r $packages_file ]] || die "cannot read package list $packages_file"

# Suite: the host's own codename.
. /etc/os-release
suite=${VERSION_CODENAME:-}
[[ -n $suite ]] || die "cannot tell the Debian suite from /etc/os-release"
arch=$(dpkg --print-architecture)

# Mirror: the first apt source that serves <suite> (deb822 .sources first, then .list).
find_mirror() {
  local f uri suites types
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -r $f ]] || continue
    # deb822 stanzas are separated by blank lines.
    awk -v suite="$suite" '
      BEGIN { RS=""; FS="\n" }
      {
        uris=""; suites=""; types=""; enabled="yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^#/) continue
          if (line ~ /^URIs:/)    { sub(/^URIs:[ \t]*/, "", line); uris = line }
          if (line ~ /^Suites:/)  { sub(/^Suites:[ \t]*/, "", line); suites = " " line " " }
          if (line ~ /^Types:/)   { sub(/^Types:[ \t]*/, "", line); types = " " line " " }
          if (line ~ /^Enabled:[ \t]*no/) enabled = "no"
        }
        if (enabled == "yes" && types ~ / deb / && suites ~ (" " suite " ")) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i+1) == suite) { print $i; exit }
      }' "$f"
  done
}
mirror=$(find_mirror | head -n1)
[[ -n $mirror ]] || die "no apt source for suite '$suite' in /etc/apt/sources.list{,.d}"

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$packages_file" | grep -v '^$' | sort -u)
[[ ${#packages[@]} -gt 0 ]] || die "package list $packages_file is empty"
include=$(IFS=,; echo "${packages[*]}")

# Bump the layout number when the post-processing below changes.
layout=3
hash=$(printf '%s\n' "layout=$layout" "suite=$suite" "arch=$arch" "${packages[@]}" | sha256sum | cut -c1-16)
image_dir="$cache_root/$hash"
rootfs="$image_dir/rootfs"

finish() {
  ln -sfn "$hash" "$cache_root/default.new" && mv -Tf "$cache_root/default.new" "$cache_root/default"
  if [[ $print_path -eq 1 ]]; then echo "$rootfs"; else say "image ready: $rootfs"; fi
}

mkdir -p "$cache_root"
exec 9>"$cache_root/.build.lock"
flock 9
if [[ $force -eq 0 && -f $image_dir/complete ]]; then
  say "cached image $hash (packages: ${packages[*]})"
  finish
  exit 0
fi

command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
work="$cache_root/.build-$hash"
rm -rf "$work"
mkdir -p "$work"
say "building image $hash: suite $suite/$arch, packages: ${packages[*]}"
say "step 1/3: debootstrap (minbase) from the mirror in apt's configuration"
start=$(date +%s)
debootstrap --variant=minbase --include="$include" "$suite" "$work/rootfs" "$mirror" \
  2>&1 | while IFS= read -r line; do
    case "$line" in I:\ Retrieving*|I:\ Validating*|I:\ Unpacking\ [a-z]*|I:\ Configuring\ [a-z]*) ;; *) say "  $line" ;; esac
  done
[[ ${PIPESTATUS[0]} -eq 0 ]] || die "debootstrap failed"

say "step 2/3: trimming and preparing the tree"
r="$work/rootfs"
rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/usr/share/doc/* "$r"/usr/share/man/*
# The sandbox user (uid/gid 1000 inside the container's user namespace).
grep -q '^student:' "$r/etc/passwd" || echo 'student:x:1000:1000:student:/work:/bin/sh' >>"$r/etc/passwd"
grep -q '^student:' "$r/etc/group" || echo 'student:x:1000:' >>"$r/etc/group"
# Mount points the runner uses: the per-run tmpfs, the work dir, and its init.
mkdir -p "$r/work" "$r/run/sandbox" "$r/tmp" "$r/.assay"
: >"$r/.assay/init"
chmod 0755 "$r/.assay/init"
# The compiled stdlib caches stay: every run would otherwise compile what it imports.
echo "$hash" >"$r/.assay/image-id"

say "step 3/3: publishing"
rm -rf "$image_dir"
mkdir -p "$image_dir"
mv "$r" "$rootfs"
rmdir "$work" 2>/dev/null || rm -rf "$work"
printf 'suite=%s\narch=%s\npackages=%s\nbuilt=%s\n' "$suite" "$arch" "${packages[*]}" "$(date -u +%FT%TZ)" >"$image_dir/complete"
say "built in $(( $(date +%s) - start )) s"
finish
