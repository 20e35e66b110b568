# The README's commands: `make lab` starts the course, `make check` runs the fast tests, `make test` every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab app test install notebooks check bench clean lock hub labextension

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The exact environment of requirements.lock (the same on every machine, in CI and on Binder), then the
# course itself from this checkout.
# Every file the install copies into the environment: a changed Voilà page or extension is installed again.
$(STAMP): pyproject.toml requirements.lock jupyter/install-settings.sh jupyter/overrides.json \
          $(wildcard jupyter/voila/lederkurs/*) $(shell find jupyter/labextension/dist -type f) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	bash jupyter/install-settings.sh $(BIN)/python
	touch $(STAMP)

install: $(STAMP)

# The address it prints for copying opens notebook 00 too, not JupyterLab's Launcher (default_url).
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) --LabApp.default_url=/lab/tree/00-innledning.ipynb \
	  notebooks/00-innledning.ipynb

# The course as a plain web page (Voilà): text and widgets, no code, no JupyterLab.
# Idle kernels are culled: Voilà keeps a page's kernel after the page is left.
app: $(STAMP)
	$(BIN)/voila notebooks --template=lederkurs \
	  --MappingKernelManager.cull_idle_timeout=900 --MappingKernelManager.cull_interval=60

# The participant mode's JupyterLab extension, rebuilt from jupyter/labextension (needs Node and npm; the built
# files are committed, so users never need Node). tests/test_labextension.py checks they match the source. The
# core (JupyterLab's staging package) is copied beside the source: webpack's module ids depend on relative paths.
labextension: $(STAMP)
	rm -rf jupyter/labextension/.core
	cp -R "$$($(BIN)/python -c 'import jupyterlab, os; print(os.path.dirname(jupyterlab.__file__))')/staging" \
	  jupyter/labextension/.core
	cd jupyter/labextension && npm ci --no-audit --no-fund --ignore-scripts && \
	  ./node_modules/.bin/build-labextension --core-path .core .
	bash jupyter/install-settings.sh $(BIN)/python

notebooks: $(STAMP)
	$(BIN)/lederkurs build

# The fast tier, for every change (under two minutes): no kernels, browsers, root, wheel installs or hub.
FAST := not (kernel or browser or root or install or hub)
check: $(STAMP)
	$(BIN)/lederkurs build --check
	$(BIN)/ruff check lib tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n auto -m "$(FAST)" tests

# Everything: the fast tier on every core, then the slow tiers one at a time (real kernels, browsers, the hub and
# the render's limits would compete for the cores and for time). nbval runs every notebook in a real kernel;
# answers go to a scratch folder, never into answers/.
test: $(STAMP)
	$(BIN)/lederkurs build --check
	$(BIN)/ruff check lib tests bench
	$(BIN)/mypy
	bash tests/install-browser-deps.sh $(BIN)/python
	$(BIN)/python -m pytest -q -n auto -m "$(FAST)" tests
	$(BIN)/python -m pytest --durations=30 -m "not ($(FAST))" tests
	tmp=$$(mktemp -d) && LEDERKURS_ANSWERS_DIR=$$tmp $(BIN)/python -m pytest --nbval-lax notebooks; \
	  status=$$?; rm -rf $$tmp; exit $$status

# Does anyone wait? The course (notebooks, slider, JupyterLab), the render, and (as root) the hub: README.
bench: $(STAMP)
	$(BIN)/python bench/course_bench.py
	$(BIN)/python bench/render_bench.py

# The course's JupyterHub on this machine, for trying it out: http://127.0.0.1:8000 (deploy/README.md). Needs root:
# every participant's server runs as their own system user. deploy/start-hub.sh installs what is missing
# (the course's wheel with its hub extra, in /opt/lederkurs-hub), sets up the trainer and the drop box, and runs.
hub:
	bash deploy/start-hub.sh

# Re-pin requirements.lock from the ranges in pyproject.toml (after changing them), with pip-tools in a
# throwaway environment of its own. Pinned with the oldest Python 3.11 we run on (Debian's 3.11.2, which the
# course server's environment uses): a pin that needs a later 3.11.x would break that install.
LOCK_PYTHON ?= $(if $(wildcard /usr/bin/python3.11),/usr/bin/python3.11,$(PYTHON))
lock:
	$(LOCK_PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --extra test --extra hub --strip-extras --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links --output-file requirements.lock pyproject.toml
	rm -rf .venv-lock

clean:
	rm -rf $(VENV)
