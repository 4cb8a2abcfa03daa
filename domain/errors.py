"""Errors raised by the domain layer.

A :class:`ValidationError` is what a flow shows to the user: ``key`` is a message id in
``locales/*/domain.ftl`` and ``params`` are its Fluent variables. ``reason`` is for developers and
logs, so it never contains what the user typed (personal data must not reach the logs).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class for every error the domain layer raises on purpose."""


class ValidationError(DomainError, ValueError):
    """Input that breaks a rule: a value object that cannot be parsed, or a rule (R1–R5) refusing.

    ``key`` is the Fluent message id, ``params`` its variables, ``reason`` an English, data-free
    explanation that is safe to log.
    """

    key: str
    reason: str
    params: dict[str, str | int]

    def __init__(self, key: str, reason: str, **params: str | int) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
        self.params = dict(params)

    def __repr__(self) -> str:
        return f"ValidationError(key={self.key!r}, reason={self.reason!r})"


class NotAllowed(DomainError):
    """SPEC "Access", R1c: the actor may not see, or may not act on, the record an id points at.

    Raised by the repository from inside the write that depends on it, so a forged or stale button changes
    nothing. The handlers answer it like a refused button.
    """


class Gone(DomainError):
    """The record an id points at does not exist (any more): a stale or forged button."""


class Closed(DomainError):
    """The record is closed: a deal won or lost (R2), a lead converted or refused (R1, R2a), a route decided,
    a task done. The action applied to it while it was open and no longer does; nothing was changed.

    Raised by the repository from inside the write, after the row was read again, so a button pressed on an
    old card cannot reopen or change a closed record.
    """


class Conflict(DomainError):
    """A concurrent change or a duplicate makes the action impossible: another open deal of the same party in
    the product group (R2i), a second pending route, a counterparty or an INN that already exists. Nothing was
    changed; the first save stands.

    Raised by the repository, also when the database's unique index refuses the loser of a race.
    """
