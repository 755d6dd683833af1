"""Code shared by every function: event parsing, responses, masking, phone numbers, observability.

A function's deployed asset holds `lambdas/common` and its own folder, nothing else.
"""
