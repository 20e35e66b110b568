#!/usr/bin/env bash
# The browser tests need Debian's Chromium (Playwright may not download a browser here) and npm (for axe-core).
# Installed when missing and we may (root with apt-get, as on CI); otherwise say what to install.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v chromium >/dev/null || need+=(chromium fonts-dejavu-core)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "The browser tests need: ${need[*]}. Install them (for example: sudo apt-get install ${need[*]})" \
         "and run make test again." >&2
    exit 1
  fi
fi
test -d axe/node_modules/axe-core || npm ci --prefix axe --no-audit --no-fund
