"""The environment variables of the data dips that call the customer backend (DD-5, SEC-2).

One list of names, read by three parties: infra/data_dips.py sets them, the dips read them
(`BackendSettings.from_environment`), and the local simulator sets them to run a dip on a laptop.

| Variable                      | Meaning                                                        | Default |
|-------------------------------|----------------------------------------------------------------|---------|
| DIP_BUDGET_MS                 | the dip's time budget: key read, connect, body, retries         | 2000    |
| BACKEND_BASE_URL              | base URL of the customer API, e.g. https://api.example.com/ivr  | (none)  |
| BACKEND_API_KEY_SECRET_ARN    | ARN (or name) of the Secrets Manager secret holding the API key | (none)  |
| BACKEND_MAX_ATTEMPTS          | attempts per backend call, retries included                     | 3       |
| CIRCUIT_FAILURE_THRESHOLD     | consecutive failed calls that open the circuit                  | 5       |
| CIRCUIT_COOL_DOWN_SECONDS     | how long an open circuit answers ERROR before one probe         | 10      |
| API_KEY_CACHE_TTL_SECONDS     | how long the API key is reused before it is read again          | 300     |
| PARAMETERS_SECRETS_EXTENSION_HTTP_PORT | set with the extension layer: read the key from it (secrets.py) | (none) |

The API key itself is never in the environment: only the secret's ARN. AWS_ENDPOINT_URL (read by
botocore) points the Secrets Manager client at moto in tests and in the simulator.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.deadline import BUDGET_ENV, DEFAULT_BUDGET_MS

BACKEND_BASE_URL = "BACKEND_BASE_URL"
BACKEND_API_KEY_SECRET_ARN = "BACKEND_API_KEY_SECRET_ARN"
BACKEND_MAX_ATTEMPTS = "BACKEND_MAX_ATTEMPTS"
CIRCUIT_FAILURE_THRESHOLD = "CIRCUIT_FAILURE_THRESHOLD"
CIRCUIT_COOL_DOWN_SECONDS = "CIRCUIT_COOL_DOWN_SECONDS"
API_KEY_CACHE_TTL_SECONDS = "API_KEY_CACHE_TTL_SECONDS"
DIP_BUDGET_MS = BUDGET_ENV

DEFAULTS = {
    BACKEND_MAX_ATTEMPTS: 3,
    CIRCUIT_FAILURE_THRESHOLD: 5,
    CIRCUIT_COOL_DOWN_SECONDS: 10,
    API_KEY_CACHE_TTL_SECONDS: 300,
    DIP_BUDGET_MS: DEFAULT_BUDGET_MS,
}


@dataclass(frozen=True)
class BackendSettings:
    base_url: str
    api_key_secret_arn: str
    max_attempts: int = 3
    circuit_failure_threshold: int = 5
    circuit_cool_down_seconds: float = 10.0
    api_key_ttl_seconds: float = 300.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> BackendSettings:
        return cls(
            base_url=environ.get(BACKEND_BASE_URL, "").rstrip("/"),
            api_key_secret_arn=environ.get(BACKEND_API_KEY_SECRET_ARN, ""),
            max_attempts=_positive(environ, BACKEND_MAX_ATTEMPTS),
            circuit_failure_threshold=_positive(environ, CIRCUIT_FAILURE_THRESHOLD),
            circuit_cool_down_seconds=_positive(environ, CIRCUIT_COOL_DOWN_SECONDS),
            api_key_ttl_seconds=_positive(environ, API_KEY_CACHE_TTL_SECONDS),
        )


def _positive(environ: Mapping[str, str], name: str) -> int:
    """A whole number above zero; anything else falls back to the default (a dip never fails on it)."""
    try:
        value = int(environ.get(name, ""))
    except ValueError:
        return DEFAULTS[name]
    return value if value > 0 else DEFAULTS[name]
