"""Reference data (sports, sportsbooks, markets, periods, statuses, teams) from package files."""

from oddswire.refdata.catalog import Catalog, load_catalog
from oddswire.refdata.results import DRAW, NO, OVER, UNDER, YES, result_name

__all__ = ["DRAW", "NO", "OVER", "UNDER", "YES", "Catalog", "load_catalog", "result_name"]
