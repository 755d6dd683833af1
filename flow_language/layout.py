"""Designer positions: where the Connect console draws each block of a flow that carries none."""
from __future__ import annotations

import copy
from typing import Any

from flow_language.model import Flow

COLUMN_WIDTH, ROW_HEIGHT, MARGIN = 280, 200, 40


def with_positions(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with a designer position for every action that has none (columns by distance from
    the start, rows in file order), so the console does not stack every block on one spot."""
    result = copy.deepcopy(document)
    flow = Flow.from_document(result)
    metadata = result.setdefault("Metadata", {})
    action_metadata = metadata.setdefault("ActionMetadata", {})
    if all("position" in action_metadata.get(a.identifier, {}) for a in flow.actions):
        return result
    depth = flow.distances_from_start
    rows: dict[int, int] = {}
    metadata.setdefault("entryPointPosition", {"x": MARGIN, "y": MARGIN})
    for action in flow.actions:
        entry = action_metadata.setdefault(action.identifier, {})
        if "position" not in entry:
            column = depth.get(action.identifier, max(depth.values(), default=0) + 1)
            row = rows[column] = rows.get(column, -1) + 1
            entry["position"] = {"x": MARGIN + COLUMN_WIDTH * (column + 1), "y": MARGIN + ROW_HEIGHT * row}
    return result
