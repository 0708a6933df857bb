# Shared steps of the installers (scripts/install-*.sh), sourced by them: packages from
# Debian's archive, the Node.js version check and npm packages pinned by a lock file. Each
# function takes the calling script's name first, for its messages.

# Installs packages from Debian's archive (through sudo unless root). The caller decides what
# is missing; nothing is printed but the one line naming the packages.
apt_install() {
  local script=$1
  shift
  echo "$script: installing $*"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Fails, saying who needs which version, when `node` is older than major version $2.
require_node_major() {
  local script=$1 minimum=$2 need=$3
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt "$minimum" ]; then
    echo "$script: Node.js $(node --version) is too old, $need" >&2
    exit 1
  fi
}

# Runs `npm ci` in the current folder ($2 names it in the message) when node_modules is missing or older than
# package-lock.json: npm writes node_modules/.package-lock.json on every install, so the two
# lock files' dates tell.
npm_ci_if_stale() {
  local script=$1 folder=$2
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "$script: npm ci in $folder"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
