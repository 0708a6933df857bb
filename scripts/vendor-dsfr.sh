#!/usr/bin/env bash
# Refreshes web/assets/vendor/dsfr/ (committed) from the State design system's npm package:
#   scripts/vendor-dsfr.sh [VERSION]        (default: the version in web/assets/vendor/dsfr/VERSION)
# The package's preinstall script refuses installs outside a DSFR project, hence
# --ignore-scripts: only its dist/ folder is read. What is kept, and why: scripts/vendor-dsfr.py.
set -euo pipefail
cd "$(dirname "$0")/.."
out=web/assets/vendor/dsfr
version=${1:-$(sed -n 's/^@gouvfr\/dsfr //p' "$out/VERSION" 2>/dev/null || true)}
version=${version:-1.15.3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null &&
  npm install --ignore-scripts --no-audit --no-fund --silent "@gouvfr/dsfr@$version")
python3 scripts/vendor-dsfr.py "$work/node_modules/@gouvfr/dsfr/dist" "$out"
