"""The one heap of the kernels (sim/kernels/heap.py): ids come out in their key order."""

import numpy as np
import pytest

from sim.kernels.heap import Order, Timed, by_time, pop, push


def _drain(heap, size, order):
    out = []
    while size:
        item, size = pop(heap, size, order)
        out.append(int(item))
    return out


@pytest.mark.parametrize("fifo", [False, True])
@pytest.mark.parametrize("seed", range(20))
def test_pops_follow_urgency_deadline_time_then_id(fifo, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    urgency = rng.integers(0, 2, n).astype(np.int8)
    deadline = rng.integers(0, 4, n).astype(float)  # small ranges: many ties
    time = rng.integers(0, 4, n).astype(float)
    order = Order(fifo, urgency, deadline, time)
    ids = rng.permutation(n).tolist()
    heap, size = np.empty(n, dtype=np.int64), 0
    for i in ids:
        size = push(heap, size, i, order)
    if fifo:
        expected = sorted(ids, key=lambda i: (time[i], i))
    else:
        expected = sorted(ids, key=lambda i: (urgency[i], deadline[i], time[i], i))
    assert _drain(heap, size, order) == expected


def test_interleaved_pushes_and_pops_take_the_earliest_present():
    rng = np.random.default_rng(5)
    time = rng.integers(0, 20, 500).astype(float)
    order = by_time(time)
    heap, size, present, taken = np.empty(500, dtype=np.int64), 0, set(), []
    for i in range(500):
        size = push(heap, size, i, order)
        present.add(i)
        if rng.random() < 0.4:
            first = min(present, key=lambda j: (time[j], j))
            item, size = pop(heap, size, order)
            assert item == first
            present.discard(first)
            taken.append(first)
    assert size == len(present)
    assert _drain(heap, size, order) == sorted(present, key=lambda j: (time[j], j))


@pytest.mark.parametrize("seed", range(10))
def test_a_timed_heap_gives_its_pairs_by_time_then_id(seed):
    """The free cadres' heap: pairs pushed and popped at random come out as a sort would."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 120))
    time = rng.integers(0, 6, n).astype(float)  # many ties, broken by id
    heap, size, present = Timed(np.empty(n), np.empty(n, dtype=np.int64)), 0, set()
    for i in rng.permutation(n).tolist():
        size = push(heap, size, (time[i], i), None)
        present.add((float(time[i]), i))
        if rng.random() < 0.3:
            (t, i), size = pop(heap, size, None)
            assert (t, i) == min(present)
            present.discard((t, i))
    out = []
    while size:
        (t, i), size = pop(heap, size, None)
        out.append((float(t), int(i)))
    assert out == sorted(present)
    assert [i for _, i in out] == sorted((i for _, i in present), key=lambda i: (time[i], i))
