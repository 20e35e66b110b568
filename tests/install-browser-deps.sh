#!/usr/bin/env bash
# The browser tests need a Chromium. Debian's `chromium` when present; as root on Debian/Ubuntu it is
# installed with apt-get; otherwise Playwright's own Chromium (`python -m playwright install chromium`).
# When neither can be had, say exactly what to install and fail: the browser tests are never skipped.
set -euo pipefail
python=${1:-python3}
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; then
    exit 0
  fi
fi
if "$python" -m playwright install chromium; then
  exit 0
fi
cat >&2 <<'MSG'
The browser tests need Chromium, and none could be installed here. Either:
  - install Debian's chromium:   sudo apt-get install chromium fonts-dejavu-core
  - or Playwright's own:         .venv/bin/python -m playwright install chromium
                                 (needs access to Playwright's download server)
then run `make test` again.
MSG
exit 1
