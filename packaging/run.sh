#!/usr/bin/env bash
# Installs what is needed, builds Release, and starts the appliance on http://127.0.0.1:8080
# with its embedded SQLite database under ./var, a demo course, and (first start) an admin
# account whose one-time password is printed. Ctrl-C stops it cleanly.
# Usage (as root, from the clone): bash packaging/run.sh [assayd options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n==> %s\n' "$*"; }

step "Installing Debian packages (packaging/deps/*.txt)"
bash packaging/install-deps.sh

step "Building (Release)"
export CCACHE_DIR="${CCACHE_DIR:-/var/cache/assay-ccache}"
mkdir -p "$CCACHE_DIR"
cmake --preset release -DASSAY_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j"$(nproc)"
bin="$root/build/release"

# assayd never runs as root: it switches to this service account.
if ! id assay >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin assay
fi
install -d -o assay -m 700 "$root/var"
# The service account needs to pass through the folders above the clone (e.g. /root) to reach
# ./var, the plugins and the demo course: grant it just that, through an ACL, where it lacks it.
dir="$root"
while [ "$dir" != "/" ]; do
  if ! runuser -u assay -- test -x "$dir" 2>/dev/null; then
    setfacl -m u:assay:--x "$dir"
  fi
  dir=$(dirname "$dir")
done

runner_pid=""
stop_all() {
  if [ -n "$runner_pid" ] && kill -0 "$runner_pid" 2>/dev/null; then
    kill "$runner_pid" 2>/dev/null || true
    wait "$runner_pid" 2>/dev/null || true
  fi
}
trap stop_all EXIT

socket=/run/assay/runner.sock
if [ -x "$bin/containers/assay-runner" ]; then
  step "Preparing the sandbox image (built once, then cached)"
  bash "$root/containers/image/build-image.sh"
  step "Starting assay-runner (the sandbox, the only privileged process)"
  install -d -m 755 /run/assay
  "$bin/containers/assay-runner" --socket "$socket" --group assay &
  runner_pid=$!
fi

step "Starting assayd on http://127.0.0.1:8080 (Ctrl-C stops it)"
"$bin/core/assayd" --listen 127.0.0.1:8080 --data-dir "$root/var" --runner "$socket" \
  --demo-bundles "$root/appliance/demo" --plugins-dir "$bin/lib/assay/plugins" "$@"
