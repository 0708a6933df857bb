#!/usr/bin/env bash
# Installs the official list of French local authorities: the npm package
# @etalab/decoupage-administratif pinned in datasets/official/package-lock.json, into
# datasets/official/node_modules (Node.js and npm from Debian's archive when missing). `make
# serve` imports its data/ folder into the database when the database has no list yet.
# Idempotent and quick when everything is present: npm only runs when node_modules is missing
# or older than the lock file. Needs the npm registry the first time.
set -euo pipefail

. "$(dirname "$0")/lib/install.sh"
cd "$(dirname "$0")/../datasets/official"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install install-official-list nodejs npm
fi

npm_ci_if_stale install-official-list datasets/official
