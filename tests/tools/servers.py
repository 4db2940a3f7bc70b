"""Starting and stopping the servers the tests use: each binds 127.0.0.1 on a free port, runs in
its own folder and is stopped by its PID."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tests" / "tools"
INSTALL_HINT = "run scripts/install-test-tools.sh (make test runs it)"


def require(program: str) -> str:
    """The path of an installed program; fails (not skips: CI must have it) when it is missing."""
    venv_bin = Path(os.sys.executable).parent
    found = shutil.which(program) or shutil.which(program, path=str(venv_bin))
    if not found:
        pytest.fail(f"{program} is not installed: {INSTALL_HINT}", pytrace=False)
    return found


def require_node_modules() -> Path:
    if not (TOOLS / "node_modules" / ".package-lock.json").exists():
        pytest.fail(f"the npm tools of tests/tools are not installed: {INSTALL_HINT}", pytrace=False)
    return TOOLS


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as err:
        return err.code < 500
    except OSError:
        return False


def wait_until(ready: Callable[[], bool], process: subprocess.Popen, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if ready():
            return
        time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{what} did not start within {timeout:.0f}s:\n{log.read_text(errors='replace')[-3000:]}")


def start(command: list[str], log: Path, cwd: Path | None = None) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=cwd)


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to the PID, SIGKILL if it does not exit in time."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
