"""What a local call needs around the flows, started by the simulator itself and stopped at the end.

- AWS: moto in server mode on a loopback port (unless `aws_endpoint` points elsewhere), holding
  the holiday and emergency messages table (seed messages plus `--messages FILE.yaml`), the SMS
  deflection and caller verification tables, the Secrets Manager secret with the backend API key
  and those with the HMAC keys of the SMS rate limit and of the verification codes, and the private
  key of encrypted input (ivr/simulator/encrypted_input.py's local key pair). What the
  functions text (SNS SMS) stays in moto, where `texts_sent()` reads it.
- The customer backend: `fake_backend.server.FakeBackend` on a loopback port (unless
  `backend_url` points elsewhere), with an optional fault (`--backend-fault`).
- The functions' environment, as infra/ sets it in AWS, pointing at the above.

`reset()` empties AWS and provisions it again, and clears the fault: one `LocalServices` serves
many calls (the journey suite starts it once per session).
"""
from __future__ import annotations

import json
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from secrets import token_hex
from typing import TYPE_CHECKING, Any

from configuration import runtime_values
from configuration.model import IvrConfig, load_config
from fake_backend.server import FakeBackend, fault_names
from ivr.messages.local import LOCAL_TABLE, create_messages_table, load_messages
from ivr.simulator.encrypted_input import local_key_pair
from lambdas.closure_check.environment import READ_TIMEOUT_ENV

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer  # imported when a server starts: moto is slow to import

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
MESSAGES_TABLE = LOCAL_TABLE  # the table `ivr messages local` serves too
SMS_TABLE = "ivr-local-sms-deflection"
RATE_LIMIT_KEY_SECRET = "ivr-local/sms-rate-limit-key"
VERIFICATION_TABLE = "ivr-local-caller-verification"
VERIFICATION_KEY_SECRET = "ivr-local/caller-verification-key"
INPUT_KEY_SECRET = "ivr-local/caller-verification-input-key"
SEED_MESSAGES = REPO_ROOT / "ivr" / "messages" / "seed_messages.yaml"
METRICS_NAMESPACE = "ConnectIVR"
_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}


class ServiceError(RuntimeError):
    """A local service could not start or be provisioned: the message says which and why."""


def repo_config() -> IvrConfig:
    """The deployment's configuration from cdk.json, as synth reads it."""
    return load_config(json.loads((REPO_ROOT / "cdk.json").read_text())["context"])


class LocalServices:
    def __init__(self, config: IvrConfig | None = None, *, aws_endpoint: str | None = None,
                 backend_url: str | None = None, backend_api_key: str = "local-test-key"):
        self.config = config or repo_config()
        self.aws_endpoint = aws_endpoint
        self.backend_url = backend_url
        self.backend_api_key = backend_api_key
        self.secret_arn = ""
        self.rate_limit_key_secret_arn = ""
        self.verification_key_secret_arn = ""
        self.input_key_secret_arn = ""
        self._moto: ThreadedMotoServer | None = None
        self._backend: FakeBackend | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> LocalServices:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> LocalServices:
        try:
            if self.aws_endpoint is None:
                import logging

                from moto.server import ThreadedMotoServer

                logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log in the transcript

                self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
                self._moto.start()
                host, port = self._moto.get_host_and_port()
                self.aws_endpoint = f"http://{host}:{port}"
            if self.backend_url is None:
                self._start_backend()
            self.provision()
        except Exception:
            self.stop()
            raise
        return self

    def _start_backend(self) -> None:
        self._backend = FakeBackend(api_key=self.backend_api_key)
        self._backend.start()
        self.backend_url = self._backend.url

    def stop(self) -> None:
        if self._backend is not None:
            self._backend.stop()
            self._backend = None
        if self._moto is not None:
            self._moto.stop()
            self._moto = None

    # -- AWS ------------------------------------------------------------------------------------
    def client(self, service: str):
        import boto3

        return boto3.client(service, endpoint_url=self.aws_endpoint, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def provision(self, messages: str | Path | list | None = None) -> None:
        """Tables, seed messages (plus `messages`) and the secrets, in a fresh AWS."""
        dynamodb = self.client("dynamodb")
        if _create(create_messages_table, dynamodb, MESSAGES_TABLE):  # an existing table keeps its messages, edits and all
            load_messages(dynamodb, MESSAGES_TABLE, SEED_MESSAGES)
        if messages:
            try:
                load_messages(dynamodb, MESSAGES_TABLE, messages)
            except (ValueError, OSError) as error:  # MessageError is a ValueError
                raise ServiceError(f"messages not loaded: {error}") from None
        for table in (SMS_TABLE, VERIFICATION_TABLE):
            _create(dynamodb.create_table,
                TableName=table, BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            )
        secrets = self.client("secretsmanager")
        name = self.config.backend.api_key_secret_name
        created = _create(secrets.create_secret, Name=name, SecretString=self.backend_api_key)
        self.secret_arn = created["ARN"] if created else secrets.describe_secret(SecretId=name)["ARN"]
        created = _create(secrets.create_secret, Name=RATE_LIMIT_KEY_SECRET, SecretString=token_hex(32))
        self.rate_limit_key_secret_arn = created["ARN"] if created else secrets.describe_secret(SecretId=RATE_LIMIT_KEY_SECRET)["ARN"]
        created = _create(secrets.create_secret, Name=VERIFICATION_KEY_SECRET, SecretString=token_hex(32))
        self.verification_key_secret_arn = created["ARN"] if created else secrets.describe_secret(SecretId=VERIFICATION_KEY_SECRET)["ARN"]
        created = _create(secrets.create_secret, Name=INPUT_KEY_SECRET, SecretString=local_key_pair().private_key_pem)
        self.input_key_secret_arn = created["ARN"] if created else secrets.describe_secret(SecretId=INPUT_KEY_SECRET)["ARN"]

    def texts_sent(self) -> list[tuple[str, str]]:
        """(number, body) of every SMS the functions published through our moto's SNS, oldest first;
        none with someone else's endpoint (its texts are not ours to read)."""
        if self._moto is None:
            return []
        from moto.backends import get_backend
        from moto.core import DEFAULT_ACCOUNT_ID

        return [(number, body) for number, body, *_ in get_backend("sns")[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()]

    def reset(self, messages: str | Path | list | None = None, fault: str | None = None) -> None:
        """A clean world for the next call: AWS emptied and provisioned again, the given fault set."""
        if self._moto is None:  # someone else's endpoint: add the messages, never empty it
            if messages:
                load_messages(self.client("dynamodb"), MESSAGES_TABLE, messages)
            self.set_fault(fault)
            return
        request = urllib.request.Request(f"{self.aws_endpoint}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=5).close()
        self.provision(messages)
        self.set_fault(fault)

    def set_fault(self, fault: str | None) -> None:
        if self._backend is None:
            if fault:
                raise ServiceError("--backend-fault needs the local fake backend (not --backend-url)")
            return
        if not fault or fault == "none":
            self._backend.reset()
            return
        name, _, path = fault.partition(":")  # "timeout:/orders": only the paths under /orders
        try:
            self._backend.set_fault(name, path_prefix=path)  # a name of FAULTS or a shorthand of FAULT_ALIASES
        except ValueError:
            raise ServiceError(f"unknown backend fault '{fault}': expected one of {', '.join(fault_names())}") from None

    # -- the functions' environment ---------------------------------------------------------------
    def environment(self, folder: str) -> Mapping[str, str]:
        """The variables function `folder` has in AWS (configuration.runtime_values), pointing at the local services."""
        config = self.config
        own = {
            "closure_check": lambda: {  # local moto answers its first request slowly: no 90 ms read bound here
                **runtime_values.closure_check_environment(config, table_name=MESSAGES_TABLE), READ_TIMEOUT_ENV: "5000"},
            "sms_deflection": lambda: runtime_values.sms_deflection_environment(
                config, table_name=SMS_TABLE, rate_limit_key_secret_id=self.rate_limit_key_secret_arn,
                base_url=self.backend_url or "", secret_id=self.secret_arn),
            "caller_verification": lambda: runtime_values.caller_verification_environment(
                config, table_name=VERIFICATION_TABLE, key_secret_id=self.verification_key_secret_arn,
                base_url=self.backend_url or "", secret_id=self.secret_arn,
                input_key_secret_id=self.input_key_secret_arn, security_key_id=local_key_pair().key_id),
        }.get(folder, lambda: runtime_values.backend_environment(
            config, folder, base_url=self.backend_url or "", secret_id=self.secret_arn))
        return {
            **_CREDENTIALS,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.aws_endpoint or "",
            "POWERTOOLS_SERVICE_NAME": folder,
            "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
            "POWERTOOLS_LOG_LEVEL": "INFO",
            **own(),
        }


def _create(create: Any, *args: Any, **kwargs: Any) -> Any:
    """Create a resource; one that exists already (someone else's endpoint) is kept as it is."""
    from botocore.exceptions import ClientError

    try:
        return create(*args, **kwargs)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"ResourceInUseException", "ResourceExistsException"}:
            return None
        raise
