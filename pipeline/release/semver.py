"""Semantic versions of releases (`MAJOR.MINOR.PATCH`): parse, order, and say which part a bump changed.

Bump rules (README): major for a schema change, minor for added records,
patch for corrections. Release folders are ordered by these, never by time.
"""
from __future__ import annotations

import re

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def parse(version: str) -> tuple[int, int, int]:
    match = _SEMVER.match(version)
    if not match:
        raise ValueError(f"{version!r} is not a semantic version MAJOR.MINOR.PATCH (e.g. 0.2.0)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def is_version(text: str) -> bool:
    return bool(_SEMVER.match(text))


def bump_kind(old: str, new: str) -> str:
    """`major`, `minor` or `patch` (the leftmost part that grew), `none` if equal, `downgrade` if lower."""
    a, b = parse(old), parse(new)
    if b == a:
        return "none"
    if b < a:
        return "downgrade"
    return ("major", "minor", "patch")[next(i for i in range(3) if a[i] != b[i])]


_BUMP_ORDER = {"downgrade": -1, "none": 0, "patch": 1, "minor": 2, "major": 3}


def bump_suffices(actual: str, required: str) -> bool:
    """Whether a bump of kind `actual` (from `bump_kind`) is at least the `required` one."""
    return _BUMP_ORDER[actual] >= _BUMP_ORDER[required]
