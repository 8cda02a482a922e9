#!/usr/bin/env bash
# Print the path of a bun that Reflex can use, installing bun@$BUN_VERSION from the npm
# registry into .tools/bun when none is on the machine. Reflex cannot download bun here,
# and with npm it would want Node >= 22.22; bun works with the machine's Node 20.
set -euo pipefail
BUN_VERSION=${BUN_VERSION:-1.4.4}
root=$(cd "$(dirname "$0")/.." && pwd)
local_bun="$root/.tools/bun/node_modules/bun/bin/bun.exe"

version_ok() { # is "$1" >= $BUN_VERSION ?
  [ "$(printf '%s\n%s\n' "$BUN_VERSION" "$1" | sort -V | head -n1)" = "$BUN_VERSION" ]
}

if [ -n "${REFLEX_BUN_PATH:-}" ] && [ -x "$REFLEX_BUN_PATH" ]; then
  echo "$REFLEX_BUN_PATH"; exit 0
fi
if command -v bun >/dev/null 2>&1 && version_ok "$(bun --version 2>/dev/null || echo 0)"; then
  command -v bun; exit 0
fi
if [ -x "$local_bun" ] && version_ok "$("$local_bun" --version 2>/dev/null || echo 0)"; then
  echo "$local_bun"; exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed to install bun $BUN_VERSION (install Node.js 20 with npm)" >&2
  exit 1
fi
echo "Installing bun $BUN_VERSION into .tools/bun ..." >&2
mkdir -p "$root/.tools/bun"
cd "$root/.tools/bun"
[ -f package.json ] || echo '{"name":"tsudoi-tools","private":true}' > package.json
npm install --silent --no-audit --no-fund "bun@$BUN_VERSION" >&2
"$local_bun" --version >/dev/null
echo "$local_bun"
