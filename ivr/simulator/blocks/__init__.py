"""The flow-language blocks the simulator runs, one module per family: `prompts` (what the caller
hears and keys), `lex` (Lex bots), `data` (dips, attributes, Compare), `customer_records`
(Customer Profiles and Cases), `routing` (hours, metrics, loops, percentages, waits), `queues`
(queues, agents and callbacks), `flow_control` (transfers, modules, ends), `no_effect` (settings
with no local effect) and `not_simulated` (services with no local meaning: streaming, Voice ID,
views, third-party transfers...).

Importing this package registers every family; `handler_for(type)` finds an action type's
handler and `HANDLED_TYPES` lists them all: every action type of the flow-language reference.
"""
from __future__ import annotations

from ivr.simulator.blocks import (
    customer_records,
    data,
    flow_control,
    lex,
    no_effect,
    not_simulated,
    prompts,
    queues,
    routing,
)
from ivr.simulator.blocks.registry import (
    NEXT,
    RETURN,
    Branch,
    Handler,
    block,
    condition,
    error,
    handled_types,
    handler_for,
)

HANDLED_TYPES = handled_types()

__all__ = ["HANDLED_TYPES", "NEXT", "RETURN", "Branch", "Handler", "block", "condition", "error", "handled_types",
           "handler_for", "customer_records", "data", "flow_control", "lex", "no_effect", "not_simulated",
           "prompts", "queues", "routing"]
