"""How a block is run: each flow-language action Type maps to one handler function.

A handler is `(call, frame, action) -> Branch`, registered with `@block("TypeName")`. It reads and
changes the call through `call` (contact state, transcript, settings), and tells the engine which
way the flow goes on by the branch it returns; to end the call it calls `call.end(...)` or
`call.stop(...)`, which raise.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flow_language.model import Action

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame

# ("next", None): NextAction; ("error", ErrorType); ("condition", the matched condition's target);
# ("return", None): the flow or module is done and control goes back to whoever ran it.
Branch = tuple[str, str | None]
NEXT: Branch = ("next", None)
RETURN: Branch = ("return", None)

Handler = Callable[["Call", "Frame", Action], Branch]

_HANDLERS: dict[str, Handler] = {}


def error(error_type: str) -> Branch:
    return ("error", error_type)


def condition(target: str | None) -> Branch:
    return ("condition", target)


def block(*types: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of these action types."""

    def register(handler: Handler) -> Handler:
        for type_ in types:
            if type_ in _HANDLERS:
                raise ValueError(f"block type {type_} has two handlers: {_HANDLERS[type_].__qualname__} and {handler.__qualname__}")
            _HANDLERS[type_] = handler
        return handler

    return register


def handled_types() -> frozenset[str]:
    """Every action type the simulator runs (all of them once the block families are imported)."""
    return frozenset(_HANDLERS)


def handler_for(type_: str | None) -> Handler | None:
    """The handler of an action type; None for a type the simulator cannot run."""
    return _HANDLERS.get(type_) if type_ is not None else None
