#!/usr/bin/env bash
# Installs Debian's chromium (and a colour emoji font, which its dependencies lack: reactions would
# show as empty boxes) if missing, and prints the path of its executable: the browser
# `pnpm test:browser` drives through playwright-core, which downloads no browser of its own.
# Safe to run concurrently (one install at a time).
set -euo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=lib.sh
source "$HERE/lib.sh"

EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

chromium_installed() { command -v chromium >/dev/null 2>&1 && [[ -f "$EMOJI_FONT" ]]; }

install_chromium() {
  chromium_installed && return 0
  apt_install chromium fonts-noto-color-emoji >&2
  chromium_installed || die "chromium still not installed"
}

mkdir -p "$CHAT_INFRA_HOME"
chromium_installed || with_lock chromium install_chromium
command -v chromium
