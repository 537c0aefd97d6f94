"""The pieces a grading worker relies on, one at a time: the kernel guard's limits, the cap on
outputs, the hidden tests cleared from feedback. (End to end: test_instructor_autograde.py.)"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat

from grader.instructor import guard
from grader.instructor.worker import cap_outputs, strip_hidden_tests

GUARDED = textwrap.dedent('''
    import json, resource, sys
    published = []

    class Shell:
        class events:
            register = staticmethod(lambda *a: None)

        class display_pub:
            publish = staticmethod(lambda data, *a, **k: published.append(data))

    get_ipython = lambda: Shell
    exec(sys.argv[1])
    out = {}
    for name in ("RLIMIT_AS", "RLIMIT_CPU"):
        limit = getattr(resource, name)
        soft, hard = resource.getrlimit(limit)
        try:
            resource.setrlimit(limit, (soft + 1, hard + 1))
            raised = True
        except (ValueError, OSError):
            raised = False
        out[name] = [soft, hard, raised]
    for i in range(30):
        Shell.display_pub.publish({"text/html": "x" * 1000})
    out["published"] = len(published)
    print(json.dumps(out))
''')


def test_guard_limits_are_hard_and_cover_display(tmp_path):
    """Soft = hard, so student code cannot raise them back; display() has a budget too
    (RICH x 1000 characters here: 20 outputs of 1000)."""
    pid_file = tmp_path / "kernel.pid"
    source = guard.source(3 * 1024 ** 3, 1000, 1234, pid_file)
    done = subprocess.run([sys.executable, "-c", GUARDED, source], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["RLIMIT_AS"] == [3 * 1024 ** 3, 3 * 1024 ** 3, False]
    assert out["RLIMIT_CPU"] == [1234, 1234, False]
    assert out["published"] == guard.RICH
    assert pid_file.read_text().isdigit()


def _notebook(*outputs, source="print(1)"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source, outputs=list(outputs)), nbformat.v4.new_markdown_cell("text")]
    return nbformat.writes(nb)


def test_outputs_are_capped_per_cell():
    small = nbformat.v4.new_output("stream", name="stdout", text="hello\n")
    rich = nbformat.v4.new_output("display_data", data={"text/html": "x" * 50_000})
    value = nbformat.v4.new_output("execute_result", data={"text/plain": "y" * 5_000_000}, execution_count=1)
    capped = nbformat.reads(cap_outputs(_notebook(small, rich, value), 1000), as_version=4)
    outputs = capped.cells[0].outputs
    assert [o.output_type for o in outputs] == ["stream", "stream"]
    assert outputs[0].text == "hello\n"
    assert outputs[1].text.strip() == f"{guard.TRUNCATED}: more than {guard.RICH * 1000} characters of output in one cell]"
    untouched = _notebook(small, rich)
    assert cap_outputs(untouched, 100_000) == untouched  # 20 x 100 000: room for both


def test_hidden_tests_and_their_tracebacks_are_cleared():
    source = 'check("relu", relu)\n### BEGIN HIDDEN TESTS\ncheck("relu", relu, hidden=True)\n### END HIDDEN TESTS'
    error = nbformat.v4.new_output("error", ename="CheckFailed", evalue="relu: wrong",
                                   traceback=["Cell In[3], line 3", '----> 3 check("relu", relu, hidden=True)'])
    cleared = strip_hidden_tests(_notebook(error, source=source))
    assert "hidden=True" not in cleared and "HIDDEN" not in cleared
    cell = nbformat.reads(cleared, as_version=4).cells[0]
    assert cell.source.strip() == 'check("relu", relu)'
    assert cell.outputs[0].traceback == ["\x1b[0;31mCheckFailed\x1b[0m: relu: wrong"]


def test_feedback_templates_compiled_once_render_the_same():
    """FeedbackExporter shares compiled templates between submissions; the HTML is what a
    fresh exporter writes, for each of two different notebooks in turn."""
    from nbconvert.exporters import HTMLExporter

    from grader.instructor.worker import FeedbackExporter

    first = nbformat.reads(_notebook(source="print('first')"), as_version=4)
    second = nbformat.reads(_notebook(nbformat.v4.new_output("stream", text="two\n"), source="# second\nx = 2"),
                            as_version=4)
    second.cells.insert(0, nbformat.v4.new_markdown_cell("# A title\n\n$W^{[l]}$"))
    for nb in (first, second, first):
        assert FeedbackExporter().from_notebook_node(nb)[0] == HTMLExporter().from_notebook_node(nb)[0]
    assert FeedbackExporter._compiled.code  # the compiled templates were kept
