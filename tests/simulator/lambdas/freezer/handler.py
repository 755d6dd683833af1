"""Test function: leaves a reference cycle behind, then freezes what is alive, as our functions do after
their first read (lambdas.common.deadline); answers how many objects it froze."""
import gc
import weakref

from tests.simulator import freezer_witness


class _Client:
    """Stands for a botocore client: objects that refer to each other."""


_client = _Client()
_client.me = _client
freezer_witness.LEFT.append(weakref.ref(_client))
del _client


def lambda_handler(event, context):
    gc.freeze()
    return {"result": "OK", "frozen": str(gc.get_freeze_count()), **event["Details"]["Parameters"]}
