"""Load test of the customer backend (`ivr loadtest`): can it answer inside the dips' time budget?"""
