"""The embedded default source: a realistic, deterministic sports-betting market.

Schedules with real teams, a hidden drifting truth per event, fifteen books with their
own margins, lags, noise and coverage, and games that go live and finish.
"""

from oddswire.sim.settings import SimSettings
from oddswire.sim.simulator import Simulator, Truth

__all__ = ["SimSettings", "Simulator", "Truth"]
