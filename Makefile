# Cooperative business course: build, serve and test.
#
#   make serve       the course as Voila apps on this computer (http://127.0.0.1:8866)
#   make serve-lan   the course on the local network, protected by a token
#   make plenary     the trainer's report-back view of every group's results (http://127.0.0.1:8867)
#   make test        unit and component tests, every notebook (nbval) and the browser tests
#   make bench       speed and memory of every app against baselines, and a 30-participant load test
#
# Needs Python 3.11+, make, and access to PyPI. The browser tests also need Chromium at
# $(CHROMIUM) (Debian: apt-get install chromium); .ci/run installs it on a bare machine.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866
HOST ?= 0.0.0.0
TOKEN ?=
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

# The course's Voila template `coop` (lab without CDN links) lives in widgets/share/jupyter; an
# editable install does not copy data files, so Voila finds it through JUPYTER_PATH.
export JUPYTER_PATH := $(CURDIR)/widgets/share/jupyter

# Voila settings live in voila.json at the repository root. Voila looks for it in the working
# directory and the Jupyter config path; naming the folder explicitly makes `make serve` use
# exactly this file whatever directory make is run from (make -C) and ignores ~/.jupyter.
# serve-lan names lan/ first: its voila.py adds to voila.json (the first folder has priority).
VOILA_CONFIG := --Voila.config_file_paths='$(CURDIR)/language' --Voila.config_file_paths='$(CURDIR)'
serve-lan: VOILA_CONFIG := --Voila.config_file_paths='$(CURDIR)/language' --Voila.config_file_paths='$(CURDIR)/lan' --Voila.config_file_paths='$(CURDIR)'
# coopcourse.course_voila is Voila with its command line and settings, sending static files
# gzipped and compiling page templates once (README, "A workshop of 30 people").
VOILA = $(BIN)/python -m coopcourse.course_voila $(CURDIR)/course $(WARM_CONFIG_PATH) $(VOILA_CONFIG)

# POOL=n keeps n kernels per notebook started and its cells run before anyone asks (Voila's
# preheated kernels): pages open about as fast as an empty notebook, at n x (number of
# notebooks) x about 100 MB of memory from the start. Default 0: a kernel starts per page.
POOL ?= 0
ifneq ($(POOL),0)
VOILA += --VoilaConfiguration.preheat_kernel=True --VoilaConfiguration.default_pool_size=$(POOL)
endif

# WARM=start_coop/02_feasibility.ipynb:10 (paths under course/, several separated by commas): keep
# 10 kernels ready (started, cells run) for the module the room opens next and none for the other
# notebooks (or POOL=n each). `coopcourse.serving warm` checks the paths and numbers, prints what
# is warmed and writes the Voila settings to $(WARM_CONFIG)/voila.json, read before voila.json.
# A kernel a page takes is replaced 120 s later, after the room's burst of pages, not during it.
# Warm kernels count towards MAX_KERNELS: more of them than the limit is refused.
WARM ?=
WARM_CONFIG := $(abspath $(VENV))/warm
WARM_CONFIG_PATH :=
WARM_STEP := true
ifneq ($(WARM),)
WARM_CONFIG_PATH := --Voila.config_file_paths='$(WARM_CONFIG)'
WARM_STEP = $(SERVING) warm '$(WARM)' --course '$(CURDIR)/course' --out '$(WARM_CONFIG)' --pool $(POOL)
endif

# MAX_KERNELS=n: at most n kernels (open course pages) at once; the page that would start one
# more says "The room is full" (HTTP 503) until a tab is closed. Default: (memory available at
# start - 1 GB) / 150 MB, at least 1 (coopcourse.serving.default_max_kernels). The kernel
# manager that applies it is named in voila.json; it reads $COOPCOURSE_MAX_KERNELS.
# COURSE_LANGUAGE=es: the language the server's address opens the course in (its landing page), and
# of the messages `make serve` prints. Every page shows its own language and links to the others
# (course/<language>/ holds a language's pages); checked before Voila starts (`serving language`).
COURSE_LANGUAGE ?=
ifneq ($(COURSE_LANGUAGE),)
export COOPCOURSE_LANGUAGE := $(COURSE_LANGUAGE)
endif
LANGUAGE_STEP = $(SERVING) language --course '$(CURDIR)/course'

MAX_KERNELS ?=
ifneq ($(MAX_KERNELS),)
export COOPCOURSE_MAX_KERNELS := $(MAX_KERNELS)
endif

# PROFILE=pe: the country profile (currency, units, legal figures) the server's pages start with;
# a group can choose another on the landing page. Profiles: widgets/coopcourse/content/profiles/.
PROFILE ?=
ifneq ($(PROFILE),)
export COOPCOURSE_PROFILE := $(PROFILE)
endif

# Printed before Voila starts: where saved work goes (and what to do if it cannot be saved
# there) and the kernel limit. Serving starts whatever they say: groups can still download their work.
SERVING := $(BIN)/python -m coopcourse.serving
BEFORE_SERVING := $(SERVING) check-data; $(SERVING) max-kernels; $(SERVING) profile || true
# The package byte-compiled ahead: every page's kernel imports about 40 of its modules, and where
# Python may not write __pycache__ itself (PYTHONDONTWRITEBYTECODE=1, common in containers) each
# kernel compiled them again: about 0.08 CPU-s a page. Stale files are recompiled, never trusted.
COMPILE_STEP := $(BIN)/python -m compileall -q '$(CURDIR)/widgets/coopcourse' > /dev/null || true

# make handouts: the printed kit (participant handouts with worksheets, facilitator guide,
# evaluation form, certificate) as PDF in $(HANDOUTS)/, and in $(HANDOUTS)/<lang>/ for each
# language whose notebooks are built (course/<lang>/); PAPER=letter for US Letter.
HANDOUTS ?= handouts
PAPER ?= a4
HANDOUTS_BUILD = $(BIN)/python -m coopcourse.handouts --course '$(CURDIR)/course' --paper $(PAPER)
# The copy the landing page links (/voila/files/handouts/...; voila.json allows those PDFs only),
# rebuilt before serving when a notebook, content, string or the generator changed.
SERVED_HANDOUTS := course/handouts/.built
HANDOUT_SOURCES := $(wildcard course/*/*.ipynb course/*/*/*.ipynb) $(shell find widgets/coopcourse/content widgets/coopcourse/locale \
	widgets/coopcourse/handouts -name '*.yaml' -o -name '*.json' -o -name '*.py' 2>/dev/null)

.PHONY: help venv serve serve-lan test lint bench clean handouts plenary translations

help:
	@echo "make serve       run the course on this computer: http://127.0.0.1:$(PORT)/"
	@echo "make serve-lan   run it for a local network (HOST=$(HOST), PORT=$(PORT), TOKEN=... or a generated one)"
	@echo "                 either with POOL=1 to keep a preheated kernel per notebook (faster first page, more memory)"
	@echo "                 or WARM=start_coop/02_feasibility.ipynb:10 to keep 10 kernels ready for the module the"
	@echo "                 room opens next (none for the others; several: path:n,path:n; they count towards MAX_KERNELS)"
	@echo "                 and MAX_KERNELS=n to allow at most n open pages at once (default: from free memory)"
	@echo "                 and PROFILE=pe (bo, co, mg, ph, neutral) for the country whose currency and laws pages show"
	@echo "                 and COURSE_LANGUAGE=es (or fr) for the language the server's address opens the course in"
	@echo "make plenary     the trainer's report-back view of every group's results: http://127.0.0.1:8867/ (PORT=...)"
	@echo "make test        run every test: lint and types, unit, notebooks (nbval) and browser (Chromium)"
	@echo "make lint        only the static checks: ruff (lint and format) and mypy"
	@echo "make handouts    write the printed handouts, worksheets and facilitator guide to $(HANDOUTS)/ (PAPER=letter for US Letter)"
	@echo "                 and each translation's to $(HANDOUTS)/<lang>/ (LANGUAGES=es for one: en, es, fr)"
	@echo "make translations  after editing a notebook's Markdown: update course/locale/ (template, PO files) and"
	@echo "                 rebuild the notebooks of published languages in course/<lang>/ (docs/authoring.md)"
	@echo "make bench       benchmark every app and a 30-participant load test (about 25 min; not part of make test)"
	@echo "make venv        create $(VENV) with the course and its test tools"
	@echo "make clean       remove $(VENV) and test artifacts"

venv: $(STAMP)

# Rebuilt when pyproject.toml changes (new dependencies); the package itself is editable.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

# voila.json turns jupyter_server's Host check on (allow_remote_access false): pages, APIs and
# kernel websockets answer only requests addressed to localhost, 127.0.0.1 or [::1], so a web
# page cannot reach this server through DNS rebinding.
LANGUAGES ?=
handouts: venv
	$(HANDOUTS_BUILD) --out '$(HANDOUTS)' $(foreach language,$(LANGUAGES),--language $(language))

$(SERVED_HANDOUTS): $(STAMP) $(HANDOUT_SOURCES)
	@echo "Building the handouts the landing page links (course/handouts/) ..."
	@$(HANDOUTS_BUILD) --out course/handouts think_coop start_coop manage_coop > /dev/null && touch $@ || echo "The handouts could not be built: the course is served without them."

serve: venv $(SERVED_HANDOUTS)
	@$(LANGUAGE_STEP)
	@$(BEFORE_SERVING)
	@$(COMPILE_STEP)
	@$(WARM_STEP)
	$(VOILA) --Voila.ip=127.0.0.1 --port=$(PORT)

# Participants reach serve-lan by this computer's network address, so the Host check is off
# there (lan/voila.py: allow_remote_access true); the token protects it.
serve-lan: venv $(SERVED_HANDOUTS)
	@$(LANGUAGE_STEP)
	@$(BEFORE_SERVING)
	@$(COMPILE_STEP)
	@$(WARM_STEP)
	@token='$(TOKEN)'; \
	if [ -z "$$token" ]; then token=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(16))'); fi; \
	address='$(HOST)'; \
	if [ "$$address" = 0.0.0.0 ]; then address=$$(hostname -I 2>/dev/null | awk '{print $$1}'); fi; \
	echo; \
	echo "  Participants open:  http://$${address:-<this-computer-address>}:$(PORT)/?token=$$token"; \
	echo "  (the token is needed once per browser; keep it within the workshop)"; \
	echo; \
	exec $(VOILA) --Voila.ip='$(HOST)' --port=$(PORT) --no-browser --Voila.token="$$token"

# The plenary view for the trainer's projector: every group's results side by side, read from the
# same saved-work store as serve-lan (COOPCOURSE_DATA_DIR), read-only. It serves plenary/ (not
# course/, so participants on serve-lan cannot open it) on 127.0.0.1 only, with the Host check of
# voila.json: run it on the serving laptop next to `make serve-lan`. Default port 8867.
plenary: PORT = 8867
plenary: venv
	@$(BIN)/python -m coopcourse.plenary where
	@echo "  Open on this computer (projector):  http://127.0.0.1:$(PORT)/"
	$(BIN)/python -m coopcourse.course_voila $(CURDIR)/plenary/plenary.ipynb $(VOILA_CONFIG) --Voila.ip=127.0.0.1 --port=$(PORT)

# One pytest run: tests/ as usual and every notebook under course/ through nbval (--nbval-lax:
# a notebook fails on errors only). nbval only collects *.ipynb; --nbval-current-env runs the
# notebooks with this virtualenv's Python whatever kernels are installed elsewhere.
# Playwright closes pages without the tab's goodbye to the server, so the browser tests' kernels
# wait for culling (15 minutes): their Voila gets a kernel limit above what one run opens, not
# one from the free memory (tests/browser/test_browser_serving.py tests the limit itself).
# First the static checks (a few seconds): lint and format (ruff), types (mypy, pyproject's config).
PY_SOURCES := widgets tests bench tools
test: venv lint
	@$(COMPILE_STEP)
	COOPCOURSE_MAX_KERNELS=$${COOPCOURSE_MAX_KERNELS:-400} \
		$(BIN)/python -m pytest tests course --nbval-lax --nbval-current-env -p no:cacheprovider

lint: venv
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/mypy

# After an English notebook's Markdown changes: the gettext template course/locale/notebooks.pot,
# every language's PO merged with it, and the notebooks of published languages (course/<lang>/)
# rebuilt. tests/test_translations.py fails until this has been run and committed.
translations: venv
	$(BIN)/python tools/translations.py

# Not part of `make test`: it takes about 25 minutes and prints figures, it asserts nothing.
# BENCH_ARGS passes options, e.g. make bench BENCH_ARGS='--skip-load --configs default'.
BENCH_ARGS ?=
bench: venv
	@$(COMPILE_STEP)
	$(BIN)/python bench/run_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) test-artifacts bench-results .pytest_cache course/handouts
