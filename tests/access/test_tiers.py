"""Tiers: the reference's defaults, overrides and additions from a file, key identities."""

from __future__ import annotations

from pathlib import Path

import pytest

from oddswire.access.tiers import ADMIN, Entitlement, TierError, Tiers
from oddswire.api.auth import KeyRing
from oddswire.store.keys import StoredKey, digest

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_mirror_the_reference() -> None:
    tiers = Tiers()
    assert tiers.names == ["free", "starter", "pro", "ultra", "super", "mega", "max",
                           "enterprise", ADMIN]  # fmt: skip
    free, ultra = tiers["free"], tiers["ultra"]
    assert (free.burst, free.delay_seconds, free.websocket) == (1, 300, False)
    assert (free.datapoints, free.datapoints_period) == (20_000, "day")
    assert (ultra.burst, ultra.delay_seconds, ultra.ws_connections, ultra.ws_subscriptions) == (
        10, 0, 1, 3,
    )  # fmt: skip
    assert tiers["mega"].ws_subscriptions == 10 and tiers["enterprise"].ws_connections == 50
    assert not tiers["pro"].allows(Entitlement.FUTURES) and ultra.allows(Entitlement.FUTURES)
    assert tiers[ADMIN].burst is None and tiers[ADMIN].allows(Entitlement.ADMIN)
    assert not tiers["enterprise"].allows(Entitlement.ADMIN)
    with pytest.raises(TierError, match="unknown tier 'gold'"):
        tiers["gold"]


def test_the_documented_tiers_file_changes_and_adds_tiers(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "access.md").read_text()
    toml = text.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "tiers.toml"
    path.write_text(toml)
    tiers = Tiers.from_file(str(path))
    assert tiers["pro"].burst == 8 and tiers["pro"].history_days == 60
    assert tiers["pro"].delay_seconds == 30  # untouched fields keep their defaults
    partner = tiers["partner"]
    assert partner.websocket and partner.ws_connections == 2
    assert partner.allows(Entitlement.PLAYER_PROPS) and not partner.allows(Entitlement.HEDGE)
    assert partner.delay_seconds == 300  # from free


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tiers.admin]\nburst = 1\n", "admin tier cannot be changed"),
        ("[tiers.pro]\nburst = 'fast'\n", r"\[tiers.pro\]"),
        ("[tiers.pro]\nwings = 2\n", "unknown field"),
        ("[tiers.pro]\nentitlements = ['teleport']\n", r"\[tiers.pro\]"),
        ("tiers = 3\n", "must be a table"),
        ("[tiers\n", "tiers file"),
    ],
)
def test_bad_tiers_files_are_refused(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "tiers.toml"
    path.write_text(toml)
    with pytest.raises(TierError, match=message):
        Tiers.from_file(str(path))


def test_key_ring_identifies_static_and_stored_keys_with_their_tiers() -> None:
    ring = KeyRing(["static-key-12345"])
    ring.set_stored(
        {
            digest("customer-key-123"): StoredKey(7, "customer", "pro"),
            digest("broken-key-12345"): StoredKey(8, "broken", "no-such-tier"),
        }
    )
    static = ring.identify("static-key-12345")
    assert static is not None and static.tier.name == ADMIN
    customer = ring.identify("customer-key-123")
    assert customer is not None
    assert (customer.account, customer.name, customer.tier.name) == ("key:7", "customer", "pro")
    assert ring.identify("broken-key-12345") is None  # an unknown tier is refused, not guessed
    assert ring.identify("nobody") is None
    lesser = KeyRing(["static-key-12345"], static_tier="starter").identify("static-key-12345")
    assert lesser is not None and lesser.tier.name == "starter"
