"""The numerics-sensitive tests again, on other CPUs' code paths.

numpy picks exp, log, tanh, ... kernels at run time (AVX-512, AVX2, or the baseline), and so
does OpenBLAS; each gives other last bits. NPY_DISABLE_CPU_FEATURES (numpy's documented
switch) and OPENBLAS_CORETYPE make this machine compute as an AVX2-only CPU and as an older
one would. The stored public trials, the checks and the mistakes' names must agree there.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from grader.release import ROOT

# what runs again: stored values, tolerances and margins; every check against the reference,
# the correct variants and the mistake catalogue, public and hidden
TESTS = ["tests/test_numerics.py", "tests/test_checks.py"]
# Only what crosses from one CPU to another: the public trials, stored by the build on one
# machine and compared on another, with the mistakes' values stored beside them. A hidden
# trial computes the reference's value, the student's and the mistakes' on the same machine,
# so no other CPU's last bits meet there (the whole suite runs them on this one).
KEEP = "not hidden"

PATHS = {
    # numpy's dispatch targets that this path switches off, and OpenBLAS's kernel for it
    "avx2": (r"AVX512|X86_V4", "Haswell"),
    "sse": (r"AVX512|X86_V4|X86_V3|AVX2|FMA3|^AVX$|F16C|AVX_VNNI", "Prescott"),
}


def _targets() -> tuple[list[str], list[str]]:
    """numpy's dispatch targets that this CPU runs, and its baseline."""
    try:
        from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    except ImportError:  # numpy < 2
        from numpy.core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    return [t for t in __cpu_dispatch__ if __cpu_features__.get(t)], list(__cpu_baseline__)


def test_numerics_agree_on_the_avx2_path():
    check_path("avx2")  # (the sse path: tests/test_dispatch_sse.py, run beside this one)


def check_path(path):
    pattern, coretype = PATHS[path]
    enabled, baseline = _targets()
    off = [t for t in enabled if re.search(pattern, t)]
    if not off:
        pytest.skip(f"{path}: this CPU runs none of numpy's {pattern!r} targets; its own path is "
                    f"the one the rest of the suite tests")
    if path == "sse" and not any(re.search(r"AVX2|X86_V3", t) for t in enabled):
        pytest.skip("sse: this CPU has no AVX2, so the avx2 path is the older one here")
    if any(re.search(pattern, t) for t in baseline):
        pytest.skip(f"{path}: numpy was built with {baseline} as its baseline; those cannot be "
                    f"switched off")
    env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(off)}
    # OpenBLAS's kernel too, unless the machine sets it (some need it set to run at all)
    env.setdefault("OPENBLAS_CORETYPE", coretype)
    env.pop("PYTEST_XDIST_WORKER", None)
    probe = subprocess.run(
        [sys.executable, "-c", "from tests.test_dispatch import _targets; print(_targets()[0])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr
    still = [t for t in off if f"'{t}'" in probe.stdout]
    assert not still, f"NPY_DISABLE_CPU_FEATURES did not switch off {still}"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", "-k", KEEP,
         *TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    tail = "\n".join(run.stdout.splitlines()[-30:])
    assert run.returncode == 0, f"with {off} off and OpenBLAS {env['OPENBLAS_CORETYPE']}:\n{tail}"
    assert " passed" in tail
