"""A real `govkg serve` process on 127.0.0.1 for the server and browser tests."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest


@dataclass
class Served:
    url: str
    process: subprocess.Popen

    def get(self, path: str, accept: str | None = None, method: str = "GET", data: bytes | None = None,
            headers: dict | None = None):
        """(status, headers, body) without following redirects; errors are answers too."""
        request = urllib.request.Request(self.url + quote(path, safe="/?=&%:;+,"), data=data, method=method,
                                         headers={**({"Accept": accept} if accept else {}), **(headers or {})})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start(build: Path, workdir: Path, *options: str) -> Served:
    """Copies the build (the server writes its store there) and starts the server on a free port."""
    copy = workdir / "build"
    shutil.copytree(build, copy, ignore=shutil.ignore_patterns("site"))
    process = subprocess.Popen([sys.executable, "-m", "govkg.cli", "serve", "--build", str(copy), "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not found:
        process.kill()
        raise RuntimeError(f"govkg serve did not start: {line}{process.stderr.read()}")
    return Served(f"http://127.0.0.1:{found.group(1)}", process)


def stop(served: Served) -> None:
    os.kill(served.process.pid, signal.SIGTERM)
    try:
        served.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(served.process.pid, signal.SIGKILL)
        served.process.wait()


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    """The server with a short query timeout and a small result cap, so the limits are quick to hit."""
    yield from _serving(built, tmp_path_factory.mktemp("serve"), "--query-timeout", "2", "--max-results", "50")


def _serving(build, folder, *options):
    """A server on a build for a fixture's lifetime; it must exit cleanly when stopped."""
    server = start(build, folder, *options)
    yield server
    stop(server)
    assert server.process.returncode == 0, server.process.stderr.read()


@pytest.fixture(scope="session")
def mois_served(mois_built, tmp_path_factory):
    """The server on the whole MOIS build (curated and law-derived), for search and the pages."""
    yield from _serving(mois_built, tmp_path_factory.mktemp("serve-mois"))


@pytest.fixture(scope="session")
def national_served(national_built, tmp_path_factory):
    """The server on the small national build (curated data and the Act's records)."""
    yield from _serving(national_built, tmp_path_factory.mktemp("serve-national"))
