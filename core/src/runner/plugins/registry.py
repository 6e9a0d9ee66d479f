"""Named registries: what plugins registered, under which name, from which distribution.

A bare name resolves when exactly one plugin registered it. When two did, both registrations are
kept (``runner list-plugins`` flags them) and the bare name is an error that names both
distributions; ``DIST:NAME`` picks one. :func:`registrar` makes the ``register`` callable a
plugin's ``register_*`` hook receives, which checks each name before it is registered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn

from runner.errors import AmbiguousNameError, UnknownNameError, did_you_mean
from runner.plugins.hookspecs import REGISTRY_LABELS


def normalize(name: str) -> str:
    """A distribution or plugin name in comparable form (``Runner_Mock`` == ``runner-mock``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Registration:
    """One name registered by one plugin."""

    kind: str
    name: str
    obj: Any
    description: str
    plugin: str
    distribution: str | None

    @property
    def qualified_name(self) -> str:
        return f"{self.distribution or self.plugin}:{self.name}"


@dataclass
class Registry:
    """All registrations of one kind (domains, agents, ...)."""

    kind: str
    label: str
    _entries: dict[str, list[Registration]] = field(default_factory=dict)
    #: plugins that failed to load: ``(plugin, error)``; named when a lookup misses.
    failed_plugins: list[tuple[str, str]] = field(default_factory=list)

    def add(self, registration: Registration) -> None:
        self._entries.setdefault(registration.name, []).append(registration)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def registrations(self, name: str) -> list[Registration]:
        """Every registration of a bare name (more than one when plugins collide)."""
        return list(self._entries.get(name, []))

    def __iter__(self) -> Iterator[Registration]:
        for name in sorted(self._entries):
            yield from self._entries[name]

    def __contains__(self, name: object) -> bool:
        try:
            self.get(str(name))
        except LookupError:
            return False
        return True

    def __len__(self) -> int:
        return sum(len(v) for v in self._entries.values())

    def duplicates(self) -> dict[str, list[Registration]]:
        return {n: regs for n, regs in self._entries.items() if len(regs) > 1}

    def get(self, name: str) -> Registration:
        """Resolve ``NAME`` or ``DIST:NAME``; raise a readable error otherwise."""
        if ":" in name:
            owner, _, bare = name.partition(":")
            wanted = normalize(owner)
            for reg in self._entries.get(bare, []):
                if wanted in {normalize(n) for n in (reg.distribution or "", reg.plugin) if n}:
                    return reg
            regs = self._entries.get(bare)
            if regs:
                choices = ", ".join(repr(r.qualified_name) for r in regs)
                raise UnknownNameError(
                    f"No plugin {owner!r} registers the {self.label} {bare!r}; "
                    f"it is registered as {choices}."
                )
            self._raise_unknown(name, bare)
        regs = self._entries.get(name)
        if not regs:
            self._raise_unknown(name, name)
        if len(regs) > 1:
            choices = ", ".join(repr(r.qualified_name) for r in regs)
            raise AmbiguousNameError(
                f"The {self.label} name {name!r} is registered by more than one plugin "
                f"({', '.join(r.distribution or r.plugin for r in regs)}). "
                f"Pick one explicitly: {choices}."
            )
        return regs[0]

    def _raise_unknown(self, name: str, bare: str) -> NoReturn:
        known = self.names()
        msg = f"Unknown {self.label} {name!r}."
        msg += did_you_mean(bare, known)
        msg += f" Known {self.kind}: {', '.join(known) if known else '(none)'}."
        if self.failed_plugins:
            # the likeliest provider first: a plugin named like the missing name
            ranked = sorted(self.failed_plugins, key=lambda pe: bare.lower() not in pe[0].lower())
            failed = "; ".join(f"{p} ({err})" for p, err in ranked)
            msg += f" These plugins failed to load and may have provided it: {failed}."
        msg += " Run `runner list-plugins` to see what is installed."
        raise UnknownNameError(msg)


def registrar(
    kind: str, plugin: str, distribution: str | None, pending: list[Registration]
) -> Callable[..., None]:
    """The ``register`` callable that a plugin's ``register_<kind>`` hook receives.

    It checks each call (a bad one raises :class:`TypeError`, which fails the plugin) and appends
    the registration to ``pending``: the caller adds them to the registries only when all of the
    plugin's registration hooks succeeded.
    """
    label = REGISTRY_LABELS[kind]

    def register(name_or_obj: Any, obj: Any = None, description: str = "") -> None:
        if kind == "domains":
            name, obj, description = _domain_registration(name_or_obj, obj, description)
        elif not isinstance(name_or_obj, str) or not name_or_obj or obj is None:
            raise TypeError(
                f"register() for {kind} takes (name: str, factory, description=''); "
                f"got {name_or_obj!r}, {obj!r}"
            )
        else:
            name = name_or_obj
            if not callable(obj):
                raise TypeError(
                    f"the {label} {name!r} must be registered with a factory or "
                    f"class, got {type(obj).__name__}"
                )
        if ":" in name:
            raise TypeError(f"{label} name {name!r} contains ':', which is reserved for DIST:NAME")
        if any(r.kind == kind and r.name == name for r in pending):
            raise TypeError(f"{label} {name!r} is registered twice by this plugin")
        pending.append(Registration(kind, name, obj, description or "", plugin, distribution))

    return register


def _domain_registration(domain: Any, extra: Any, description: str) -> tuple[str, Any, str]:
    if extra is not None or isinstance(domain, str):
        raise TypeError("register() for domains takes one Domain instance: register(MyDomain())")
    if isinstance(domain, type):
        raise TypeError(
            f"register() got the class {domain.__name__}; pass an instance: "
            f"register({domain.__name__}())"
        )
    name = getattr(domain, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"register() expects a Domain instance with a non-empty name, got {domain!r}"
        )
    return name, domain, description or getattr(domain, "description", "") or ""
