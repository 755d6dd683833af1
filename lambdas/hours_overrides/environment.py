"""The environment variables the hours-overrides function reads: infra/hours_overrides.py sets them
(through configuration.runtime_values), the handler reads them."""
from lambdas.closure_check.environment import TABLE_ENV  # the messages table, as the closure check names it

INSTANCE_ID_ENV = "CONNECT_INSTANCE_ID"
HOURS_ENV = "HOURS_OF_OPERATION_ARNS"  # JSON: the flows' name of each hours resource -> its ARN
QUEUE_HOURS_ENV = "QUEUE_HOURS"  # JSON: a queue's name in Connect -> the flows' name of its hours

__all__ = ["HOURS_ENV", "INSTANCE_ID_ENV", "QUEUE_HOURS_ENV", "TABLE_ENV"]
