"""runner-airline: an airline reservation desk, a runner domain compatible with τ²-bench's
``airline`` domain (same tools, same results, same effects on the database).

Modules: ``models`` (the database), ``tools`` (the agent's tools), ``domain`` (the registered
domain and its data folder), ``arithmetic`` (the ``calculate`` tool's evaluator).
"""
