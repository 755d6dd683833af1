"""The numbering-plan facts the Lambdas' light phone check reads, taken from the `phonenumbers` metadata.

The Lambdas do not ship `phonenumbers`; `lambdas/common/numbering_plans.json` holds, per country
calling code, just what `phone_numbers.is_e164` consults for a "+digits" string: the possible
lengths of the national number (and those possible only for local dialling), and, where the
country has one, the national prefix `phonenumbers.parse` would strip or rewrite, with the
national number pattern that decides whether it does. After upgrading `phonenumbers`, regenerate:

    .venv/bin/python -m phone_numbers.numbering_plans
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata

PLANS_PATH = Path(__file__).resolve().parent.parent / "lambdas" / "common" / "numbering_plans.json"


def numbering_plans() -> dict[str, Any]:
    """The content of the plans file as the installed `phonenumbers` gives it."""
    plans: dict[str, dict[str, Any]] = {}
    for calling_code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        region = phonenumbers.region_code_for_country_code(calling_code)
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(calling_code, region)
        assert metadata is not None and metadata.general_desc is not None, calling_code  # every code in the map has them
        general = metadata.general_desc
        plan: dict[str, Any] = {"lengths": list(general.possible_length), "local_only": list(general.possible_length_local_only)}
        if metadata.national_prefix_for_parsing:
            plan["national_prefix"] = metadata.national_prefix_for_parsing
            plan["pattern"] = general.national_number_pattern or ""
            if metadata.national_prefix_transform_rule:
                plan["transform"] = metadata.national_prefix_transform_rule
        plans[str(calling_code)] = plan
    return {"generated_from": f"phonenumbers {phonenumbers.__version__}", "plans": plans}


def plans_file_text(content: dict[str, Any]) -> str:
    """The file as committed: one calling code a line, so an upgrade's diff shows which plans moved."""
    lines = [f"  {json.dumps(code)}: {json.dumps(plan, separators=(',', ':'))}" for code, plan in content["plans"].items()]
    return "{\n" + f'"generated_from": {json.dumps(content["generated_from"])},\n"plans": {{\n' + ",\n".join(lines) + "\n}}\n"


def main() -> None:
    PLANS_PATH.write_text(plans_file_text(numbering_plans()), encoding="utf-8")
    print(f"wrote {PLANS_PATH}")


if __name__ == "__main__":
    main()
