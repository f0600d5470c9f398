#!/usr/bin/env bash
# Installs Debian's nginx if it is missing and prints the path of its binary: the edge of the
# fleet on this machine (`pnpm fleet` renders infra/edge/nginx.conf for loopback and runs it as
# its own process). Safe to run concurrently (one install at a time).
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

# Debian puts nginx in /usr/sbin, which a non-root PATH may lack.
export PATH="$PATH:/usr/sbin"

nginx_installed() { command -v nginx >/dev/null 2>&1; }

install_nginx() {
  nginx_installed && return 0
  # Where nothing prevents it (policy-rc.d), the package also starts the system service on
  # port 80; the fleet does not use it, and leaves it as the package configures it.
  apt_install nginx >&2
  nginx_installed || die "nginx still not installed"
}

mkdir -p "$CHAT_INFRA_HOME"
nginx_installed || with_lock nginx install_nginx
command -v nginx
