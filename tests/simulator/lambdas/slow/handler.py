"""Test function: answers long after its block's time limit (1 s in the test flows), so a caller who
waited the limit and one who waited for the answer stay apart even on a loaded machine."""
import time


def lambda_handler(event, context):
    time.sleep(3.0)
    return {"result": "LATE"}
