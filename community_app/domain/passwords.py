"""Argon2 password hashing. Slow on purpose: the UI runs it in its credential pool.

Each hash or verification takes ~0.1-0.3 s of CPU. However many threads call in, at
most ``MAX_CONCURRENT_HASHES`` run at once in this process, so a burst of log-ins or
password changes cannot take every core (the other callers wait their turn).
"""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Half the cores (at least one): the rest keep serving pages while credentials are checked.
MAX_CONCURRENT_HASHES = max(1, (os.cpu_count() or 2) // 2)

_hasher = PasswordHasher()
_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)


def hash_password(password: str) -> str:
    with _slots:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with _slots:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
