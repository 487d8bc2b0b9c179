"""The data format of what the build caches on disk (outcomes, fold keys and state): MessagePack, no pickle.

`dumps(obj)` gives compiled MessagePack bytes for None, bool, int, float, str, bytes, list, tuple, dict
(any hashable keys), set, frozenset, `datetime.date` and the classes registered with `register` (their
fields by name); `loads` gives the same values back with the same types (a tuple stays a tuple).
A registered object reached twice is written once and referred to after, so objects that share one
(the fold's event clusters, held by a list and by an index) share it again after loading, cycles
included; containers are written by value. Reading never runs code: only the registered classes are
made, and only by setting their fields. Anything else in the bytes raises `CodecError`, which callers
treat as a damaged cache entry.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

import msgpack

_CLASSES: dict[str, type] = {}
_NAMES: dict[type, str] = {}
_TUPLE, _SET, _FROZENSET, _DATE, _BIG_INT, _OBJECT, _REFERENCE = 1, 2, 3, 4, 5, 6, 7


class CodecError(ValueError):
    """Bytes that are not a value this codec wrote."""


def register(cls: type, name: str | None = None) -> type:
    """Let `cls` (a dataclass, or a class with `__slots__` or a `__dict__`) be written and read by its fields."""
    name = name or cls.__qualname__
    _CLASSES[name], _NAMES[cls] = cls, name
    return cls


@lru_cache(maxsize=None)
def _slots(cls: type) -> tuple[str, ...]:
    return tuple(s for klass in cls.__mro__ for s in getattr(klass, "__slots__", ()))


def _fields(obj: Any) -> list[list]:
    slots = _slots(type(obj))
    if slots:
        return [[s, getattr(obj, s)] for s in slots if hasattr(obj, s)]
    return [[k, v] for k, v in vars(obj).items()]


class Writer:
    """Writes values one after another with one table of registered objects: an object written in an earlier
    value is referred to, not written again (`Reader` reads them back in the same order)."""

    def __init__(self):
        self.written: dict[int, int] = {}  # id of a registered object -> its number
        self.keep: list[Any] = []  # holds every numbered object, so no id is reused while writing

    def dumps(self, obj: Any) -> bytes:
        """MessagePack bytes of `obj` (see the module's docstring); TypeError for a type it does not take."""
        written, keep = self.written, self.keep

        def default(o: Any) -> msgpack.ExtType:
            kind = type(o)
            if kind is tuple:
                return msgpack.ExtType(_TUPLE, pack(list(o)))
            if kind is set or kind is frozenset:
                return msgpack.ExtType(_SET if kind is set else _FROZENSET, pack(list(o)))
            if kind is dt.date:
                return msgpack.ExtType(_DATE, o.isoformat().encode("ascii"))
            if kind is int:  # beyond 64 bits
                return msgpack.ExtType(_BIG_INT, str(o).encode("ascii"))
            name = _NAMES.get(kind)
            if name is None:
                raise TypeError(f"codec cannot write a {kind.__name__}")
            number = written.get(id(o))
            if number is not None:
                return msgpack.ExtType(_REFERENCE, pack(number))
            written[id(o)] = number = len(keep)  # before its fields: a field that refers back to it gets a reference
            keep.append(o)
            return msgpack.ExtType(_OBJECT, pack(name) + pack(number) + pack(_fields(o)))

        def pack(o: Any) -> bytes:
            return msgpack.packb(o, use_bin_type=True, strict_types=True, datetime=False, default=default)

        try:
            return pack(obj)
        finally:
            # `pack` and `default` refer to each other: a cycle that, while a build pauses the garbage
            # collector, would keep every object written alive; emptying their cells breaks it
            pack = default = None  # noqa: F841


def dumps(obj: Any) -> bytes:
    """MessagePack bytes of `obj` (see the module's docstring); TypeError for a type it does not take."""
    return Writer().dumps(obj)


def dump_parts(parts, path) -> None:
    """Values written one after another into the file `path` by one `Writer`: memory holds one value's bytes,
    never the whole file's (a large state written in parts; `load_parts` reads them back)."""
    writer = Writer()
    with open(path, "wb") as fh:
        for part in parts:
            fh.write(writer.dumps(part))


def load_parts(data: bytes) -> list:
    """The values `dump_parts` wrote, in order; `CodecError` for any other bytes."""
    reader = Reader()
    unpacker = msgpack.Unpacker(raw=False, use_list=True, strict_map_key=False, ext_hook=reader.ext,
                                max_buffer_size=max(len(data), 1))
    unpacker.feed(data)
    try:
        return list(unpacker)
    except CodecError:
        raise
    except _READ_ERRORS as exc:
        raise CodecError(f"not codec MessagePack: {type(exc).__name__}: {exc}") from exc


class Reader:
    """Reads what a `Writer` wrote, keeping the registered objects read so far for later references."""

    def __init__(self):
        self.objects: dict[int, Any] = {}

    def ext(self, code: int, payload: bytes) -> Any:
        if code == _DATE:
            return dt.date.fromisoformat(payload.decode("ascii"))
        if code == _BIG_INT:
            return int(payload.decode("ascii"))
        if code == _REFERENCE:
            number = self.unpack(payload)
            if type(number) is not int or number not in self.objects:
                raise CodecError("reference before its object")
            return self.objects[number]
        if code == _OBJECT:
            return self.read_object(payload)
        items = self.unpack(payload)
        if not isinstance(items, list):
            raise CodecError("bad container")
        if code == _TUPLE:
            return tuple(items)
        if code == _SET:
            return set(items)
        if code == _FROZENSET:
            return frozenset(items)
        raise CodecError(f"unexpected extension type {code}")

    def read_object(self, payload: bytes) -> Any:
        unpacker = msgpack.Unpacker(raw=False, use_list=True, strict_map_key=False, ext_hook=self.ext)
        unpacker.feed(payload)
        name, number = next(unpacker), next(unpacker)
        cls = _CLASSES.get(name) if isinstance(name, str) else None
        if cls is None or type(number) is not int or number in self.objects:
            raise CodecError(f"unknown class {name!r} or bad object number")
        value = self.objects[number] = cls.__new__(cls)  # before its fields, which may refer back to it
        fields = next(unpacker)
        if not isinstance(fields, list):
            raise CodecError("bad fields")
        for pair in fields:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise CodecError("bad field")
            object.__setattr__(value, pair[0], pair[1])
        return value

    def unpack(self, payload: bytes) -> Any:
        return msgpack.unpackb(payload, raw=False, use_list=True, strict_map_key=False, ext_hook=self.ext)


_READ_ERRORS = (msgpack.UnpackException, StopIteration, ValueError, TypeError, AttributeError, UnicodeDecodeError,
                RecursionError)


def loads(data: bytes) -> Any:
    """The value `dumps` wrote; `CodecError` for any other bytes."""
    try:
        return Reader().unpack(data)
    except CodecError:
        raise
    except _READ_ERRORS as exc:
        raise CodecError(f"not codec MessagePack: {type(exc).__name__}: {exc}") from exc


__all__ = ["CodecError", "Reader", "Writer", "dump_parts", "dumps", "load_parts", "loads", "register"]
