# Two commands for a fresh clone: `make lab` (start the course) and `make test`.
# Each creates .venv on first use and installs the course into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test release bench student-bundle clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

test: $(STAMP)
	$(BIN)/python -m pytest

# Regenerate the student notebooks in notebooks/ from solutions/ (nbgrader generate_assignment).
release: $(STAMP)
	$(BIN)/python -m grader.release

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The course for students, without reference code or hidden tests: build/dnn-course-student.tar.gz
student-bundle: $(STAMP)
	$(BIN)/python -m grader student-bundle --out build

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
