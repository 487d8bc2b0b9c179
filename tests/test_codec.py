"""The cache's data format (`pipeline.core.codec`): what is written comes back with the same types, registered
objects keep their identity, and any other bytes are a `CodecError`, never a crash, a run of code or a
value of another type (hypothesis, derandomized)."""
from __future__ import annotations

import datetime as dt
import gc
import weakref

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core import codec
from pipeline.core.codec import CodecError

settings.register_profile("codec", max_examples=200, deadline=None, derandomize=True, database=None)
settings.load_profile("codec")

hashable = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.dates())
hashable = st.recursive(hashable, lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
                        max_leaves=6)
leaf = st.one_of(hashable, st.floats(allow_nan=False), st.binary(max_size=8))
tree = st.recursive(leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple), st.sets(hashable, max_size=4),
    st.dictionaries(hashable, inner, max_size=4)), max_leaves=25)


class _Node:
    __slots__ = ("label", "links")

    def __init__(self, label, links):
        self.label, self.links = label, links


codec.register(_Node, "tests._Node")


def _typed(value):
    """The value with every container's exact type spelled out, so [1] and (1,) and True and 1 differ."""
    kind = type(value)
    if kind is dict:
        return ("dict", sorted(((repr(_typed(k)), _typed(v)) for k, v in value.items()), key=repr))
    if kind in (list, tuple):
        return (kind.__name__, [_typed(v) for v in value])
    if kind in (set, frozenset):
        return (kind.__name__, sorted(repr(_typed(v)) for v in value))
    return (kind.__name__, value)


@given(tree)
def test_values_come_back_with_the_same_types(value):
    assert _typed(codec.loads(codec.dumps(value))) == _typed(value)


def test_registered_objects_keep_sharing_and_cycles():
    shared = _Node("shared", [])
    loop = _Node("loop", [])
    loop.links.append(loop)
    back = codec.loads(codec.dumps({"a": [shared, loop], "b": (shared,), "by_day": {("x", 1): [shared]}}))
    assert back["a"][0] is back["b"][0] is back["by_day"][("x", 1)][0]
    assert back["a"][1].links[0] is back["a"][1] and back["a"][0].label == "shared"


class _Weak:
    """A registered class whose objects can be watched with a weak reference."""

    def __init__(self, label):
        self.label = label


codec.register(_Weak, "tests._Weak")


def test_writing_leaves_no_garbage_cycle_while_the_collector_is_paused():
    """A build folds with the garbage collector paused and writes every outcome to the cache: what was
    written must be freed by reference counting alone, or the fold's memory grows with every article."""
    value = _Weak("written")
    watched = weakref.ref(value)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        codec.dumps({"outcome": (value, [value])})
        writer = codec.Writer()
        writer.dumps([value])
        del writer, value
        assert watched() is None
    finally:
        if was_enabled:
            gc.enable()


@given(st.binary(max_size=200))
def test_any_other_bytes_are_a_codec_error_or_a_plain_value(raw):
    try:
        value = codec.loads(raw)
    except CodecError:
        return
    assert isinstance(value, (type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset, dt.date))


@pytest.mark.parametrize("payload", [
    msgpack.ExtType(6, msgpack.packb("os.system") + msgpack.packb(0) + msgpack.packb([])),  # an unregistered class
    msgpack.ExtType(7, msgpack.packb(3)),  # a reference to no object
    msgpack.ExtType(6, msgpack.packb("tests._Node") + msgpack.packb(0) + msgpack.packb([["nofield", 1]])),
    msgpack.ExtType(1, msgpack.packb({"a": 1})),  # a tuple that is no list
    msgpack.ExtType(99, b""),
])
def test_crafted_extensions_are_codec_errors(payload):
    with pytest.raises(CodecError):
        codec.loads(msgpack.packb([1, payload]))


@pytest.mark.parametrize("value", [object(), dt.datetime(2020, 1, 1), 1j])
def test_other_types_are_refused_when_written(value):
    with pytest.raises(TypeError):
        codec.dumps(value)


def test_a_fold_state_written_in_parts_comes_back_whole_with_its_objects_shared(tmp_path, monkeypatch):
    from pipeline.runtime import checkpoint

    monkeypatch.setattr(checkpoint, "PART_ITEMS", 3)  # every container below is split into several parts
    nodes = [_Node(f"n{i}", []) for i in range(8)]
    nodes[5].links.append(nodes[1])
    state = {"resolver": {"clusters": nodes, "by_day": {("visit", i): [nodes[i]] for i in range(7)},
                          "strings": {f"s{i}": f"s{i}" for i in range(10)}, "rows_valid": True},
             "requested": {f"sha{i}" for i in range(7)}, "counts": (8, 8, 0)}
    parts = list(checkpoint._parts(state))
    assert len(parts) > 6, "the large containers should be written in several parts"
    codec.dump_parts(parts, tmp_path / "state.msgpack")
    back = checkpoint._merged(codec.load_parts((tmp_path / "state.msgpack").read_bytes()))
    assert _typed(back["resolver"]["strings"]) == _typed(state["resolver"]["strings"])
    assert list(back["resolver"]["strings"]) == list(state["resolver"]["strings"])  # order kept
    assert back["requested"] == state["requested"] and back["counts"] == (8, 8, 0)
    clusters = back["resolver"]["clusters"]
    assert [n.label for n in clusters] == [f"n{i}" for i in range(8)]
    assert all(back["resolver"]["by_day"][("visit", i)][0] is clusters[i] for i in range(7))  # across parts
    assert clusters[5].links[0] is clusters[1]


def test_parts_that_do_not_go_together_are_a_codec_error():
    from pipeline.runtime import checkpoint

    with pytest.raises(CodecError):
        checkpoint._merged([[["resolver", "actors"], {"a": 1}], [["resolver", "actors"], [2]]])
    with pytest.raises(CodecError):
        checkpoint._merged([["not a path", 1]])
