"""The hub: the single writer between sources and everything that reads the board."""

from oddswire.hub.hub import Hub, HubSettings

__all__ = ["Hub", "HubSettings"]
