"""Building sources from settings: the simulator, each upstream vendor, and replays.

Vendor modules are imported only when used, so a hub running the simulator never
loads a WebSocket client it does not need.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from oddswire.config import Settings
from oddswire.refdata import Catalog
from oddswire.sources.base import Source
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.resolve.teams import read_aliases
from oddswire.sources.upstream.record import Recorder, read_header, recording_path
from oddswire.sources.upstream.replay import ReplaySource
from oddswire.sources.upstream.source import Decoder, UpstreamSource

log = logging.getLogger("oddswire.sources")

VENDORS = ("therundown", "boltodds", "oddsapi")


class SourceError(Exception):
    """A source cannot be built from the settings (a bad alias file or recording)."""


def decoder_for(vendor: str, catalog: Catalog) -> Decoder:
    """A fresh decoder of ``vendor``'s messages (live sources and replays use it)."""
    if vendor == "therundown":
        from oddswire.sources.therundown.decode import TheRundownDecoder

        return TheRundownDecoder(catalog)
    if vendor == "boltodds":
        from oddswire.sources.boltodds.decode import BoltOddsDecoder

        return BoltOddsDecoder(catalog)
    if vendor == "oddsapi":
        from oddswire.sources.oddsapi.decode import OddsApiDecoder

        return OddsApiDecoder(catalog)
    raise SourceError(f"no decoder for vendor {vendor!r} (known: {', '.join(VENDORS)})")


def upstream_class(vendor: str) -> type[UpstreamSource]:
    if vendor == "therundown":
        from oddswire.sources.therundown.source import TheRundownSource

        return TheRundownSource
    if vendor == "boltodds":
        from oddswire.sources.boltodds.source import BoltOddsSource

        return BoltOddsSource
    if vendor == "oddsapi":
        from oddswire.sources.oddsapi.source import OddsApiSource

        return OddsApiSource
    raise SourceError(f"unknown vendor {vendor!r}")


def build_resolver(settings: Settings, catalog: Catalog) -> Resolver:
    try:
        aliases = read_aliases(settings.team_aliases) if settings.team_aliases else []
    except (OSError, ValueError) as exc:
        raise SourceError(f"team aliases {settings.team_aliases}: {exc}") from None
    try:
        return Resolver(
            catalog,
            aliases=aliases,
            tolerance=timedelta(minutes=settings.match_tolerance_minutes),
            source_order=settings.source_names,
        )
    except KeyError as exc:
        raise SourceError(str(exc.args[0])) from None


def build_upstream(settings: Settings, catalog: Catalog, resolver: Resolver) -> list[Source]:
    """Every upstream source and replay the settings name (not the simulator)."""
    sources: list[Source] = []
    for vendor in settings.source_names:
        if vendor not in VENDORS:
            continue
        recorder = None
        if settings.record_dir:
            path = recording_path(settings.record_dir, vendor, datetime.now(UTC).timestamp())
            recorder = Recorder(path, vendor, vendor)
            log.info("recording %s to %s", vendor, path)
        sources.append(upstream_class(vendor).from_settings(settings, resolver, recorder))
    for path in settings.replay:
        try:
            vendor = read_header(path).vendor
            sources.append(
                ReplaySource(path, resolver, decoder_for(vendor, catalog), settings.replay_speed)
            )
        except (OSError, ValueError) as exc:
            raise SourceError(f"--replay {path}: {exc}") from None
    return sources
