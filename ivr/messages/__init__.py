"""Operators' side of the holiday and emergency messages: YAML documents, the table store, local helpers.

The model (validation, what a caller hears) is `lambdas.closure_check.model`, shared with the Lambda.
"""
