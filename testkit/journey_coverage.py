"""Path coverage of our flows by the journey suite: which actions the scenarios reached."""
from __future__ import annotations

from collections.abc import Iterable

from ivr.simulator import transcript as t
from ivr.simulator.flows import FlowLibrary


def actions_in(library: FlowLibrary) -> set[tuple[str, str]]:
    """(flow name, action id) of every action of every flow and module in the library."""
    return {(flow.name, identifier) for flow in library for identifier in flow.actions}


def reached(transcripts: Iterable[t.Transcript]) -> set[tuple[str, str]]:
    return {(event.flow, event.action) for transcript in transcripts for event in transcript.events
            if event.kind == t.STEP}


def report(library: FlowLibrary, transcripts: Iterable[t.Transcript]) -> str:
    """Per flow: actions reached out of all, then the ones never reached."""
    everything = actions_in(library)
    hit = reached(transcripts) & everything
    lines = [f"actions reached by the scenarios: {len(hit)} of {len(everything)}"]
    for flow in library:
        ids = [i for i in flow.actions]
        missed = [i for i in ids if (flow.name, i) not in hit]
        lines.append((f"  {flow.name:<16} {len(ids) - len(missed):>3}/{len(ids):<3}"
                      + (f"  not reached: {', '.join(missed)}" if missed else "")).rstrip())
    return "\n".join(lines)
