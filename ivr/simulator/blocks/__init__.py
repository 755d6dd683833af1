"""The flow-language blocks the simulator runs, one module per family: `prompts` (what the caller
hears and keys), `data` (dips, attributes, Compare), `routing` (hours, metrics, loops, percentages,
waits), `queues` (queues and callbacks), `flow_control` (transfers, modules, ends) and `no_effect`.

Importing this package registers every family; `handler_for(type)` finds an action type's handler.
"""
from __future__ import annotations

from ivr.simulator.blocks import data, flow_control, no_effect, prompts, queues, routing
from ivr.simulator.blocks.registry import NEXT, RETURN, Branch, Handler, block, condition, error, handler_for

__all__ = ["NEXT", "RETURN", "Branch", "Handler", "block", "condition", "error", "handler_for",
           "data", "flow_control", "no_effect", "prompts", "queues", "routing"]
