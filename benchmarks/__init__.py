"""Benchmarks run by `make bench`: each module prints figures and asserts nothing."""
