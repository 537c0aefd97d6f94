"""``make student-bundle``: the course for students, without the answers.

build/dnn-course-student.tar.gz holds one folder, dnn-course-student/, with
    notebooks/          the released notebooks (solutions stubbed, hidden tests removed)
    data/               the datasets and their provenance
    grader/             the grader WITHOUT grader/reference/ (reference implementations,
                        the catalogue of mistakes), grader/build.py and the autograder
                        (only grader/instructor/integrity.py, for check-notebook); hidden
                        checks then say they need the instructor's copy, public checks work
                        from the stored public trials, grader.reuse hands back the
                        student's own functions
    pyproject.toml      `pip install .` (or -e .): the runtime dependencies only
    environment.yml     conda, and Binder
    README.md           for students

Everything is copied from an explicit list (never "everything but"), so a new instructor
file cannot slip into the bundle; tests/test_instructor_bundle.py searches the archive.
"""
from __future__ import annotations

import io
import tarfile
from pathlib import Path

from ..release import ROOT

NAME = "dnn-course-student"

# Parts of the grader package that are instructor-only. Of grader/instructor/, students get
# the integrity check (python -m grader check-notebook) and nothing else.
EXCLUDED = ("grader/reference", "grader/build.py", *(f"grader/instructor/{m}.py" for m in
            ("autograde", "bundle", "executors", "export", "guard", "report", "worker")))

PYPROJECT = '''[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "dnn-course"
version = "{version}"
description = "Deep neural networks from scratch: the notebooks and their public checks"
requires-python = ">=3.11"
license = {{text = "MIT"}}
dependencies = {dependencies}

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
grader = ["data/*.npz", "data/*.json", "data/hints/*.toml", "data/questions/*.json"]
'''

ENVIRONMENT = '''# conda env create -f environment.yml && conda activate dnn-course
name: dnn-course
channels:
  - conda-forge
dependencies:
  - python=3.11
{dependencies}
  - pip
  - pip:
      - -e .
'''

README = '''# Deep neural networks from scratch (student copy)

You build deep neural networks with numpy alone, one block at a time; a check under each
exercise tells you at once whether your function is right, and why not.

## Start

    python -m venv .venv && . .venv/bin/activate    # or: conda env create -f environment.yml
    pip install -e .
    jupyter lab notebooks/

Open `notebooks/01-building-blocks/01-building-blocks.ipynb`. Replace each
`raise NotImplementedError()` with your code, run the cell, then the check cell under it:
`check("relu", relu)`. Your functions must not modify their arguments and take randomness
only from the `rng` they are given.

The checks here are the public ones. When your notebook is graded, hidden, randomized
trials are added: passing the public check is necessary, not sufficient.

## Before you submit

    python -m grader check-notebook notebooks/01-building-blocks/01-building-blocks.ipynb

(or, in the notebook's last cell, `from grader.instructor.integrity import check_this_notebook;
check_this_notebook()` after saving). It says if the notebook was renamed, a graded cell was
deleted, duplicated, moved or changed into markdown, a locked cell was edited, or the code
calls `input()`, and exits with an error if so. Submit the notebook under its original name.

Datasets: `data/` (licences in data/README.md). Code and notebooks: MIT.
'''


def files(root: Path = ROOT):
    """(path in the bundle, bytes) for every file of the bundle."""
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    deps = project["dependencies"]
    yield "pyproject.toml", PYPROJECT.format(version=project["version"],
                                             dependencies=repr(deps).replace("'", '"')).encode()
    yield "environment.yml", ENVIRONMENT.format(
        dependencies="\n".join(f"  - {d}" for d in deps)).encode()
    yield "README.md", README.encode()
    for folder in ("notebooks", "data", "grader"):
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if (not path.is_file() or "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts
                    or any(rel == x or rel.startswith(x + "/") for x in EXCLUDED)):
                continue
            if folder == "grader" and path.suffix not in (".py", ".npz", ".json", ".toml"):
                continue
            yield rel, path.read_bytes()


def build(out=None, root: Path = ROOT) -> Path:
    """Write build/dnn-course-student.tar.gz (reproducible: fixed times and owners)."""
    out = Path(out or root / "build")
    out.mkdir(parents=True, exist_ok=True)
    archive = out / f"{NAME}.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, data in files(root):
            info = tarfile.TarInfo(f"{NAME}/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return archive
