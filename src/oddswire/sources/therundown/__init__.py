"""TheRundown (therundown.io) as an upstream source: its V2 REST API and
``/api/v2/ws/markets`` stream, decoded into the shared upstream model."""

from oddswire.sources.therundown.decode import TheRundownDecoder
from oddswire.sources.therundown.source import TheRundownSource
from oddswire.sources.therundown.tuning import Tuning

__all__ = ["TheRundownDecoder", "TheRundownSource", "Tuning"]
