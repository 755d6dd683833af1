"""Test function: answers after its block's time limit (1 s in the test flows)."""
import time


def lambda_handler(event, context):
    time.sleep(1.5)
    return {"result": "LATE"}
