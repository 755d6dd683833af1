"""Test function: raises, as a broken Lambda would."""


def lambda_handler(event, context):
    raise RuntimeError("backend exploded")
