"""cdk-nag's AwsSolutions checks over the whole app (SEC-4), and the acknowledgements that apply app-wide.

Findings that are specific to one resource are acknowledged next to that resource, with a reason.
cdk-nag 3 runs as a CDK validation plugin: a finding that is not acknowledged makes synth fail.
"""
from __future__ import annotations

from aws_cdk import Acknowledgment, App, Stack, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def add_cdk_nag(app: App) -> None:
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))


def acknowledge(scope: IConstruct, finding_id: str, reason: str) -> None:
    """Accept one cdk-nag finding on `scope` (and below), e.g. `AwsSolutions-IAM5[Resource::*]`."""
    Validations.of(scope).acknowledge(Acknowledgment(id=finding_id, reason=reason))


def acknowledge_stack_wide(stack: Stack) -> None:
    """Findings that come from a deliberate, app-wide choice."""
    acknowledge(
        stack,
        "AwsSolutions-L1",
        "Functions run on the newest Python runtime for which the public Powertools layer is published "
        "(infra.lambda_function.RUNTIME); newer runtimes wait for the layer.",
    )
