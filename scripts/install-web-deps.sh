#!/usr/bin/env bash
# Installs what the browser tests of the DAECT page need (ctest web_e2e, tests/web/): Debian's
# Chromium (/usr/bin/chromium), Node.js and npm when missing, then playwright-core as pinned in
# tests/web/package-lock.json into tests/web/node_modules. playwright-core brings no browser and
# none is ever downloaded: the tests drive Debian's Chromium.
# Idempotent and quick when everything is present: apt only runs for what is missing, npm only
# when node_modules is missing or older than the lock file. Needs the Debian archive and the npm
# registry the first time (Chromium is ~480 MB, about a minute).
set -euo pipefail

. "$(dirname "$0")/lib/install.sh"
cd "$(dirname "$0")/../tests/web"

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install install-web-deps "${missing[@]}"
fi

# playwright-core 1.61 (the last release that runs on Debian 12's Node.js 18.19) needs 18 or later.
require_node_major install-web-deps 18 "the browser tests need 18 or later"

npm_ci_if_stale install-web-deps tests/web
