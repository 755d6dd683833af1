"""The rate-limit record names a number by an HMAC under a secret key (moto over HTTP: DynamoDB,
Secrets Manager, SNS): reading the table does not tell which numbers called."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import time

import boto3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdas.common.deadline import Deadline
from lambdas.sms_deflection.handler import lambda_handler
from lambdas.sms_deflection.rate_limit import RateLimiter
from tests.lambda_events import LambdaContext, connect_event
from tests.sms.conftest import RATE_LIMIT_KEY, RATE_LIMIT_KEY_SECRET, TABLE, create_rate_limit_key, sent_sms

NUMBER = "+14155550123"
WINDOW_SECONDS = 86400


def call(contact_id: str, number: str = NUMBER) -> dict:
    return lambda_handler(connect_event(contact_id=contact_id, address=number), LambdaContext())


def rate_records(endpoint: str) -> dict[str, set[str]]:
    """{record id: contact ids holding a slot} of every rate-limit record in the table."""
    items = boto3.client("dynamodb", endpoint_url=endpoint).scan(TableName=TABLE)["Items"]
    return {item["id"]["S"]: set(item["contacts"]["SS"]) for item in items if item["id"]["S"].startswith("rate#")}


def test_the_record_holds_an_hmac_of_the_number_under_the_secret_key_not_its_sha256(sms_env, moto_endpoint):
    assert call("contact-1")["result"] == "SENT"
    (record,) = rate_records(moto_endpoint)
    assert hashlib.sha256(NUMBER.encode()).hexdigest()[:32] not in record  # what anyone could compute for every number
    assert NUMBER.lstrip("+") not in record
    window = int(time.time() // WINDOW_SECONDS)
    assert record == f"rate#{hmac.new(RATE_LIMIT_KEY.encode(), NUMBER.encode(), hashlib.sha256).hexdigest()}#{window}"


_WINDOWS = itertools.count(1)


class FixedKey:
    def get(self, deadline: object) -> str:
        return RATE_LIMIT_KEY


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(numbers=st.lists(st.from_regex(r"\+[1-9][0-9]{7,14}", fullmatch=True), min_size=2, max_size=2, unique=True))
def test_two_numbers_never_share_a_record(sms_env, moto_endpoint, numbers):
    # One slot per number and a window of its own per example: the second number is refused only if it shares the first's record.
    now = float(next(_WINDOWS))
    limiter = RateLimiter(boto3.client("dynamodb", endpoint_url=moto_endpoint), TABLE, secret_key=FixedKey(),
                          max_messages=1, window_seconds=1, clock=lambda: now)
    first, second = numbers
    assert limiter.acquire(first, "contact-a", Deadline(2.0))
    assert limiter.acquire(second, "contact-b", Deadline(2.0))
    assert not limiter.acquire(first, "contact-c", Deadline(2.0))


def test_the_same_number_maps_to_the_same_record_in_every_container(sms_env, moto_endpoint):
    assert call("contact-1", "(415) 555-0123")["result"] == "SENT"
    sms_env()  # a new container reads the key again
    assert call("contact-2", NUMBER)["result"] == "SENT"
    assert list(rate_records(moto_endpoint).values()) == [{"contact-1", "contact-2"}]


def test_the_key_is_read_once_per_container(sms_env, moto_endpoint):
    assert call("contact-1")["result"] == "SENT"
    boto3.client("secretsmanager", endpoint_url=moto_endpoint).put_secret_value(SecretId=RATE_LIMIT_KEY_SECRET, SecretString="another-key")
    assert call("contact-2")["result"] == "SENT"
    assert list(rate_records(moto_endpoint).values()) == [{"contact-1", "contact-2"}]  # still the key it read first
    sms_env()
    assert call("contact-3")["result"] == "SENT"
    assert sorted(map(sorted, rate_records(moto_endpoint).values())) == [["contact-1", "contact-2"], ["contact-3"]]


def test_without_its_key_nothing_is_sent_and_a_later_press_may_send(sms_env, moto_endpoint):
    """The same stance as when the table fails: no message the limiter could not count (ERROR/STORE),
    and no idempotency record either, so pressing again once the key is readable sends."""
    sms_env(RATE_LIMIT_KEY_SECRET_ARN="no-such-secret")
    assert call("contact-1") == {"result": "ERROR", "channel": "", "error_kind": "STORE"}
    assert sent_sms() == [] and rate_records(moto_endpoint) == {}
    create_rate_limit_key(moto_endpoint, name="no-such-secret")
    assert call("contact-1")["result"] == "SENT"
    assert len(sent_sms()) == 1

