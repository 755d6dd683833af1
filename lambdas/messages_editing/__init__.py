"""Holiday and emergency messages as operators edit them: shared by `ivr messages` and the operators' page API.

The YAML documents (`documents`), the table store with its history and conditional writes (`store`),
the guard rails (`guards`), times as operators say them (`times`), what plays now (`plays`) and
what the editing side knows about the center (`center`). The model and its validation are
`lambdas.closure_check.model`, what a caller hears `lambdas.closure_check.selection`, the table's
items `lambdas.closure_check.items`: one definition each, shared with the closure check.
"""
