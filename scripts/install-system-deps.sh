#!/usr/bin/env bash
# Installs the Debian packages Reply Coach needs (spelling dictionaries, the
# hunspell library, Chromium for browser tests). Idempotent and quiet: does
# nothing when everything is already installed; runs `apt-get update` only
# when something is missing (a fresh machine's package lists may be empty).
set -euo pipefail

PACKAGES=(
  libhunspell-1.7-0   # loaded by replycoach.spelling via ctypes
  hunspell-en-us
  hunspell-en-gb      # British spellings are right too
  hunspell-ru
  hunspell-af
  hunspell-el
  myspell-et          # Estonian has no hunspell-et package in Debian 12
)
# --test: what the test suite needs on top (browsers for the extension tests).
if [ "${1:-}" = "--test" ]; then
  shift
  PACKAGES+=(chromium firefox-esr)
fi
# Extra packages may be passed as arguments.
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg-query prints "install ok installed" only for fully installed packages.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)   # -n: fail instead of hanging on a password prompt (CI has no stdin)
else
  echo "install-system-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: installing ${missing[*]}" >&2
# Wait for a concurrent apt/dpkg (another set-up step, unattended upgrades)
# instead of failing on its lock.
APT=("${SUDO[@]}" apt-get -qq -o DPkg::Lock::Timeout=600)
"${APT[@]}" update >/dev/null
"${APT[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
