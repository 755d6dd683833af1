"""Operators' side of the holiday and emergency messages: YAML documents, the table store, local helpers.

The model and its validation are `lambdas.closure_check.model`, what a caller hears `lambdas.closure_check.selection`,
the table's items `lambdas.closure_check.items`: all shared with the Lambda.
"""
