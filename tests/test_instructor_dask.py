"""The same autograder on a Dask cluster (a LocalCluster on loopback), and resuming a batch
that crashed midway: the results already cached are not graded again, and the gradebook
ends the same as after an uninterrupted run."""
from __future__ import annotations

import pytest

from grader.instructor import autograde as ag
from grader.instructor.autograde import Settings, autograde

from .test_instructor_autograde import POINTS, TIMEOUT, A, Notebooks, _gradebook_dump, corpus, expected_scores, make_course

STUDENTS = ("correct", "partly_correct", "os_exit", "patches_numpy")


@pytest.fixture(scope="module")
def cases():
    everything = corpus(Notebooks())
    return {s: everything[s] for s in STUDENTS}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as c, distributed.Client(c) as client:
        yield client


class Crash(Exception):
    pass


@pytest.fixture(scope="module")
def resumed(cases, cluster, tmp_path_factory, request):
    """Grade on the cluster, but the instructor's process 'crashes' after two results; then
    run again. Returns the course, the rows of the second run and the cluster."""
    course = make_course(tmp_path_factory.mktemp("dask-course"), cases)
    settings = Settings(scheduler=cluster, timeout=TIMEOUT, progress=False)
    real = ag._executor

    class CrashingExecutor:
        def __init__(self, settings, *args):
            self.inner = real(settings, *args)

        def run(self, fn, jobs):
            for i, item in enumerate(self.inner.run(fn, jobs)):
                if i == 2:
                    raise Crash("the instructor's laptop went to sleep")
                yield item

        def close(self):
            self.inner.close()

    mp = pytest.MonkeyPatch()
    mp.setattr(ag, "_executor", CrashingExecutor)
    with pytest.raises(Crash):
        autograde(course, A, settings, out=None)
    mp.undo()
    cached_before = sorted(p.stem for p in (course / "autograded" / ag.CACHE / A).glob("*.json"))
    rows = autograde(course, A, settings, out=None)
    return course, rows, cached_before


def test_crash_left_two_results_and_resume_regraded_only_the_rest(resumed):
    _, rows, cached_before = resumed
    assert len(cached_before) == 2
    assert sorted(r.student for r in rows if r.cached) == cached_before
    assert sorted(r.student for r in rows if not r.cached) == sorted(set(STUDENTS) - set(cached_before))
    assert len(rows) == len(STUDENTS)


def test_scores_on_the_cluster_are_exact(resumed, cases):
    _, rows, _ = resumed
    for row in rows:
        _, changes, flags, status = cases[row.student]
        assert (row.scores, set(row.flags), row.status) == (expected_scores(changes), flags, status), row.reason


def test_rerun_after_resume_gives_the_same_gradebook(resumed, cluster):
    course, rows, _ = resumed
    before = _gradebook_dump(course)
    again = autograde(course, A, Settings(scheduler=cluster, timeout=TIMEOUT, progress=False), out=None)
    assert all(r.cached for r in again)
    assert _gradebook_dump(course) == before
    assert len(before) == len(STUDENTS) * len(POINTS)
