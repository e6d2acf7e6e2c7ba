#!/usr/bin/env bash
# Installs what building and testing Flywheel needs, skipping whatever is already present.
#   - the wasm32-unknown-unknown Rust target, rustfmt and clippy
#   - wasm-bindgen-cli (pinned to the wasm-bindgen version in Cargo.toml), wasm-pack, trunk
#   - Debian's chromium + chromium-driver (for browser tests), only when asked with --browser
#   - playwright-core for the end-to-end tests (npm, into tests/e2e/node_modules), with --browser
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1
TRUNK_VERSION=0.21.14

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "install-tools: unknown option $arg" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-tools: cargo is missing; install Rust from https://rustup.rs first" >&2
  exit 1
fi

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for comp in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$comp"; then
      say "adding $comp"
      rustup component add "$comp"
    fi
  done
fi

version_of() { "$1" --version 2>/dev/null | head -n1 | awk '{print $2}'; }

if [ "$(version_of wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ] \
   || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: the CLI's own lockfile names a crate version the registry may not serve.
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$(version_of wasm-pack)" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install --force --locked wasm-pack --version "$WASM_PACK_VERSION"
fi

if [ "$(version_of trunk)" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about ten minutes)"
  cargo install --force --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing Debian's chromium and chromium-driver"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver
  fi
  if [ ! -d "$root/tests/e2e/node_modules/playwright-core" ]; then
    say "installing playwright-core for the end-to-end tests"
    (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

say "tools ready"
