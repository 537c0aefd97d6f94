"""Where the workers run: local processes (default) or a Dask distributed cluster.

An executor has one method, ``run(fn, jobs)``, yielding ``(job, result)`` in completion
order. ``fn`` never raises for a submission's fault (worker.grade turns everything into
a result); an exception here means the worker itself was lost, and becomes a row too.
"""
from __future__ import annotations

import multiprocessing
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

    def __init__(self, workers: int):
        self.workers = max(1, int(workers))
        self.pool = self._pool()  # started now: the workers warm up while the caller prepares

    def _pool(self):
        # fork where there is one: workers start at once with nbgrader already imported
        # (spawn would import it again in each, seconds of CPU). The parent holds no open
        # gradebook connection and runs no thread when the pool starts.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                   initializer=worker.warm_up)
        pool.submit(int)  # the first task starts the workers (all of them, when forked)
        return pool

    def run(self, fn, jobs):
        pending = list(jobs)
        for attempt in (1, 2):
            broken = []
            pool, self.pool = self.pool or self._pool(), None
            with pool:
                futures = {pool.submit(fn, job): job for job in pending}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        yield job, future.result()
                    except BrokenProcessPool:
                        broken.append(job)  # which job broke it is unknown: retry them all once
                    except Exception as e:  # noqa: BLE001
                        yield job, lost(job, f"{type(e).__name__}: {e}")
            if not broken:
                return
            if attempt == 2:
                for job in broken:
                    yield job, lost(job, "its process died twice")
                return
            pending = broken

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


class DaskExecutor:
    """Submissions as tasks on a Dask cluster (``--scheduler tcp://host:8786``, or a
    ``distributed.Client`` / ``LocalCluster`` given directly). Workers need the course
    installed (``pip install '.[dask]'``); results come back to this process."""

    def __init__(self, scheduler):
        from distributed import Client

        self.own = isinstance(scheduler, str)
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
        for f in dask_completed([f for f, _ in futures.values()]):
            job = futures[f.key][1]
            try:
                yield job, f.result()
            except Exception as e:  # noqa: BLE001
                yield job, lost(job, f"{type(e).__name__}: {e}")

    def close(self):
        if self.own:
            self.client.close()
