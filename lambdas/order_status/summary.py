"""A sentence the flow can speak about an order (CX-5): plain text, no SSML, no ids, in the contact's
language (Spanish for es-*, English otherwise: the languages we ship prompts for)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lambdas.common.languages import is_spanish

STATUSES = ("PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED")
_ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def check_order(status_code: int, data: Any) -> dict | None:
    """The order from a 200 body (ValueError when it breaks the contract); None for 404."""
    if status_code == 404:
        return None
    if not isinstance(data, dict) or data.get("status") not in STATUSES:
        raise ValueError("order body without a known status")
    return data


def spoken_date(value: Any, spanish: bool = False) -> str:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
    return f"el {day.day} de {_ES_MONTHS[day.month - 1]}" if spanish else f"{_MONTHS[day.month - 1]} {day.day}"


def _carrier(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(c for c in value if c.isalnum() or c in " .&-")[:40].strip()


def not_found(language: str | None = None) -> str:
    return "No encontré ese pedido." if is_spanish(language) else "I couldn't find that order."


@dataclass(frozen=True)
class _Words:
    """One language's sentences about an order; `{date}` and `{carrier}` are filled in."""

    delivered_on: str
    delivered: str
    cancelled: str
    shipped: str
    by_carrier: str
    shipped_arrives: str
    preparing: str
    preparing_arrives: str


_ENGLISH = _Words(
    delivered_on="Your order was delivered on {date}.", delivered="Your order has been delivered.",
    cancelled="Your order was cancelled.", shipped="Your order has shipped", by_carrier=" with {carrier}",
    shipped_arrives=" and should arrive on {date}.", preparing="Your order is being prepared",
    preparing_arrives=" and should arrive on {date}.",
)
_SPANISH = _Words(
    delivered_on="Su pedido se entregó {date}.", delivered="Su pedido ya se entregó.",
    cancelled="Su pedido se canceló.", shipped="Su pedido se envió", by_carrier=" con {carrier}",
    shipped_arrives=" y debería llegar {date}.", preparing="Estamos preparando su pedido",
    preparing_arrives=", que debería llegar {date}.",
)


def summarize(order: dict, language: str | None = None) -> str:
    spanish = is_spanish(language)
    words = _SPANISH if spanish else _ENGLISH
    status = order["status"]
    expected = spoken_date(order.get("expectedDelivery"), spanish=spanish)
    if status == "DELIVERED":
        delivered = spoken_date(order.get("deliveredOn"), spanish=spanish)
        return words.delivered_on.format(date=delivered) if delivered else words.delivered
    if status == "CANCELLED":
        return words.cancelled
    if status == "SHIPPED":
        carrier = _carrier(order.get("carrier"))
        by = words.by_carrier.format(carrier=carrier) if carrier else ""
        return words.shipped + by + (words.shipped_arrives.format(date=expected) if expected else ".")
    return words.preparing + (words.preparing_arrives.format(date=expected) if expected else ".")
