"""Local fake of the customer backend (contract: openapi.yaml), with injectable faults."""
from fake_backend.server import FAULTS, FakeBackend

__all__ = ["FAULTS", "FakeBackend"]
