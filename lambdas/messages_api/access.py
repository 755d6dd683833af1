"""Who may use the operators' page API: the signed-in identity and its groups, from the token's claims.

API Gateway's JWT authorizer checks every route's token (signature, issuer, audience, expiry) before
the function runs; the function checks again what it relies on, so a route wired without the
authorizer, or a token of another issuer, is refused all the same:
- the claims are there and their issuer is ISSUER_ENV's (the user pool; `ivr messages serve`'s
  local stand-in locally);
- the caller is in the group VIEWERS or EDITORS to read, and in EDITORS to change anything.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ISSUER_ENV = "MESSAGES_API_ISSUER"  # the user pool's issuer URL, https://cognito-idp.<region>.amazonaws.com/<pool id>
EDITORS, VIEWERS = "editors", "viewers"


class NotSignedIn(Exception):
    """No claims of the expected issuer: 401."""


@dataclass(frozen=True)
class Caller:
    identity: str  # what history records: the email, else the user name, else the subject
    groups: frozenset[str]

    @property
    def can_view(self) -> bool:
        return bool(self.groups & {EDITORS, VIEWERS})

    @property
    def can_edit(self) -> bool:
        return EDITORS in self.groups


def caller_of(event: Mapping[str, Any], issuer: str | None = None) -> Caller:
    """The caller of an HTTP API (payload 2.0) event; NotSignedIn when the claims are missing or not the issuer's."""
    expected = issuer if issuer is not None else os.environ.get(ISSUER_ENV, "")
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims")
    if not isinstance(claims, Mapping) or not expected or claims.get("iss") != expected:
        raise NotSignedIn("sign in first")
    identity = next((str(claims[name]) for name in ("email", "cognito:username", "username", "sub") if claims.get(name)), "")
    if not identity:
        raise NotSignedIn("the token names nobody")
    return Caller(identity=identity, groups=groups_of(claims.get("cognito:groups")))


def groups_of(claim: Any) -> frozenset[str]:
    """`cognito:groups` as the HTTP API passes it: a list, or one string like "[editors viewers]"."""
    if isinstance(claim, (list, tuple)):
        return frozenset(str(group) for group in claim)
    if isinstance(claim, str):
        return frozenset(part for part in re.split(r"[\s,\[\]]+", claim) if part)
    return frozenset()
