"""IvrStack: the whole IVR in one stack, one construct per concern."""
from __future__ import annotations

from aws_cdk import Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from configuration.model import IvrConfig
from configuration.runtime_values import PIN_SECURITY_KEY_ID_SETTING, messages_center
from flow_language.translations import message_scopes
from infra.caller_verification import CallerVerification
from infra.contact_flows import ContactFlows, flow_functions
from infra.data_dips import DataDips
from infra.holiday_and_emergency_messages import HolidayAndEmergencyMessages
from infra.hours_overrides import HoursOverrides
from infra.journey_test_cases import JourneyTestCases
from infra.lambda_function import log_group_prefix
from infra.nag import acknowledge_stack_wide
from infra.operators_page import FOLDER, OperatorsPage
from infra.sms_deflection import SmsDeflection


class IvrStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: IvrConfig) -> None:
        instance = config.connect_instance
        super().__init__(
            scope,
            construct_id,
            env=Environment(account=instance.account, region=instance.region),
            description=f"Amazon Connect IVR ({config.environment}): flows, data dips, messages, monitoring",
        )
        self.config = config
        # Encrypts the functions' log groups and the alarm topic (SEC-2).
        self.operations_key = kms.Key(
            self,
            "OperationsKey",
            alias=f"alias/connect-ivr-{config.environment}-operations",
            description="Connect IVR: log groups and alarm notifications",
            enable_key_rotation=True,
        )
        # CloudWatch Logs names the log group in the encryption context of every call it makes with
        # the key: the service may use it for this stack's log groups only, not for any log group
        # someone associates with the key.
        self.operations_key.add_to_resource_policy(iam.PolicyStatement(
            sid="LogsEncryptThisStacksLogGroups",
            principals=[iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com")],
            actions=["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": (
                f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:{log_group_prefix(config)}*"
            )}},
        ))

        # --- Holiday and emergency messages + closure check (MSG-1..4) ---
        self.messages = HolidayAndEmergencyMessages(self, "Messages", config=config, log_key=self.operations_key)

        # --- Data dips (DD-1..7) ---
        self.dips = DataDips(self, "DataDips", config=config, log_key=self.operations_key)

        # --- SMS / app deflection (CX-10, DD-4) ---
        self.sms_deflection = SmsDeflection(
            self, "SmsDeflection", config=config, log_key=self.operations_key,
            backend_secret=self.dips.backend_secret, backend_secret_id=self.dips.backend_secret_id,
        )

        # --- Caller verification before account-level service (issue 17) ---
        self.caller_verification = CallerVerification(
            self, "CallerVerification", config=config, log_key=self.operations_key,
            backend_secret=self.dips.backend_secret, backend_secret_id=self.dips.backend_secret_id,
        )

        # --- Contact flows (CX-1..11) ---
        from_stack = {PIN_SECURITY_KEY_ID_SETTING: self.caller_verification.security_key_id} if self.caller_verification.security_key_id else {}
        self.flows = ContactFlows(self, "ContactFlows", config=config, functions=flow_functions(self), settings_from_stack=from_stack)

        # --- The caller journeys as Connect test cases, for `ivr instance-test` (issue 15) ---
        self.journey_test_cases = JourneyTestCases(self, "JourneyTestCases", config=config, flows=self.flows)

        # --- Hours of operation following the CLOSE messages (issue 15) ---
        self.hours_overrides = HoursOverrides(
            self, "HoursOverrides", config=config, log_key=self.operations_key, table=self.messages.table,
            hours_arns=self.flows.hours_arns, queues=sorted(self.flows.queue_arns),
        )

        # --- Operators' page: messages edited in a browser (issue 14) ---
        if config.operators_page.enabled:
            self.operators_page = OperatorsPage(
                self, "OperatorsPage", config=config, log_key=self.operations_key, table=self.messages.table,
                table_key=self.messages.table_key, center=messages_center(config, message_scopes(self.flows.files)),
            )

        # --- Monitoring (OPS-1..3) ---
        if config.monitoring.enabled:
            from infra.monitoring import IvrMonitoring  # loads cdk-monitoring-constructs only when used

            self.monitoring = IvrMonitoring(
                self,
                "Monitoring",
                config=config,
                key=self.operations_key,
                functions={**flow_functions(self), **({FOLDER: self.operators_page.function} if config.operators_page.enabled else {})},
                operator_services=[FOLDER],
                # The dips call the customer's backend; SMS deflection too when it asks it who the caller is.
                backend_services=[*self.dips.functions, *(["sms_deflection"] if config.sms.enrollment_source == "backend" else []),
                                  "caller_verification"],
                table=self.messages.table,
                flows=self.flows.flows,
                hours_overrides=self.hours_overrides,
            )

        acknowledge_stack_wide(self)
