"""The HTTP API (Starlette): TheRundown-compatible REST and the hub's own endpoints."""

from oddswire.api.app import create_app
from oddswire.api.context import ApiContext

__all__ = ["ApiContext", "create_app"]
