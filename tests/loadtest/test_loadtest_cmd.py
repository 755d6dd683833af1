"""`ivr loadtest` against the fake backend: the report a user reads before go-live, and its exit
status. Runs are short (2-3 s); locust runs in a child process, never in the test process."""
from __future__ import annotations

import re
import socket

import pytest

from ivr.cli import main

KEY_ENV = "LOADTEST_TEST_KEY"


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "local-test-key")


def loadtest(url, *extra):
    return main(["loadtest", "--url", url, "--api-key-env", KEY_ENV, *extra])


def test_a_healthy_backend_fits_the_budget(fake_backend, capfd):
    code = loadtest(fake_backend.url, "--rate", "20", "--duration", "3s", "--budget-ms", "2000")
    out, err = capfd.readouterr()
    assert code == 0, out + err
    assert "Load test: GET /orders/{orderId}" in out and "(budget 2000 ms from --budget-ms)" in out
    assert "fits inside the 2000 ms budget." in out and "NOT" not in out
    assert "p50 " in out and "p95 " in out and "p99 " in out
    assert "Errors      0 (0.00%" in out
    assert out.rstrip().endswith("PASS")
    assert re.search(r"\b\d+s/3s\b", err), err  # progress lines while it runs
    requests_line = re.search(r"Requests +(\d+) in", out)
    assert requests_line, out
    measured = int(requests_line.group(1))
    assert measured > 0  # the rate itself is a benchmark's business, not a test's
    assert len(fake_backend.requests) > measured  # plus the pre-flight request
    assert {r.headers["x-api-key"] for r in fake_backend.requests} == {"local-test-key"}
    assert {r.path for r in fake_backend.requests} >= {"/orders/12345678", "/orders/99999999"}  # 404s count as answers


def test_a_slow_backend_does_not_fit(fake_backend, capfd):
    fake_backend.set_fault("latency", latency_ms=400)
    code = loadtest(fake_backend.url, "--endpoint", "customers", "--rate", "5", "--duration", "2s",
                    "--budget-ms", "250", "--phone", "+12125550187")
    out, _ = capfd.readouterr()
    assert code == 1
    assert "does NOT fit inside the 250 ms budget." in out
    assert out.rstrip().endswith("FAIL")
    assert {r.query["phone"] for r in fake_backend.requests} == {"+12125550187"}


def test_errors_above_the_limit_fail_and_are_listed(fake_backend, capfd):
    fake_backend.set_fault("error_503", path_prefix="/orders/2")  # the preflight (12345678) passes
    code = loadtest(fake_backend.url, "--rate", "10", "--duration", "2s",
                    "--order-id", "12345678", "--order-id", "23456789")
    out, _ = capfd.readouterr()
    assert code == 1
    assert "x HTTP 503" in out
    assert "is above the 1% limit." in out


def test_refused_api_key_stops_before_the_run(fake_backend, capfd, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "wrong-key")
    assert loadtest(fake_backend.url, "--duration", "2s") == 1
    _, err = capfd.readouterr()
    assert "the backend refused the API key (HTTP 401" in err
    assert len(fake_backend.requests) == 1


def test_unreachable_host_is_a_clear_error(capfd):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert loadtest(f"http://127.0.0.1:{port}", "--duration", "2s") == 1
    _, err = capfd.readouterr()
    assert f"cannot reach http://127.0.0.1:{port}" in err and "refused" in err


def test_a_hanging_backend_is_reported_before_the_run(fake_backend, capfd):
    fake_backend.set_fault("hang")
    assert loadtest(fake_backend.url, "--duration", "2s", "--budget-ms", "200") == 1
    _, err = capfd.readouterr()
    assert "did not answer GET /orders/12345678 within 1.2 s" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--url", "ftp://example.com"], "--url must be an http:// or https:// URL"),
        (["--url", "not a url"], "--url must be an http:// or https:// URL"),
        (["--order-id", "1234"], "--order-id must be 8 digits"),
        (["--endpoint", "customers", "--phone", "4155550123"], "--phone must be an E.164 number"),
        (["--endpoint", "customers", "--phone", "+1415555010"], "--phone must be an E.164 number such as +14155550123, got '+1415555010'"),
        (["--endpoint", "customers", "--phone", "+14155550123", "--phone", "+4402079460000"],
         "--phone must be an E.164 number such as +14155550123, got '+4402079460000'"),
    ],
)
def test_usage_errors(capfd, args, message):
    url = [] if "--url" in args else ["--url", "http://127.0.0.1:9"]
    assert main(["loadtest", *url, "--api-key-env", KEY_ENV, *args]) == 2
    assert message in capfd.readouterr().err


def test_a_possible_number_of_another_country_is_load_tested(fake_backend, capfd, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "wrong-key")  # the pre-flight request is refused: no run needed to see the number used
    assert loadtest(fake_backend.url, "--endpoint", "customers", "--phone", "+33612345678", "--duration", "2s") == 1
    assert "the backend refused the API key" in capfd.readouterr().err
    assert [r.query["phone"] for r in fake_backend.requests] == ["+33612345678"]


def test_missing_api_key_variable(capfd, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    assert loadtest("http://127.0.0.1:9") == 2
    assert f"environment variable {KEY_ENV} is not set" in capfd.readouterr().err


def test_bad_duration_is_refused(capfd):
    with pytest.raises(SystemExit) as exit_info:
        loadtest("http://127.0.0.1:9", "--duration", "soon")
    assert exit_info.value.code == 2
    assert "expected a duration such as 60s" in capfd.readouterr().err


def test_api_key_from_secrets_manager(fake_backend, moto_endpoint, monkeypatch, capfd):
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    boto3.client("secretsmanager").create_secret(Name="ivr/backend-api-key", SecretString="local-test-key")
    code = main(["loadtest", "--url", fake_backend.url, "--api-key-secret", "ivr/backend-api-key",
                 "--rate", "5", "--duration", "1s"])
    out, err = capfd.readouterr()
    assert code == 0, out + err
    assert {r.headers["x-api-key"] for r in fake_backend.requests} == {"local-test-key"}


def test_missing_secret_is_a_usage_error(moto_endpoint, monkeypatch, capfd):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    assert main(["loadtest", "--url", "http://127.0.0.1:9", "--api-key-secret", "nope"]) == 2
    assert "cannot read the API key from secret 'nope'" in capfd.readouterr().err


def test_requests_that_hang_count_as_timeouts(fake_backend, capfd):
    fake_backend.set_fault("hang", path_prefix="/orders/2")  # the preflight (12345678) passes
    code = loadtest(fake_backend.url, "--rate", "6", "--duration", "1s", "--budget-ms", "200",
                    "--order-id", "12345678", "--order-id", "23456789")
    out, _ = capfd.readouterr()
    assert code == 1
    assert "x timeout: no answer in time" in out
    p99_line = re.search(r"p99 (\d+) ms", out)
    assert p99_line, out
    p99 = int(p99_line.group(1))
    assert p99 >= 1200  # a timed-out request counts with the time it made the caller wait
    assert "does NOT fit inside the 200 ms budget." in out


def result(**overrides):
    return {"requests": 100, "failures": 0, "errors": {}, "duration_s": 5.0, "throughput": 20.0,
            "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0, "max_ms": 40.0, **overrides}


def test_report_p99_at_the_budget_fits_and_errors_at_the_limit_pass(capsys):
    from ivr.loadtest_cmd import report

    assert report(result(p99_ms=2000.0, failures=1, errors={"HTTP 503": 1}), rate=20, budget_ms=2000, max_error_rate=1.0) == 0
    out = capsys.readouterr().out
    assert "p99 2000 ms fits inside the 2000 ms budget." in out and "1 x HTTP 503" in out


def test_report_without_any_answer_fails(capsys):
    from ivr.loadtest_cmd import report

    assert report(result(requests=0, throughput=0.0), rate=20, budget_ms=2000, max_error_rate=1.0) == 1
    assert "No request completed" in capsys.readouterr().out


def test_report_says_when_the_rate_was_not_reached(capsys):
    from ivr.loadtest_cmd import report

    report(result(throughput=12.0), rate=20, budget_ms=2000, max_error_rate=1.0)
    assert "12.0 req/s is below the 20 req/s asked" in capsys.readouterr().out


def test_default_budget_is_the_dips_configured_budget(cdk_context):
    from configuration.model import DEFAULT_DIPS
    from ivr.loadtest_cmd import configured_budget

    for endpoint, dip in (("orders", "order_status"), ("customers", "customer_lookup")):
        configured = cdk_context.get("dips", {}).get(dip, {}).get("budget_ms", DEFAULT_DIPS[dip]["budget_ms"])
        budget, source = configured_budget(endpoint)
        assert budget == configured and f"dips.{dip}.budget_ms" in source
