"""Test function: a nested answer, which Connect refuses for a STRING_MAP response."""


def lambda_handler(event, context):
    return {"result": "OK", "order": {"id": "1"}}
