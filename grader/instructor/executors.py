"""Where the workers run: local processes (default) or a Dask distributed cluster.

An executor has one method, ``run(fn, jobs)``, yielding ``(job, result)`` in completion
order. ``fn`` never raises for a submission's fault (worker.grade turns everything into
a result); an exception here means the worker itself was lost, and becomes a row too.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from . import worker


def lost(job, why) -> dict:
    return {"student": job["student"], "status": "failed", "scores": {}, "autograded": None,
            "feedback": None, "log": "", "seconds": 0.0, "lost": True,
            "reason": f"the grading worker was lost ({why}); grade this submission again"}


class LocalExecutor:
    """``workers`` processes on this machine, started once (nbgrader is imported once per
    worker, not once per submission). Each submission still gets its own scratch course
    and its own kernel process, where the student's code runs."""

    def __init__(self, workers: int, sandbox: tuple | None = None):
        # sandbox: (assignment, folder for the rooms): each worker starts its sandbox at once
        self.workers, self.sandbox = max(1, int(workers)), sandbox
        self.running = None  # the pool of a run under way
        self.pool = self._pool()  # started now: the workers warm up while the caller prepares

    def _pool(self):
        # fork where there is one: workers start at once with nbgrader already imported
        # (spawn would import it again in each, seconds of CPU). The parent holds no open
        # gradebook connection and runs no thread when the pool starts.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(self.sandbox,))
        pool.submit(int)  # the first task starts the workers (all of them, when forked)
        return pool

    def run(self, fn, jobs):
        pending = list(jobs)
        for attempt in (1, 2):
            broken = []
            pool = self.running = self.pool or self._pool()
            self.pool = None
            futures = {pool.submit(fn, job): job for job in pending}
            # (no `with pool:`: interrupted, it would wait for every job left; kill() stops it)
            for future in as_completed(futures):
                job = futures.pop(future)  # (a finished result is not kept to the end)
                try:
                    yield job, future.result()
                except BrokenProcessPool:
                    broken.append(job)  # which job broke it is unknown: retry them all once
                except Exception as e:  # noqa: BLE001
                    yield job, lost(job, f"{type(e).__name__}: {e}")
            pool.shutdown()
            self.running = None
            if not broken:
                return
            if attempt == 2:
                for job in broken:
                    yield job, lost(job, "its process died twice")
                return
            pending = broken

    def close(self):
        for pool in (self.pool, self.running):
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        self.pool = self.running = None

    def kill(self):
        """Stop now (Ctrl-C): every worker and all it started (zygote, kernels and what they
        forked) is killed; nothing graded so far is lost, it was returned already."""
        for pool in (self.pool, self.running):
            if pool is not None:
                kill_trees([p.pid for p in (getattr(pool, "_processes", None) or {}).values()])
                pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self.running = None


def kill_trees(pids: list[int]) -> None:
    """SIGKILL the processes ``pids`` and all their descendants. They are stopped first, so
    that none forks while the tree is read, and then the whole tree is killed at once."""
    for pid in pids:
        _signal(pid, getattr(signal, "SIGSTOP", signal.SIGTERM))
    doomed = set(pids)
    for _ in range(3):  # stop what they forked just before (a kernel starting), and read again
        more = descendants(doomed) - doomed
        for pid in more:
            _signal(pid, getattr(signal, "SIGSTOP", signal.SIGTERM))
        doomed |= more
        if not more:
            break
    for pid in doomed:
        _signal(pid, getattr(signal, "SIGKILL", signal.SIGTERM))


def descendants(pids) -> set[int]:
    """Every process whose parent chain leads to one of ``pids`` (from /proc; Linux only)."""
    parent = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return set()
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    # pid (comm) state ppid ...: comm may hold spaces and parentheses
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), set(pids)
    while frontier:
        children = {pid for pid, ppid in parent.items() if ppid in frontier} - found
        found |= children
        frontier = children
    return found


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def _start_worker(sandbox=None):
    # A process group of its own: Ctrl-C in the terminal reaches the instructor's process
    # alone, which then stops the workers itself (autograde.py), keeping what is finished.
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)
    _die_with_parent()
    worker.warm_up(*(sandbox or ()))


def _die_with_parent():
    """Linux: this process is killed when the instructor's process ends, even by SIGKILL
    (then its zygote and kernels end too: they watch their parents)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent was gone before the call
            os._exit(1)
    except (OSError, AttributeError):
        pass


class DaskExecutor:
    """Submissions as tasks on a Dask cluster (``--scheduler tcp://host:8786``, or a
    ``distributed.Client`` / ``LocalCluster`` given directly). Workers need the course
    installed (``pip install '.[dask]'``); results come back to this process."""

    def __init__(self, scheduler):
        from distributed import Client

        self.own, self.futures = isinstance(scheduler, str), []
        self.client = Client(scheduler) if self.own else scheduler
        if not isinstance(self.client, Client):
            self.client = Client(scheduler)
            self.own = True

    def run(self, fn, jobs):
        from distributed import as_completed as dask_completed

        futures = {}
        for job in jobs:
            # pure=False: the same job graded twice must really run twice; retries=1 covers
            # a worker lost in the middle (the scheduler reschedules the task elsewhere).
            f = self.client.submit(fn, job, pure=False, retries=1,
                                   key=f"grade-{job['assignment']}-{job['student']}-{id(job)}")
            futures[f.key] = (f, job)
        self.futures = [f for f, _ in futures.values()]
        for f in dask_completed(self.futures):
            job = futures[f.key][1]
            try:
                yield job, f.result()
            except Exception as e:  # noqa: BLE001
                yield job, lost(job, f"{type(e).__name__}: {e}")

    def close(self):
        if self.own:
            self.client.close()

    def kill(self):
        """Stop now: the submissions not graded yet are cancelled on the cluster."""
        try:
            self.client.cancel(list(self.futures), force=True)
        except Exception:  # noqa: BLE001 - a cluster already gone has nothing left to stop
            pass
        self.close()
