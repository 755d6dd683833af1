"""IvrFunction: the one way this app declares a Lambda function.

It gives every function the same shape: code staged without Docker (only `lambdas/common` and the
function's own folder), the public Powertools layer (and, for a function that reads a secret, the
AWS Parameters and Secrets Lambda Extension layer), its own log group (named under
`log_group_prefix`, retention, KMS), its own role that can write only to that log group, and, for
functions Amazon Connect calls, the
instance's integration association plus an invoke permission scoped to that instance.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from aws_cdk import CfnElement, Duration, RemovalPolicy, Stack
from aws_cdk import aws_connect as connect
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from configuration.model import IvrConfig
from infra.nag import acknowledge
from lambdas.common.observability import NAMESPACE

REPO_ROOT = Path(__file__).resolve().parent.parent
LAMBDAS_DIR = REPO_ROOT / "lambdas"
STAGING_DIR = REPO_ROOT / ".build" / "lambda"

RUNTIME = lambda_.Runtime.PYTHON_3_13
ARCHITECTURE = lambda_.Architecture.ARM_64
POWERTOOLS_ACCOUNT = "017000801446"  # publisher of the public Powertools layers
# AWS publishes the extension per region and architecture; aws-cdk-lib knows those ARNs for this version.
PARAMETERS_SECRETS_EXTENSION_VERSION = lambda_.ParamsAndSecretsVersions.V1_0_103


_NOT_SHIPPED = ("__pycache__", "*.pyc", "tests")


def log_group_prefix(config: IvrConfig) -> str:
    """Every function's log group is named `<prefix><folder>`: the operations key's policy lets the
    logs service use the key for names under this prefix only."""
    return f"/connect-ivr/{config.environment}/"


def _asset_files(folder: str, also_ships: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """(path inside the asset, source file) of what function `folder` ships, in a stable order."""
    files = [("lambdas/__init__.py", LAMBDAS_DIR / "__init__.py")]
    for package in ("common", *also_ships, folder):
        for path in sorted((LAMBDAS_DIR / package).rglob("*")):
            relative = path.relative_to(LAMBDAS_DIR)
            if path.is_file() and not any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in _NOT_SHIPPED):
                files.append((f"lambdas/{relative.as_posix()}", path))
    return files


def stage_code(folder: str, also_ships: tuple[str, ...] = ()) -> Path:
    """Copy what function `folder` imports into its own asset directory.

    Each function gets its own asset, so editing one dip does not redeploy the others, and the
    asset holds nothing the handler cannot import.

    Several syntheses may run at once (test processes, `make synth`): the directory is named after
    a digest of what it holds and never changes once in place. It is filled under a temporary name
    and renamed into place in one step, so no synthesis sees another's half-copied files.
    """
    source = LAMBDAS_DIR / folder
    if not (source / "handler.py").is_file():
        raise FileNotFoundError(f"lambdas/{folder}/handler.py does not exist")
    files = _asset_files(folder, also_ships)
    digest = hashlib.sha256()
    for relative, path in files:
        content = path.read_bytes()
        digest.update(f"{relative}\0{len(content)}\0".encode() + content)
    target = STAGING_DIR / f"{folder}-{digest.hexdigest()[:16]}"
    if target.is_dir():
        return target
    STAGING_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder}-", dir=STAGING_DIR))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the Lambda runtime reads it as another user
        for relative, path in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
        try:
            os.rename(staging, target)
        except OSError:
            if not target.is_dir():
                raise
            # another synthesis put the same content in place first: use theirs
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def powertools_layer(scope: Construct, config: IvrConfig) -> lambda_.ILayerVersion:
    """The public Powertools layer, declared once per stack."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child("PowertoolsLayer")
    if existing is not None:
        return existing  # type: ignore[return-value]
    python = RUNTIME.name.replace(".", "")  # python3.13 -> python313, as the layer names it
    arn = (
        f"arn:{stack.partition}:lambda:{stack.region}:{POWERTOOLS_ACCOUNT}:layer:"
        f"AWSLambdaPowertoolsPythonV3-{python}-arm64:{config.powertools_layer_version}"
    )
    return lambda_.LayerVersion.from_layer_version_arn(stack, "PowertoolsLayer", arn)


def parameters_secrets_extension(config: IvrConfig) -> lambda_.ParamsAndSecretsLayerVersion | None:
    """The extension layer of functions that read a secret (lambdas/common/secrets.py uses it when it
    is there): `parameters_secrets_extension_layer_arn` when given, "none" for no layer, else AWS's
    published layer of PARAMETERS_SECRETS_EXTENSION_VERSION for the stack's region. CDK also sets
    the extension's variables (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT among them) on the function."""
    arn = config.parameters_secrets_extension_layer_arn
    if arn == "none":
        return None
    # The function caches the value itself (API_KEY_CACHE_TTL_SECONDS, the last value kept when a read
    # fails); a second cache in the extension would make a new key take up to twice as long to go live.
    if arn:
        return lambda_.ParamsAndSecretsLayerVersion.from_version_arn(arn, cache_enabled=False)
    return lambda_.ParamsAndSecretsLayerVersion.from_version(PARAMETERS_SECRETS_EXTENSION_VERSION, cache_enabled=False)


class IvrFunction(Construct):
    """A function of the IVR. `connect_target` is what flows invoke (an alias when provisioned).

    Timeout, memory and concurrency come from the function's own `dips.<folder>` configuration, so
    the Lambda timeout derives from the same budget as the flow's InvocationTimeLimitSeconds.
    `reads_secrets`: the function reads a secret at run time, through the extension layer it gets.
    `also_ships`: the other folders of lambdas/ it imports.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        folder: str,
        description: str,
        config: IvrConfig,
        log_key: kms.IKey,
        environment: Mapping[str, str] | None = None,
        invoked_by_connect: bool = True,
        reads_secrets: bool = False,
        also_ships: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        dip = config.dip(folder)
        stack = Stack.of(self)
        self.log_group = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"{log_group_prefix(config)}{folder}",
            retention=getattr(logs.RetentionDays, _RETENTION_BY_DAYS[config.log_retention_days]),
            encryption_key=log_key,
            removal_policy=RemovalPolicy.DESTROY if config.environment == "dev" else RemovalPolicy.RETAIN,
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{folder}: writes its own logs; other grants are added by its construct",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_group.log_group_arn],
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=f"lambdas.{folder}.handler.lambda_handler",
            code=lambda_.Code.from_asset(str(stage_code(folder, also_ships))),
            layers=[powertools_layer(self, config)],
            params_and_secrets=parameters_secrets_extension(config) if reads_secrets else None,
            role=self.role,
            log_group=self.log_group,
            timeout=Duration.seconds(dip.lambda_timeout_seconds),
            memory_size=dip.memory_mb,
            reserved_concurrent_executions=dip.reserved_concurrency,
            environment={
                "POWERTOOLS_SERVICE_NAME": folder,
                "POWERTOOLS_METRICS_NAMESPACE": NAMESPACE,
                "POWERTOOLS_LOG_LEVEL": "INFO",
                **(environment or {}),
            },
        )
        self.connect_target: lambda_.IFunction = self.function
        if dip.provisioned_concurrency:
            self.connect_target = lambda_.Alias(
                self,
                "Live",
                alias_name="live",
                version=self.function.current_version,
                provisioned_concurrent_executions=dip.provisioned_concurrency,
            )
        # The log group ARN as CDK renders it ends in ":*" (all of its streams).
        acknowledge(
            self.role,
            f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(cast(CfnElement, self.log_group.node.default_child))}.Arn>]",
            "The function writes log streams it creates itself inside its own log group; stream names are not known in advance.",
        )
        if invoked_by_connect:
            self._allow_connect(config)

    def _allow_connect(self, config: IvrConfig) -> None:
        instance = config.connect_instance
        connect.CfnIntegrationAssociation(
            self,
            "ConnectIntegration",
            instance_id=instance.arn,
            integration_type="LAMBDA_FUNCTION",
            integration_arn=self.connect_target.function_arn,
        )
        self.connect_target.add_permission(
            "InvokedByConnect",
            principal=iam.ServicePrincipal("connect.amazonaws.com"),
            source_arn=instance.arn,
            source_account=instance.account,
        )

    @property
    def arn_for_flows(self) -> str:
        return self.connect_target.function_arn


# CloudWatch's retention periods (the ones configuration.model accepts) as RetentionDays member names.
_RETENTION_BY_DAYS = {
    1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
    60: "TWO_MONTHS", 90: "THREE_MONTHS", 120: "FOUR_MONTHS", 150: "FIVE_MONTHS", 180: "SIX_MONTHS",
    365: "ONE_YEAR", 400: "THIRTEEN_MONTHS", 545: "EIGHTEEN_MONTHS", 731: "TWO_YEARS", 1096: "THREE_YEARS",
    1827: "FIVE_YEARS", 2192: "SIX_YEARS", 2557: "SEVEN_YEARS", 2922: "EIGHT_YEARS", 3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}
