"""Which way a caller is reached (push, SMS, none) and what happens when the first way fails: the plain logic."""
from __future__ import annotations

from lambdas.common.deadline import Deadline
from lambdas.sms_deflection.deflection import Deflector
from lambdas.sms_deflection.enrollment import Enrollment
from lambdas.sms_deflection.senders import FAILED, SENT, Delivery

NUMBER = "+14155550123"


class FakeSender:
    def __init__(self, channel: str, *answers: Delivery):
        self.channel, self.answers, self.sent = channel, list(answers), []

    def send(self, number: str, body: str, *, contact_id: str, deadline=None, customer_id: str = "") -> Delivery:
        self.sent.append((number, body))
        return self.answers.pop(0)


class FakeLimiter:
    def __init__(self):
        self.held: set[str] = set()

    def acquire(self, number: str, contact_id: str, deadline: object = None) -> bool:
        self.held.add(contact_id)
        return True

    def release(self, number: str, contact_id: str, deadline: object = None) -> None:
        self.held.discard(contact_id)


def deflect(enrollment: Enrollment, sms: FakeSender, push: FakeSender | None, unknown_line_type: str = "send"):
    limiter = FakeLimiter()
    deflector = Deflector(message="hi", sms=sms, push=push, lookup=lambda number, deadline: enrollment,
                          rate_limiter=limiter, unknown_line_type=unknown_line_type, sleep=lambda s: None)
    return deflector.deflect(NUMBER, "c-1", Deadline(4.0)), limiter


def test_an_enrolled_caller_gets_a_push_and_no_sms():
    sms, push = FakeSender("SMS"), FakeSender("PUSH", Delivery(SENT))
    outcome, _ = deflect(Enrollment(app_enrolled=True, line_type="LANDLINE"), sms, push)
    assert (outcome.result, outcome.channel) == ("SENT", "PUSH") and sms.sent == []


def test_a_push_refused_by_the_webhook_falls_back_to_sms_for_a_mobile():
    sms, push = FakeSender("SMS", Delivery(SENT)), FakeSender("PUSH", Delivery(FAILED, "REFUSED"))
    outcome, limiter = deflect(Enrollment(app_enrolled=True, line_type="MOBILE"), sms, push)
    assert (outcome.result, outcome.channel) == ("SENT", "SMS") and len(sms.sent) == 1
    assert limiter.held == {"c-1"}


def test_a_push_that_may_have_gone_out_is_not_followed_by_an_sms():
    sms, push = FakeSender("SMS"), FakeSender("PUSH", Delivery(FAILED, "TIMEOUT", ambiguous=True))
    outcome, limiter = deflect(Enrollment(app_enrolled=True, line_type="MOBILE"), sms, push)
    assert (outcome.result, outcome.error_kind, outcome.final) == ("ERROR", "TIMEOUT", True)
    assert sms.sent == [] and limiter.held == {"c-1"}  # the slot stays taken: a message may be out


def test_enrolled_but_no_webhook_configured_gets_sms():
    sms = FakeSender("SMS", Delivery(SENT))
    outcome, _ = deflect(Enrollment(app_enrolled=True, line_type="MOBILE"), sms, None)
    assert outcome.channel == "SMS"


def test_line_types_and_the_unknown_policy():
    for line_type, policy, expected in [
        ("MOBILE", "refuse", "SENT"), ("LANDLINE", "send", "NOT_MOBILE"), ("VOIP", "send", "SENT"),
        ("VOIP", "refuse", "NOT_MOBILE"), ("UNKNOWN", "send", "SENT"), ("UNKNOWN", "refuse", "NOT_MOBILE"),
    ]:
        outcome, _ = deflect(Enrollment(line_type=line_type), FakeSender("SMS", Delivery(SENT)), None, policy)
        assert outcome.result == expected, (line_type, policy)
