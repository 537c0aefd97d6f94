"""``python -m grader``: the course's commands.

    python -m grader check-notebook notebooks/01-building-blocks/01-building-blocks.ipynb
    python -m grader autograde 01-building-blocks [--workers 2] [--scheduler tcp://host:8786] [--no-sandbox]
    python -m grader autograde --all
    python -m grader report 01-building-blocks [--csv] [--out DIR]     (or --all)
    python -m grader export --format canvas|moodle|csv [--assignment A | --all] [--mapping ids.csv]
    python -m grader student-bundle [--out build/]
    python -m grader lab [jupyter lab options]     (make lab)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description="The course's commands.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check-notebook", help="check a notebook before submitting it (exit 1 on any problem)")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--assignment", help="the assignment (default: from the folder or file name)")

    p = sub.add_parser("autograde", help="grade every submission of an assignment, in parallel")
    p.add_argument("assignment", nargs="?", help="e.g. 01-building-blocks")
    p.add_argument("--all", action="store_true", help="every assignment of the course")
    p.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: .)")
    p.add_argument("--workers", type=int, help="local grading processes (default: the number of cores + 2)")
    p.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://10.0.0.1:8786 (needs .[dask])")
    p.add_argument("--timeout", type=int, help="seconds per cell (default: Execute.timeout of the course)")
    p.add_argument("--deadline", type=int, help="seconds per notebook, after which its kernel is killed "
                   "and it scores 0 (default: the timeout times the number of code cells, plus 60)")
    p.add_argument("--memory", type=float, default=2.0, help="GiB of memory per grading kernel (default 2)")
    p.add_argument("--output", type=int, default=100_000, help="characters of output kept per cell")
    p.add_argument("--zip-collect", action="store_true",
                   help="first run `nbgrader zip_collect` (LMS downloads in downloaded/<assignment>/archive)")
    p.add_argument("--no-cache", action="store_true", help="regrade everything, ignoring cached results")
    p.add_argument("--no-sandbox", action="store_true",
                   help="grade without the bubblewrap sandbox (where bwrap cannot run): the students' "
                        "code then runs as you, with your files (read what it risks first)")

    p = sub.add_parser("report", help="what the class got wrong: one HTML file per assignment "
                       "(scores, pass rates, named mistakes, where to re-teach, flags, timing)")
    p.add_argument("assignment", nargs="?", help="e.g. 01-building-blocks")
    p.add_argument("--all", action="store_true", help="every assignment graded so far")
    p.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: .)")
    p.add_argument("--out", type=Path, help="where to write it (default: the course directory)")
    p.add_argument("--csv", action="store_true", help="the same tables as CSV files, instead of HTML")

    p = sub.add_parser("export", help="grades from nbgrader's gradebook as an LMS upload file "
                       "(manual grades and late penalties included)")
    p.add_argument("--format", required=True, choices=("canvas", "moodle", "csv"))
    p.add_argument("--assignment", action="append", help="an assignment (repeat for more)")
    p.add_argument("--all", action="store_true", help="every assignment in the gradebook")
    p.add_argument("--mapping", type=Path, help="CSV: student_id,lms_id[,name,section,email,...] "
                   "(default: the LMS ids are the nbgrader ids)")
    p.add_argument("--out", type=Path, help="the file (default: grades-lms-<format>[-<assignment>].csv "
                   "in the course directory)")
    p.add_argument("--column", action="append", default=[], metavar="ASSIGNMENT=HEADER",
                   help='the LMS column of an assignment, e.g. 01-building-blocks="Building blocks (4711)"')
    p.add_argument("--course", type=Path, default=Path.cwd(), help="the course directory (default: .)")

    p = sub.add_parser("student-bundle", help="build the student archive (no answers, no hidden tests)")
    p.add_argument("--out", type=Path, default=Path("build"))

    p = sub.add_parser("lab", help="start JupyterLab on notebooks/ (as root too, and over SSH)")
    p.add_argument("--notebook-dir", type=Path, default=Path("notebooks"))

    args, extra = parser.parse_known_args(argv)
    if args.command == "lab":
        from .lab import main as lab

        return lab(extra, args.notebook_dir)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "check-notebook":
        from .instructor.integrity import Finding, check_notebook, report

        problems = 0
        for f in args.files:
            try:
                findings = check_notebook(f, assignment=args.assignment)
            except Exception as e:  # noqa: BLE001 - a student gets a sentence, never a traceback
                findings = [Finding("invalid-json", None, (), f"the file could not be checked "
                                    f"({type(e).__name__}: {str(e)[:120]})")]
            print(report(findings, f))
            problems += len(findings)
        return 1 if problems else 0

    if args.command == "student-bundle":
        try:
            from .instructor.bundle import build
        except ImportError:
            parser.error("this copy of the course cannot build bundles (it is the student copy)")

        print(f"built {build(args.out)}")
        return 0

    if args.command in ("report", "export"):
        return _report_or_export(parser, args)

    try:
        from .instructor.autograde import (NO_SANDBOX_RISK, Course, Interrupted, NoSandbox, Settings,
                                           autograde, zip_collect)
    except ImportError:
        parser.error("this copy of the course has no autograder (it is the student copy)")

    course = Course(args.course)
    if args.all == bool(args.assignment):
        parser.error("give one assignment, or --all")
    todo = course.assignments() if args.all else [args.assignment]
    unknown = [a for a in todo if a not in course.assignments()]
    if unknown:
        parser.error(f"no source notebook for {unknown}; the assignments are {course.assignments()}")
    settings = Settings(timeout=args.timeout, deadline=args.deadline, memory=int(args.memory * 1024 ** 3),
                        output=args.output, scheduler=args.scheduler, use_cache=not args.no_cache,
                        sandbox=not args.no_sandbox)
    if args.no_sandbox:
        print(f"WARNING: --no-sandbox. {NO_SANDBOX_RISK}\n", file=sys.stderr)
    if args.workers:
        settings.workers = args.workers
    for assignment in todo:
        if args.zip_collect:
            zip_collect(course.root, assignment)
        try:
            autograde(course.root, assignment, settings)
        except Interrupted as stop:  # what was graded is written; the summary said so
            return 128 + stop.signum
        except NoSandbox as e:
            print(f"ERROR: {e}", file=sys.stderr)
            return 2
    print("\nNext: `nbgrader export` (all grades), or the grades-<assignment>.csv files written above.")
    return 0


def _report_or_export(parser, args) -> int:
    # (neither loads the autograder, nor the course's nbgrader_config.py: seconds of imports)
    try:
        from .instructor import export, report
    except ImportError:
        parser.error("this copy of the course has no autograder (it is the student copy)")
    if args.command == "report":
        if args.all == bool(args.assignment):
            parser.error("give one assignment, or --all")
        from .registry import NOTEBOOKS

        todo = list(NOTEBOOKS) if args.all else [args.assignment]
        return report.main(args.course, todo, args.out, args.csv, args.all)
    if args.all == bool(args.assignment):
        parser.error("give --assignment A (one or more), or --all")
    headers = dict(c.split("=", 1) for c in args.column if "=" in c)
    if len(headers) != len(args.column):
        parser.error("--column takes ASSIGNMENT=HEADER")
    return export.main(args.course, args.format, None if args.all else args.assignment, args.mapping,
                       args.out, headers)


if __name__ == "__main__":
    sys.exit(main())
