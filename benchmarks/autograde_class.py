"""A class of 300 on the Monday after the deadline: generate, grade, report; time and memory.

    .venv/bin/python benchmarks/autograde_class.py                    # 300, then 100 (~10 min)
    .venv/bin/python benchmarks/autograde_class.py --n 40 --small 20  # a quick look

Generates N submissions of 01-building-blocks from its released and solution notebooks, a
mix as a class hands it in (shuffled, fixed seed):

  - complete (about 40 %);
  - partly done (about 24 %): the last 1 to 5 exercises left as released (not attempted);
  - with typical mistakes (about 32 %): one or two exercises written wrong, each one of the
    catalogue's mistakes (grader/reference/mistakes/nb01.py) as a student writes it, in the
    function's own body (MISTAKES below, keyed by the catalogue's id and checked against it),
    two in different exercises;
  - a few cheats (check redefined, numpy patched, grader.check replaced), crashes (os._exit,
    a segfault, an exception in the first cell), an endless loop, missing and invalid
    notebooks;
  - in all of them the questions answered as students do: about 30 % of the answers wrong
    (the catalogue's "near" values, the other options), 5 % left unanswered.

The ungraded demo cells (training runs, figures) are removed, as in benchmarks/autograde.py:
the time is grading. Then, each in its own process, the course's runner grades the N
submissions and, for the memory slope, the first M (``autograde(course, A)``, default
workers and settings, as an instructor runs it), and ``python -m grader report`` writes the
class's report. Measured:

  - the wall time of each grading run, and of the report command (a new process, imports
    included, as an instructor waits for it);
  - peak memory (VmHWM, sampled from /proc every 0.2 s, and getrusage at the end) of the
    grading process, of each worker process, and of the largest sandboxed process (zygote or
    kernel), at N and at M submissions: the slope (MB per submission) says whether memory
    is flat in the class's size;
  - the load average of the machine (other jobs share its cores), and how many of the
    planted mistakes the report names.

Targets (the 2-core machine): the whole run of N = 300 <= 8 min; the report <= 10 s; memory
flat: the grading process grows by at most FLAT MB per submission. Prints a Markdown table,
writes it and the class's report (HTML, with the grades and results CSV) to
benchmarks/results/autograde-class-<date>-<time>/; exit status 1 over a target.
"""
from __future__ import annotations

import argparse
import collections
import copy
import csv
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

A = "01-building-blocks"
WALL_TARGET = 8 * 60       # seconds, N = 300
REPORT_TARGET = 10         # seconds, the report command
FLAT = 0.25                # MB per submission: the grading process's growth allowed
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

# A student's wrong body for each of these catalogued mistakes (the catalogue's id: the
# function is the catalogue's, written as a student writes it, without its helpers).
MISTAKES = {
    "sigmoid:exponent sign": "return 1 / (1 + np.exp(Z))",
    "sigmoid:tanh": "return np.tanh(Z)",
    "sigmoid:derivative instead": "s = 1 / (1 + np.exp(-Z))\nreturn s * (1 - s)",
    "relu:absolute value": "return np.abs(Z)",
    "relu:leaky": "return np.maximum(0.01 * Z, Z)",
    "relu:modifies Z": "Z[Z < 0] = 0\nreturn Z",
    "sigmoid_backward:forgot dA": "s = sigmoid(Z)\nreturn s * (1 - s)",
    "sigmoid_backward:s instead of s(1-s)": "return dA * sigmoid(Z)",
    "relu_backward:gated on dA": "return dA * (dA > 0)",
    "relu_backward:modifies dA": "dZ = dA\ndZ[Z <= 0] = 0\nreturn dZ",
    "initialize_parameters:ignores scale": (
        "params = {}\nfor l in range(1, len(layer_dims)):\n"
        "    params[f\"W{l}\"] = 0.01 * rng.standard_normal((layer_dims[l], layer_dims[l - 1]))\n"
        "    params[f\"b{l}\"] = np.zeros((layer_dims[l], 1))\nreturn params"),
    "initialize_parameters:global np.random": (
        "params = {}\nfor l in range(1, len(layer_dims)):\n"
        "    params[f\"W{l}\"] = scale * np.random.randn(layer_dims[l], layer_dims[l - 1])\n"
        "    params[f\"b{l}\"] = np.zeros((layer_dims[l], 1))\nreturn params"),
    "linear_forward:forgot b": "Z = W @ A_prev\nreturn Z, (A_prev, W, b)",
    "linear_forward:cache order": "return W @ A_prev + b, (W, A_prev, b)",
    "linear_activation_forward:always relu": (
        "Z, linear_cache = linear_forward(A_prev, W, b)\nreturn relu(Z), (linear_cache, Z)"),
    "linear_activation_forward:caches A for Z": (
        "Z, linear_cache = linear_forward(A_prev, W, b)\n"
        "A = relu(Z) if activation == \"relu\" else sigmoid(Z)\nreturn A, (linear_cache, A)"),
    "model_forward:relu on the last layer": (
        "L = len(params) // 2\ncaches = []\nA = X\nfor l in range(1, L + 1):\n"
        "    A, cache = linear_activation_forward(A, params[f\"W{l}\"], params[f\"b{l}\"], \"relu\")\n"
        "    caches.append(cache)\nreturn A, caches"),
    "model_forward:last cache missing": (
        "L = len(params) // 2\ncaches = []\nA = X\nfor l in range(1, L):\n"
        "    A, cache = linear_activation_forward(A, params[f\"W{l}\"], params[f\"b{l}\"], \"relu\")\n"
        "    caches.append(cache)\n"
        "AL, _ = linear_activation_forward(A, params[f\"W{L}\"], params[f\"b{L}\"], \"sigmoid\")\n"
        "return AL, caches"),
    "compute_cost:forgot 1/m": "return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))",
    "compute_cost:forgot the minus": (
        "m = Y.shape[1]\nreturn float(np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)"),
    "compute_cost:log10": "return float(-np.mean(Y * np.log10(AL) + (1 - Y) * np.log10(1 - AL)))",
    "linear_backward:forgot 1/m": (
        "A_prev, W, b = cache\ndW = dZ @ A_prev.T\ndb = np.sum(dZ, axis=1, keepdims=True)\n"
        "return W.T @ dZ, dW, db"),
    "linear_backward:1/m in dA_prev": (
        "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
        "return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m"),
    "linear_backward:db lost keepdims": (
        "A_prev, W, b = cache\nm = A_prev.shape[1]\n"
        "return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m"),
    "linear_activation_backward:activations swapped": (
        "linear_cache, Z = cache\n"
        "dZ = sigmoid_backward(dA, Z) if activation == \"relu\" else relu_backward(dA, Z)\n"
        "return linear_backward(dZ, linear_cache)"),
    "model_backward:dZ = Y - AL": (
        "L = len(caches)\ngrads = {}\n"
        "dA, grads[f\"dW{L}\"], grads[f\"db{L}\"] = linear_backward(Y - AL, caches[L - 1][0])\n"
        "for l in range(L - 1, 0, -1):\n"
        "    dA, grads[f\"dW{l}\"], grads[f\"db{l}\"] = linear_activation_backward(dA, caches[l - 1], \"relu\")\n"
        "return grads"),
    "model_backward:1/m in dZ[L]": (
        "L = len(caches)\ngrads = {}\nm = Y.shape[1]\n"
        "dA, grads[f\"dW{L}\"], grads[f\"db{L}\"] = linear_backward((AL - Y) / m, caches[L - 1][0])\n"
        "for l in range(L - 1, 0, -1):\n"
        "    dA, grads[f\"dW{l}\"], grads[f\"db{l}\"] = linear_activation_backward(dA, caches[l - 1], \"relu\")\n"
        "return grads"),
    "update_parameters:plus sign": (
        "return {k: v + learning_rate * grads[\"d\" + k] for k, v in params.items()}"),
    "update_parameters:no learning rate": "return {k: v - grads[\"d\" + k] for k, v in params.items()}",
    "update_parameters:in place": (
        "for key in params:\n    params[key] -= learning_rate * grads[\"d\" + key]\nreturn params"),
}

CHEATS = {  # (grade id of the cell, code added after it)
    "redefines_check": ("update_parameters", "\n\ndef check(*args, **kwargs):\n    print('passed')\n"),
    "patches_numpy": ("compute_cost", "\n\nnp.allclose = lambda *a, **k: True\n"),
    "replaces_grader_check": ("relu", "\n\nimport sys\nsys.modules['grader'].check = lambda *a, **k: None\n"),
}
CRASHES = {  # (grade id of the cell, code put before it)
    "os_exit": ("update_parameters", "import os\nos._exit(1)\n\n"),
    "segfault": ("model_backward", "import ctypes\nctypes.string_at(0)\n\n"),
    "first_cell_raises": ("sigmoid", "import numpy as npy\nnpy.load('my_weights.npy')\n\n"),
    "endless_loop": ("linear_backward", "while True:\n    pass\n\n"),  # the course's 120 s timeout
}


# --- the class -------------------------------------------------------------------------------

def gid(cell):
    return (cell["metadata"].get("nbgrader") or {}).get("grade_id")


class Notebook:
    """The released notebook, solved; a student's changes on top."""

    def __init__(self):
        self.release = json.loads((ROOT / "notebooks" / A / f"{A}.ipynb").read_text("utf-8"))
        solution = json.loads((ROOT / "solutions" / A / f"{A}.ipynb").read_text("utf-8"))
        self.solution = {gid(c): "".join(c["source"]) for c in solution["cells"] if gid(c)}

    def solved(self):
        nb = copy.deepcopy(self.release)
        for c in nb["cells"]:
            if (c["metadata"].get("nbgrader") or {}).get("solution"):
                c["source"] = self.solution[gid(c)]
        nb["cells"] = [c for c in nb["cells"] if c["cell_type"] != "code" or gid(c)]  # no demos
        return nb

    @staticmethod
    def cell(nb, grade_id):
        return next(c for c in nb["cells"] if gid(c) == grade_id)

    def body(self, nb, exercise, code):
        """The exercise's function with ``code`` as its body (what the student wrote)."""
        cell = self.cell(nb, f"{exercise}-code")
        text = "".join(cell["source"])
        head, _, rest = text.partition("    ### BEGIN SOLUTION\n")
        _, _, tail = rest.partition("    ### END SOLUTION")
        cell["source"] = head + "".join(f"    {line}\n" for line in code.splitlines()) + tail.lstrip("\n")


def answers(rng, question, q, right):
    """A student's answer: right, one of the usual wrong ones, or none (the release's stub)."""
    roll = rng.random()
    if roll < 0.05:
        return None
    if roll < 0.7:
        return right
    if q["kind"] == "number":
        return rng.choice([n["value"] for n in q.get("near", [])] or [right * 2])
    options = [o for o in q["options"] if o not in (right if isinstance(right, list) else [right])]
    if q["kind"] == "select":
        return sorted(rng.sample(list(q["options"]), rng.choice((1, 2, 3))))
    return rng.choice(options)


def _distinct(rng, k):
    """k of the mistakes, in k different exercises."""
    chosen = []
    for mistake in rng.sample(sorted(MISTAKES), len(MISTAKES)):
        if mistake.partition(":")[0] not in {c.partition(":")[0] for c in chosen}:
            chosen.append(mistake)
        if len(chosen) == k:
            return chosen
    return chosen


def _literal(value):
    if isinstance(value, list):
        return "{" + ", ".join(repr(v) for v in value) + "}"
    return repr(value)


def generate(n, seed=2026):
    """student -> (kind, {file name: text}, planted mistake ids), shuffled."""
    from grader import registry
    from grader.reference import mistakes
    from grader.reference.questions import clear

    known = {f"{m.exercise}:{m.name}" for e in registry.exercises(A) for m in mistakes(e.id)}
    unknown = sorted(set(MISTAKES) - known)
    if unknown:
        sys.exit(f"not in the catalogue: {unknown}")
    rng = random.Random(seed)
    book = Notebook()
    functions = [e.id for e in registry.exercises(A)]
    questions = clear(A)
    specials = ([("cheat", c) for c in CHEATS] + [("crash", c) for c in CRASHES]
                + [("missing", None)] * 2 + [("invalid", None)])
    specials = specials[:max(1, round(len(specials) * n / 300))]
    kinds = [k for k in specials] + [
        ("complete", None) if r < 0.47 else ("partial", None) if r < 0.68 else ("mistakes", None)
        for r in (rng.random() for _ in range(n - len(specials)))]
    rng.shuffle(kinds)
    out = {}
    for i, (kind, which) in enumerate(kinds):
        nb, planted = book.solved(), []
        for qid, q in questions.items():
            given = answers(rng, qid, q, q["answer"])
            book.cell(nb, f"{qid}-code")["source"] = (f'answer("{qid}", ...)' if given is None
                                                     else f'answer("{qid}", {_literal(given)})\n')
        if kind == "partial":
            for e in functions[-rng.randint(1, 5):]:
                book.body(nb, e, STUB)
        elif kind == "mistakes":
            for mistake in _distinct(rng, rng.choice((1, 1, 2))):
                book.body(nb, mistake.partition(":")[0], MISTAKES[mistake])
                planted.append(mistake)
        elif kind == "cheat":
            grade_id, after = CHEATS[which]
            book.cell(nb, f"{grade_id}-code")["source"] += after
        elif kind == "crash":
            grade_id, before = CRASHES[which]
            cell = book.cell(nb, f"{grade_id}-code")
            cell["source"] = before + "".join(cell["source"])
        text = json.dumps(nb, indent=1)
        files = {"missing": {"notes.txt": "I could not finish, sorry"},
                 "invalid": {f"{A}.ipynb": text[:4000]}}.get(kind, {f"{A}.ipynb": text})
        out[f"student{i:03d}"] = (kind if which is None else f"{kind}:{which}", files, planted)
    return out


def make_course(folder: Path, students: dict) -> Path:
    (folder / "solutions").mkdir(parents=True)
    shutil.copytree(ROOT / "solutions" / A, folder / "solutions" / A)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    for student, (_, files, _) in students.items():
        path = folder / "submitted" / student / A
        path.mkdir(parents=True)
        for name, text in files.items():
            (path / name).write_text(text, encoding="utf-8")
    return folder


# --- measuring --------------------------------------------------------------------------------

def _processes():
    """pid -> (ppid, VmHWM in kB) of every process we can read."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
            status = Path(f"/proc/{entry.name}/status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        hwm = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0)
        table[int(entry.name)] = (ppid, hwm)
    return table


class Sampler(threading.Thread):
    """Peak resident memory (VmHWM) of a process and all its descendants, sampled, by depth:
    0 the grading process, 1 its workers, 2+ what they start (bubblewrap, the zygote, kernels)."""

    def __init__(self, root: int, period=0.2):
        super().__init__(daemon=True)
        self.root, self.period, self.stop = root, period, threading.Event()
        self.peaks = {}  # pid -> (depth, kB)
        self.loads = []

    def run(self):
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.period)

    def sample(self):
        table = _processes()
        children = collections.defaultdict(list)
        for pid, (ppid, _) in table.items():
            children[ppid].append(pid)
        todo = [(self.root, 0)]
        while todo:
            pid, depth = todo.pop()
            if pid in table:
                old = self.peaks.get(pid, (depth, 0))[1]
                self.peaks[pid] = (depth, max(old, table[pid][1]))
            todo += [(c, depth + 1) for c in children.get(pid, ())]
        self.loads.append(os.getloadavg()[0])

    def mb(self, depth):
        return [kb / 1024 for d, kb in self.peaks.values() if d == depth]

    def deeper_mb(self):
        return max((kb / 1024 for d, kb in self.peaks.values() if d >= 2), default=0.0)


def grade_in_child(course: Path) -> dict:
    """This process, started by `measure`: grade the course, report what getrusage says."""
    from grader.instructor.autograde import Settings, autograde

    start = time.perf_counter()
    rows = autograde(course, A, Settings(progress=False), out=None)
    wall = time.perf_counter() - start
    return {"wall": wall, "rows": len(rows), "statuses": dict(collections.Counter(r.status for r in rows)),
            "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(course: Path) -> dict:
    """Grade ``course`` in a new process, sampling its memory and its workers'."""
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
               JUPYTER_CONFIG_DIR=str(course / ".jupyter"))
    child = subprocess.Popen([sys.executable, __file__, "--grade", str(course)], env=env, cwd=course,
                             stdout=subprocess.PIPE, text=True)
    sampler = Sampler(child.pid)
    sampler.start()
    out, _ = child.communicate()
    sampler.stop.set()
    sampler.join()
    if child.returncode != 0:
        sys.exit(f"grading {course} failed ({child.returncode}):\n{out[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    workers = sampler.mb(1)
    result.update(process_mb=max(max(sampler.mb(0), default=0.0), result["self_maxrss_mb"]),
                  workers_mb=sorted(workers), sandbox_mb=sampler.deeper_mb(),
                  load=(min(sampler.loads, default=0.0), sum(sampler.loads) / max(len(sampler.loads), 1),
                        max(sampler.loads, default=0.0)))
    return result


def report_command(course: Path, out: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "grader", "report", A, "--course", str(course), "--out", str(out)],
                          capture_output=True, text=True, cwd=course)
    if done.returncode != 0:
        sys.exit(f"the report failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def named(course: Path, students: dict) -> tuple[int, int, int]:
    """(planted mistakes, of them named in the results table by their catalogue id, and by the
    shared rule they break: modifying an argument, numpy's global random state)."""
    with open(course / f"results-{A}.csv", newline="") as f:
        found = {(r["student_id"], r["exercise"]): r["mistake"] for r in csv.DictReader(f)}
    planted = [(s, m) for s, (_, _, ms) in students.items() for m in ms]
    named = [found.get((s, m.partition(":")[0]), "") for s, m in planted]
    return (len(planted), sum(n == m for n, (_, m) in zip(named, planted)),
            sum(n.startswith("rule:") for n in named))


# --- the run ------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300, help="submissions (default 300)")
    parser.add_argument("--small", type=int, default=100, help="the smaller class, for the memory slope")
    parser.add_argument("--grade", type=Path, help=argparse.SUPPRESS)  # (the child process)
    args = parser.parse_args(argv)
    if args.grade:
        print(json.dumps(grade_in_child(args.grade)))
        return 0

    stamp = datetime.now().strftime("%Y-%m-%d-%H%M")
    results = ROOT / "benchmarks" / "results" / f"autograde-class-{stamp}"
    results.mkdir(parents=True, exist_ok=True)
    students = generate(args.n)
    kinds = collections.Counter(kind.split(":")[0] for kind, _, _ in students.values())
    load_before = os.getloadavg()
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.n, args.small):
            subset = dict(list(students.items())[:n])
            course = make_course(Path(tmp) / f"class-{n}", subset)
            print(f"grading {n} submissions ...", flush=True)
            runs[n] = measure(course)
            if n == args.n:
                runs[n]["report"] = report_command(course, results)
                runs[n]["named"] = named(course, subset)
                for name in (f"grades-{A}.csv", f"results-{A}.csv"):
                    shutil.copy(course / name, results / name)
            print(json.dumps(runs[n]), flush=True)
    big, small = runs[args.n], runs[args.small]
    slope = (big["process_mb"] - small["process_mb"]) / (args.n - args.small)
    worker_slope = (max(big["workers_mb"]) - max(small["workers_mb"])) / (args.n - args.small)
    over = []
    if args.n >= 300 and big["wall"] > WALL_TARGET:
        over.append(f"grading {args.n} took {big['wall']:.0f} s > {WALL_TARGET} s")
    if big["report"] > REPORT_TARGET:
        over.append(f"the report took {big['report']:.1f} s > {REPORT_TARGET} s")
    if slope > FLAT:
        over.append(f"the grading process grows {slope:.3f} MB per submission > {FLAT}")
    planted, found, by_rule = big["named"]
    lines = [
        f"# Grading a class of {args.n} ({A})", "",
        f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, default settings ({big['statuses']})", "",
        f"The class: {dict(kinds)}; {planted} planted mistakes: {found} named by their catalogue id "
        f"in the results table, {by_rule} by the shared rule they break.", "",
        "| | N = %d | N = %d | target |" % (args.n, args.small),
        "|---|---:|---:|---|",
        f"| grading, wall time | {big['wall']:.0f} s | {small['wall']:.0f} s | <= {WALL_TARGET} s at 300 |",
        f"| per submission | {big['wall'] / args.n:.2f} s | {small['wall'] / args.small:.2f} s | |",
        f"| grading process, peak RSS | {big['process_mb']:.0f} MB | {small['process_mb']:.0f} MB | "
        f"slope <= {FLAT} MB/submission |",
        f"| each worker, peak RSS | {', '.join(f'{m:.0f}' for m in big['workers_mb'])} MB | "
        f"{', '.join(f'{m:.0f}' for m in small['workers_mb'])} MB | |",
        f"| largest sandboxed process (zygote, kernel), peak RSS | {big['sandbox_mb']:.0f} MB | "
        f"{small['sandbox_mb']:.0f} MB | |",
        f"| load average during the run (min / mean / max) | "
        f"{' / '.join(f'{x:.1f}' for x in big['load'])} | {' / '.join(f'{x:.1f}' for x in small['load'])} | |",
        f"| `python -m grader report` (new process) | {big['report']:.1f} s | | <= {REPORT_TARGET} s |", "",
        f"Memory slope, {args.small} -> {args.n} submissions: grading process {slope * 1000:+.0f} kB per "
        f"submission, largest worker {worker_slope * 1000:+.0f} kB per submission. Load average "
        f"before: {load_before[0]:.1f}.", "",
        f"Report: {results / f'report-{A}.html'}",
    ]
    if over:
        lines += ["", "OVER TARGET: " + "; ".join(over)]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    (results / "README.md").write_text(text)
    print(results / "README.md")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
