#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests, and Korean fonts (Noto CJK) so that pages and
# their screenshots show Hangul, when either is missing. Playwright (pinned in requirements.lock)
# drives chromium; `playwright install` is never run, since it downloads a browser build of its own.
set -euo pipefail
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-noto-cjk)
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else echo "install-browser: need root to install ${missing[*]}" >&2; exit 1; fi
else
  SUDO=()
fi
echo "install-browser: installing ${missing[*]} for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
