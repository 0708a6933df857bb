#!/usr/bin/env bash
# Installs, from Debian's archive, every package the build and the tests need.
# Idempotent and quick when everything is present: apt is only called for what is missing.
set -euo pipefail

. "$(dirname "$0")/lib/install.sh"

packages=(
  build-essential cmake make pkg-config git ca-certificates curl
  libeigen3-dev libboost-graph-dev libcpp-httplib-dev nlohmann-json3-dev
  libbenchmark-dev libgtest-dev libgmock-dev libsqlite3-dev libssl-dev zlib1g-dev libbrotli-dev
  libcli11-dev iso-codes liblemon-dev libicu-dev libxapian-dev
  poppler-utils unzip
  libcurl4-openssl-dev python3-aiosmtpd
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

apt_install install-deps "${missing[@]}"
