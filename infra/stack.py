"""IvrStack: the whole IVR in one stack, one construct per concern."""
from __future__ import annotations

from aws_cdk import Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import IvrConfig
from infra.nag import acknowledge_stack_wide


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
        self.operations_key.grant_encrypt_decrypt(iam.ServicePrincipal(f"logs.{self.region}.amazonaws.com"))

        # --- Holiday and emergency messages + closure check (MSG-1..4) ---

        # --- Data dips (DD-1..7) ---

        # --- SMS / app deflection (CX-10, DD-4) ---
        from infra.sms_deflection import SmsDeflection

        dips = getattr(self, "dips", None)
        self.sms_deflection = SmsDeflection(
            self, "SmsDeflection", config=config, log_key=self.operations_key,
            backend_secret=getattr(dips, "backend_secret", None),
        )

        # --- Contact flows (CX-1..11) ---

        # --- Monitoring (OPS-1..3) ---
        # Built last, from what the constructs above deployed (parts not built yet are skipped).
        if config.monitoring.enabled:
            from infra.monitoring import IvrMonitoring  # loads cdk-monitoring-constructs only when used

            messages, dips = getattr(self, "messages", None), getattr(self, "dips", None)
            sms, flows = getattr(self, "sms_deflection", None), getattr(self, "flows", None)
            functions = {
                **({"closure_check": messages.closure_check} if messages else {}),
                **(dips.functions if dips else {}),
                **({"sms_deflection": sms.function} if sms else {}),
            }
            self.monitoring = IvrMonitoring(
                self,
                "Monitoring",
                config=config,
                key=self.operations_key,
                functions=functions,
                backend_services=list(dips.functions) if dips else [],
                table=messages.table if messages else None,
                flows=flows.flows if flows else {},
            )

        acknowledge_stack_wide(self)
