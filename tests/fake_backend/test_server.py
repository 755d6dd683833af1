"""The fake customer backend: seed lookups, auth, idempotency and every injectable fault,
observed from the client side the way a data dip would see them."""
from __future__ import annotations

import http.client as httpclient
import json
import socket
import time

import pytest
import urllib3

from fake_backend.server import FAULT_ALIASES, FAULTS, FakeBackend, resolve_fault

KEY = {"x-api-key": "local-test-key"}


@pytest.fixture
def http():
    with urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=1, read=5)) as pool:
        yield pool


def get(http, backend, path, headers=None, **kwargs):
    return http.request("GET", backend.url + path, headers={**KEY, **(headers or {})}, **kwargs)


def post_interaction(http, backend, item, key=None):
    headers = {**KEY, "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return http.request("POST", backend.url + "/interactions", headers=headers, body=json.dumps(item))


# -- seed lookups ----------------------------------------------------------------------------

def test_known_order_has_what_a_flow_speaks(http, fake_backend):
    response = get(http, fake_backend, "/orders/12345678")
    assert response.status == 200
    order = response.json()
    assert order["orderId"] == "12345678"
    assert order["status"] == "SHIPPED"
    assert order["carrier"] == "UPS"
    assert order["expectedDelivery"] == "2026-11-27"
    assert order["itemCount"] == 3


def test_seed_covers_every_order_status(http, fake_backend):
    statuses = {get(http, fake_backend, f"/orders/{order_id}").json()["status"] for order_id in fake_backend.orders}
    assert statuses == {"SHIPPED", "PROCESSING", "DELIVERED", "CANCELLED"}


def test_unknown_order_is_404_and_malformed_id_is_400(http, fake_backend):
    assert get(http, fake_backend, "/orders/99999999").status == 404
    assert get(http, fake_backend, "/orders/1234").status == 400
    assert get(http, fake_backend, "/orders/1234567a").status == 400


@pytest.mark.parametrize(
    "phone, first_name, line_type, app_enrolled",
    [
        ("+14155550123", "Maria", "MOBILE", False),
        ("+12125550187", "James", "LANDLINE", False),
        ("+13125550144", "Aiko", "MOBILE", True),
        ("+447700900123", "Sam", "VOIP", False),
    ],
)
def test_customer_by_phone(http, fake_backend, phone, first_name, line_type, app_enrolled):
    response = get(http, fake_backend, "/customers", fields={"phone": phone})
    assert response.status == 200
    customer = response.json()
    assert (customer["firstName"], customer["lineType"], customer["appEnrolled"]) == (first_name, line_type, app_enrolled)
    assert customer["customerId"].startswith("C-")


def test_unknown_number_is_404_and_a_non_e164_number_is_400(http, fake_backend):
    assert get(http, fake_backend, "/customers", fields={"phone": "+15555550000"}).status == 404
    assert get(http, fake_backend, "/customers", fields={"phone": "4155550123"}).status == 400
    assert get(http, fake_backend, "/customers").status == 400


@pytest.mark.parametrize("phone", ["+1415555010", "+141555501234", "+4402079460000"])
def test_a_number_of_impossible_length_for_its_country_is_400(http, fake_backend, phone):
    response = get(http, fake_backend, "/customers", fields={"phone": phone})
    assert response.status == 400
    assert response.json()["message"] == "phone must be an E.164 number, e.g. +14155550123 (encode + as %2B)"


@pytest.mark.parametrize("phone", ["+33612345678", "+81312345678", "+6831234"])
def test_a_possible_number_of_any_country_is_looked_up(http, fake_backend, phone):
    assert get(http, fake_backend, "/customers", fields={"phone": phone}).status == 404


def test_an_unencoded_plus_still_finds_the_customer(http, fake_backend):
    assert get(http, fake_backend, "/customers?phone=+14155550123").json()["firstName"] == "Maria"


def test_seed_can_be_given_as_a_dict():
    seed = {"orders": [{"orderId": "11112222", "status": "DELIVERED"}], "customers": []}
    with FakeBackend(seed=seed) as backend, urllib3.PoolManager(retries=False) as pool:
        assert get(pool, backend, "/orders/11112222").json()["status"] == "DELIVERED"
        assert get(pool, backend, "/orders/12345678").status == 404


# -- auth ------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}])
def test_missing_or_wrong_api_key_is_401(http, fake_backend, headers):
    response = http.request("GET", fake_backend.url + "/orders/12345678", headers=headers)
    assert response.status == 401
    assert "x-api-key" in response.json()["message"]


# -- interactions ----------------------------------------------------------------------------

ITEM = {"contactId": "c-1", "event": "ORDER_STATUS", "callerNumber": "+14155550123",
        "orderId": "12345678", "outcome": "FOUND"}


def test_interaction_is_written_to_the_timeline(http, fake_backend):
    response = post_interaction(http, fake_backend, ITEM, key="c-1:ORDER_STATUS")
    assert response.status == 201
    created = response.json()
    assert created["interactionId"] and created["outcome"] == "FOUND"
    assert fake_backend.interactions == [created]
    assert fake_backend.requests[-1].json() == ITEM
    assert fake_backend.requests[-1].headers["idempotency-key"] == "c-1:ORDER_STATUS"


def test_a_repeated_idempotency_key_returns_the_first_item_and_writes_nothing(http, fake_backend):
    first = post_interaction(http, fake_backend, ITEM, key="c-1:ORDER_STATUS")
    again = post_interaction(http, fake_backend, {**ITEM, "outcome": "ERROR"}, key="c-1:ORDER_STATUS")
    assert (first.status, again.status) == (201, 200)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(fake_backend.interactions) == 1
    assert post_interaction(http, fake_backend, ITEM, key="c-2:ORDER_STATUS").status == 201
    assert len(fake_backend.interactions) == 2


def test_interaction_without_required_fields_is_400(http, fake_backend):
    response = post_interaction(http, fake_backend, {"orderId": "12345678"})
    assert response.status == 400
    assert "contactId" in response.json()["message"]
    assert fake_backend.interactions == []


def test_reset_forgets_interactions_requests_and_faults(http, fake_backend):
    post_interaction(http, fake_backend, ITEM, key="k")
    fake_backend.set_fault("error_500")
    fake_backend.reset()
    assert fake_backend.interactions == [] and fake_backend.requests == []
    assert post_interaction(http, fake_backend, ITEM, key="k").status == 201


# -- faults ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "fault, status, retry_after",
    [
        ("error_500", 500, None),
        ("error_503", 503, None),
        ("error_503_retry_after", 503, "1"),
        ("throttle_429", 429, None),
        ("throttle_429_retry_after", 429, "1"),
    ],
)
def test_error_faults(http, fake_backend, fault, status, retry_after):
    fake_backend.set_fault(fault)
    response = get(http, fake_backend, "/orders/12345678")
    assert response.status == status
    assert response.headers.get("Retry-After") == retry_after
    assert fake_backend.requests[-1].fault == fault


def test_retry_after_is_settable(http, fake_backend):
    fake_backend.set_fault("throttle_429_retry_after", retry_after_s=7)
    assert get(http, fake_backend, "/orders/12345678").headers["Retry-After"] == "7"
    assert get(http, fake_backend, "/orders/12345678",
               {"X-Fake-Fault": "error_503_retry_after", "X-Fake-Retry-After": "3"}).headers["Retry-After"] == "3"


def test_latency_delays_then_answers_normally(http, fake_backend):
    fake_backend.set_fault("latency", latency_ms=300)
    started = time.monotonic()
    response = get(http, fake_backend, "/orders/12345678")
    assert time.monotonic() - started >= 0.3
    assert response.status == 200 and response.json()["status"] == "SHIPPED"


def test_latency_stops_when_the_client_gives_up_and_writes_nothing_late():
    backend = FakeBackend().start()  # its own backend: nothing else holds a connection to it
    try:
        backend.set_fault("latency", latency_ms=20_000)
        connection = httpclient.HTTPConnection("127.0.0.1", backend.port, timeout=0.2)
        connection.request("POST", "/interactions", body=json.dumps({"contactId": "c-1", "event": "ORDER_STATUS"}),
                           headers={**KEY, "Content-Type": "application/json"})
        with pytest.raises(socket.timeout):
            connection.getresponse()
        connection.close()  # the client gives up
        deadline = time.monotonic() + 10  # far below the 20 s delay a handler that kept sleeping would take
        while backend._connections and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not backend._connections, "the request kept waiting after its client had gone"
        assert [r.path for r in backend.requests] == ["/interactions"]
        assert backend.interactions == []
    finally:
        backend.stop()


def test_hang_times_out_at_the_client(fake_backend):
    fake_backend.set_fault("hang")
    connection = httpclient.HTTPConnection("127.0.0.1", fake_backend.port, timeout=0.3)
    connection.request("GET", "/orders/12345678", headers=KEY)
    with pytest.raises(socket.timeout):
        connection.getresponse()
    connection.close()


def test_reset_raises_connection_reset(fake_backend):
    fake_backend.set_fault("reset")
    connection = httpclient.HTTPConnection("127.0.0.1", fake_backend.port, timeout=2)
    connection.request("GET", "/orders/12345678", headers=KEY)
    with pytest.raises(ConnectionResetError):
        connection.getresponse()
    connection.close()


def test_malformed_is_200_with_a_body_that_is_not_json(http, fake_backend):
    fake_backend.set_fault("malformed")
    response = get(http, fake_backend, "/orders/12345678")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        json.loads(response.data)


def test_oversized_is_a_multi_megabyte_body(http, fake_backend):
    fake_backend.set_fault("oversized")
    response = get(http, fake_backend, "/orders/12345678", preload_content=False)
    assert response.status == 200
    assert int(response.headers["Content-Length"]) >= 2 * 1024 * 1024
    assert len(response.read(1024 * 1024)) == 1024 * 1024  # a client can stop reading early
    response.release_conn()


def test_trickle_sends_the_body_one_byte_at_a_time(http, fake_backend):
    """A read timeout bounds each socket read, not the body: 2 s never fires (a byte every 100 ms),
    yet 5 bytes take ~0.5 s."""
    fake_backend.set_fault("trickle")
    started = time.monotonic()
    response = get(http, fake_backend, "/orders/12345678", preload_content=False, timeout=urllib3.Timeout(read=2))
    assert response.status == 200
    assert response.read(5) == b'{"ord'
    assert time.monotonic() - started >= 0.4
    assert int(response.headers["Content-Length"]) > 100  # the whole body would take 10+ s
    response.release_conn()


def test_header_fault_overrides_the_run_fault(http, fake_backend):
    fake_backend.set_fault("error_500")
    assert get(http, fake_backend, "/orders/12345678", {"X-Fake-Fault": "throttle_429"}).status == 429
    assert get(http, fake_backend, "/orders/12345678", {"X-Fake-Fault": "none"}).status == 200
    assert get(http, fake_backend, "/orders/12345678").status == 500
    assert get(http, fake_backend, "/orders/12345678", {"X-Fake-Fault": "bogus"}).status == 400
    assert get(http, fake_backend, "/orders/12345678", {"X-Fake-Fault": "latency", "X-Fake-Latency-Ms": "soon"}).status == 400


def test_fault_for_the_next_requests_only_then_normal(http, fake_backend):
    fake_backend.set_fault("error_503", count=2)
    statuses = [get(http, fake_backend, "/orders/12345678").status for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_fault_limited_to_a_path(http, fake_backend):
    fake_backend.set_fault("error_500", path_prefix="/orders")
    assert get(http, fake_backend, "/orders/12345678").status == 500
    assert get(http, fake_backend, "/customers", fields={"phone": "+14155550123"}).status == 200


def test_clearing_the_fault(http, fake_backend):
    fake_backend.set_fault("error_500")
    fake_backend.set_fault(None)
    assert get(http, fake_backend, "/orders/12345678").status == 200


def test_unknown_fault_name_is_refused(fake_backend):
    with pytest.raises(ValueError, match="unknown fault 'gremlins'; expected one of "):
        fake_backend.set_fault("gremlins")
    assert len(FAULTS) == 11


@pytest.mark.parametrize("shorthand, fault", sorted(FAULT_ALIASES.items()))
def test_shorthand_fault_names_mean_their_fault(shorthand, fault):
    assert resolve_fault(shorthand) == fault
    assert resolve_fault(fault) == fault


def test_a_shorthand_sets_its_fault(http, fake_backend):
    fake_backend.set_fault("error", path_prefix="/orders")
    assert get(http, fake_backend, "/orders/12345678").status == 500
    assert fake_backend.requests[-1].fault == "error_500"


def test_a_hung_request_does_not_block_shutdown():
    backend = FakeBackend().start()
    client = None
    try:
        backend.set_fault("hang")
        client = socket.create_connection(("127.0.0.1", backend.port), timeout=5)
        client.sendall(b"GET /orders/12345678 HTTP/1.1\r\nHost: x\r\nx-api-key: local-test-key\r\n\r\n")
        give_up_at = time.monotonic() + 10
        while not backend.requests and time.monotonic() < give_up_at:  # recorded, then held by the fault
            time.sleep(0.01)
        assert [request.path for request in backend.requests] == ["/orders/12345678"]
        started = time.monotonic()
        backend.stop()
        assert time.monotonic() - started < 3  # a held request that blocked shutdown would block it for good
    finally:
        backend.stop()  # a no-op once stopped
        if client is not None:
            client.close()


def test_answers_are_sent_with_nagle_off_so_keep_alive_clients_do_not_wait_for_delayed_acks(fake_backend):
    # Head and body go out in two writes: with Nagle on, the body waits for the client's delayed ACK
    # (~40 ms per request on loopback). Checked on the server's own socket for this connection, not by timing.
    connection = httpclient.HTTPConnection("127.0.0.1", fake_backend.port, timeout=2)
    try:
        connection.request("GET", "/orders/12345678", headers=KEY)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["orderId"] == "12345678"
        client_port = connection.sock.getsockname()[1]
        with fake_backend._lock:
            (served,) = [s for s in fake_backend._connections if _peer_port(s) == client_port]
            assert served.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        connection.close()


def _peer_port(sock: socket.socket) -> int | None:
    try:
        return sock.getpeername()[1]
    except OSError:  # another test's connection, reset by its client
        return None
