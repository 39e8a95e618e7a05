"""Live detectors on the change stream: arbitrage (2-way, 3-way), middles, +EV, steam
and outliers. I/O free: :class:`Detectors` takes applied batches and the time, and
returns the opportunities that opened, changed or closed."""

from oddswire.analytics.detect.engine import Detectors
from oddswire.analytics.detect.settings import DetectorSettings

__all__ = ["DetectorSettings", "Detectors"]
