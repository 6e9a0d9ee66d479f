"""Names vulture (``make lint``) would report as unused but that are used from outside the code.

``make lint`` runs ``vulture core/src plugins/*/src .vulture_whitelist.py --min-confidence 80``:
at that confidence vulture reports unused imports, unused variables and arguments, and
unreachable code. Unused functions, methods and classes (60% confidence) are not checked: tools,
hook implementations, registered factories, pydantic validators and click commands are found by
name at run time, so most of them would look unused.

Each name below is a parameter that a caller passes by its name or that a protocol requires,
so it cannot be dropped or renamed. Add a name here only with the reason.
"""

# click: the eager ``--strict-plugins`` option is read in a callback, but click still passes it
# to the command function (core/src/runner/cli/app.py).
strict_plugins

# The OpenAI Agents SDK's lifecycle hook signatures, which subclasses override by keyword
# (plugins/agents/src/runner_agents/lifecycle.py).
from_agent
to_agent
input_items

# Python's copy/pickle protocol: ``__reduce_ex__(protocol)`` and ``__deepcopy__(memo)``
# (runner.environment's copy-on-write database, core/src/runner/environment/cow.py).
protocol
memo

# click passes every declared option to its command: ``runner experiment replay --audit`` is
# required (it names what the command shows) but not read.
audit

# runner.voice.RealtimeSession is a Protocol: its parameters name the contract, the body is ``...``.
played_seconds

# gymnasium.Space.sample(mask, probability): the signature runner_gym's spaces override.
mask
probability
