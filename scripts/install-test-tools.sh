#!/usr/bin/env bash
# Installs the independent tools the test suite checks govkg's output with, on a Debian machine:
#   Debian: raptor2-utils (rapper), serdi, virtuoso-opensource (Virtuoso 7)
#   PyPI:   oxigraph (the Oxigraph server binary), pinned in requirements.lock
#   npm:    jsonld, shacl-engine, @comunica/query-sparql 4, n3, rdf-ext: tests/tools/package-lock.json
# Idempotent and quick when everything is there already. Never starts a system service: the
# Virtuoso package's own service is kept from starting during the install, and the tests run
# their own throwaway instances bound to 127.0.0.1.
#   scripts/install-test-tools.sh            # install what is missing
#   PYTHON=.venv/bin/python scripts/install-test-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
DEBIAN_PACKAGES=(raptor2-utils serdi virtuoso-opensource)
say() { echo "install-test-tools: $*" >&2; }

# --- Debian packages ---------------------------------------------------------------------
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then SUDO=(sudo); else say "need root to install ${missing[*]}"; exit 1; fi
  else
    SUDO=()
  fi
  say "installing Debian packages: ${missing[*]}"
  # Keep the Debian service (Virtuoso listens on all interfaces by default) from starting: invoke-rc.d
  # asks /usr/sbin/policy-rc.d, and 101 means "action forbidden". Put back whatever was there.
  policy=/usr/sbin/policy-rc.d
  backup=""
  if [[ -e $policy ]]; then backup=$(mktemp); "${SUDO[@]}" cp -p "$policy" "$backup"; fi
  restore_policy() {
    if [[ -n $backup ]]; then "${SUDO[@]}" cp -p "$backup" "$policy"; rm -f "$backup"; else "${SUDO[@]}" rm -f "$policy"; fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\n# govkg install-test-tools: start no service during this install\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  restore_policy
  trap - EXIT
  # Should a service have started anyway (a machine without policy-rc.d support), stop it.
  if pgrep -x virtuoso-t >/dev/null 2>&1 && [[ -x /etc/init.d/virtuoso-opensource-7 ]]; then
    say "stopping the Virtuoso system service that the package started"
    "${SUDO[@]}" /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
fi

# --- the Oxigraph server (PyPI) ----------------------------------------------------------
if [[ -x $PYTHON ]]; then
  bin=$(dirname "$PYTHON")
  pinned=$(grep -E '^oxigraph==' requirements.lock | head -1 || true)
  if [[ -n $pinned ]] && ! { [[ -x $bin/oxigraph ]] && [[ "$("$bin/oxigraph" --version 2>/dev/null)" == "oxigraph ${pinned#oxigraph==}" ]]; }; then
    say "installing $pinned"
    "$PYTHON" -m pip install --quiet "$pinned"
  fi
else
  say "no Python at $PYTHON: skipping the Oxigraph server (make venv first)"
fi

# --- npm packages ------------------------------------------------------------------------
tools=tests/tools
stamp=$tools/node_modules/.govkg-lock.sha256
if command -v npm >/dev/null; then
  want=$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)
  if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    say "installing npm packages (npm ci in $tools)"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" >"$stamp"
  fi
else
  say "no npm: the JSON-LD, SHACL and Comunica checks will be skipped"
fi
