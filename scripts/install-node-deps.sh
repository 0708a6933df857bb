#!/usr/bin/env bash
# Installs what the OpenAPI tests need (ctest openapi_lint and openapi_responses): Node.js and
# npm from Debian's archive when `node` is missing, then the packages pinned in
# tests/openapi/package-lock.json (Redocly CLI, Ajv) into tests/openapi/node_modules.
# Idempotent and quick when everything is present: npm only runs when node_modules is missing
# or older than the lock file. Needs the npm registry the first time.
set -euo pipefail

cd "$(dirname "$0")/../tests/openapi"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-node-deps: installing nodejs npm"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Redocly CLI 1.x needs Node.js 18.17 or later (Debian 12 has 18.19).
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "install-node-deps: Node.js $(node --version) is too old, the OpenAPI tests need 18.17 or later" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json on every install: compare it with the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-node-deps: npm ci in tests/openapi"
  npm ci --no-audit --no-fund --loglevel=error
fi
