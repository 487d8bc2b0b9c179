"""Stable ids: a readable prefix plus a hash of the identifying parts.

Parts are joined with a unit separator before hashing, so ("ab", "c") and
("a", "bc") never collide. Changing how an id is made is a breaking change
of the release schema.
"""
from __future__ import annotations

import hashlib


def make_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{digest[:16]}"
