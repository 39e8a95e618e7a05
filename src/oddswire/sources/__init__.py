"""Sources: where changes come from (the simulator today; replay and upstream feeds next)."""

from oddswire.sources.base import ChangeSink, Source
from oddswire.sources.health import SourceHealth

__all__ = ["ChangeSink", "Source", "SourceHealth"]
