"""Entity resolution: vendors' names for teams, games and players -> canonical ids."""

from oddswire.sources.resolve.quarantine import Quarantine, QuarantineEntry
from oddswire.sources.resolve.resolver import Resolver
from oddswire.sources.resolve.teams import TeamAlias, TeamIndex

__all__ = ["Quarantine", "QuarantineEntry", "Resolver", "TeamAlias", "TeamIndex"]
