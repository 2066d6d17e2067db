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
    """The FIFO order on ``time`` then id (the calendar of answers)."""
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


# What differs between the two kinds of heap, written once each: the plain functions below are
# what runs without Numba (NUMBA_DISABLE_JIT), and what each overload compiles for its kind.
# None of the overloads asks Numba 0.68 to inline it (inline="always"): inlined, the write lost
# its writes (the heap stayed unchanged), and an inlined comparison made 7 of 39 recorded runs
# crash or differ.


def _before_pairs(a, b, order):
    """``(time, id)`` pairs: earlier time first, then lower id (``order`` is not read)."""
    if a[0] != b[0]:
        return a[0] < b[0]
    return a[1] < b[1]


def _before_ids(a, b, order):
    """Ids by the key columns of ``order``: urgency, deadline (unless FIFO), time, then id."""
    if not order.fifo:
        if order.urgency[a] != order.urgency[b]:
            return order.urgency[a] < order.urgency[b]
        if order.deadline[a] != order.deadline[b]:
            return order.deadline[a] < order.deadline[b]
    if order.time[a] != order.time[b]:
        return order.time[a] < order.time[b]
    return a < b


def _entry_pair(heap, i):
    return (heap.time[i], heap.id[i])


def _entry_id(heap, i):
    return heap[i]


def _put_pair(heap, i, entry):
    heap.time[i] = entry[0]
    heap.id[i] = entry[1]


def _put_id(heap, i, entry):
    heap[i] = entry


def before(a, b, order):
    """Whether entry ``a`` comes out of the heap before entry ``b``.

    An entry is an id, ordered by the key columns of ``order``, or a ``(time, id)`` pair of a
    :class:`Timed` heap.
    """
    return (_before_pairs if isinstance(a, tuple) else _before_ids)(a, b, order)


def _entry(heap, i):
    """Entry ``i`` of ``heap``: an id, or a ``(time, id)`` pair of a :class:`Timed` heap."""
    return (_entry_pair if isinstance(heap, Timed) else _entry_id)(heap, i)


def _put(heap, i, entry):
    """Write ``entry`` at place ``i`` of ``heap``."""
    (_put_pair if isinstance(heap, Timed) else _put_id)(heap, i, entry)


@overload(before)
def _before_compiled(a, b, order):
    return _before_pairs if isinstance(a, types.BaseTuple) else _before_ids


@overload(_entry)
def _entry_compiled(heap, i):
    return _entry_pair if isinstance(heap, types.BaseNamedTuple) else _entry_id


@overload(_put)
def _put_compiled(heap, i, entry):
    return _put_pair if isinstance(heap, types.BaseNamedTuple) else _put_id


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
