"""runner-airline: an airline reservation desk, a runner domain compatible with τ²-bench's
``airline`` domain (same tools, same results, same effects on the database).

Modules: ``models`` (the database), ``records`` (lookups and payment rules the tools share),
``tools`` (the agent's tools: ``tools.lookups`` read, ``tools.changes`` write, ``tools.service``
calculates with ``runner.calculate`` and hands off), ``domain`` (the registered
domain and its data folder), ``plugin`` (the entry point).
"""
