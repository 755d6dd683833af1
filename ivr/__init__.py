"""The `ivr` command line: operators' and developers' tools for the Amazon Connect IVR."""
