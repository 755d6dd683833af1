"""The CDK app's infrastructure: one construct per concern, composed by IvrStack."""
