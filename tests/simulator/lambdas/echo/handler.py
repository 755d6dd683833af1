"""Test function: answers with its parameters and who called."""


def lambda_handler(event, context):
    contact = event["Details"]["ContactData"]
    return {
        "result": "OK",
        "caller": (contact.get("CustomerEndpoint") or {}).get("Address", ""),
        "seen_attributes": ",".join(sorted(contact["Attributes"])),
        **event["Details"]["Parameters"],
    }
