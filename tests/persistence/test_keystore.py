"""Key wrapping: right secret, wrong secret, moved wraps, recovery keys, throttle."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.errors import InvalidCredentials, LoginThrottled
from ijmcase.persistence.keystore import (
    FREE_FAILURES,
    MAX_DELAY,
    Keystore,
    RecoveryKey,
    throttle_delay,
)
from tests.conftest import FAST_KDF


def test_wrap_unwrap_and_slot_binding(tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    ks = Keystore.create(tmp_path / "x.keys", "db-1")
    ks.wrap("user:amina", "pässwörd ✓".encode(), key, FAST_KDF)
    ks.wrap("user:joseph", b"other", key, FAST_KDF)
    ks.save()
    loaded = Keystore.load(tmp_path / "x.keys")
    assert loaded.unwrap("user:amina", "pässwörd ✓".encode()) == key
    assert loaded.unwrap("user:amina", b"wrong") is None
    assert loaded.unwrap("user:nobody", b"x") is None
    # A wrap copied to another account's slot does not open.
    loaded._data["wraps"]["user:joseph"] = loaded._data["wraps"]["user:amina"]
    assert loaded.unwrap("user:joseph", "pässwörd ✓".encode()) is None


@given(st.binary(min_size=32, max_size=32))
def test_recovery_key_text_round_trip(raw: bytes) -> None:
    key = RecoveryKey(raw)
    text = str(key)
    assert len(text.split("-")) == 13
    assert RecoveryKey.parse(text.lower().replace("-", "  ")).raw == raw
    assert "hidden" in repr(key)


@given(st.text(max_size=80))
def test_recovery_key_parse_rejects_junk_cleanly(text: str) -> None:
    try:
        RecoveryKey.parse(text)
    except InvalidCredentials as exc:
        assert "recovery key" in exc.message


def test_throttle_grows_and_is_capped(tmp_path: Path) -> None:
    assert [throttle_delay(n) for n in range(FREE_FAILURES)] == [0.0] * FREE_FAILURES
    assert throttle_delay(FREE_FAILURES + 1) == 2 * throttle_delay(FREE_FAILURES)
    assert throttle_delay(100) == MAX_DELAY
    ks = Keystore.create(tmp_path / "k", "db")
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(FREE_FAILURES):
        ks.record_failure("user:a", now=t0)
    with pytest.raises(LoginThrottled):
        ks.check_throttle("user:a", now=t0 + timedelta(seconds=1))
    ks.check_throttle("user:a", now=t0 + timedelta(seconds=throttle_delay(FREE_FAILURES)))
    assert ks.clear_failures("user:a") == FREE_FAILURES
    ks.check_throttle("user:a", now=t0)
