#!/usr/bin/env bash
# Installs the Debian packages Assay needs to build, run and test: every package named in
# packaging/deps/*.txt. Safe to run again; quiet when everything is already installed.
# A line "PACKAGE:COMMAND" is satisfied by the package or by COMMAND already on the PATH
# (e.g. "npm:npm" when Node.js came with its own npm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (it installs Debian packages)" >&2
  exit 1
fi

mapfile -t wanted < <(cat "$here"/deps/*.txt | sed -e 's/#.*//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
missing=()
for entry in "${wanted[@]}"; do
  p=${entry%%:*}
  cmd=""
  [[ "$entry" == *:* ]] && cmd=${entry#*:}
  if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
  apt-get update -q >/dev/null
fi
# Do not let package scripts start services (MariaDB) on a build machine.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/assay-install-deps.log 2>&1 || {
  echo "install-deps: apt-get failed; the last lines of /tmp/assay-install-deps.log:" >&2
  tail -n 20 /tmp/assay-install-deps.log >&2
  exit 1
}
echo "install-deps: done"
