"""Runtime code of the Lambda functions Amazon Connect invokes (one folder per function)."""
