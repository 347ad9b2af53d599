"""The case corpus (ftfy style): clause pairs with their expected relation, one test function.

- real.json: 1:1 links of the blind golds (relation written by the annotator) the engine gets right;
- synthetic.json: jurisdiction, condensation and rewording cases written by hand;
- negative.json: pairs that must not be paired (distractors);
- known_failures.json: blind-gold links the engine still gets wrong, run as expected failures so
  they stay visible (an xpass means one was fixed: move it to real.json with scripts/build_cases.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policydiff.cases import run_case

CASES = Path(__file__).parent / "cases"


def _load() -> list:
    out = []
    for name in ("real", "synthetic", "negative", "known_failures"):
        for k, case in enumerate(json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))):
            marks = [pytest.mark.xfail(reason="known failure", strict=False)] if name == "known_failures" else []
            out.append(pytest.param(case, id=f"{name}-{k}", marks=marks))
    return out


@pytest.mark.parametrize("case", _load())
def test_case(case):
    assert run_case(case) == case["relation"], case["source"]
