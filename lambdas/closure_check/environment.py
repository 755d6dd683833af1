"""The environment variables the closure check reads: infra/holiday_and_emergency_messages.py and
the local simulator set them (through configuration.runtime_values), the handler reads them."""
from lambdas.common.deadline import BUDGET_ENV  # the Lambda timeout and the flow's time limit derive from it, as for every dip

TABLE_ENV = "MESSAGES_TABLE_NAME"  # the messages table
CACHE_TTL_ENV = "MESSAGES_CACHE_TTL_SECONDS"  # seconds an answer from the table is reused (default 30)
TIME_ZONE_ENV = "CENTER_TIME_ZONE"  # IANA name of the center's time zone: all-day and yearly windows use it
OPENING_HOURS_ENV = "CENTER_OPENING_HOURS"  # the hours the app creates, JSON {"MONDAY": "08:00-20:00"}, for "{reopening}"
DEFAULT_LANGUAGE_ENV = "DEFAULT_LANGUAGE"  # spoken when the message has no text in the caller's language
# ms one read of the table may take (connect + answer, no retry) before the call goes on without it
# (default 90); not set in AWS; raised locally, where moto's first answer is slow.
READ_TIMEOUT_ENV = "MESSAGES_READ_TIMEOUT_MS"

__all__ = ["BUDGET_ENV", "CACHE_TTL_ENV", "DEFAULT_LANGUAGE_ENV", "OPENING_HOURS_ENV", "READ_TIMEOUT_ENV", "TABLE_ENV", "TIME_ZONE_ENV"]
