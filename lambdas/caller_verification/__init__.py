"""Caller verification (issue 17): a one-time code by text before account-level service."""
