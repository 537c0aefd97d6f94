"""grader/execute.py: the course's one notebook runner. Its waits for kernel messages are
sliced, so a message that the event loop did not notice waits at most one slice, not the
cell's whole timeout (nbclient issue #312, seen after notebook 04's widget cells)."""
from __future__ import annotations

import asyncio
import time
from queue import Empty

import pytest

from grader.execute import SlicedWaits, poll_in_slices
from grader.instructor.kernels import Execute


class DeafChannel:
    """A channel whose wait does not notice a message that arrives during it (the missed
    wake-up): only a new call sees it."""

    def __init__(self, arrives_after):
        self.arrival = time.monotonic() + arrives_after

    async def get_msg(self, timeout=None):
        if time.monotonic() >= self.arrival:
            return {"msg": "reply"}
        await asyncio.sleep(timeout if timeout is not None else 3600)
        raise Empty


def test_a_message_missed_by_one_wait_is_seen_by_the_next_slice():
    channel = DeafChannel(arrives_after=0.2)
    poll_in_slices(channel, slice_=0.1)
    start = time.monotonic()
    assert asyncio.run(channel.get_msg(timeout=30)) == {"msg": "reply"}
    assert time.monotonic() - start < 5  # unsliced: the whole 30 s
    channel = DeafChannel(arrives_after=0.2)
    poll_in_slices(channel, slice_=0.1)
    assert asyncio.run(channel.get_msg()) == {"msg": "reply"}  # no timeout: waits, in slices


def test_the_timeout_still_holds():
    channel = DeafChannel(arrives_after=3600)
    poll_in_slices(channel, slice_=0.1)
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.35))
    assert 0.3 <= time.monotonic() - start < 5


def test_the_autograder_runs_kernels_with_sliced_waits_on_both_paths():
    """nbgrader's Execute starts its kernel through nbclient's synchronous twin, which nbclient
    binds to its own coroutine: both must be this module's."""
    assert issubclass(Execute, SlicedWaits)
    assert Execute.start_new_kernel_client is SlicedWaits.start_new_kernel_client
    assert Execute.async_start_new_kernel_client is SlicedWaits.async_start_new_kernel_client


def test_a_started_kernels_channels_wait_in_slices():
    """Through nbclient's synchronous setup_kernel (the path nbgrader's Execute takes)."""
    import nbformat

    from grader.execute import _Client, _ThisPythonKernel

    client = _Client(nbformat.v4.new_notebook(), kernel_name="python3",
                     kernel_manager_class=_ThisPythonKernel)
    with client.setup_kernel():
        for channel in (client.kc.shell_channel, client.kc.iopub_channel):
            assert channel.get_msg.__qualname__.startswith("poll_in_slices"), channel
