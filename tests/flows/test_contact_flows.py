"""Our own flows (contact_flows/, contact_flows/modules/) pass `ivr flows check --strict`."""
from __future__ import annotations

from pathlib import Path

import pytest

from flow_language import check_files, default_flow_files

REPOSITORY = Path(__file__).resolve().parents[2]
FLOW_FILES = default_flow_files(REPOSITORY)


def test_the_main_flow_is_there():
    assert REPOSITORY / "contact_flows" / "main.json" in FLOW_FILES


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda path: str(path.relative_to(REPOSITORY)))
def test_our_flow_passes_strict(path):
    assert [str(problem) for problem in check_files([path], strict=True)] == []
