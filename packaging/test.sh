#!/usr/bin/env bash
# Installs what is needed, builds once, starts a private MariaDB server on loopback (its own
# data directory under the build folder; torn down at the end, even on failure) and runs the
# whole CTest suite against it. Usage (as root, from anywhere): bash packaging/test.sh [ctest args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n==> %s\n' "$*"; }

step "Installing Debian packages (packaging/deps/*.txt)"
bash packaging/install-deps.sh

build="$root/build/release"
jobs="$(nproc)"
step "Configuring and building (Release, $jobs jobs, ccache)"
export CCACHE_DIR="${CCACHE_DIR:-/var/cache/assay-ccache}"
mkdir -p "$CCACHE_DIR"
ccache --max-size=5G >/dev/null 2>&1 || true
cmake --preset release -DASSAY_BUILD_TESTS=ON >/dev/null
cmake --build --preset release -j"$jobs"

# Extra preparation a module needs before its tests (e.g. the container image), if any.
for prep in "$root"/packaging/test-prepare.d/*.sh; do
  [ -e "$prep" ] || continue
  step "Preparing: $(basename "$prep")"
  bash "$prep"
done

step "Starting a private MariaDB server"
dbdir="$build/test-mariadb"
rm -rf "$dbdir"
mkdir -p "$dbdir/data"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mariadb_pid=""
cleanup() {
  if [ -n "$mariadb_pid" ] && kill -0 "$mariadb_pid" 2>/dev/null; then
    kill "$mariadb_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$mariadb_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$mariadb_pid" 2>/dev/null || true
  fi
  rm -rf "$dbdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mariadb-install-db --no-defaults --user=root --datadir="$dbdir/data" \
  --auth-root-authentication-method=normal --skip-test-db >"$dbdir/install.log" 2>&1 || {
  cat "$dbdir/install.log" >&2; exit 1; }
mariadbd --no-defaults --user=root --datadir="$dbdir/data" --socket="$dbdir/mysqld.sock" \
  --pid-file="$dbdir/mysqld.pid" --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
  --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --log-error="$dbdir/error.log" &
mariadb_pid=$!
for i in $(seq 1 60); do
  if mariadb-admin --no-defaults --socket="$dbdir/mysqld.sock" -uroot ping >/dev/null 2>&1; then break; fi
  if ! kill -0 "$mariadb_pid" 2>/dev/null; then cat "$dbdir/error.log" >&2; exit 1; fi
  sleep 0.5
done
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
mariadb --no-defaults --socket="$dbdir/mysqld.sock" -uroot <<SQL
CREATE USER 'assay_test'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'assay_test'@'127.0.0.1';
CREATE DATABASE assay_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
SQL
export ASSAY_TEST_MYSQL_URL="mysql://assay_test:$password@127.0.0.1:$port/assay_test"
echo "MariaDB $(mariadbd --version | awk '{print $3}') on 127.0.0.1:$port"

step "Running the test suite"
ctest --test-dir "$build" --output-on-failure -j"$jobs" --timeout 900 "$@"
