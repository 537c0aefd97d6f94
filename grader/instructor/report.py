"""What the class got wrong: ``python -m grader report ASSIGNMENT|--all [--csv] [--out DIR]``.

    grades-<assignment>.csv  + results-<assignment>.csv      (written by every autograde run)
        -> tables, each computed by a plain function from the CSV rows (below)
        -> report-<assignment>.html: one self-contained file (figures as inline SVG images,
           no script, no network), or with --csv the same tables as report-<assignment>-*.csv

The tables: the score distribution (mean, median); per exercise the pass rate, the
not-attempted rate and the named mistakes with their counts and hints (the mistake
catalogue's, grader/reference/mistakes); per question the share of each answer; the
exercises ranked by the points lost to named mistakes (where to re-teach); the flagged
submissions and their reasons; grading time and failures.

Rates are over the submissions that were graded (status "graded"); a missing, invalid or
failed submission is counted under failures instead, with its reason.
"""
from __future__ import annotations

import base64
import collections
import csv
import html
import io
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FIRST = "run `python -m grader autograde {a}` first"

# The rules every exercise shares (grader/checking.py RULES): what each means, for the report
RULE_TEXT = {
    "rule:global-random": "used numpy's global random state (np.random.*) instead of the rng it was "
                          "given: results cannot be reproduced. Draw from the Generator argument.",
    "rule:modified-argument": "modified an argument in place (e.g. `Z[Z < 0] = 0`, `params[k] -= ...`): "
                              "the caller's arrays change. Work on a copy or build new arrays.",
    "rule:aliased-state": "returned state whose arrays share memory (one array under two keys, or "
                          "an input returned as is): later in-place updates corrupt both.",
    "rule:float32": "returned float32 where the course computes in float64 (a `dtype=np.float32` "
                    "or `.astype(np.float32)`): precision is lost and gradients drift.",
}

OUTCOMES = ("passed", "failed", "not attempted", "error", "timeout")


class Missing(Exception):
    """The CSV files an autograde run writes are not there (the message says what to run)."""


# --- reading ---------------------------------------------------------------------------

def paths(root: Path, assignment: str) -> tuple[Path, Path]:
    root = Path(root)
    return root / f"grades-{assignment}.csv", root / f"results-{assignment}.csv"


def read(root: Path, assignment: str) -> tuple[list[dict], list[dict]]:
    """The rows of grades-<assignment>.csv and results-<assignment>.csv."""
    grades, results = paths(root, assignment)
    for path in (grades, results):
        if not path.is_file():
            raise Missing(f"no {path.name} in {Path(root).resolve()}: {FIRST.format(a=assignment)}")
    return _rows(grades), _rows(results)


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _num(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


# --- the tables: plain functions of the CSV rows -----------------------------------------

def graded_results(results: list[dict]) -> list[dict]:
    """The results of the submissions that were graded (the denominator of every rate)."""
    return [r for r in results if r["status"] == "graded"]


def score_summary(grades: list[dict]) -> dict:
    """The class's totals: how many, mean, median, lowest and highest, out of what."""
    scores = [_num(g["score"]) for g in grades]
    return {"students": len(grades), "graded": sum(g["status"] == "graded" for g in grades),
            "max_score": max((_num(g["max_score"]) for g in grades), default=0.0),
            "mean": statistics.mean(scores) if scores else 0.0,
            "median": statistics.median(scores) if scores else 0.0,
            "lowest": min(scores, default=0.0), "highest": max(scores, default=0.0)}


def exercise_rates(results: list[dict]) -> list[dict]:
    """Per exercise and question, in course order: how the graded submissions did."""
    table = {}
    for r in graded_results(results):
        row = table.setdefault(r["exercise"], {
            "exercise": r["exercise"], "kind": r["kind"], "points": _num(r["max_score"]), "graded": 0,
            **{o: 0 for o in OUTCOMES}, "named": 0, "mean_score": 0.0})
        row["graded"] += 1
        row[r["outcome"] if r["outcome"] in OUTCOMES else "failed"] += 1
        row["named"] += bool(r["mistake"]) and r["outcome"] != "passed"
        row["mean_score"] += _num(r["score"])
    for row in table.values():
        row["pass_rate"] = row["passed"] / row["graded"]
        row["not_attempted_rate"] = row["not attempted"] / row["graded"]
        row["mean_score"] /= row["graded"]
    return list(table.values())


def named_mistakes(results: list[dict]) -> list[dict]:
    """Every named mistake that failed a graded submission's exercise: how often, the points
    it cost, and its hint; most frequent first within each exercise (course order)."""
    counts = collections.Counter()
    lost = collections.Counter()
    order = {}
    for r in graded_results(results):
        if r["mistake"] and r["outcome"] != "passed":
            key = (r["exercise"], r["mistake"])
            counts[key] += 1
            lost[key] += _num(r["max_score"]) - _num(r["score"])
            order.setdefault(r["exercise"], len(order))
    graded = collections.Counter(r["exercise"] for r in graded_results(results))
    rows = [{"exercise": e, "mistake": m, "count": n, "share": n / graded[e],
             "points_lost": lost[(e, m)], "hint": hint(m)} for (e, m), n in counts.items()]
    return sorted(rows, key=lambda row: (order[row["exercise"]], -row["count"], row["mistake"]))


def top_mistakes(mistakes: list[dict], exercise: str, k: int = 3) -> list[dict]:
    return [m for m in mistakes if m["exercise"] == exercise][:k]


def reteach(results: list[dict]) -> list[dict]:
    """The exercises ranked by the points the class lost to named mistakes: where to re-teach.
    Beside it, all the points lost there (named or not) and the mistake that cost most."""
    named, total, worst = collections.Counter(), collections.Counter(), {}
    for r in graded_results(results):
        if r["kind"] == "question":
            continue
        missing = _num(r["max_score"]) - _num(r["score"])
        total[r["exercise"]] += missing
        if r["mistake"] and r["outcome"] != "passed":
            named[r["exercise"]] += missing
            worst.setdefault(r["exercise"], collections.Counter())[r["mistake"]] += missing
    rows = [{"exercise": e, "points_lost_named": named[e], "points_lost": total[e],
             "worst_mistake": worst[e].most_common(1)[0][0]} for e in named if named[e] > 0]
    return sorted(rows, key=lambda row: (-row["points_lost_named"], row["exercise"]))


def answer_shares(results: list[dict]) -> list[dict]:
    """Per question, the share of the graded submissions that gave each answer, and whether
    that answer earned the points."""
    given = collections.defaultdict(collections.Counter)
    right = collections.defaultdict(set)
    for r in graded_results(results):
        if r["kind"] != "question":
            continue
        answer = r["answer"] or "no answer"
        given[r["exercise"]][answer] += 1
        if _num(r["score"]) > 0:
            right[r["exercise"]].add(answer)
    rows = []
    for question, counts in given.items():
        n = sum(counts.values())
        for answer, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            rows.append({"question": question, "answer": answer, "count": count, "share": count / n,
                         "right": answer in right[question]})
    return rows


def flagged(grades: list[dict]) -> list[dict]:
    """The submissions to look at: not graded, or flagged by the integrity scan."""
    return [{"student_id": g["student_id"], "score": _num(g["score"]), "status": g["status"],
             "flags": g["flags"], "reason": g["reason"]}
            for g in grades if g["status"] != "graded" or g["flags"]]


def timing(grades: list[dict], results: list[dict]) -> dict:
    """Seconds each submission took in its worker (as measured when it was graded; cached
    ones keep their first time), and the submissions that did not end graded, by status."""
    seconds = {}
    for r in results:
        if r["status"] in ("graded", "failed") and _num(r["seconds"]) > 0:
            seconds.setdefault(r["student_id"], _num(r["seconds"]))
    values = list(seconds.values())
    statuses = collections.Counter(g["status"] for g in grades if g["status"] != "graded")
    stopped = collections.Counter(r["outcome"] for r in graded_results(results)
                                  if r["outcome"] in ("error", "timeout"))
    return {"timed": len(values), "median_seconds": statistics.median(values) if values else 0.0,
            "max_seconds": max(values, default=0.0), "total_seconds": sum(values),
            "failed": statuses.get("failed", 0), "missing": statuses.get("missing", 0),
            "invalid": statuses.get("invalid", 0), "interrupted": statuses.get("interrupted", 0),
            "exercise_errors": stopped.get("error", 0), "exercise_timeouts": stopped.get("timeout", 0)}


def hint(mistake_id: str) -> str:
    """What a mistake id means: the catalogue's hint (or what the check says of it), or a
    shared rule's explanation."""
    if mistake_id in RULE_TEXT:
        return RULE_TEXT[mistake_id]
    exercise, _, name = mistake_id.partition(":")
    try:
        from ..reference import mistakes
    except ImportError:  # a copy of the course without the catalogue
        return ""
    for m in mistakes(exercise):
        if m.name == name:
            return m.hint or f"recognised by what the check reports: \u201c{m.expect}\u201d"
    return ""


@dataclass
class Tables:
    assignment: str
    scores: list          # each submission's total (the histogram)
    summary: dict
    exercises: list
    mistakes: list
    reteach: list
    questions: list
    flagged: list
    timing: dict


def tables(assignment: str, grades: list[dict], results: list[dict]) -> Tables:
    return Tables(assignment, [_num(g["score"]) for g in grades], score_summary(grades),
                  exercise_rates(results), named_mistakes(results), reteach(results),
                  answer_shares(results), flagged(grades), timing(grades, results))


# --- figures: matplotlib's Agg/SVG backend, embedded as data URIs --------------------------

def _figure(width=5.4, height=2.7):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _svg(fig) -> str:
    """The figure as an <img> holding its SVG: each image keeps its own ids, and the file
    needs nothing else to be viewed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="figure" alt="" src="data:image/svg+xml;base64,{data}">'


def histogram(t: Tables) -> str:
    fig, ax = _figure()
    top = t.summary["max_score"] or max(t.scores, default=1.0) or 1.0
    bins = [i * top / 20 for i in range(21)]
    ax.hist(t.scores, bins=bins, color="#4c72b0", edgecolor="white")
    for value, name, style in ((t.summary["mean"], "mean", "-"), (t.summary["median"], "median", "--")):
        ax.axvline(value, color="#c44e52", linestyle=style, label=f"{name} {value:.1f}")
    ax.set_xlabel(f"score (out of {top:g})")
    ax.set_ylabel("submissions")
    ax.set_xlim(0, top)
    ax.legend(frameon=False)
    return _svg(fig)


def rates_figure(t: Tables) -> str:
    rows = [r for r in t.exercises if r["kind"] != "question"]
    fig, ax = _figure(7.0, 0.24 * len(rows) + 1.1)
    names = [r["exercise"] for r in rows][::-1]
    passed = [100 * r["pass_rate"] for r in rows][::-1]
    absent = [100 * r["not_attempted_rate"] for r in rows][::-1]
    ax.barh(names, passed, color="#55a868", label="passed")
    ax.barh(names, absent, left=passed, color="#cccccc", label="not attempted")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions")
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)
    return _svg(fig)


def reteach_figure(t: Tables) -> str:
    rows = t.reteach[:10]
    if not rows:
        return ""
    fig, ax = _figure()
    ax.barh([r["exercise"] for r in rows][::-1], [r["points_lost_named"] for r in rows][::-1],
            color="#dd8452")
    ax.set_xlabel("points the class lost to named mistakes")
    ax.tick_params(axis="y", labelsize=8)
    return _svg(fig)


# --- the page ------------------------------------------------------------------------

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f6f6f6; } td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.muted { color: #777; } .figure { max-width: 100%; display: block; margin: .5em 0; }
.stats span { display: inline-block; margin-right: 1.6em; } .stats b { font-size: 1.3em; }
.bar { display: inline-block; height: .8em; background: #4c72b0; vertical-align: middle; }
.bar.right { background: #55a868; } code { font-size: .92em; }
.pair { display: flex; flex-wrap: wrap; gap: 1.5em; } .pair > div { flex: 1 1 460px; }
.pair h3 { margin: .2em 0; font-size: 1em; color: #444; }
ul.mistakes { margin: 0; padding-left: 1.1em; } ul.mistakes li { margin-bottom: .25em; }
"""


def _e(text) -> str:
    return html.escape(str(text))


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def render(t: Tables) -> str:
    title = _title(t.assignment)
    sections = [_header(t, title), _scores_section(t), _reteach_table(t), _exercises_section(t),
                _questions_section(t), _flagged_section(t), _timing_section(t)]
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>Report: {_e(t.assignment)}</title><style>{STYLE}</style></head><body>"
            + "".join(sections) + "</body></html>\n")


def _title(assignment: str) -> str:
    from .. import registry

    return registry.NOTEBOOKS.get(assignment, "")


def _header(t: Tables, title: str) -> str:
    s = t.summary
    return (f"<h1>{_e(t.assignment)}: what the class got wrong</h1>"
            f"<p class='muted'>{_e(title)} &middot; {s['students']} students, {s['graded']} graded "
            f"&middot; from grades-{_e(t.assignment)}.csv and results-{_e(t.assignment)}.csv, "
            f"{time.strftime('%Y-%m-%d %H:%M')}</p>")


def _scores_section(t: Tables) -> str:
    s = t.summary
    stats = "".join(f"<span>{name} <b>{value}</b></span>" for name, value in (
        ("mean", f"{s['mean']:.2f}"), ("median", f"{s['median']:.2f}"), ("lowest", f"{s['lowest']:g}"),
        ("highest", f"{s['highest']:g}"), ("out of", f"{s['max_score']:g}")))
    lost = reteach_figure(t) or "<p>No points were lost to a named mistake.</p>"
    return (f"<h2 id='scores'>Scores</h2><p class='stats'>{stats}</p><div class='pair'>"
            f"<div><h3>Score distribution</h3>{histogram(t)}</div>"
            f"<div><h3>Where the points went: named mistakes, by exercise</h3>{lost}</div></div>")


def _reteach_table(t: Tables) -> str:
    if not t.reteach:
        return "<h2 id='reteach'>Where to re-teach</h2><p>No points were lost to a named mistake.</p>"
    hints = {m["mistake"]: m["hint"] for m in t.mistakes}
    rows = "".join(
        f"<tr><td>{i}</td><td><code>{_e(r['exercise'])}</code></td><td class='n'>{r['points_lost_named']:g}</td>"
        f"<td class='n'>{r['points_lost']:g}</td><td><b>{_e(_mistake_name(r['worst_mistake']))}</b>: "
        f"<span class='muted'>{_e(hints.get(r['worst_mistake'], ''))}</span></td></tr>"
        for i, r in enumerate(t.reteach, 1))
    return ("<h2 id='reteach'>Where to re-teach</h2><p>Exercises ranked by the points the class lost "
            "to a <em>named</em> mistake (one the grader recognised from the catalogue), with the "
            "mistake that cost most there.</p><table><tr><th>#</th><th>exercise</th><th>points lost, "
            f"named</th><th>points lost, all</th><th>costliest mistake</th></tr>{rows}</table>")


def _mistake_name(mistake_id: str) -> str:
    return mistake_id.partition(":")[2] if not mistake_id.startswith("rule:") else mistake_id


def _exercises_section(t: Tables) -> str:
    rows = []
    for r in t.exercises:
        if r["kind"] == "question":
            continue
        top = top_mistakes(t.mistakes, r["exercise"])
        items = "".join(f"<li><b>{m['count']}&times;</b> {_e(_mistake_name(m['mistake']))}: "
                        f"<span class='muted'>{_e(m['hint'])}</span></li>" for m in top)
        rows.append(
            f"<tr><td><code>{_e(r['exercise'])}</code></td><td class='n'>{r['points']:g}</td>"
            f"<td class='n'>{_pct(r['pass_rate'])}</td><td class='n'>{_pct(r['not_attempted_rate'])}</td>"
            f"<td class='n'>{r['failed']}</td><td class='n'>{r['error'] + r['timeout']}</td>"
            f"<td>{'<ul class=mistakes>' + items + '</ul>' if items else '<span class=muted>none named</span>'}"
            f"</td></tr>")
    return ("<h2 id='exercises'>Exercises</h2>" + rates_figure(t)
            + "<table><tr><th>exercise</th><th>points</th><th>passed</th><th>not attempted</th>"
            "<th>wrong</th><th>raised / timed out</th><th>top named mistakes (count: hint)</th></tr>"
            + "".join(rows) + "</table>")


def _questions_section(t: Tables) -> str:
    if not t.questions:
        return ""
    rows = []
    for question in dict.fromkeys(q["question"] for q in t.questions):
        given = [q for q in t.questions if q["question"] == question]
        right = sum(q["share"] for q in given if q["right"])
        answers = " &middot; ".join(
            f"<code>{_e(q['answer'])}</code>{' &#10004;' if q['right'] else ''} {_pct(q['share'])} ({q['count']})"
            for q in given)
        rows.append(f"<tr><td><code>{_e(question)}</code></td><td class='n'>{_pct(right)}</td>"
                    f"<td><span class='bar right' style='width:{160 * right:.0f}px'></span><span class='bar' "
                    f"style='width:{160 * (1 - right):.0f}px'></span></td><td>{answers}</td></tr>")
    return ("<h2 id='questions'>Questions</h2><p>The share of the graded submissions that gave each "
            "answer (&#10004;: it earned the points), most frequent first.</p><table><tr><th>question</th>"
            "<th>right</th><th></th><th>answers given</th></tr>" + "".join(rows) + "</table>")


def _flagged_section(t: Tables) -> str:
    if not t.flagged:
        return "<h2 id='flagged'>Flagged submissions</h2><p>None.</p>"
    rows = "".join(
        f"<tr><td>{_e(f['student_id'])}</td><td class='n'>{f['score']:g}</td><td>{_e(f['status'])}</td>"
        f"<td>{_e(f['flags'] or '-')}</td><td>{_e(f['reason'])}</td></tr>" for f in t.flagged)
    return (f"<h2 id='flagged'>Flagged submissions ({len(t.flagged)})</h2><table><tr><th>student</th>"
            f"<th>score</th><th>status</th><th>flags</th><th>reason</th></tr>{rows}</table>")


def _timing_section(t: Tables) -> str:
    g = t.timing
    return ("<h2 id='timing'>Grading time and failures</h2><table>"
            f"<tr><td>submissions timed</td><td class='n'>{g['timed']}</td></tr>"
            f"<tr><td>seconds per submission, median</td><td class='n'>{g['median_seconds']:.1f}</td></tr>"
            f"<tr><td>seconds per submission, max</td><td class='n'>{g['max_seconds']:.1f}</td></tr>"
            f"<tr><td>worker seconds, total</td><td class='n'>{g['total_seconds']:.0f}</td></tr>"
            f"<tr><td>failed (kernel died, deadline, grader)</td><td class='n'>{g['failed']}</td></tr>"
            f"<tr><td>missing / invalid notebooks</td><td class='n'>{g['missing']} / {g['invalid']}</td></tr>"
            f"<tr><td>interrupted (not graded yet)</td><td class='n'>{g['interrupted']}</td></tr>"
            f"<tr><td>exercises that raised / timed out</td><td class='n'>{g['exercise_errors']} / "
            f"{g['exercise_timeouts']}</td></tr></table>")


# --- writing --------------------------------------------------------------------------

CSV_TABLES = ("summary", "exercises", "mistakes", "reteach", "questions", "flagged", "timing")


def write_html(t: Tables, out: Path) -> Path:
    path = Path(out) / f"report-{t.assignment}.html"
    path.write_text(render(t), encoding="utf-8")
    return path


def write_csv(t: Tables, out: Path) -> list[Path]:
    """The same tables as CSV files, report-<assignment>-<table>.csv."""
    written = []
    for name in CSV_TABLES:
        value = getattr(t, name)
        rows = [value] if isinstance(value, dict) else value
        path = Path(out) / f"report-{t.assignment}-{name}.csv"
        with open(path, "w", newline="", encoding="utf-8") as f:
            columns = list(rows[0]) if rows else _columns(name)
            w = csv.DictWriter(f, columns)
            w.writeheader()
            w.writerows({k: f"{v:.6g}" if isinstance(v, float) else v for k, v in row.items()}
                        for row in rows)
        written.append(path)
    return written


def _columns(name: str) -> list[str]:
    """The header of an empty table."""
    return {"mistakes": ["exercise", "mistake", "count", "share", "points_lost", "hint"],
            "reteach": ["exercise", "points_lost_named", "points_lost", "worst_mistake"],
            "questions": ["question", "answer", "count", "share", "right"],
            "flagged": ["student_id", "score", "status", "flags", "reason"]}.get(name, [])


def report(root: Path, assignment: str, out: Path | None = None, as_csv: bool = False) -> list[Path]:
    """Read the assignment's CSV files in ``root`` and write its report into ``out``."""
    grades, results = read(root, assignment)
    t = tables(assignment, grades, results)
    out = Path(out or root)
    out.mkdir(parents=True, exist_ok=True)
    return write_csv(t, out) if as_csv else [write_html(t, out)]


def main(root: Path, assignments: list[str], out: Path | None, as_csv: bool, every: bool) -> int:
    """The command: one report per assignment; with --all, those not graded yet are skipped."""
    written, missing = [], []
    for a in assignments:
        try:
            start = time.perf_counter()
            files = report(root, a, out, as_csv)
        except Missing as e:
            missing.append(str(e))
            continue
        written += files
        print(f"{a}: wrote {', '.join(str(f) for f in files)} ({time.perf_counter() - start:.1f} s)")
    for message in missing:
        print(("skipped: " if every else "ERROR: ") + message, file=sys.stderr)
    return 0 if written and (every or not missing) else 1
