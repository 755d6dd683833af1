"""Caller-experience rules (ivr-design.md CX-1..CX-12): warnings (the language rules: errors), errors with --strict.

Connect runs these flows; a caller would still hate them. Definitions the rules rest on:

- A *menu* is a GetParticipantInput with StoreInput "False" (or none: the reference's default):
  the caller presses one key.
- *0 reaches an agent* at an input when some path from its `Equals 0` branch (for a menu), or
  from the `Equals 0` branch of a Compare of $.StoredCustomerInput that follows it before any
  other input (for a stored input; for an encrypted one, which the flow cannot compare, from a
  condition branch of a Compare of the `$.External` answer of a Lambda given $.StoredCustomerInput:
  the Lambda decrypts it and says the caller keyed 0), runs a TransferContactToQueue or a TransferToFlow (the flow
  that transfers), or in a customer queue flow keeps the caller in line (a
  DequeueContactAndTransferToQueue, or the EndFlowExecution that returns to waiting). In a flow
  module it may instead return (EndFlowModuleExecution): a module cannot transfer, the flow that
  invoked it goes on to the agent (its own inputs are held to this rule). After hours that path
  may end politely instead (CX-1): one path is enough.
- A *level* of menus: the menu a call reaches without choosing an option is level 1; a menu
  reached by choosing an option (a Conditions branch) of a level-n menu is level n+1. A re-prompt
  reached through a menu's error branches (timeout, invalid key) stays at the same level, and a
  way back up ("press 9 for the main menu") does not make the main menu deeper: the level of a
  menu is the fewest options a caller must choose to reach it.
- A *retry loop without a bound* is a cycle of transitions that no Loop action counts: cycles are
  looked for after removing each Loop's ContinueLooping branch (and its NextAction, which a Loop
  never takes since its two conditions cover every outcome).
- A disconnect is *announced* when every way into it comes from a MessageParticipant, possibly
  followed by silent actions (attribute and behavior updates, Compare, CheckHoursOfOperation,
  Loop...: see catalog.SILENT_TYPES) left by their normal exits (NextAction, a condition, or
  NoMatchingCondition). Any exit of the message counts, its error branch too: when the goodbye
  itself fails there is nothing better left to do than hang up. A disconnect is a *dead end*
  when some way into it starts at the flow's start, at an error branch of a silent action
  (something failed after the last message, so the caller never heard why the call ends), or at
  any other action (an input, a Lambda whose result was never spoken, a transfer).
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator, Mapping, Sequence

from flow_language import catalog
from flow_language.connect_rules import and_list, show
from flow_language.model import Action, Branch, Flow, static_integer
from flow_language.placeholders import placeholders_in
from flow_language.registry import DOCUMENT, ERROR, WARNING, Context, Finding, rule
from flow_language.spec import PROMPTS
from flow_language.translations import LANGUAGE_MENU, prompts, references, suffix

MAX_MENU_LEVELS = 2  # CX-2: the main menu and one level below it
MAX_MENU_OPTIONS = 5  # CX-2: at most 5 options (besides 0 for an agent)
AGENT_KEY = "0"  # CX-1
STORED_INPUT = "$.StoredCustomerInput"
# Where pressing 0 must lead: the agent queue, or the flow that transfers to it; in a customer queue
# flow, the caller is in line already: another queue, or the end of the flow (back to waiting).
AGENT_TYPES = frozenset({"TransferContactToQueue", "TransferToFlow", "DequeueContactAndTransferToQueue", "EndFlowExecution"})
# A module hands the caller back to the flow that invoked it, which transfers.
MODULE_AGENT_TYPES = AGENT_TYPES | {"EndFlowModuleExecution"}


def menus(flow: Flow) -> Iterator[Action]:
    return (action for action in flow.of_type("GetParticipantInput") if catalog.store_input(action) == "False")


@rule("cx-zero-to-agent", WARNING, "pressing 0 at every input leads to an agent (CX-1)")
def zero_to_agent(context: Context) -> Iterator[Finding]:
    flow = context.flow
    agent_types = MODULE_AGENT_TYPES if context.module else AGENT_TYPES
    for action in flow.by_id.values():  # a duplicate Identifier is identifier-unique's to report
        if action.type != "GetParticipantInput":
            continue
        is_menu = catalog.store_input(action) == "False"
        zero_targets = _zero_targets(flow, action) if is_menu else _stored_zero_targets(flow, action)
        if not zero_targets and is_menu:
            yield Finding(action.identifier, 'menu has no branch for "0": every menu lets the caller press 0 for an '
                                             "agent (CX-1)")
        elif not zero_targets and "InputEncryption" in action.parameters:
            yield Finding(action.identifier, "pressing 0 is not handled: encrypted input cannot be compared in the flow; "
                                             "pass $.StoredCustomerInput to a Lambda that decrypts it and lead a branch on "
                                             "its answer to an agent (CX-1)")
        elif not zero_targets:
            yield Finding(action.identifier, "pressing 0 is not handled: after the input, compare "
                                             "$.StoredCustomerInput with Equals 0 and lead that branch to an agent (CX-1)")
        elif not _reaches(flow, zero_targets, agent_types):
            yield Finding(action.identifier, "pressing 0 never reaches an agent: no path from the 0 branch leads to "
                                             f"{and_list(sorted(agent_types), 'or')} (CX-1)")


def _zero_targets(flow: Flow, action: Action) -> list[str]:
    """Where the branches `Equals 0` of an action lead."""
    return [b.target for b in flow.successors[action.identifier]
            if b.kind == "condition" and b.operator == "Equals" and b.operand == AGENT_KEY]


def _stored_zero_targets(flow: Flow, stored_input: Action) -> list[str]:
    """Where a stored input's 0 leads: the `Equals 0` branches of the Compares of
    $.StoredCustomerInput that follow the input (before any other input); for an encrypted input,
    the condition branches of the Compares of `$.External` after a Lambda given the input."""
    encrypted = "InputEncryption" in stored_input.parameters
    targets: list[str] = []
    decrypted = False
    seen, stack = {stored_input.identifier}, [stored_input.identifier]
    while stack:
        for branch in flow.successors[stack.pop()]:
            action = flow.by_id[branch.target]
            if branch.target in seen or action.type == "GetParticipantInput":
                continue
            seen.add(branch.target)
            stack.append(branch.target)
            value = action.parameters.get("ComparisonValue")
            if action.type == "InvokeLambdaFunction" and STORED_INPUT in _values(action.parameters.get("LambdaInvocationAttributes")):
                decrypted = True
            elif action.type == "Compare" and not encrypted and value == STORED_INPUT:
                targets += _zero_targets(flow, action)
            elif action.type == "Compare" and encrypted and decrypted and str(value).startswith("$.External."):
                targets += [b.target for b in flow.successors[action.identifier] if b.kind == "condition"]
    return targets


def _values(attributes: object) -> list[object]:
    return list(attributes.values()) if isinstance(attributes, Mapping) else []


def _reaches(flow: Flow, starts: Sequence[str], types: frozenset[str]) -> bool:
    """Whether some path from one of `starts` runs an action of one of `types`."""
    seen, stack = set(starts), list(starts)
    while stack:
        node = stack.pop()
        if flow.by_id[node].type in types:
            return True
        for branch in flow.successors[node]:
            if branch.target not in seen:
                seen.add(branch.target)
                stack.append(branch.target)
    return False


@rule("cx-menu-options", WARNING, f"a menu offers at most {MAX_MENU_OPTIONS} options besides 0 (CX-2)")
def menu_options(context: Context) -> Iterator[Finding]:
    for menu in menus(context.flow):
        options = {condition.operand for condition in menu.conditions} - {AGENT_KEY, None}
        if len(options) > MAX_MENU_OPTIONS:
            yield Finding(menu.identifier, f"menu offers {len(options)} options besides 0; CX-2 allows at most "
                                           f"{MAX_MENU_OPTIONS}: merge or drop options")


@rule("cx-menu-depth", WARNING, f"menus nest at most {MAX_MENU_LEVELS} levels (CX-2)")
def menu_depth(context: Context) -> Iterator[Finding]:
    chains = _menu_chains(context.flow)
    for menu in menus(context.flow):
        chain = chains.get(menu.identifier)
        if chain is not None and len(chain) + 1 > MAX_MENU_LEVELS:
            path = " > ".join([*chain, "this menu"])
            yield Finding(menu.identifier, f"menu is {len(chain) + 1} levels deep ({path}); CX-2 allows the main menu "
                                           "and one level below it")


def _menu_chains(flow: Flow) -> Mapping[str, tuple[str, ...]]:
    """For each reachable action, the menus whose options a caller must choose to get there,
    along the path that needs the fewest choices (a 0-1 breadth-first search)."""
    start = flow.start_action
    if start is None or start not in flow.by_id:
        return {}
    menu_ids = {menu.identifier for menu in menus(flow)}
    chains: dict[str, tuple[str, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for branch in flow.successors[node]:
            chooses_option = node in menu_ids and branch.kind == "condition"
            chain = chains[node] + (node,) if chooses_option else chains[node]
            if branch.target not in chains or len(chain) < len(chains[branch.target]):
                chains[branch.target] = chain
                if chooses_option:
                    queue.append(branch.target)
                else:
                    queue.appendleft(branch.target)
    return chains


@rule("cx-unbounded-loop", WARNING, "every cycle passes through a Loop action (CX-4: at most 2 retries)")
def unbounded_loop(context: Context) -> Iterator[Finding]:
    flow = context.flow
    successors = {identifier: _counted_successors(flow.by_id[identifier], branches)
                  for identifier, branches in flow.successors.items()}
    for component in _strongly_connected(list(flow.by_id), successors):
        first = min(component, key=lambda identifier: flow.by_id[identifier].index)
        if len(component) == 1 and first not in successors[first]:
            continue
        cycle = " → ".join(_shortest_cycle(first, set(component), successors))
        yield Finding(first, f"retry loop without a bound: {cycle} passes no Loop action, so a caller can go round "
                             "forever; count the retries with a Loop action (CX-4: at most 2 retries)")


def _counted_successors(action: Action, branches: Sequence[Branch]) -> list[str]:
    """Targets a caller can go round through; a Loop's ContinueLooping is bounded by its count."""
    if action.type == "Loop":
        branches = [b for b in branches if b.kind == "error" or (b.kind == "condition" and b.operand == "DoneLooping")]
    return list(dict.fromkeys(branch.target for branch in branches))


def _strongly_connected(nodes: list[str], successors: Mapping[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a flow may hold 250 actions in one chain)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)

    for root in nodes:
        if root in index:
            continue
        visit(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    visit(child)
                    work.append((child, iter(successors[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def _shortest_cycle(start: str, members: set[str], successors: Mapping[str, list[str]], shown: int = 6) -> list[str]:
    """start → ... → start, the shortest way round inside one strongly connected component."""
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in successors[node]:
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                path = [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
                return path if len(path) <= shown else [*path[: shown - 1], "…", start]
            if child in members and child not in parents and child != start:
                parents[child] = node
                queue.append(child)
    return [start, start]


@rule("cx-disconnect-without-message", WARNING, "a disconnect is announced by a message just before it (CX-6)")
def disconnect_without_message(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("DisconnectParticipant"):
        if action.identifier in context.flow.reachable:
            origins = _unannounced_origins(context.flow, action.identifier)
            if origins:
                yield Finding(action.identifier, f"the call ends without a goodbye message when it comes from "
                                                 f"{and_list(origins)}; play a MessageParticipant just before "
                                                 "disconnecting on those paths (CX-6)")


def _unannounced_origins(flow: Flow, disconnect: str) -> list[str]:
    """The ways into `disconnect` that no message announces (see the module's definition),
    one entry per action: `id (Type: the branches that lead on)`."""
    origins: dict[str, list[str]] = {}
    seen, stack = {disconnect}, [disconnect]
    while stack:
        node = stack.pop()
        if node == flow.start_action:
            origins.setdefault("StartAction", [])
        for source, branch in flow.predecessors[node]:
            action = flow.by_id[source]
            if source not in flow.reachable or action.type == "MessageParticipant":
                continue
            failed = branch.kind == "error" and branch.error_type != catalog.NO_MATCHING_CONDITION
            if action.type in catalog.SILENT_TYPES and not failed:
                if source not in seen:
                    seen.add(source)
                    stack.append(source)
            else:
                origins.setdefault(source, []).append(branch.label)
    return [
        origin if origin == "StartAction" else f"{origin} ({flow.by_id[origin].type}: {', '.join(labels)})"
        for origin, labels in origins.items()
    ]


@rule("cx-unhandled-error-branch", WARNING, "optional error branches are handled (CX-6)")
def unhandled_error_branch(context: Context) -> Iterator[Finding]:
    for action in context.flow.actions:
        policy = catalog.error_branches(action)
        missing = sorted(policy.expected - action.error_types) if policy else []
        if missing:
            yield Finding(action.identifier, f"no error branch for {and_list(missing)}: where the call goes then is "
                                             "not defined; handle it, even if only with an apology (CX-6)")


@rule("cx-input-without-prompt", WARNING, "every input tells the caller what to enter (CX-3)")
def input_without_prompt(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("GetParticipantInput"):
        if not any(name in action.parameters for name in PROMPTS):
            yield Finding(action.identifier, "the input plays no prompt (no Text, SSML, PromptId or Media): "
                                             "the caller is not told what to enter (CX-3)")


# Connect stores "Timeout" and takes a Store-input prompt's success branch when the caller enters
# nothing (admin guide, "Store customer input"): only a comparison tells silence from input.
STORED_INPUT = "$.StoredCustomerInput"
STORED_TIMEOUT = "Timeout"


@rule("cx-stored-input-timeout", WARNING, "a stored input's timeout is told apart from input (CX-3)")
def stored_input_timeout(context: Context) -> Iterator[Finding]:
    flow = context.flow
    for action in flow.of_type("GetParticipantInput"):
        if catalog.store_input(action) == "True" and not _timeout_compared(flow, action.next_action):
            yield Finding(action.identifier, f"a caller who enters nothing takes this input's success branch with "
                                             f'{STORED_INPUT} = "{STORED_TIMEOUT}": compare it with Equals "{STORED_TIMEOUT}" '
                                             "before using the input, so silence gets its own prompt (CX-3)")


def _timeout_compared(flow: Flow, start: str | None) -> bool:
    """Whether a Compare of the stored input with an Equals "Timeout" condition follows, through
    silent actions only (before anything uses the input)."""
    seen: set[str] = set()
    pending = deque([start] if start else [])
    while pending:
        identifier = pending.popleft()
        action = flow.by_id.get(identifier)
        if action is None or identifier in seen:
            continue
        seen.add(identifier)
        compares_input = action.type == "Compare" and action.parameters.get("ComparisonValue") == STORED_INPUT
        if compares_input and any(c.operator == "Equals" and c.operand == STORED_TIMEOUT for c in action.conditions):
            return True
        if action.type in catalog.SILENT_TYPES:
            pending.extend(branch.target for branch in action.branches())
    return False


@rule("cx-dip-budget", WARNING, "a Lambda's InvocationTimeLimitSeconds is above the dip's budget (DD-5)")
def dip_budget(context: Context) -> Iterator[Finding]:
    for action in context.flow.of_type("InvokeLambdaFunction"):
        dip, budget = _dip_budget(context, action.parameters.get("LambdaFunctionARN"))
        limit = static_integer(action.parameters.get("InvocationTimeLimitSeconds"))
        if budget is not None and limit is not None and limit <= budget:
            yield Finding(action.identifier, f"InvocationTimeLimitSeconds is {limit} s but the {dip} dip may take "
                                             f"{budget:g} s (its budget): Connect gives up before the dip answers; "
                                             "set the limit above the budget (DD-5)")


def _dip_budget(context: Context, function: object) -> tuple[str, float | None]:
    """(dip name, budget) for a LambdaFunctionARN: looked up by the ARN as written, or by the
    name of the one placeholder it is made of (`{{order_status_lambda_arn}}`)."""
    if not isinstance(function, str):
        return "", None
    keys = [function]
    names = placeholders_in(function)
    if len(names) == 1 and function == f"{{{{{names[0]}}}}}":
        keys = [names[0], function]
    for key in keys:
        budget = context.dip_budgets_seconds.get(key)
        if isinstance(budget, (int, float)) and math.isfinite(budget):
            return show(key), float(budget)
    return "", None


@rule("cx-prompt-languages", ERROR, "every prompt has a text in each configured language (CX-12)")
def prompt_languages(context: Context) -> Iterator[Finding]:
    given = context.translations
    if given is None or given.stem == LANGUAGE_MENU:
        return
    for prompt in prompts(context.document):
        for language in given.extra_languages:
            if prompt.action_id not in given.texts[language]:
                yield Finding(prompt.action_id, f"no {language} text for this prompt: add to {given.files[language]}, "
                                                f"under `{given.stem}:`, the line `{prompt.action_id}: <in {language}: "
                                                f"{prompt.text!r}>` (CX-12)")


@rule("cx-translation-references", ERROR, "a translation keeps the {{placeholders}} and $. references of the default text (CX-12)")
def translation_references(context: Context) -> Iterator[Finding]:
    given = context.translations
    if given is None:
        return
    for prompt in prompts(context.document):
        expected = references(prompt.text)
        for language in given.extra_languages:
            text = given.texts[language].get(prompt.action_id)
            if text is not None and references(text) != expected:
                yield Finding(prompt.action_id, f"the {language} text ({given.files[language]}, {given.stem}: "
                                                f"{prompt.action_id}) has {_listed(references(text))} where the "
                                                f"default text has {_listed(expected)}: a translation says the same "
                                                "values, so it keeps each one (CX-12)")


@rule("cx-translation-stale", WARNING, "a translation is of a prompt the flow still has (CX-12)")
def translation_stale(context: Context) -> Iterator[Finding]:
    given = context.translations
    if given is None:
        return
    current = {prompt.action_id for prompt in prompts(context.document)}
    for language in given.extra_languages:
        for action_id in given.texts[language]:
            if action_id not in current:
                yield Finding(DOCUMENT, f"{given.files[language]} translates `{given.stem}: {action_id}`, which is "
                                        "not a prompt of this flow (no action of that Identifier, or it says no words): "
                                        "remove it, or rename it after the action (CX-12)")


@rule("cx-language-menu", ERROR, f"the {LANGUAGE_MENU} flow offers every configured language (CX-12)")
def language_menu(context: Context) -> Iterator[Finding]:
    given = context.translations
    if given is None or given.stem != LANGUAGE_MENU or not context.placeholders_allowed:
        return
    targets = {str(action.parameters.get("ContactFlowId", "")) for action in context.flow.of_type("TransferToFlow")}
    for language in given.extra_languages:
        if not any(target.endswith(suffix(language) + "_flow_arn}}") for target in targets):
            yield Finding(DOCUMENT, f"the language menu offers no way to {language}: add a key whose branch transfers "
                                    f"to the entry flow's {language} variant ({{{{main{suffix(language)}_flow_arn}}}}) (CX-12)")


def _listed(found: list[str]) -> str:
    return and_list(found) if found else "none"
