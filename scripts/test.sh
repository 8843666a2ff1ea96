#!/usr/bin/env bash
# Runs every test of Latchkey. Installs or starts what the build and the tests need first:
# pkg-config and libssl-dev (webauthn-rs links OpenSSL), Debian's
# chromium and chromium-driver, nginx and caddy (real reverse proxies for forward-auth),
# oathtool and zbar-tools (independent authenticator clients),
# e2fsprogs (the fault tests' ext4 image and chattr), Python's aiosmtpd (the SMTP server the
# tests send to) and the local PostgreSQL server. The fault tests need root, as CI has.

set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
[ -x /usr/bin/caddy ] || need_apt+=(caddy)
command -v pg_ctlcluster >/dev/null || need_apt+=(postgresql)
# The build: webauthn-rs links the system's OpenSSL.
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
[ -e /usr/include/openssl/ssl.h ] || need_apt+=(libssl-dev)
command -v oathtool >/dev/null || need_apt+=(oathtool)
command -v zbarimg >/dev/null || need_apt+=(zbar-tools)
# The fault tests: mkfs.ext4 and chattr, mount and runuser.
command -v mkfs.ext4 >/dev/null && command -v chattr >/dev/null || need_apt+=(e2fsprogs)
command -v runuser >/dev/null && command -v mount >/dev/null || need_apt+=(util-linux mount)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "== installing aiosmtpd"
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
fi

PG="${LATCHKEY_TEST_PG:-postgres://postgres@127.0.0.1:5432}"
if ! psql "$PG/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 1 30); do
    psql "$PG/postgres" -Atqc 'select 1' >/dev/null 2>&1 && break
    sleep 1
  done
fi
# Databases left by earlier runs (each test creates its own).
for db in $(psql "$PG/postgres" -Atqc "select datname from pg_database where datname like 'latchkey_test_%'"); do
  psql "$PG/postgres" -qc "drop database if exists \"$db\"" >/dev/null || true
done

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --locked --lib --bins --tests
