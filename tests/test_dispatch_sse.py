"""The oldest path of tests/test_dispatch.py (numpy's SSE kernels, OpenBLAS's Prescott), in
a module of its own: pytest-xdist runs a module's tests in one worker, and the two paths
side by side take half the time."""
from .test_dispatch import check_path


def test_numerics_agree_on_the_sse_path():
    check_path("sse")
