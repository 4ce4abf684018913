"""The services of one logged-in session, made once and handed to every view.

Every service takes the database and the acting user; ``AppServices.get``
makes each kind once and hands the same instance to every view that asks,
so no window builds its own or reaches for a global (DESIGN.md, "Layers").
"""

from __future__ import annotations

from typing import TypeVar

from ijmcase.services.auth import LoginResult
from ijmcase.services.context import Actor, ServiceBase

__all__ = ["AppServices"]

S = TypeVar("S", bound=ServiceBase)


class AppServices:
    def __init__(self, session: LoginResult) -> None:
        self.session = session
        self._made: dict[type[ServiceBase], ServiceBase] = {}

    @property
    def actor(self) -> Actor:
        return self.session.actor

    def get(self, kind: type[S]) -> S:
        made = self._made.get(kind)
        if made is None:
            made = kind(self.session.db, self.session.actor)
            self._made[kind] = made
        assert isinstance(made, kind)
        return made
