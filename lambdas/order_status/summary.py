"""A sentence the flow can speak about an order (CX-5): plain text, no SSML, no ids, in the contact's
language (Spanish for es-*, English otherwise: the languages we ship prompts for)."""
from __future__ import annotations

from datetime import date
from typing import Any

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
    return "No encontré ese pedido." if _spanish(language) else "I couldn't find that order."


def summarize(order: dict, language: str | None = None) -> str:
    if _spanish(language):
        return _summary_in_spanish(order)
    status = order["status"]
    expected, delivered, carrier = spoken_date(order.get("expectedDelivery")), spoken_date(order.get("deliveredOn")), _carrier(order.get("carrier"))
    if status == "DELIVERED":
        return f"Your order was delivered on {delivered}." if delivered else "Your order has been delivered."
    if status == "CANCELLED":
        return "Your order was cancelled."
    if status == "SHIPPED":
        by = f" with {carrier}" if carrier else ""
        return f"Your order has shipped{by}" + (f" and should arrive on {expected}." if expected else ".")
    return "Your order is being prepared" + (f" and should arrive on {expected}." if expected else ".")


def _spanish(language: str | None) -> bool:
    return bool(language) and str(language).lower().startswith("es")


def _summary_in_spanish(order: dict) -> str:
    status = order["status"]
    expected = spoken_date(order.get("expectedDelivery"), spanish=True)
    delivered = spoken_date(order.get("deliveredOn"), spanish=True)
    carrier = _carrier(order.get("carrier"))
    if status == "DELIVERED":
        return f"Su pedido se entregó {delivered}." if delivered else "Su pedido ya se entregó."
    if status == "CANCELLED":
        return "Su pedido se canceló."
    if status == "SHIPPED":
        by = f" con {carrier}" if carrier else ""
        return f"Su pedido se envió{by}" + (f" y debería llegar {expected}." if expected else ".")
    return "Estamos preparando su pedido" + (f", que debería llegar {expected}." if expected else ".")
