from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SD17 = DATA / "shandong-2017-province.txt"
SD17T = DATA / "shandong-2017-province-traditional.txt"
LC17 = DATA / "liaocheng-2017-city.md"
ZC20 = DATA / "zichuan-2020-district.txt"
SD21 = DATA / "shandong-2021-province.txt"
SAMPLES = [SD17, SD17T, LC17, ZC20, SD21]


@pytest.fixture
def cli():
    """Run the CLI in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def run_process(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real ``policydiff`` console script in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    exe = Path(sys.executable).parent / "policydiff"
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=full_env, timeout=300)


def assert_lossless(doc) -> None:
    """Every body character in exactly one item; every character in at most one sentence."""
    owner = [0] * len(doc.text)
    for it in doc.items:
        for k in range(it.span.start, it.span.end):
            owner[k] += 1
    assert all(owner[k] == 1 for k in range(doc.body_span.start, doc.body_span.end))
    inside = [0] * len(doc.text)
    for s in doc.sentences:
        assert doc.text[s.span.start : s.span.end] == s.text
        for k in range(s.span.start, s.span.end):
            inside[k] += 1
    assert max(inside, default=0) <= 1
    assert len(doc.origin) == len(doc.text)


def chromium_or_skip() -> str:
    """Path of Debian's chromium; the test is skipped without it, except on CI where it must exist."""
    import os
    import shutil

    import pytest

    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        if os.environ.get("CI"):
            raise AssertionError("chromium missing on CI")
        pytest.skip("no chromium here")
    return path


def launch_chromium(pw, path: str):
    """A headless chromium that makes no network request of its own."""
    return pw.chromium.launch(executable_path=path, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                          "--disable-background-networking"])


@pytest.fixture(scope="module")
def browser():
    """A headless chromium for the module's tests (skipped without one, except on CI)."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch_chromium(pw, path)
        yield b
        b.close()
