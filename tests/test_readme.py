"""The README's tour runs as written: every ``policydiff …`` line of its shell blocks, in a fresh
``git clone`` of this checkout, with the virtualenv's ``bin`` first on PATH (what
``. .venv/bin/activate`` does after ``make demo``)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def tour_commands() -> list[str]:
    """The ``policydiff`` command lines of the tour's shell blocks, as written (comments cut).

    The tour is the README's "A tour of the CLI" section; later sections show commands on the
    corpus beside the checkout, with shell variables and line continuations.
    """
    lines, inside = [], False
    text = README.read_text(encoding="utf-8")
    tour = text[text.index("## A tour of the CLI"):]
    tour = tour[: tour.index("\n## ", 1)]
    for line in tour.splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if inside and line.startswith("policydiff "):
            words = shlex.split(line, comments=True)
            lines.append(shlex.join(words))
    return lines


def test_tour_is_runnable_as_written():
    cmds = tour_commands()
    assert cmds[0].startswith("policydiff outline data/")
    for cmd in cmds:
        words = shlex.split(cmd)
        assert not any(w.isupper() and w.isalpha() for w in words[1:]), f"placeholder in {cmd!r}"
        for w in words[2:]:
            if w.startswith("data/"):
                assert (ROOT / w).exists(), (cmd, w)
    assert ". .venv/bin/activate" in README.read_text(encoding="utf-8")
    assert "pipx install ." in README.read_text(encoding="utf-8")


@pytest.mark.slow
def test_tour_runs_in_a_fresh_clone(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    assert shutil.which("policydiff", path=env["PATH"]), "policydiff is not in the virtualenv"
    for cmd in tour_commands():
        res = subprocess.run(cmd, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, (cmd, res.stderr[-2000:])
        assert "Traceback" not in res.stderr
    for name in ("cmp.json", "report.html", "audit.xlsx", "family.html", "graph.html"):
        assert (clone / name).stat().st_size > 1000, name
    assert any((clone / "pairs").iterdir()) and any((clone / "r").iterdir())
