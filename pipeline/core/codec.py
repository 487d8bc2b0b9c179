"""Data formats for what the build caches on disk (outcomes, fold keys and state): no pickle.

Two formats, both read without running code:
- `dumps_tree` / `loads_tree` (extraction outcomes, fold keys): MessagePack, compiled, for values that are
  trees of None, bool, int, float, str, bytes, list, tuple, dict, set, frozenset and `datetime.date`. What
  is reached twice is written twice; types come back exactly (a tuple stays a tuple).
- `dumps` / `loads` (the fold's state), tagged JSON that keeps identity: `dumps(obj)` gives UTF-8 JSON bytes for None, bool, int, float, str, list, tuple, dict (any hashable
keys), set, frozenset, `datetime.date` and the classes registered with `register` (their fields by
name); `loads` gives the same values back. Objects and containers reached twice are written once and
referred to after, so what shares an object in memory shares it again after loading. Reading never runs
code: only the registered classes are made, and only by setting their fields. Anything else in the bytes
raises `CodecError`, which callers treat as a damaged cache entry.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import msgpack

_CLASSES: dict[str, type] = {}
_NAMES: dict[type, str] = {}
_SHARED = (list, dict, set)


class CodecError(ValueError):
    """Bytes that are not a value this codec wrote."""


def register(cls: type, name: str | None = None) -> type:
    """Let `cls` (a dataclass, or a class with `__slots__` or a `__dict__`) be written and read by its fields."""
    name = name or cls.__qualname__
    _CLASSES[name], _NAMES[cls] = cls, name
    return cls


def _fields(obj: Any) -> dict[str, Any]:
    slots = [s for klass in type(obj).__mro__ for s in getattr(klass, "__slots__", ())]
    if slots:
        return {s: getattr(obj, s) for s in slots if hasattr(obj, s)}
    return dict(vars(obj))


def dumps(obj: Any) -> bytes:
    counts: Counter[int] = Counter()
    keep: list[Any] = []  # holds what was counted, so no id is reused while encoding

    def count(o: Any) -> None:
        if isinstance(o, _SHARED) or type(o) in _NAMES:
            counts[id(o)] += 1
            keep.append(o)
            if counts[id(o)] > 1:
                return
        if isinstance(o, dict):
            for k, v in o.items():
                count(k)
                count(v)
        elif isinstance(o, (list, tuple, set, frozenset)):
            for v in o:
                count(v)
        elif type(o) in _NAMES:
            count(_fields(o))

    count(obj)
    ids: dict[int, int] = {}

    def enc(o: Any) -> Any:
        if o is None or isinstance(o, (bool, int, float, str)):
            return o
        shared = counts.get(id(o), 0) > 1 if (isinstance(o, _SHARED) or type(o) in _NAMES) else False
        if shared:
            if id(o) in ids:
                return {"$ref": ids[id(o)]}
            ids[id(o)] = len(ids)  # before its contents: a value that refers back to it (a cycle) gets a $ref
        if isinstance(o, list):
            out = {"$l": [enc(v) for v in o]} if shared else [enc(v) for v in o]
        elif isinstance(o, tuple):
            out = {"$t": [enc(v) for v in o]}
        elif isinstance(o, dict):
            out = {"$d": [[enc(k), enc(v)] for k, v in o.items()]}
        elif isinstance(o, frozenset):
            out = {"$f": [enc(v) for v in o]}
        elif isinstance(o, set):
            out = {"$s": [enc(v) for v in o]}
        elif isinstance(o, dt.date) and not isinstance(o, dt.datetime):
            out = {"$date": o.isoformat()}
        elif type(o) in _NAMES:
            out = {"$o": _NAMES[type(o)], "v": [[k, enc(v)] for k, v in _fields(o).items()]}
        else:
            raise TypeError(f"codec cannot write a {type(o).__name__}")
        if shared:
            out["$id"] = ids[id(o)]
        return out

    return json.dumps(enc(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads(data: bytes) -> Any:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CodecError(f"not codec JSON: {exc}") from exc
    table: dict[int, Any] = {}

    def dec(o: Any) -> Any:
        if o is None or isinstance(o, (bool, int, float, str)):
            return o
        if isinstance(o, list):
            return [dec(v) for v in o]
        if not isinstance(o, dict) or len(o) > 3:
            raise CodecError("unexpected value")
        if "$ref" in o:
            if o["$ref"] not in table:
                raise CodecError("reference before its value")
            return table[o["$ref"]]
        tag = next((k for k in o if k.startswith("$") and k != "$id"), None)
        if tag == "$o":
            cls = _CLASSES.get(o["$o"])
            if cls is None or not isinstance(o.get("v"), list):
                raise CodecError(f"unknown class {o.get('$o')!r}")
            value = cls.__new__(cls)
            remember(o, value)
            for pair in o["v"]:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise CodecError("bad field")
                object.__setattr__(value, pair[0], dec(pair[1]))
            return value
        items = o.get(tag)
        if tag == "$date":
            try:
                return dt.date.fromisoformat(items)
            except (TypeError, ValueError) as exc:
                raise CodecError("bad date") from exc
        if not isinstance(items, list):
            raise CodecError(f"unexpected tag {tag!r}")
        if tag == "$l":
            value = remember(o, [])
            value.extend(dec(v) for v in items)
        elif tag == "$d":
            value = remember(o, {})
            for pair in items:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise CodecError("bad pair")
                value[dec(pair[0])] = dec(pair[1])
        elif tag == "$s":
            value = remember(o, set())
            value.update(dec(v) for v in items)
        elif tag == "$t":
            value = tuple(dec(v) for v in items)
        elif tag == "$f":
            value = frozenset(dec(v) for v in items)
        else:
            raise CodecError(f"unexpected tag {tag!r}")
        return value

    def remember(o: dict, value: Any) -> Any:
        if "$id" in o:
            table[o["$id"]] = value
        return value

    try:
        return dec(raw)
    except (TypeError, AttributeError, RecursionError) as exc:
        raise CodecError(f"unexpected value: {exc}") from exc


_TUPLE, _SET, _FROZENSET, _DATE, _BIG_INT = 1, 2, 3, 4, 5


def _tree_default(o: Any) -> msgpack.ExtType:
    kind = type(o)
    if kind is tuple:
        return msgpack.ExtType(_TUPLE, dumps_tree(list(o)))
    if kind is set or kind is frozenset:
        return msgpack.ExtType(_SET if kind is set else _FROZENSET, dumps_tree(list(o)))
    if kind is dt.date:
        return msgpack.ExtType(_DATE, o.isoformat().encode("ascii"))
    if kind is int:  # beyond 64 bits
        return msgpack.ExtType(_BIG_INT, str(o).encode("ascii"))
    raise TypeError(f"codec cannot write a {kind.__name__}")


def _tree_ext(code: int, data: bytes) -> Any:
    if code == _DATE:
        return dt.date.fromisoformat(data.decode("ascii"))
    if code == _BIG_INT:
        return int(data.decode("ascii"))
    items = loads_tree(data)
    if not isinstance(items, list):
        raise CodecError("bad container")
    if code == _TUPLE:
        return tuple(items)
    if code == _SET:
        return set(items)
    if code == _FROZENSET:
        return frozenset(items)
    raise CodecError(f"unexpected extension type {code}")


def dumps_tree(obj: Any) -> bytes:
    """MessagePack bytes of a tree of plain values (see the module's docstring)."""
    return msgpack.packb(obj, use_bin_type=True, strict_types=True, datetime=False, default=_tree_default)


def loads_tree(data: bytes) -> Any:
    """The value `dumps_tree` wrote; `CodecError` for any other bytes."""
    try:
        return msgpack.unpackb(data, raw=False, use_list=True, strict_map_key=False, ext_hook=_tree_ext)
    except CodecError:
        raise
    except (msgpack.UnpackException, ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        raise CodecError(f"not codec MessagePack: {exc}") from exc


__all__ = ["CodecError", "dumps", "dumps_tree", "loads", "loads_tree", "register"]
