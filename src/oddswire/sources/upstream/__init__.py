"""The shared path of upstream feeds: records (``model``), the source base class
(``source``), quota budgets (``budget``), recording (``record``) and replay (``replay``).

Import from the submodules; this package imports nothing, so the resolver can use the
model without a cycle.
"""
