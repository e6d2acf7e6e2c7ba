#!/usr/bin/env bash
# Runs every test of Flywheel: formatting, clippy (native and wasm32), the native tests, the
# browser tests of the wasm crates, a release build of the site and the CLI, and the end-to-end
# tests of the built site in headless Chromium. Installs whatever is missing first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

bash scripts/install-tools.sh --browser

steps_ok=()
step() {
  local name="$1"; shift
  printf '\n\033[1m== %s\033[0m\n' "$name"
  local t0=$SECONDS
  "$@"
  steps_ok+=("$name ($((SECONDS - t0)) s)")
}

WASM_CRATES=(-p flywheel-core -p flywheel-charts -p flywheel-worker -p flywheel-frontend)

# Everything the tests use is fetched first (every target's crates), so no later step depends on
# what a machine's cargo cache happens to hold.
step "cargo fetch" cargo fetch --locked
step "cargo fmt --check" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32)" cargo clippy "${WASM_CRATES[@]}" --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step "cargo test (native)" cargo test --workspace --locked
step "wasm-pack test: worker (in a dedicated Web Worker)" bash -c 'cd crates/worker && wasm-pack test --headless --chrome'
step "wasm-pack test: frontend (canvas, panel)" bash -c 'cd crates/frontend && wasm-pack test --headless --chrome'
step "trunk build --release" trunk build --release
step "cargo build --release (CLI)" cargo build --release --locked -p flywheel-cli
step "end-to-end (headless Chromium)" node tests/e2e/e2e.mjs

printf '\n\033[1mAll steps passed:\033[0m\n'
printf '  %s\n' "${steps_ok[@]}"
echo "steps: ${#steps_ok[@]} passed, 0 failed"
