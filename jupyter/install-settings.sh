#!/usr/bin/env bash
# Make this course's JupyterLab defaults (Norwegian UI, no autosave of the generated notebooks) the
# environment's own: overrides.json in <prefix>/share/jupyter/lab/settings. Used by `make` and by Binder.
set -euo pipefail
python=${1:-python}
prefix=$("$python" -c 'import sys; print(sys.prefix)')
mkdir -p "$prefix/share/jupyter/lab/settings"
cp "$(dirname "$0")/overrides.json" "$prefix/share/jupyter/lab/settings/overrides.json"
