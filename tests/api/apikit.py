"""Shared pieces of the API tests (a module of its own: tests never import conftest)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from oddswire.hub import Hub
from oddswire.model import Event

KEY = "test-key-0123456789"


@dataclass
class Api:
    client: httpx.AsyncClient
    hub: Hub
    game: Event
