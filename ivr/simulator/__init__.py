"""`ivr call`: a local simulator of our contact flows that runs the real Lambda code (issue 5).

`engine.Simulator` walks the flows and `blocks` runs each block type; `callers` gives it keys;
`lambdas` runs handlers in-process; `services` starts the local AWS (moto) and the fake backend;
`transcript` records and renders.
"""
