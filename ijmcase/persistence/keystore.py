"""The key store beside an encrypted database: the database key, wrapped.

A random 256-bit key encrypts the database (SQLCipher). It is never stored in
the clear: each user account holds a copy wrapped (AES-256-GCM) under a key
derived from that user's password with Argon2id, and one more copy is wrapped
under the recovery key shown once at set-up. Logging in unwraps the user's
copy; a wrong password fails the GCM tag check and nothing else happens.

The store is a small JSON file, ``<database>.keys``, written atomically (a
temporary file, fsync, rename) so a crash or a full disk leaves the old one.
It also counts failed attempts per account to throttle guessing at the login
prompt (the Argon2 cost is what protects a stolen file).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import json
import os
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ijmcase.domain.errors import (
    DatabaseTooNew,
    DiskFull,
    InvalidCredentials,
    LoginThrottled,
    NotAnIjmcaseDatabase,
    StorageError,
)

__all__ = [
    "KEYSTORE_SUFFIX",
    "KdfParams",
    "Keystore",
    "RecoveryKey",
    "keystore_path",
    "throttle_delay",
]

KEYSTORE_SUFFIX = ".keys"
FORMAT = "ijmcase-keystore"
FORMAT_VERSION = 1
RECOVERY_SLOT = "recovery"
KEY_BYTES = 32

# After this many consecutive failures each further try waits, doubling up to
# the cap: 5 s, 10 s, 20 s ... 15 min.
FREE_FAILURES = 3
BASE_DELAY = 5.0
MAX_DELAY = 900.0


def keystore_path(database: Path) -> Path:
    return database.with_name(database.name + KEYSTORE_SUFFIX)


def throttle_delay(failures: int) -> float:
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(BASE_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY))


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults take about 0.1 s here (STACK.md); tests
    may pass cheaper ones. Stored with each wrap, so raising them later
    leaves existing wraps readable."""

    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        return hash_secret_raw(
            secret,
            salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


class RecoveryKey:
    """A 256-bit random secret shown to a person as 13 groups of 4 letters
    and digits (base32), e.g. ``ABCD-EFGH-...``; typing is forgiving of case,
    spaces and dashes."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError("a recovery key is 32 bytes")
        self.raw = raw

    @classmethod
    def generate(cls) -> RecoveryKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @classmethod
    def parse(cls, text: str) -> RecoveryKey:
        cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
        try:
            raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != KEY_BYTES:
            raise InvalidCredentials(
                "That is not a recovery key: it should be 13 groups of 4 letters and digits."
            )
        return cls(raw)

    def __str__(self) -> str:
        text = base64.b32encode(self.raw).decode().rstrip("=")
        return "-".join(text[i : i + 4] for i in range(0, len(text), 4))

    def __repr__(self) -> str:
        return "RecoveryKey(<hidden>)"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def _now() -> datetime:
    return datetime.now(UTC)


class Keystore:
    """The wrapped copies of one database's key, and the login throttle."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self._data = data

    # -- creating and loading -------------------------------------------

    @classmethod
    def create(cls, path: Path, database_id: str) -> Keystore:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "database_id": database_id,
            "wraps": {},
            "failures": {},
        }
        return cls(path, data)

    @classmethod
    def load(cls, path: Path) -> Keystore:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NotAnIjmcaseDatabase(
                f"There is no key store ({path.name}) beside the database, so it cannot be "
                "opened. Keep the two files together; copy both when moving a database."
            ) from None
        except OSError as exc:
            raise StorageError(f"The key store {path} cannot be read: {exc.strerror}.") from exc
        try:
            data = json.loads(raw)
            ok = (
                isinstance(data, dict)
                and data.get("format") == FORMAT
                and isinstance(data.get("wraps"), dict)
                and isinstance(data.get("database_id"), str)
            )
        except (ValueError, UnicodeDecodeError):
            ok = False
        if not ok:
            raise NotAnIjmcaseDatabase(
                f"The key store {path.name} is damaged or is not an ijmcase key store. "
                "Restore it from a backup."
            )
        if int(data.get("version", 0)) > FORMAT_VERSION:
            raise DatabaseTooNew(
                f"The key store {path.name} was written by a newer version of ijmcase. "
                "Install that version to open this database."
            )
        data.setdefault("failures", {})
        return cls(path, data)

    @property
    def database_id(self) -> str:
        return str(self._data["database_id"])

    def slots(self) -> list[str]:
        return sorted(self._data["wraps"])

    @staticmethod
    def user_slot(username: str) -> str:
        return f"user:{username}"

    # -- wrapping -------------------------------------------------------

    def _aad(self, slot: str) -> bytes:
        # Binding the slot and database stops a wrap being moved to another account.
        return f"ijmcase:{self.database_id}:{slot}".encode()

    def wrap(self, slot: str, secret: bytes, key: bytes, kdf: KdfParams) -> None:
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        kek = kdf.derive(secret, salt)
        sealed = AESGCM(kek).encrypt(nonce, key, self._aad(slot))
        self._data["wraps"][slot] = {
            "kdf": {"name": "argon2id", **asdict(kdf)},
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "sealed": _b64(sealed),
            "created_at": _now().isoformat(),
        }

    def unwrap(self, slot: str, secret: bytes) -> bytes | None:
        """The database key, or None when the secret is wrong or the slot unknown."""
        entry = self._data["wraps"].get(slot)
        if entry is None:
            # Spend the same effort as a real try, so timing does not reveal
            # which usernames exist.
            KdfParams().derive(secret, b"\0" * 16)
            return None
        try:
            kdf_raw = entry["kdf"]
            kdf = KdfParams(
                time_cost=int(kdf_raw["time_cost"]),
                memory_cost=int(kdf_raw["memory_cost"]),
                parallelism=int(kdf_raw["parallelism"]),
            )
            kek = kdf.derive(secret, _unb64(entry["salt"]))
            return AESGCM(kek).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["sealed"]), self._aad(slot)
            )
        except InvalidTag:
            return None
        except (KeyError, TypeError, ValueError, binascii.Error):
            raise NotAnIjmcaseDatabase(
                f"The key store {self.path.name} has a damaged entry for {slot!r}."
            ) from None

    def remove(self, slot: str) -> None:
        self._data["wraps"].pop(slot, None)
        self._data["failures"].pop(slot, None)

    def has_slot(self, slot: str) -> bool:
        return slot in self._data["wraps"]

    # -- throttling -----------------------------------------------------

    def failures(self, slot: str) -> int:
        return int(self._data["failures"].get(slot, {}).get("count", 0))

    def check_throttle(self, slot: str, now: datetime | None = None) -> None:
        entry = self._data["failures"].get(slot)
        if not entry:
            return
        delay = throttle_delay(int(entry.get("count", 0)))
        if delay <= 0:
            return
        last = datetime.fromisoformat(entry["last"])
        waited = ((now or _now()) - last).total_seconds()
        if waited < delay:
            raise LoginThrottled(delay - waited)

    def record_failure(self, slot: str, now: datetime | None = None) -> int:
        failures: dict[str, Any] = self._data["failures"]
        entry = failures.setdefault(slot, {"count": 0})
        entry["count"] = int(entry.get("count", 0)) + 1
        entry["last"] = (now or _now()).isoformat()
        # Unknown usernames are counted too; keep the table from growing without end.
        if len(failures) > 200:
            oldest = sorted(failures, key=lambda s: failures[s].get("last", ""))[:50]
            for s in oldest:
                failures.pop(s, None)
        return int(entry["count"])

    def clear_failures(self, slot: str) -> int:
        """Forget the failures of a slot after a success; returns how many there were."""
        entry = self._data["failures"].pop(slot, None)
        return int(entry.get("count", 0)) if entry else 0

    # -- saving ---------------------------------------------------------

    def save(self) -> None:
        write_atomic(self.path, json.dumps(self._data, indent=2, sort_keys=True).encode())

    def with_key(self, slot: str, secret: bytes) -> bytes:
        """Throttle-checked unwrap that records the outcome and raises on failure."""
        self.check_throttle(slot)
        key = self.unwrap(slot, secret)
        if key is None:
            self.record_failure(slot)
            with contextlib.suppress(StorageError):
                self.save()
            raise InvalidCredentials("Wrong username or password.")
        return key


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves old or new, never half."""
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = ""
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(
                f"The disk is full: {path.name} could not be written. Nothing was changed; "
                "free some space and try again."
            ) from exc
        raise StorageError(f"Could not write {path}: {exc.strerror}.") from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
