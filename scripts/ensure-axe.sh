#!/usr/bin/env bash
# Print the path of axe.min.js (axe-core@$AXE_VERSION), installing it from the npm
# registry into .tools/axe when it is missing. The accessibility browser test injects it
# into every page; only npm (Node 20) is needed, and no browser is downloaded.
set -euo pipefail
AXE_VERSION=${AXE_VERSION:-4.14.1}
root=$(cd "$(dirname "$0")/.." && pwd)
# One folder a version: worktrees (and branches) pinning different versions share .tools.
dir="$root/.tools/axe-$AXE_VERSION"
axe="$dir/node_modules/axe-core/axe.min.js"

installed_version() {
  node -e 'process.stdout.write(require(process.argv[1]).version)' \
    "$dir/node_modules/axe-core/package.json" 2>/dev/null || true
}

if [ -f "$axe" ] && [ "$(installed_version)" = "$AXE_VERSION" ]; then
  echo "$axe"; exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is needed to install axe-core $AXE_VERSION (install Node.js 20 with npm)" >&2
  exit 1
fi
echo "Installing axe-core $AXE_VERSION into .tools/axe-$AXE_VERSION ..." >&2
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"tsudoi-test-tools","private":true}' > package.json
npm install --silent --no-audit --no-fund --save-exact "axe-core@$AXE_VERSION" >&2
test -f "$axe"
echo "$axe"
