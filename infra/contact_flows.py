"""Contact flows (issue 4): the flow-language files of contact_flows/ deployed as Connect resources.

One mapping fills every `{{placeholder}}` (Lambda ARNs and time limits, queues, hours, other
flows and modules, prompt texts from configuration). Filling works on the parsed JSON, so a value
with a quote cannot break a flow. Every flow is validated twice at synth (the source file with
placeholders, strictly, and the rendered content) and synth stops with the validator's lines when
one is invalid: CloudFormation would otherwise fail the whole stack, often without saying why.
With several languages each flow is also deployed in every other language (its variant: prompts
from contact_flows/prompts/<language>.yaml, flow_language/translations.py), validated the same two
ways, and the language menu is deployed as the phone number's flow. A block the configuration
cannot support is left out of what is deployed (configuration/runtime_values.passed_by_blocks);
the file as written is still validated whole.
The stack output FLOW_RESOURCES_OUTPUT holds the resource values filled in, for `ivr flows drift`.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Fn, Stack
from aws_cdk import aws_connect as connect
from aws_cdk import aws_iam as iam
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from configuration.model import IvrConfig
from configuration.runtime_values import FLOW_RESOURCES_OUTPUT, flow_settings, language_settings, passed_by_blocks, queue_name
from flow_language import check_transfer_targets, placeholders, validate_flow
from flow_language.catalog import FLOW_TYPES
from flow_language.files import FlowFile, FlowFileError, load_flow_files
from flow_language.layout import with_positions
from flow_language.placeholders import placeholder
from flow_language.translations import (
    FlowTranslations,
    TranslationFileError,
    deployment_flow_files,
    entry_flow,
    load_translations,
)
from infra.errors import StopSynth
from infra.lambda_function import REPO_ROOT, IvrFunction
from infra.nag import acknowledge


def render(document: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The content Connect receives, before serialization: placeholders filled, positions added."""
    return with_positions(placeholders.fill(document, values))


def check(document: Any, *, name: str, placeholders_allowed: bool, budgets: Mapping[str, float], module: bool = False,
          translations: FlowTranslations | None = None) -> None:
    problems = validate_flow(document, name=name, placeholders_allowed=placeholders_allowed,
                             dip_budgets_seconds=budgets, strict=True, module=module, translations=translations)
    if problems:
        kind = "flow file" if placeholders_allowed else "rendered flow (after filling placeholders)"
        lines = "\n".join(str(problem) for problem in problems)
        raise StopSynth(f"contact flow {name} is invalid ({kind}; `ivr flows check --strict` shows the same):\n{lines}")


class ContactFlows(Construct):
    """Every flow file as a CfnContactFlow (`.flows` by file stem) or CfnContactFlowModule
    (`.modules`), and with several languages each one's variant in every other language (by the
    variant's stem, `main_es_us`) and the language menu; plus the queues and hours of operation they
    route to (`.queue_arns`, `.hours_arns`) and, when configured, the phone number's association
    with the main flow (the language menu with several languages)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig,
                 functions: Mapping[str, IvrFunction], settings_from_stack: Mapping[str, str] | None = None) -> None:
        """`settings_from_stack`: setting placeholders whose value another construct makes (the
        security key's id), over the configuration's."""
        super().__init__(scope, construct_id)
        settings = config.flows
        directory = Path(settings.directory)
        directory = directory if directory.is_absolute() else REPO_ROOT / directory
        try:
            translations = load_translations(directory, config.languages[1:])
            written = {flow_file.stem: flow_file.document for flow_file in load_flow_files(directory)}
            files = deployment_flow_files(directory, config.languages, lambda language: language_settings(config, language),
                                          passed_by_blocks(config))
        except (FlowFileError, TranslationFileError) as problem:
            raise StopSynth(str(problem)) from None
        if not files:
            raise StopSynth(f"no contact flows in {directory}: expected *.json flow files (cdk.json context 'flows.directory')")
        crossed = check_transfer_targets({Path(_shown_path(flow_file.path)): flow_file.document
                                          for flow_file in files if flow_file.language is None})
        if crossed:
            raise StopSynth("contact flows transfer to a flow Connect cannot transfer to:\n"
                            + "\n".join(str(problem) for problem in crossed))
        self.files = files
        self.flows: dict[str, connect.CfnContactFlow] = {}
        self.modules: dict[str, connect.CfnContactFlowModule] = {}
        queues = set().union(*(f.references("queue") for f in files))
        hours = set().union(*(f.references("hours") for f in files))
        if queues - set(settings.queue_arns):  # queues the app creates open with settings.queue_hours
            hours.add(settings.queue_hours)
        self.hours_arns = self._hours(config, hours)
        self.queue_arns = self._queues(config, queues)

        values: dict[str, str] = {
            **settings.resource_arns,  # what the app names itself (below) wins
            **flow_settings(config),
            **(settings_from_stack or {}),
            **{placeholder("queue", name): arn for name, arn in self.queue_arns.items()},
            **{placeholder("hours", name): arn for name, arn in self.hours_arns.items()},
        }
        source_budgets: dict[str, float] = {}
        rendered_budgets: dict[str, float] = {}
        for folder, function in functions.items():
            dip = config.dips.get(folder)
            values[placeholder("lambda", folder)] = function.arn_for_flows
            if dip:
                values[placeholder("time_limit", folder)] = str(dip.invocation_time_limit_seconds)
                source_budgets[placeholder("lambda", folder)] = rendered_budgets[function.arn_for_flows] = dip.budget_ms / 1000
        for flow_file in files:
            relative = _shown_path(flow_file.path) + (f" ({flow_file.language})" if flow_file.language else "")
            languages = None if flow_file.language else FlowTranslations.of(
                flow_file.stem, config.languages, translations, directory, shown=_shown_path)
            check(written[flow_file.stem] if flow_file.language is None else flow_file.document, name=relative,
                  placeholders_allowed=True, budgets=source_budgets, module=flow_file.is_module, translations=languages)
            content = render(flow_file.document, values)
            check(content, name=relative, placeholders_allowed=False, budgets=rendered_budgets,
                  module=flow_file.is_module)
            resource = self._declare(config, flow_file, json.dumps(content, separators=(",", ":")))
            self._depend(resource, flow_file, functions)
            if flow_file.is_module:
                self.modules[flow_file.stem] = resource
                arn = resource.attr_contact_flow_module_arn
                values[placeholder("module", flow_file.stem)] = Fn.select(1, Fn.split("/flow-module/", arn))
            else:
                self.flows[flow_file.stem] = resource
                values[placeholder("flow", flow_file.stem)] = resource.attr_contact_flow_arn
        if settings.phone_number_arn:
            self._associate_phone_number(config)
        resources = {name: value for name, value in values.items()
                     if (kind := placeholders.resource_of(name)) is not None and kind[0] != "time_limit"}
        output = CfnOutput(self, FLOW_RESOURCES_OUTPUT, value=Stack.of(self).to_json_string(resources),
                           description="The resources that fill the contact flows' placeholders (JSON): `ivr flows drift` reads it")
        output.override_logical_id(FLOW_RESOURCES_OUTPUT)

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
        targets: list[IConstruct] = []
        targets += [functions[name] for name in sorted(flow_file.references("lambda")) if name in functions]
        targets += [self.flows[name] for name in sorted(flow_file.references("flow")) if name in self.flows]
        targets += [self.modules[name] for name in sorted(flow_file.references("module")) if name in self.modules]
        for kind in ("queue", "hours"):
            for name in sorted(flow_file.references(kind)):
                created = self.node.try_find_child(f"{kind.capitalize()}-{name}")
                if created is not None:
                    targets.append(created)
        for target in targets:
            resource.node.add_dependency(target)

    def _hours(self, config: IvrConfig, names: set[str]) -> dict[str, str]:
        settings = config.flows

        def create(name: str) -> str:
            hours = connect.CfnHoursOfOperation(
                self, f"Hours-{name}", instance_arn=config.connect_instance.arn, name=f"ivr-{config.environment}-{name}",
                description=f"Opening hours '{name}' of the IVR", time_zone=config.time_zone,
                config=[
                    connect.CfnHoursOfOperation.HoursOfOperationConfigProperty(
                        day=day, start_time=_time(start), end_time=_time(end))
                    for day, (start, end) in settings.opening_hours.items()
                ],
            )
            return hours.attr_hours_of_operation_arn

        return _given_or_created(names, settings.hours_arns, create)

    def _queues(self, config: IvrConfig, names: set[str]) -> dict[str, str]:
        settings = config.flows

        def create(name: str) -> str:
            queue = connect.CfnQueue(
                self, f"Queue-{name}", instance_arn=config.connect_instance.arn, name=queue_name(config, name),
                description=f"IVR queue '{name}'", hours_of_operation_arn=self.hours_arns[settings.queue_hours],
            )
            hours = self.node.try_find_child(f"Hours-{settings.queue_hours}")
            if hours is not None:
                queue.node.add_dependency(hours)
            return queue.attr_queue_arn

        return _given_or_created(names, settings.queue_arns, create)

    def _associate_phone_number(self, config: IvrConfig) -> None:
        """Point the claimed number at a flow: AssociatePhoneNumberContactFlow has no
        CloudFormation resource, so a custom resource calls it, allowed on that number and flow only."""
        settings = config.flows
        entry = entry_flow(config.languages, settings.phone_number_flow)
        flow = self.flows.get(entry)
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


def _given_or_created(names: set[str], given: Mapping[str, str], create: Callable[[str], str]) -> dict[str, str]:
    """The ARN of each name: as cdk.json gives it, else that of the resource `create` declares (in name order)."""
    return {name: given[name] if name in given else create(name) for name in sorted(names)}


def flow_functions(stack: Any) -> dict[str, IvrFunction]:
    """The functions flows invoke, by folder name, from the stack's constructs (contract in the brief)."""
    return {
        "closure_check": stack.messages.closure_check,
        **stack.dips.functions,
        "sms_deflection": stack.sms_deflection.function,
        "caller_verification": stack.caller_verification.function,
    }
