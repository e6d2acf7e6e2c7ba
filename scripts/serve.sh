#!/usr/bin/env bash
# Builds Flywheel and serves it on http://127.0.0.1:8080 (PORT=... to change), rebuilding on edits.
# Installs whatever is missing first. For a static site to host anywhere: trunk build --release.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
bash scripts/install-tools.sh
port="${PORT:-8080}"
echo "Flywheel will be at http://127.0.0.1:${port}/ once the first build finishes."
exec trunk serve --release --address 127.0.0.1 --port "$port"
