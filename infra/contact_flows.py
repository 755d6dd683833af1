"""Contact flows (issue 4): the flow-language files of contact_flows/ deployed as Connect resources.

One mapping fills every `{{placeholder}}` (Lambda ARNs and time limits, queues, hours, other
flows and modules, prompt texts from configuration). Filling works on the parsed JSON, so a value
with a quote cannot break a flow. Every flow is validated twice at synth (the source file with
placeholders, strictly, and the rendered content) and synth stops with the validator's lines when
one is invalid: CloudFormation would otherwise fail the whole stack, often without saying why.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from aws_cdk import Fn, Stack
from aws_cdk import aws_connect as connect
from aws_cdk import aws_iam as iam
from aws_cdk import custom_resources as cr
from constructs import Construct

from infra.config import IvrConfig
from infra.errors import StopSynth
from infra.lambda_function import REPO_ROOT, IvrFunction
from infra.nag import acknowledge
from infra.runtime_values import flow_settings, queue_name
from ivr.flows import PLACEHOLDER_PATTERN, check_transfer_targets, validate_flow
from ivr.flows.spec import FLOW_TYPES

# Where the console designer puts blocks when a file carries no positions.
COLUMN_WIDTH, ROW_HEIGHT, MARGIN = 280, 200, 40


@dataclass(frozen=True)
class FlowFile:
    stem: str
    path: Path
    document: dict[str, Any]
    is_module: bool

    @property
    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER_PATTERN.findall(json.dumps(self.document)))

    def references(self, suffix: str) -> set[str]:
        """Names of the `{{<name><suffix>}}` placeholders, e.g. the flows it transfers to."""
        return {name[: -len(suffix)] for name in self.placeholders if name.endswith(suffix)}

    @property
    def display_name(self) -> str:
        return str(self.document.get("Metadata", {}).get("name") or self.stem)


def load_flow_files(directory: Path) -> list[FlowFile]:
    """<directory>/*.json (flows) and <directory>/modules/*.json (flow modules), sorted."""
    files = []
    for is_module, folder in ((False, directory), (True, directory / "modules")):
        for path in sorted(folder.glob("*.json")):
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise StopSynth(f"{path}: not a JSON flow file ({error})") from None
            if not isinstance(document, dict):
                raise StopSynth(f"{path}: a flow file holds one JSON object")
            files.append(FlowFile(path.stem, path, document, is_module))
    if not files:
        raise StopSynth(f"no contact flows in {directory}: expected *.json flow files (cdk.json context 'flows.directory')")
    return files


def fill_placeholders(document: Any, values: Mapping[str, str]) -> Any:
    """A copy of `document` with each `{{name}}` inside its strings replaced by values[name].

    Works on the parsed JSON: the caller serializes once, so any value (a quote, a backslash,
    a CDK token) ends up correctly escaped. Unknown names are left for the validator to report.
    """
    if isinstance(document, str):
        return PLACEHOLDER_PATTERN.sub(lambda match: str(values.get(match.group(1), match.group(0))), document)
    if isinstance(document, dict):
        return {key: fill_placeholders(value, values) for key, value in document.items()}
    if isinstance(document, list):
        return [fill_placeholders(value, values) for value in document]
    return document


def with_positions(document: dict[str, Any]) -> dict[str, Any]:
    """A copy with a designer position for every action that has none (columns by distance from
    the start, rows in file order), so the console does not stack every block on one spot."""
    result = copy.deepcopy(document)
    actions = [a for a in result.get("Actions", []) if isinstance(a, dict) and isinstance(a.get("Identifier"), str)]
    metadata = result.setdefault("Metadata", {})
    action_metadata = metadata.setdefault("ActionMetadata", {})
    if all("position" in action_metadata.get(a["Identifier"], {}) for a in actions):
        return result
    depth = _depths(result.get("StartAction"), actions)
    rows: dict[int, int] = {}
    metadata.setdefault("entryPointPosition", {"x": MARGIN, "y": MARGIN})
    for action in actions:
        entry = action_metadata.setdefault(action["Identifier"], {})
        if "position" not in entry:
            column = depth.get(action["Identifier"], max(depth.values(), default=0) + 1)
            row = rows[column] = rows.get(column, -1) + 1
            entry["position"] = {"x": MARGIN + COLUMN_WIDTH * (column + 1), "y": MARGIN + ROW_HEIGHT * row}
    return result


def _depths(start: Any, actions: list[dict[str, Any]]) -> dict[str, int]:
    """Fewest transitions from StartAction to each action (breadth first)."""
    successors = {a["Identifier"]: _targets(a.get("Transitions")) for a in actions}
    depth = {start: 0} if start in successors else {}
    frontier = list(depth)
    while frontier:
        following = []
        for identifier in frontier:
            for target in successors.get(identifier, []):
                if target in successors and target not in depth:
                    depth[target] = depth[identifier] + 1
                    following.append(target)
        frontier = following
    return depth


def _targets(transitions: Any) -> list[str]:
    if not isinstance(transitions, dict):
        return []
    targets = [transitions.get("NextAction")]
    for key in ("Errors", "Conditions"):
        targets += [entry.get("NextAction") for entry in transitions.get(key) or [] if isinstance(entry, dict)]
    return [target for target in targets if isinstance(target, str)]


def render(document: dict[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """The content Connect receives, before serialization: placeholders filled, positions added."""
    return with_positions(fill_placeholders(document, values))


def check(document: Any, *, name: str, placeholders_allowed: bool, budgets: Mapping[str, float], module: bool = False) -> None:
    problems = validate_flow(document, name=name, placeholders_allowed=placeholders_allowed,
                             dip_budgets_seconds=budgets, strict=True, module=module)
    if problems:
        kind = "flow file" if placeholders_allowed else "rendered flow (after filling placeholders)"
        lines = "\n".join(str(problem) for problem in problems)
        raise StopSynth(f"contact flow {name} is invalid ({kind}; `ivr flows check --strict` shows the same):\n{lines}")


def deployment_order(files: list[FlowFile]) -> list[FlowFile]:
    """Modules first (a module cannot reference a flow), then flows, each after the flows it
    transfers to: CloudFormation needs the target's ARN first."""
    by_stem = {f.stem: f for f in files if not f.is_module}
    ordered: list[FlowFile] = [f for f in files if f.is_module]
    state: dict[str, str] = {}

    def visit(flow: FlowFile, chain: tuple[str, ...]) -> None:
        if state.get(flow.stem) == "done":
            return
        if state.get(flow.stem) == "visiting":
            raise StopSynth(f"contact flows transfer to each other in a cycle ({' -> '.join([*chain, flow.stem])}): "
                            "CloudFormation cannot create them; break the cycle")
        state[flow.stem] = "visiting"
        for target in sorted(flow.references("_flow_arn")):
            if target in by_stem:
                visit(by_stem[target], (*chain, flow.stem))
        state[flow.stem] = "done"
        ordered.append(flow)

    for flow in by_stem.values():
        visit(flow, ())
    return ordered


class ContactFlows(Construct):
    """Every flow file as a CfnContactFlow (`.flows` by file stem) or CfnContactFlowModule
    (`.modules`), plus the queues and hours of operation they route to (`.queue_arns`,
    `.hours_arns`) and, when configured, the phone number's association with the main flow."""

    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig,
                 functions: Mapping[str, IvrFunction]) -> None:
        super().__init__(scope, construct_id)
        settings = config.flows
        directory = Path(settings.directory)
        files = load_flow_files(directory if directory.is_absolute() else REPO_ROOT / directory)
        crossed = check_transfer_targets({Path(_shown_path(flow_file.path)): flow_file.document for flow_file in files})
        if crossed:
            raise StopSynth("contact flows transfer to a flow Connect cannot transfer to:\n"
                            + "\n".join(str(problem) for problem in crossed))
        self.flows: dict[str, connect.CfnContactFlow] = {}
        self.modules: dict[str, connect.CfnContactFlowModule] = {}
        used = set().union(*(f.placeholders for f in files))
        queues = {n[: -len("_queue_arn")] for n in used if n.endswith("_queue_arn")}
        hours = {n[: -len("_hours_arn")] for n in used if n.endswith("_hours_arn")}
        if queues - set(settings.queue_arns):  # queues the app creates open with settings.queue_hours
            hours.add(settings.queue_hours)
        self.hours_arns = self._hours(config, hours)
        self.queue_arns = self._queues(config, queues)

        values: dict[str, str] = {
            **flow_settings(config),
            **{f"{name}_queue_arn": arn for name, arn in self.queue_arns.items()},
            **{f"{name}_hours_arn": arn for name, arn in self.hours_arns.items()},
        }
        source_budgets: dict[str, float] = {}
        rendered_budgets: dict[str, float] = {}
        for folder, function in functions.items():
            dip = config.dips.get(folder)
            values[f"{folder}_lambda_arn"] = function.arn_for_flows
            if dip:
                values[f"{folder}_time_limit"] = str(dip.invocation_time_limit_seconds)
                source_budgets[f"{folder}_lambda_arn"] = rendered_budgets[function.arn_for_flows] = dip.budget_ms / 1000
        for flow_file in deployment_order(files):
            relative = _shown_path(flow_file.path)
            check(flow_file.document, name=relative, placeholders_allowed=True, budgets=source_budgets,
                  module=flow_file.is_module)
            content = render(flow_file.document, values)
            check(content, name=relative, placeholders_allowed=False, budgets=rendered_budgets,
                  module=flow_file.is_module)
            resource = self._declare(config, flow_file, json.dumps(content, separators=(",", ":")))
            self._depend(resource, flow_file, functions)
            if flow_file.is_module:
                self.modules[flow_file.stem] = resource
                arn = resource.attr_contact_flow_module_arn
                values[f"{flow_file.stem}_module_id"] = Fn.select(1, Fn.split("/flow-module/", arn))
            else:
                self.flows[flow_file.stem] = resource
                values[f"{flow_file.stem}_flow_arn"] = resource.attr_contact_flow_arn
        if settings.phone_number_arn:
            self._associate_phone_number(config)

    # --- resources ------------------------------------------------------------------------------

    def _declare(self, config: IvrConfig, flow_file: FlowFile, content: str):
        name = f"ivr-{config.environment}-{flow_file.stem}"
        description = str(flow_file.document.get("Metadata", {}).get("description", flow_file.display_name))[:500]
        instance_arn = config.connect_instance.arn
        if flow_file.is_module:
            return connect.CfnContactFlowModule(self, f"Module-{flow_file.stem}", instance_arn=instance_arn,
                                                name=name, content=content, description=description, state="ACTIVE")
        kind = str(flow_file.document.get("Metadata", {}).get("type", "contactFlow"))
        if kind not in FLOW_TYPES:
            raise StopSynth(f"{_shown_path(flow_file.path)}: Metadata.type {kind!r} is not a flow type; "
                            f"expected one of {sorted(FLOW_TYPES)}")
        return connect.CfnContactFlow(self, f"Flow-{flow_file.stem}", instance_arn=instance_arn, name=name,
                                      type=FLOW_TYPES[kind], content=content, description=description, state="ACTIVE")

    def _depend(self, resource, flow_file: FlowFile, functions: Mapping[str, IvrFunction]) -> None:
        """Explicit dependencies on everything the flow references (CloudFormation would also
        infer most of them from the ARNs; a Lambda's integration association it would not)."""
        targets: list[Construct] = []
        targets += [functions[name] for name in sorted(flow_file.references("_lambda_arn")) if name in functions]
        targets += [self.flows[name] for name in sorted(flow_file.references("_flow_arn")) if name in self.flows]
        targets += [self.modules[name] for name in sorted(flow_file.references("_module_id")) if name in self.modules]
        for kind in ("queue", "hours"):
            for name in sorted(flow_file.references(f"_{kind}_arn")):
                created = self.node.try_find_child(f"{kind.capitalize()}-{name}")
                if created is not None:
                    targets.append(created)
        for target in targets:
            resource.node.add_dependency(target)

    def _hours(self, config: IvrConfig, names: set[str]) -> dict[str, str]:
        settings = config.flows
        arns = {}
        for name in sorted(names):
            if name in settings.hours_arns:
                arns[name] = settings.hours_arns[name]
                continue
            hours = connect.CfnHoursOfOperation(
                self, f"Hours-{name}", instance_arn=config.connect_instance.arn, name=f"ivr-{config.environment}-{name}",
                description=f"Opening hours '{name}' of the IVR", time_zone=config.time_zone,
                config=[
                    connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                        day=day, start_time=_time(start), end_time=_time(end))
                    for day, (start, end) in settings.opening_hours.items()
                ],
            )
            arns[name] = hours.attr_hours_of_operation_arn
        return arns

    def _queues(self, config: IvrConfig, names: set[str]) -> dict[str, str]:
        settings = config.flows
        arns = {}
        for name in sorted(names):
            if name in settings.queue_arns:
                arns[name] = settings.queue_arns[name]
                continue
            queue = connect.CfnQueue(
                self, f"Queue-{name}", instance_arn=config.connect_instance.arn, name=queue_name(config, name),
                description=f"IVR queue '{name}'", hours_of_operation_arn=self.hours_arns[settings.queue_hours],
            )
            hours = self.node.try_find_child(f"Hours-{settings.queue_hours}")
            if hours is not None:
                queue.node.add_dependency(hours)
            arns[name] = queue.attr_queue_arn
        return arns

    def _associate_phone_number(self, config: IvrConfig) -> None:
        """Point the claimed number at a flow: AssociatePhoneNumberContactFlow has no
        CloudFormation resource, so a custom resource calls it, allowed on that number and flow only."""
        settings = config.flows
        flow = self.flows.get(settings.phone_number_flow)
        if flow is None:
            raise StopSynth(f"cdk.json context 'flows.phone_number_flow' names {settings.phone_number_flow!r}, "
                            f"which is not a flow file; expected one of {sorted(self.flows)}")
        phone_number_id = settings.phone_number_arn.rsplit("/", 1)[1]
        instance_id = config.connect_instance.instance_id
        flow_id = Fn.select(3, Fn.split("/", flow.attr_contact_flow_arn))
        parameters = {"PhoneNumberId": phone_number_id, "InstanceId": instance_id}
        association = cr.AwsCustomResource(
            self, "PhoneNumberFlow",
            on_update=cr.AwsSdkCall(
                service="Connect", action="associatePhoneNumberContactFlow",
                parameters={**parameters, "ContactFlowId": flow_id},
                physical_resource_id=cr.PhysicalResourceId.of(f"{phone_number_id}-flow"),
            ),
            on_delete=cr.AwsSdkCall(service="Connect", action="disassociatePhoneNumberContactFlow", parameters=parameters),
            policy=cr.AwsCustomResourcePolicy.from_statements([
                iam.PolicyStatement(
                    actions=["connect:AssociatePhoneNumberContactFlow", "connect:DisassociatePhoneNumberContactFlow"],
                    resources=[settings.phone_number_arn, flow.attr_contact_flow_arn],
                )
            ]),
            install_latest_aws_sdk=False,
        )
        association.node.add_dependency(flow)
        _acknowledge_custom_resource_provider(Stack.of(self))


def _acknowledge_custom_resource_provider(stack: Stack) -> None:
    """The singleton function CDK runs AwsCustomResource calls with (one per stack)."""
    provider = stack.node.try_find_child("AWS" + cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""))
    target = provider if provider is not None else stack
    acknowledge(target, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "CDK's AwsCustomResource provider writes its own logs with the AWS managed basic execution policy; "
                "it runs only during deployments.")


def _time(text: str) -> connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty:
    hours, minutes = text.split(":")
    return connect.CfnHoursOfOperation.HoursOfOperationTimeSliceProperty(hours=int(hours), minutes=int(minutes))


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def flow_functions(stack: Any) -> dict[str, IvrFunction]:
    """The functions flows invoke, by folder name, from the stack's constructs (contract in the brief)."""
    return {
        "closure_check": stack.messages.closure_check,
        **stack.dips.functions,
        "sms_deflection": stack.sms_deflection.function,
    }
