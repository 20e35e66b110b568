#!/usr/bin/env bash
# Make this course's Jupyter defaults the environment's own, in <prefix>/share/jupyter: JupyterLab's
# overrides.json (Norwegian UI, no autosave of the generated notebooks), the Voilà page template
# "lederkurs" (the page's language per notebook, a keyboard-focusable cell region) and the participant mode
# extension (jupyter/labextension, prebuilt). Used by `make` and by
# Binder's postBuild for a checkout; a wheel installs the same files itself (pyproject.toml, data-files).
set -euo pipefail
python=${1:-python}
here=$(dirname "$0")
prefix=$("$python" -c 'import sys; print(sys.prefix)')
mkdir -p "$prefix/share/jupyter/lab/settings" "$prefix/share/jupyter/labextensions" "$prefix/share/jupyter/voila/templates/lederkurs"
cp "$here/overrides.json" "$prefix/share/jupyter/lab/settings/overrides.json"
cp "$here/voila/lederkurs/conf.json" "$here/voila/lederkurs/index.html.j2" "$here/voila/lederkurs/tree-lab.html" \
   "$here/voila/lederkurs/tree.html" "$here/voila/lederkurs/course.j2" \
   "$prefix/share/jupyter/voila/templates/lederkurs/"
# The course's participant mode for JupyterLab, prebuilt (jupyter/labextension; no Node needed here).
rm -rf "$prefix/share/jupyter/labextensions/lederkurs-participant"
cp -R "$here/labextension/dist/lederkurs-participant" "$prefix/share/jupyter/labextensions/"
