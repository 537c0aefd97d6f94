"""What runs inside each grading kernel before the student's first cell.

Written into the scratch course of each submission and passed to the kernel as
``--IPKernelApp.exec_files``, so the limits hold in the process that runs student code
and nowhere else:

- the kernel's process id, written to ``pid_file``: the worker knows that a kernel which
  never wrote it never started (the pid itself is not trusted: student code could
  overwrite the file; the worker kills a kernel past its deadline by what kernels.py
  recorded when it started it);
- a memory limit (RLIMIT_AS): an allocation past it raises MemoryError in the cell,
  instead of the machine swapping or the OOM killer taking a random process;
- a CPU-time limit for the whole kernel (RLIMIT_CPU), far above what a notebook needs: the
  backstop for a loop that swallows the per-cell timeout's interrupt (the kernel is
  killed, and the submission gets a row saying so);
- a limit on the size of any file it writes (RLIMIT_FSIZE, ``FILE_BYTES``): a write past it
  raises OSError, and the disk does not fill;
- all limits hard as well as soft, so the student's code cannot raise them again;
- ``input()`` returns "" (nbgrader's kernel would raise StdinNotImplementedError, and a
  half-run cell would take functions defined after the call with it);
- at most ``output_bytes`` of stdout/stderr per cell, and ``RICH`` times that of display()
  outputs (figures are bigger than text): a print or display() loop cannot fill the
  worker's memory (the worker trims every output again afterwards, whatever happened here).
"""

RICH = 20  # rich outputs (figures, HTML) may be this many times the size allowed to text
FILE_BYTES = 256 * 1024 ** 2  # the largest file a grading kernel may write

TEMPLATE = '''
def _course_grading_guard(memory_bytes={memory_bytes}, output_bytes={output_bytes}, cpu_seconds={cpu_seconds},
                          pid_file={pid_file!r}):
    import builtins, os, resource, sys
    if pid_file:
        with open(pid_file, "w") as f:
            f.write(str(os.getpid()))
    for limit, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, {file_bytes})):
        if value:
            _, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, value))

    def no_input(prompt=""):
        print(str(prompt) + "(input() returns an empty string during grading)")
        return ""

    budget = {{"left": output_bytes, "rich": {rich} * output_bytes, "told": False}}

    def before_cell(*args, **kwargs):
        # ipykernel installs its own input() for every execution request: replace it after.
        builtins.input = no_input
        budget["left"], budget["rich"], budget["told"] = output_bytes, {rich} * output_bytes, False

    get_ipython().events.register("pre_run_cell", before_cell)

    def tell(write):
        if not budget["told"]:
            budget["told"] = True
            write("\\n[output truncated by the grader: more than {output_bytes} characters in one cell]\\n")

    def limited(write):
        def write_at_most(text):
            if budget["left"] <= 0:
                tell(write)
                return len(text)
            budget["left"] -= len(text)
            return write(text if budget["left"] >= 0 else text[:len(text) + budget["left"]])
        return write_at_most

    def limited_display(publish):
        def publish_at_most(data, *args, **kwargs):
            budget["rich"] -= sum(len(str(v)) for v in data.values()) if isinstance(data, dict) else 0
            if budget["rich"] < 0:
                return tell(raw_stderr)
            return publish(data, *args, **kwargs)
        return publish_at_most

    raw_stderr = sys.stderr.write
    if output_bytes:
        for stream in (sys.stdout, sys.stderr):
            stream.write = limited(stream.write)
        shell = get_ipython()
        shell.display_pub.publish = limited_display(shell.display_pub.publish)


_course_grading_guard()
del _course_grading_guard
'''

TRUNCATED = "[output truncated by the grader"


def source(memory_bytes: int, output_bytes: int, cpu_seconds: int = 0, pid_file: str = "") -> str:
    return TEMPLATE.format(memory_bytes=int(memory_bytes or 0), output_bytes=int(output_bytes or 0),
                           cpu_seconds=int(cpu_seconds or 0), pid_file=str(pid_file or ""), rich=RICH,
                           file_bytes=FILE_BYTES)
