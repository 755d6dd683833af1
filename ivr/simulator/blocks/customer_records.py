"""Customer Profiles and Cases: the records come from the call's data file (`--data`).

A profile found, created or updated is the contact's current profile: its fields are
$.Customer.<Field> for the blocks that follow (the fields the block asks for, with ProfileId).
A case found or created is $.Case.<field>. Searches that find nothing take NoneFoundError (cases:
NoneFound), several take MultipleFoundError (MultipleFound), as in Connect. Without a data file
there are no records, and the transcript says so.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flow_language.model import Action
from ivr.simulator.blocks.registry import NEXT, Branch, block, error
from ivr.simulator.local_data import find

if TYPE_CHECKING:
    from ivr.simulator.engine import Call, Frame

PROFILE_ID = "ProfileId"
CASE_ID = "case_id"


@dataclass(frozen=True)
class _Kind:
    """A kind of record of the data file: how the contact holds one and how a search names its misses."""

    name: str  # "customer profile", as the transcript says it
    namespace: str  # $.<namespace>.<field> for the blocks that follow
    id_field: str
    none_found: str  # the error branch of a search that finds nothing
    multiple_found: str


PROFILE = _Kind("customer profile", "Customer", PROFILE_ID, "NoneFoundError", "MultipleFoundError")
CASE = _Kind("case", "Case", CASE_ID, "NoneFound", "MultipleFound")


def _requested(call: Call, frame: Frame, action: Action, key: str) -> dict[str, str]:
    value = action.parameters.get(key)
    resolved = call.resolve(value if isinstance(value, Mapping) else {}, frame, action)
    return {str(k): "" if v is None else str(v) for k, v in resolved.items() if not isinstance(v, (Mapping, list))}


def _fields(action: Action, key: str) -> list[str]:
    value = action.parameters.get(key)
    return [str(name) for name in value] if isinstance(value, list) else []


def _no_records(call: Call, frame: Frame, action: Action, kind: _Kind) -> None:
    if call.data.source is None:
        call.note(frame, action, f"no local {kind.name}s (give them with --data FILE): {action.type} finds none")


def _show(call: Call, kind: _Kind, record: Mapping[str, str], wanted: list[str]) -> None:
    """`record` becomes the contact's current one of its kind: its id and the `wanted` fields (all when none)."""
    call.contact.namespaces[kind.namespace] = {kind.id_field: record.get(kind.id_field, ""),
                                               **{name: record.get(name, "") for name in wanted or list(record)}}


def _the_one_found(call: Call, frame: Frame, action: Action, kind: _Kind, found: list[dict[str, str]],
                   wanted: list[str]) -> Branch:
    """A search's outcome: its one record shown, or the error branch for none or several."""
    if not found:
        _no_records(call, frame, action, kind)
        return error(kind.none_found)
    if len(found) > 1:
        return error(kind.multiple_found)
    _show(call, kind, found[0], wanted)
    call.note(frame, action, f"{kind.name} {found[0].get(kind.id_field, '?')} found")
    return NEXT


# --- profiles ----------------------------------------------------------------------------------

def _current_profile(call: Call) -> dict[str, str] | None:
    current = call.contact.namespaces.get("Customer", {}).get(PROFILE_ID)
    return next((p for p in call.data.profiles if p.get(PROFILE_ID) == current), None) if current else None


@block("GetCustomerProfile")
def get_customer_profile(call: Call, frame: Frame, action: Action) -> Branch:
    wanted = _requested(call, frame, action, "ProfileRequestData")
    if "IdentifierName" in wanted:  # {IdentifierName: PhoneNumber, IdentifierValue: +1...}
        wanted = {wanted.pop("IdentifierName"): wanted.pop("IdentifierValue", "")} | wanted
    found = find(call.data.profiles, wanted)
    return _the_one_found(call, frame, action, PROFILE, found, _fields(action, "ProfileResponseData"))


@block("CreateCustomerProfile")
def create_customer_profile(call: Call, frame: Frame, action: Action) -> Branch:
    profile = {PROFILE_ID: uuid.uuid4().hex, **_requested(call, frame, action, "ProfileRequestData")}
    call.data.profiles.append(profile)
    _show(call, PROFILE, profile, _fields(action, "ProfileResponseData"))
    call.note(frame, action, f"customer profile {profile[PROFILE_ID]} created (kept for this call only)")
    return NEXT


@block("UpdateCustomerProfile")
def update_customer_profile(call: Call, frame: Frame, action: Action) -> Branch:
    profile = _current_profile(call)
    if profile is None:
        call.note(frame, action, "no customer profile is associated with the contact")
        return error("NoMatchingError")
    profile.update(_requested(call, frame, action, "ProfileRequestData"))
    _show(call, PROFILE, profile, _fields(action, "ProfileResponseData"))
    call.note(frame, action, f"customer profile {profile[PROFILE_ID]} updated (for this call only)")
    return NEXT


@block("AssociateContactToCustomerProfile")
def associate_contact_to_customer_profile(call: Call, frame: Frame, action: Action) -> Branch:
    wanted = str(call.resolve(action.parameters.get("ProfileId", ""), frame, action))
    profile = next((p for p in call.data.profiles if p.get(PROFILE_ID) == wanted), None)
    if profile is None:
        _no_records(call, frame, action, PROFILE)
        return error("NoMatchingError")
    _show(call, PROFILE, profile, [])
    call.note(frame, action, f"contact associated with customer profile {wanted}")
    return NEXT


@block("GetCustomerProfileObject", "GetCalculatedAttributesForCustomerProfile")
def get_customer_profile_details(call: Call, frame: Frame, action: Action) -> Branch:
    """Profile objects (orders, assets) and calculated attributes are not in the data file: with
    a current profile the block succeeds and reads the profile's own fields; else NoneFoundError."""
    profile = _current_profile(call)
    if profile is None:
        _no_records(call, frame, action, PROFILE)
        return error("NoneFoundError")
    call.note(frame, action, f"{action.type}: profile objects and calculated attributes are not simulated; "
                             "the profile's fields stand for them")
    return NEXT


# --- cases -------------------------------------------------------------------------------------

@block("GetCase")
def get_case(call: Call, frame: Frame, action: Action) -> Branch:
    found = find(call.data.cases, _requested(call, frame, action, "CaseRequestFields"))
    if _true(action.parameters.get("GetLastUpdatedCase")):
        found = found[-1:]
    return _the_one_found(call, frame, action, CASE, found, _fields(action, "CaseResponseFields"))


@block("CreateCase")
def create_case(call: Call, frame: Frame, action: Action) -> Branch:
    case = {CASE_ID: uuid.uuid4().hex, "status": "open", **_requested(call, frame, action, "CaseRequestFields")}
    call.data.cases.append(case)
    _show(call, CASE, case, [])
    call.note(frame, action, f"case {case[CASE_ID]} created (kept for this call only)")
    return NEXT


@block("UpdateCase")
def update_case(call: Call, frame: Frame, action: Action) -> Branch:
    wanted = str(call.resolve(action.parameters.get("CaseId", ""), frame, action)) \
        or str(call.contact.namespaces.get("Case", {}).get(CASE_ID, ""))
    case = next((c for c in call.data.cases if c.get(CASE_ID) == wanted), None) if wanted else None
    if case is None:
        _no_records(call, frame, action, CASE)
        return error("NoMatchingError")
    case.update(_requested(call, frame, action, "CaseRequestFields"))
    _show(call, CASE, case, [])
    call.note(frame, action, f"case {wanted} updated (for this call only)")
    return NEXT


def _true(value: Any) -> bool:
    return str(value).strip().lower() == "true"
