"""``make lab`` (``python -m grader lab``): JupyterLab on the course, as any user, anywhere.

Root is the usual user in containers, where Jupyter refuses to start without --allow-root;
over SSH or on a machine with no display no browser can open, and the address with its
token is all the user needs, so it is printed where it cannot be missed.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def command(notebook_dir: Path, extra: list[str]) -> tuple[list[str], list[str]]:
    """The jupyter lab command line, and the lines that say why a flag was added."""
    args = [sys.executable, "-m", "jupyterlab", f"--notebook-dir={notebook_dir}", *extra]
    said = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        args.append("--allow-root")
        said.append("make lab: running as root (as in most containers), so with --allow-root.")
    if _headless() and "--no-browser" not in extra:
        args.append("--no-browser")
        said.append("make lab: no browser can open here (SSH, or no display): open the address "
                    "printed below in a browser on your own machine.")
    return args, said


def _headless() -> bool:
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return True
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY"))


def server_info(pid: int, timeout: float = 60.0) -> dict | None:
    """The running server's url, port and token, from the runtime file Jupyter writes."""
    from jupyter_core.paths import jupyter_runtime_dir

    path = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.2)
    return None


def banner(info: dict) -> str:
    url = f"{info['url'].rstrip('/')}/lab" + (f"?token={info['token']}" if info.get("token") else "")
    port = info.get("port", 8888)
    return "\n".join([
        "", "=" * 78,
        "  The course is running. Open this address in a browser:", "",
        f"      {url}", "",
        f"  Over SSH, forward the port first:  ssh -L {port}:localhost:{port} <this machine>",
        "  Stop it with Ctrl-C.",
        "=" * 78, ""])


def main(extra: list[str], notebook_dir: Path) -> int:
    args, said = command(notebook_dir, extra)
    for line in said:
        print(line, flush=True)
    server = subprocess.Popen(args)
    # stopped by a signal (a terminal closed, a supervisor), the server stops with us
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    signal.signal(signal.SIGHUP, lambda *_: server.terminate())
    try:
        info = server_info(server.pid)
        if info is not None and server.poll() is None:
            print(banner(info), flush=True)
        return server.wait()
    except KeyboardInterrupt:
        # Jupyter asks for confirmation on the first Ctrl-C; one is enough here
        server.send_signal(signal.SIGTERM)
        return server.wait()
