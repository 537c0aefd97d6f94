"""`make lab` starts the course as the user at hand (root included) and says where it runs."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from grader.lab import command
from grader.release import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")
def test_make_lab_serves_the_course(tmp_path):
    port, token = _free_port(), "course-test-token"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path)  # its own, so the test finds this server's file
    lab_args = f"--port={port} --IdentityProvider.token={token} --ServerApp.ip=127.0.0.1"
    # this interpreter's environment, already installed (BIN), without the install step (STAMP)
    make = ["make", "-s", "lab", f"BIN={Path(sys.executable).parent}", "STAMP=", f"LAB_ARGS={lab_args}"]
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        lab = subprocess.Popen(make, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        status = None
        deadline = time.monotonic() + 90
        while status is None and time.monotonic() < deadline and lab.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}",
                                            timeout=2) as reply:
                    status = json.loads(reply.read())
            except OSError:
                time.sleep(0.3)
        assert status is not None, f"no answer from /api/status:\n{log.read_text()[-3000:]}"
        assert "started" in status
        deadline = time.monotonic() + 20  # the address is printed once the server is up
        while f"/lab?token={token}" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = log.read_text()
        assert f"http://127.0.0.1:{port}/lab?token={token}" in text, text[-3000:]
        assert f"ssh -L {port}:localhost:{port}" in text
        if os.geteuid() == 0:
            assert "running as root" in text
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()


def test_root_gets_allow_root_and_no_display_no_browser(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 5000 10.0.0.1 22")
    args, said = command(Path("notebooks"), ["--port=9000"])
    assert "--allow-root" in args and "--no-browser" in args and "--port=9000" in args
    assert len(said) == 2


def test_a_user_with_a_display_gets_neither(monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    args, said = command(Path("notebooks"), [])
    assert "--allow-root" not in args and "--no-browser" not in args and not said
