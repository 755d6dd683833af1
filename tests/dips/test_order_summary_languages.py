"""The order summary the flow speaks is in the contact's language (CX-12): Spanish for es-*, else English."""
from __future__ import annotations

import pytest

from lambdas.order_status.summary import not_found, summarize


@pytest.mark.parametrize(("order", "english", "spanish"), [
    ({"status": "SHIPPED", "carrier": "UPS", "expectedDelivery": "2026-11-27"},
     "Your order has shipped with UPS and should arrive on November 27.",
     "Su pedido se envió con UPS y debería llegar el 27 de noviembre."),
    ({"status": "DELIVERED", "deliveredOn": "2026-01-03"}, "Your order was delivered on January 3.", "Su pedido se entregó el 3 de enero."),
    ({"status": "CANCELLED"}, "Your order was cancelled.", "Su pedido se canceló."),
    ({"status": "PROCESSING"}, "Your order is being prepared.", "Estamos preparando su pedido."),
])
def test_each_status_is_said_in_english_and_in_spanish(order, english, spanish):
    assert summarize(order, "en-US") == summarize(order) == summarize(order, "fr-CA") == english
    assert summarize(order, "es-US") == summarize(order, "es-MX") == spanish


def test_an_order_not_found_is_said_in_the_contacts_language():
    assert not_found("es-US") == "No encontré ese pedido."
    assert not_found(None) == "I couldn't find that order."
