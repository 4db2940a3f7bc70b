"""The static assets of the pages (stylesheet and script), shipped in this package."""

from __future__ import annotations

from importlib import resources


def static_asset(name: str) -> bytes:
    return resources.files("govkg.web").joinpath("static", name).read_bytes()
