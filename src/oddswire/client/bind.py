"""Endpoint methods declared once, bound to either client.

Each endpoint is a function in :mod:`oddswire.client.endpoints` that builds a
:class:`~oddswire.client.core.Call`. ``sync(f)`` turns it into a method of
:class:`~oddswire.client.Client` returning the decoded value, ``asynchronous(f)`` into a
coroutine method of :class:`~oddswire.client.AsyncClient`. The parameters and the return
type come from ``f`` itself (a ``ParamSpec``), so both clients are fully typed and
cannot disagree about an endpoint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, Generic, ParamSpec, Protocol, TypeVar, overload

from oddswire.client.core import Call

P = ParamSpec("P")
T = TypeVar("T")


class Sends(Protocol):
    def send(self, call: Call[T]) -> T: ...


class SendsAsync(Protocol):
    async def send(self, call: Call[T]) -> T: ...


class sync(Generic[P, T]):  # noqa: N801 (used as a decorator-like declaration)
    """A blocking client method built from an endpoint function."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, client: None, owner: type) -> sync[P, T]: ...
    @overload
    def __get__(self, client: Sends, owner: type) -> Callable[P, T]: ...
    def __get__(self, client: Sends | None, owner: type) -> sync[P, T] | Callable[P, T]:
        if client is None:
            return self
        build = self.build

        @functools.wraps(build)
        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return client.send(build(*args, **kwargs))

        return method


class asynchronous(Generic[P, T]):  # noqa: N801
    """A coroutine client method built from an endpoint function."""

    def __init__(self, build: Callable[P, Call[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, client: None, owner: type) -> asynchronous[P, T]: ...
    @overload
    def __get__(self, client: SendsAsync, owner: type) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(
        self, client: SendsAsync | None, owner: type
    ) -> asynchronous[P, T] | Callable[P, Coroutine[Any, Any, T]]:
        if client is None:
            return self
        build = self.build

        @functools.wraps(build)
        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await client.send(build(*args, **kwargs))

        return method


__all__ = ["Sends", "SendsAsync", "asynchronous", "sync"]
