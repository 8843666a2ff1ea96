#!/usr/bin/env bash
# Runs Latchkey on the embedded default (SQLite in ./latchkey-data, no configuration). On a
# fresh Debian machine it first installs what the build needs beyond Rust: pkg-config and
# OpenSSL's headers (webauthn-rs, the security-key library, links the system's OpenSSL).
# Any further arguments go to `serve` (e.g. --public-url https://login.example.com).

set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
[ -e /usr/include/openssl/ssl.h ] || need_apt+=(libssl-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Browsers use security keys and passkeys only with a named host, so the default address is
# served as http://localhost:8080 (unless an address or a public URL is given).
args=("$@")
if [ -z "${LATCHKEY_PUBLIC_URL:-}${LATCHKEY_BIND:-}" ] && ! printf '%s\n' "$@" | grep -q -- '^--\(public-url\|bind\)'; then
  args+=(--public-url http://localhost:8080)
fi
exec cargo run --release -- serve "${args[@]}"
