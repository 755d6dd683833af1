"""Weak references to what the test function `freezer` leaves behind, kept outside its package so that
they outlive its container (the simulator forgets the package's modules when a container goes)."""
LEFT: list = []
