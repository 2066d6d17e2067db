"""The one binary heap of the compiled kernels: ids ordered by key columns, or by time.

Township queues (DESIGN.md section 4: emergency first, then nearest deadline, then first come)
and the departments' calendar of answers on cross-department cases (seed 001) are heaps of
integer ids held in a NumPy array. The ids index the key columns of an :class:`Order`: by
``urgency`` (lower first), then ``deadline``, then ``time``, then the id itself; or, FIFO, by
``time`` then id. The cadres waiting to become free in a working day are a :class:`Timed` heap,
whose entries carry their time beside their id. The id breaks every tie, so the order is total
and the sequence of entries taken out does not depend on how the heap is laid out. One
:func:`push` and one :func:`pop` serve both kinds; what differs (reading an entry, writing it,
comparing two) is chosen by type when Numba compiles them.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
from numba import types
from numba.extending import overload


class Order(NamedTuple):
    """How the ids of a heap are ordered: key columns indexed by id.

    Attributes:
        fifo: Order by ``time`` then id only (``urgency`` and ``deadline`` are not read).
        urgency: Lower is served first (0 for emergencies).
        deadline: Earlier is served first, among equal urgency.
        time: Earlier is served first, among equal urgency and deadline (arrival, or when an
            answer or a free cadre is due).
    """

    fifo: bool
    urgency: np.ndarray
    deadline: np.ndarray
    time: np.ndarray


@numba.njit(cache=True)
def by_time(time):
    """The FIFO order on ``time`` then id (the calendar of answers, the free cadres)."""
    return Order(True, time, time, time)


class Timed(NamedTuple):
    """A heap whose entries carry their key: ``(time, id)`` pairs, earlier time first, then id.

    For a small heap read at every step (the cadres of a working day, by when each is free):
    comparing keys held in the heap spares a load through the id per comparison.

    Attributes:
        time: Each entry's time.
        id: Each entry's id.
    """

    time: np.ndarray
    id: np.ndarray


def before(a, b, order):
    """Whether entry ``a`` comes out of the heap before entry ``b``.

    An entry is an id, ordered by the key columns of ``order``, or a ``(time, id)`` pair of a
    :class:`Timed` heap (``order`` is not read).
    """
    if isinstance(a, tuple):
        return a < b
    if not order.fifo and (order.urgency[a], order.deadline[a]) != (
            order.urgency[b], order.deadline[b]):
        return (order.urgency[a], order.deadline[a]) < (order.urgency[b], order.deadline[b])
    return (order.time[a], a) < (order.time[b], b)


@overload(before)
def _before(a, b, order):
    """Compiled :func:`before`: one version for ``(time, id)`` pairs, one for ids."""
    if isinstance(a, types.BaseTuple):
        def by_pair(a, b, order):
            if a[0] != b[0]:
                return a[0] < b[0]
            return a[1] < b[1]
        return by_pair

    def by_columns(a, b, order):
        if not order.fifo:
            if order.urgency[a] != order.urgency[b]:
                return order.urgency[a] < order.urgency[b]
            if order.deadline[a] != order.deadline[b]:
                return order.deadline[a] < order.deadline[b]
        if order.time[a] != order.time[b]:
            return order.time[a] < order.time[b]
        return a < b
    return by_columns


def _entry(heap, i):
    """Entry ``i`` of ``heap``: an id, or a ``(time, id)`` pair of a :class:`Timed` heap."""
    return (heap.time[i], heap.id[i]) if isinstance(heap, Timed) else heap[i]


@overload(_entry)
def _entry_compiled(heap, i):
    if isinstance(heap, types.BaseNamedTuple):
        return lambda heap, i: (heap.time[i], heap.id[i])
    return lambda heap, i: heap[i]


def _put(heap, i, entry):
    """Write ``entry`` at place ``i`` of ``heap``."""
    if isinstance(heap, Timed):
        heap.time[i], heap.id[i] = entry
    else:
        heap[i] = entry


# None of these three overloads asks Numba 0.68 to inline it (inline="always"): inlined, this one
# lost its writes (the heap stayed unchanged), and an inlined `before` made 7 of 39 recorded runs
# crash or differ.
@overload(_put)
def _put_compiled(heap, i, entry):
    if isinstance(heap, types.BaseNamedTuple):
        def put_pair(heap, i, entry):
            heap.time[i] = entry[0]
            heap.id[i] = entry[1]
        return put_pair

    def put_id(heap, i, entry):
        heap[i] = entry
    return put_id


# push and pop are inlined where they are called: measured on 20 recorded working days, calls
# alternated in one process, the day's kernel took 7% less time than with them called.
@numba.njit(cache=True, inline="always")
def push(heap, size, entry, order):
    """Add ``entry`` to the heap of ``size`` entries (room is the caller's); the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        above = _entry(heap, parent)
        if not before(entry, above, order):
            break
        _put(heap, i, above)
        i = parent
    _put(heap, i, entry)
    return size + 1


@numba.njit(cache=True, inline="always")
def pop(heap, size, order):
    """Remove the first entry from a non-empty heap of ``size``; return it and the new size."""
    top = _entry(heap, 0)
    size -= 1
    last = _entry(heap, size)
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        first = _entry(heap, child)
        if child + 1 < size:
            second = _entry(heap, child + 1)
            if before(second, first, order):
                child += 1
                first = second
        if not before(first, last, order):
            break
        _put(heap, i, first)
        i = child
    if size > 0:
        _put(heap, i, last)
    return top, size
