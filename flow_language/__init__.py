"""Offline validation of Amazon Connect contact flows (issue 4): `ivr flows check`.

Public API (keep it stable: infra/contact_flows.py calls it at synth):

- `validate_flow(document, *, name, placeholders_allowed, dip_budgets_seconds=None, strict=False, module=False)`
  -> list[Problem] for one flow, document-level problems first, then in the order of its actions.
  `document` is the JSON text (str or bytes) or the parsed dict; `name` is what the problems call
  the file. `placeholders_allowed=True` for a source file of contact_flows/ (`{{name}}` placeholders
  expected, literal ARNs/ids warned about); False for a rendered flow (every placeholder must be
  filled, literal ARNs expected). `dip_budgets_seconds` maps a dip's Lambda placeholder name
  (`"order_status_lambda_arn"`) or ARN to its budget in seconds. `strict` reports warnings as errors;
  `module=True` checks a flow module (returns with EndFlowModuleExecution, has no flow type).
  Never raises for a bad flow: corrupt JSON, the legacy format or JSON that is no flow is one Problem with rule
  "json". A describe-contact-flow(-module) output or `{Name, Type, Content}` wrapper is checked as the flow it holds;
  `module=None` (the default) decides module or flow by content (`exports.kind_by_content`).
- `check_files(paths, *, strict=False, placeholders_allowed=True, dip_budgets_seconds=None)`
  -> list[Problem] for flow files (modules by content, else those of a `modules` folder; in contact_flows/ a
  disagreement of content and folder is a `flow-folder` error), sorted by file; raises FlowFileError (a usage error)
  for a missing or unreadable path before checking anything. `default_flow_files(root=".")`: the files
  `ivr flows check` checks without arguments (contact_flows/*.json, contact_flows/modules/*.json).
- `Problem(file, action_id, severity, message, rule)`: `severity` is ERROR or WARNING; `action_id`
  is the action's Identifier, `Actions[n]` for an action without one, or DOCUMENT ("-");
  `str(problem)` is the printed line `file:action_id: severity: message`; `to_dict()` the JSON form.
- `RULES`: the rule table (`Rule(id, severity, summary, check)`), in the order rules run.
- `load_flow(document)` -> `Flow`: the parsed model (actions, branches, reachability) the
  simulator reuses; raises FlowFormatError when the text is not a JSON object.
- `check_transfer_targets({path: document})` -> list[Problem] between source flows checked together
  (check_files runs it; synth too): a TransferToFlow must go to a flow type Connect transfers to.
- `read_flow(document)` -> `ConnectFlow` (flow_language.exports): a flow as Connect gives it, unwrapped, with its
  kind by content; FlowFormatError, one line, for what is not a flow.
- `PLACEHOLDER_PATTERN`: the `{{name}}` syntax the deploy mapping fills.
- `ACTIONS`: the action catalog, every action type of the flow-language reference -> its
  `ActionSpec` (flow_language/actions.py holds the entries, flow_language/catalog.py the lookups).

Typical use at synth:

    problems = validate_flow(text, name="contact_flows/main.json", placeholders_allowed=True, strict=True)
    if problems:
        raise ValueError("\\n".join(map(str, problems)))
"""
from flow_language.catalog import ACTIONS
from flow_language.exports import ConnectFlow, read_flow
from flow_language.model import Action, Branch, Flow, FlowFormatError, load_flow
from flow_language.placeholders import PLACEHOLDER_PATTERN
from flow_language.registry import DOCUMENT, ERROR, RULES, WARNING, Problem, Rule
from flow_language.validator import FlowFileError, check_files, check_transfer_targets, default_flow_files, validate_flow

__all__ = [
    "ACTIONS", "DOCUMENT", "ERROR", "PLACEHOLDER_PATTERN", "RULES", "WARNING", "Action", "Branch", "ConnectFlow", "Flow",
    "FlowFileError", "FlowFormatError", "Problem", "Rule", "check_files", "check_transfer_targets", "default_flow_files",
    "load_flow", "read_flow", "validate_flow",
]
