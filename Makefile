# Two commands for a fresh clone: `make lab` (start the course) and `make test`.
# Each creates .venv on first use and installs the course into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test test-browser test-oldest check-fresh chromium bubblewrap release bench student-bundle clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# As root it adds --allow-root, over SSH --no-browser, and prints the address with its token.
# More options: make lab LAB_ARGS="--port=8899"
lab: $(STAMP)
	$(BIN)/python -m grader lab $(LAB_ARGS)

# One worker process per core; a test module's tests stay in one worker, so its fixtures
# (notebooks run, courses graded) are computed once.
test: $(STAMP) bubblewrap
	$(BIN)/python -m pytest -n auto --dist loadfile

# The autograder runs every submission in a bubblewrap sandbox (grader/instructor/sandbox.py);
# installed here with apt-get if missing, as Chromium is for the browser tests.
bubblewrap:
	@if command -v bwrap >/dev/null; then :; \
	elif command -v apt-get >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq bubblewrap; \
	else echo "bubblewrap (bwrap) is missing and there is no apt-get: install it (the autograder needs it; its tests fail without it)"; fi

# What CI does, on this machine: a fresh clone of the committed HEAD in a temporary folder,
# a new .venv, an empty pip cache, then make test. Run it before saying that a change to the
# environment (dependencies, the Makefile, install steps) is done.
check-fresh:
	@dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	git clone -q "$(CURDIR)" "$$dir/course" && \
	echo "check-fresh: $$(git -C "$$dir/course" log -1 --format='%h %s') in $$dir/course" && \
	PIP_CACHE_DIR="$$dir/pip-cache" $(MAKE) -C "$$dir/course" test PYTHON="$(PYTHON)"

# End to end in JupyterLab: Playwright drives Debian's Chromium (/usr/bin/chromium, installed
# here with apt-get if missing; no browser is ever downloaded), tests/browser/. Screenshots in
# build/screenshots/.
BROWSER_STAMP := $(VENV)/.installed-browser
$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,browser]'
	touch $(BROWSER_STAMP)

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; \
	else echo "test-browser: $(CHROMIUM) is missing and there is no apt-get: install Chromium there; the browser tests will be skipped"; fi

test-browser: $(BROWSER_STAMP) chromium
	$(BIN)/python -m pytest -m browser tests/browser --durations=0

# The oldest versions the course declares (pyproject.toml; pinned in constraints/oldest.txt),
# with the oldest Python it declares, in a second environment, .venv-oldest: the grader,
# every check, the notebooks and nbgrader end to end. Not in .ci/run: installing and running
# it takes about 6 minutes, and CI must stay well under 15 (make test and make test-browser
# take about 13). .ci/weekly runs it once a week (README, "For instructors").
OLDEST_PYTHON ?= python3.11
OLDEST := .venv-oldest
OLDEST_TESTS := tests/test_checks.py tests/test_checking.py tests/test_compare.py \
	tests/test_numerics.py tests/test_demo.py tests/test_reference*.py tests/test_reuse.py \
	tests/test_store.py tests/test_registry.py tests/test_notebooks.py tests/test_release.py \
	tests/test_nbgrader.py tests/test_nbgrader_lane2.py tests/test_lab.py
$(OLDEST)/.installed: pyproject.toml constraints/oldest.txt
	@command -v $(OLDEST_PYTHON) >/dev/null || { echo "test-oldest: no $(OLDEST_PYTHON) here; \
	set OLDEST_PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(OLDEST)/bin/python || $(OLDEST_PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python -m pip install --quiet -c constraints/oldest.txt -e '.[test]'
	touch $@

test-oldest: $(OLDEST)/.installed bubblewrap
	$(OLDEST)/bin/python -c "import sys, numpy, matplotlib, nbgrader, jupyterlab, ipywidgets as w; \
	print('test-oldest: Python', sys.version.split()[0], 'numpy', numpy.__version__, 'matplotlib', \
	matplotlib.__version__, 'nbgrader', nbgrader.__version__, 'jupyterlab', jupyterlab.__version__, \
	'ipywidgets', w.__version__)"
	$(OLDEST)/bin/python -m pytest -n auto --dist loadfile $(OLDEST_TESTS)

# Regenerate the student notebooks in notebooks/ from solutions/ (nbgrader generate_assignment).
release: $(STAMP)
	$(BIN)/python -m grader.release

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The course for students, without reference code or hidden tests: build/dnn-course-student.tar.gz
student-bundle: $(STAMP)
	$(BIN)/python -m grader student-bundle --out build

clean:
	rm -rf $(VENV) $(OLDEST) .pytest_cache build *.egg-info
