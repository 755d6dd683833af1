"""What the tests and the benchmarks both drive the code with: reading a synthesized template,
and running the caller journeys of tests/journeys/scenarios/ through the simulator.

Tests and benchmarks import from here, never from each other.
"""
