"""docs/python.md says its walkthrough runs as written, cell after cell: run every ``python``
block of the page in order, in one namespace, against a real server."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, Dict

import pytest
from conftest import REPO, Server

import vigil

PAGE = REPO / "docs" / "python.md"
# The page waits a few seconds for the first evaluation; the test waits for the results instead.
FIXED_WAIT = "time.sleep(5)\n"


def cells(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(), re.S)


def wait_for_results(model: vigil.Model) -> None:
    deadline = time.monotonic() + 120
    while not model.results(monitor="feature-drift"):
        if time.monotonic() > deadline:
            raise AssertionError("no feature-drift results two minutes after the data arrived")
        time.sleep(0.1)


def test_the_walkthrough_runs_cell_after_cell(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_URL", server.url)
    monkeypatch.setenv("VIGIL_API_KEY", server.admin_key)
    blocks = cells(PAGE)
    assert sum(FIXED_WAIT in block for block in blocks) == 1
    namespace: Dict[str, Any] = {"wait_for_results": wait_for_results}
    for index, block in enumerate(blocks):
        code = block.replace(FIXED_WAIT, "wait_for_results(churn)\n")
        try:
            exec(compile(code, f"{PAGE.name} cell {index + 1}", "exec"), namespace)
        except Exception as error:
            raise AssertionError(f"cell {index + 1} of {PAGE.name} failed:\n{block}") from error
    assert namespace["sent"].accepted == 300
    assert namespace["result"].overall.metric("roc_auc").sample_size == 500
