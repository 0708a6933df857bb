#!/usr/bin/env bash
# Installs what the OpenAPI tests need (ctest openapi_lint and openapi_responses): Node.js and
# npm from Debian's archive when `node` is missing, then the packages pinned in
# tests/openapi/package-lock.json (Redocly CLI, Ajv) into tests/openapi/node_modules.
# Idempotent and quick when everything is present: npm only runs when node_modules is missing
# or older than the lock file. Needs the npm registry the first time.
set -euo pipefail

. "$(dirname "$0")/lib/install.sh"
cd "$(dirname "$0")/../tests/openapi"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install install-node-deps nodejs npm
fi

# Redocly CLI 1.x needs Node.js 18.17 or later (Debian 12 has 18.19).
require_node_major install-node-deps 18 "the OpenAPI tests need 18.17 or later"

npm_ci_if_stale install-node-deps tests/openapi
