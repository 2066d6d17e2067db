"""Kernels called from Python take their named groups as plain tuples (sim/kernels/entry.py)."""

from typing import NamedTuple

import numpy as np
import pytest
from numba import types

from sim.kernels.columns import ItemColumns
from sim.kernels.day import Queues, push_all
from sim.kernels.entry import kernel
from sim.work import ItemTable


class _Pair(NamedTuple):
    left: np.ndarray
    right: np.ndarray


@kernel
def _add_into(pair, k, out):
    """Write ``pair.left + k * pair.right`` into ``out.left``."""
    pair, out = _Pair(*pair), _Pair(*out)
    for i in range(pair.left.shape[0]):
        out.left[i] = pair.left[i] + k * pair.right[i]
    return out.left.sum()


def test_a_kernel_reads_and_writes_its_groups_by_name_whichever_way_it_is_called():
    pair = _Pair(np.arange(4.0), np.ones(4))
    for call in (lambda out: _add_into(pair, 2.0, out),
                 lambda out: _add_into(out=out, k=2.0, pair=pair),
                 lambda out: _add_into(pair, out=out, k=2.0),
                 lambda out: _add_into.compiled(pair, 2.0, out)):  # named groups, as a kernel
        out = _Pair(np.zeros(4), np.zeros(4))
        assert call(out) == 14.0
        np.testing.assert_array_equal(out.left, [2.0, 3.0, 4.0, 5.0])


def test_the_groups_reach_the_compiled_code_as_plain_tuples():
    _add_into(_Pair(np.zeros(2), np.zeros(2)), 1.0, _Pair(np.zeros(2), np.zeros(2)))
    compiled_for = [sig[0] for sig in _add_into.compiled.signatures]
    assert any(isinstance(t, types.BaseTuple) and not isinstance(t, types.BaseNamedTuple)
               for t in compiled_for)


def test_the_model_s_kernels_queue_the_same_with_their_groups_named_or_plain():
    """push_all through the plain-tuple entry and through the compiled named groups agree."""
    rng = np.random.default_rng(3)
    table = ItemTable(64)
    n = 40
    table.add(n, kind=rng.integers(0, 7, n), township=rng.integers(0, 3, n),
              arrival=rng.random(n) * 24, deadline=rng.random(n) * 100, effort=np.ones(n))
    ids = np.arange(n)
    township = table.township[ids]
    sizes = []
    for push in (push_all, push_all.compiled):
        queues = Queues(heap=np.empty((3, n), dtype=np.int64), size=np.zeros(3, dtype=np.int64),
                        fifo=np.zeros(3, dtype=np.bool_))
        push(queues, ids, township, ItemColumns.of(table))
        sizes.append((queues.size.copy(), np.sort(queues.heap[0, : queues.size[0]])))
    np.testing.assert_array_equal(sizes[0][0], np.bincount(township, minlength=3))
    np.testing.assert_array_equal(sizes[0][0], sizes[1][0])
    np.testing.assert_array_equal(sizes[0][1], sizes[1][1])


def test_a_kernel_refuses_arguments_it_does_not_take():
    pair = _Pair(np.zeros(2), np.zeros(2))
    with pytest.raises(TypeError, match="_add_into"):
        _add_into(pair, 1.0, out=pair, extra=1)
    with pytest.raises(KeyError):
        _add_into(pair, 1.0, outs=pair)
