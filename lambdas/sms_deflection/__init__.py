"""SMS / app deflection (CX-10, DD-4): a caller who would rather not wait gets a text or a push instead."""
