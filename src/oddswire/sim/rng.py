"""Deterministic seeding and the few distributions the simulator needs.

Python's ``hash`` of a string changes between processes, so seeds are derived with
blake2b from a readable label instead.
"""

from __future__ import annotations

import math
from hashlib import blake2b
from random import Random

SQRT2 = math.sqrt(2.0)


def derive(*parts: object) -> int:
    """A 64-bit seed from any labels (stable across processes and platforms)."""
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "big")


def make_rng(*parts: object) -> Random:
    """A ``random.Random`` seeded from labels."""
    return Random(derive(*parts))


def truncated_gauss(rng: Random, sd: float, limit: float = 2.0) -> float:
    """A normal draw with standard deviation ``sd``, clipped at ``limit`` standard deviations."""
    z = rng.gauss(0.0, 1.0)
    return sd * max(-limit, min(limit, z))


def poisson_pmf(lam: float, n: int) -> list[float]:
    """P(X = k) for k in 0..n-1; the tail mass is folded into the last cell."""
    out = [0.0] * n
    p = math.exp(-lam)
    total = 0.0
    for k in range(n - 1):
        out[k] = p
        total += p
        p *= lam / (k + 1)
    out[n - 1] = max(0.0, 1.0 - total)
    return out


def negbin_pmf(mean: float, r: float, n: int) -> list[float]:
    """Negative binomial P(X = k), mean ``mean``, dispersion ``r`` (variance mean + mean^2/r)."""
    if mean <= 0.0:
        return [1.0] + [0.0] * (n - 1)
    p = r / (r + mean)
    out = [0.0] * n
    cur = p**r
    total = 0.0
    for k in range(n - 1):
        out[k] = cur
        total += cur
        cur *= (k + r) / (k + 1) * (1.0 - p)
    out[n - 1] = max(0.0, 1.0 - total)
    return out
