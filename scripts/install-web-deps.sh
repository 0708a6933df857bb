#!/usr/bin/env bash
# Installs what the browser tests of the DAECT page need (ctest web_e2e, tests/web/): Debian's
# Chromium (/usr/bin/chromium), Node.js and npm when missing, then playwright-core as pinned in
# tests/web/package-lock.json into tests/web/node_modules. playwright-core brings no browser and
# none is ever downloaded: the tests drive Debian's Chromium.
# Idempotent and quick when everything is present: apt only runs for what is missing, npm only
# when node_modules is missing or older than the lock file. Needs the Debian archive and the npm
# registry the first time (Chromium is ~480 MB, about a minute).
set -euo pipefail

cd "$(dirname "$0")/../tests/web"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-web-deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core 1.61 (the last release that runs on Debian 12's Node.js 18.19) needs 18 or later.
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "install-web-deps: Node.js $(node --version) is too old, the browser tests need 18 or later" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json on every install: compare it with the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-web-deps: npm ci in tests/web"
  npm ci --no-audit --no-fund --loglevel=error
fi
