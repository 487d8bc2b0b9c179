"""The cache's data formats (`pipeline.core.codec`): what is written comes back with the same types, and
any other bytes are a `CodecError`, never a crash or a value (hypothesis, derandomized)."""
from __future__ import annotations

import datetime as dt

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
def test_tree_format_gives_back_the_same_values_and_types(value):
    assert _typed(codec.loads_tree(codec.dumps_tree(value))) == _typed(value)


@given(tree.filter(lambda v: not isinstance(v, bytes)))
def test_identity_format_gives_back_the_same_values(value):
    try:
        written = codec.dumps(value)
    except TypeError:  # bytes inside: the identity format does not take them
        return
    assert codec.loads(written) == value


def test_identity_format_keeps_sharing_and_cycles():
    shared = [1, 2]
    loop: list = []
    loop.append(loop)
    back = codec.loads(codec.dumps({"a": shared, "b": shared, "loop": loop}))
    assert back["a"] is back["b"] and back["loop"][0] is back["loop"]


@given(st.binary(max_size=200))
def test_any_other_bytes_are_a_codec_error_or_a_plain_value(raw):
    for loads in (codec.loads_tree, codec.loads):
        try:
            value = loads(raw)
        except CodecError:
            continue
        assert isinstance(value, (type(None), bool, int, float, str, bytes, list, tuple, dict, set, frozenset, dt.date))


@pytest.mark.parametrize("value", [object(), dt.datetime(2020, 1, 1), 1j])
def test_other_types_are_refused_when_written(value):
    with pytest.raises(TypeError):
        codec.dumps_tree(value)
