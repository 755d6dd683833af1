"""Test function: freezes what is alive, as our functions do after their first read (lambdas.common.deadline)."""
import gc


def lambda_handler(event, context):
    gc.freeze()
    return {"result": "OK", **event["Details"]["Parameters"]}
