"""Running simulations: the layers between a configuration and its results.

``build`` turns a :class:`~runner.RunConfig`'s names into a domain, participants, an
orchestrator and the run's LLM gateway; ``simulation`` runs one orchestrator and evaluates its
result; ``executor`` runs work units with retries (the ``local`` executor, and the contract of
executor plugins); ``batch`` runs a run's units into its run directory (:mod:`runner.store`)
and computes the metrics; ``progress`` shows it. Data flows one way: config → build → execute
→ evaluate → store.
"""
