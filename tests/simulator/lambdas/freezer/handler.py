"""Test function: freezes what is alive, as our functions do after their first read (lambdas.common.deadline),
and answers how many objects are frozen then."""
import gc


def lambda_handler(event, context):
    gc.freeze()
    return {"result": "OK", "frozen": str(gc.get_freeze_count()), **event["Details"]["Parameters"]}
