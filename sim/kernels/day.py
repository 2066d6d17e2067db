"""The townships' working day, compiled with Numba: serving the queues, booking, records.

This is the model's hot path (DESIGN.md section 4, step 2): the township's cadres serve its
queue as parallel servers. Events are cadres becoming free and items arriving, taken in time
order. A free cadre takes the most urgent waiting item (emergency, then nearest deadline, then
first come, then lowest id; or plain FIFO), works it (by default uninterrupted) until done or the
cadre's window (regular hours plus capped overtime) ends, and an unfinished item is carried to
the cadre's next working day. Optionally (:class:`Sharing`, issue 11) an emergency interrupts a
cadre at work on other work, several cadres share an emergency, and large items are worked in
pieces by whoever is free; :func:`answer_on_call` has the cadres on call (值班) answer the
emergencies of nights and weekends. A free cadre with nothing waiting goes idle until the next
arrival or the end of regular hours: work arriving during overtime waits for the next day.

Work items live here as rows of the model's ``ItemTable`` (``sim/work.py``), passed as
:class:`~sim.kernels.columns.ItemColumns` and identified by id; each township's queue is a
heap of ids (``sim/kernels/heap.py``) in a row of :class:`Queues`. The loop does no Python
work: it returns the items it finished, in the order it finished them, and
:func:`book_finished` then books them (resolution, or hand-over to the departments) in that
same order, so the results are exactly those of the plain-Python loop this replaced.
:func:`record_townships` writes each township's end-of-day row of the daily records. Every
kernel takes its arrays in named groups (the ``NamedTuple`` classes below), built by name at
the call site; those called from Python hand them over as plain tuples (``sim/kernels/entry.py``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

from sim.kernels.columns import (
    CATEGORY_OF_KIND,
    MANDATORY_CATEGORIES,
    TOWNSHIP_PART,
    HandOvers,
    ItemColumns,
    Kind,
    Status,
    TownshipColumn,
)
from sim.kernels.entry import kernel
from sim.kernels.heap import Order, Timed, pop, push


class Queues(NamedTuple):
    """The townships' queues: one heap of item ids per row of ``heap``.

    Attributes:
        heap: Per township (row), the heap of waiting item ids (room is the caller's).
        size: Per township, items waiting.
        fifo: Per township, serve first come first served (else by urgency and deadline).
    """

    heap: np.ndarray
    size: np.ndarray
    fifo: np.ndarray


class Posts(NamedTuple):
    """Per post (roster slot): its unit, whether held, where seconded, the item carried.

    Attributes:
        unit: Unit of the post (townships first, then departments).
        occupied: Whether someone holds it.
        seconded_to: The borrowing unit of its holder, or -1.
        carry: The half-done item its holder carries to the next working day, or -1.
    """

    unit: np.ndarray
    occupied: np.ndarray
    seconded_to: np.ndarray
    carry: np.ndarray


class Cadres(NamedTuple):
    """One township's cadres at work today (per cadre).

    Attributes:
        in_hand: The id of the item carried from the last working day, or -1 (cleared).
        start: When today's service work can start (after mandatory work).
        regular_end: End of regular hours (no new work is picked up after it unless items
            are already waiting).
        overtime_end: End of the working window (regular hours plus overtime cap).
        productivity: Effort-hours done per hour worked.
    """

    in_hand: np.ndarray
    start: np.ndarray
    regular_end: np.ndarray
    overtime_end: np.ndarray
    productivity: np.ndarray


class DayOut(NamedTuple):
    """What :func:`serve_day` writes for one township.

    Attributes:
        hours: Hours by category (``Hours``) for the township today (added to).
        worked: Per cadre, hours served today.
        carry_out: Per cadre, the id of the item carried to the next day, or -1.
        finished: Ids of the items finished, in order.
        finished_time: When each was finished.
    """

    hours: np.ndarray
    worked: np.ndarray
    carry_out: np.ndarray
    finished: np.ndarray
    finished_time: np.ndarray


class TownshipArrivals(NamedTuple):
    """Today's arrivals, county-wide: ids in township then time order, cut by ``bounds``."""

    ids: np.ndarray
    bounds: np.ndarray


class Crew(NamedTuple):
    """The county's township cadres at work today, per cadre, by township.

    Attributes:
        slots: Each cadre's post.
        bounds: Township ``t``'s cadres are ``bounds[t]:bounds[t + 1]``.
        start: See :class:`Cadres`.
        regular_end: See :class:`Cadres`.
        overtime_end: See :class:`Cadres`.
        productivity: See :class:`Cadres`.
    """

    slots: np.ndarray
    bounds: np.ndarray
    start: np.ndarray
    regular_end: np.ndarray
    overtime_end: np.ndarray
    productivity: np.ndarray


class CountyOut(NamedTuple):
    """What :func:`serve_county` writes: ``hours`` per township (row), the rest as DayOut."""

    hours: np.ndarray
    worked: np.ndarray
    finished: np.ndarray
    finished_time: np.ndarray


class TownshipTotals(NamedTuple):
    """Per township, totals so far: demand, capacity and overtime hours, hours by category."""

    demand: np.ndarray
    capacity: np.ndarray
    overtime: np.ndarray
    hours: np.ndarray


class CrewPlan(NamedTuple):
    """The township cadres of the day, per cadre, as the roster sets them.

    Attributes:
        home_index: Positions of the cadres on duty at home (the others are seconded).
        unit: Each cadre's township.
        regular_length: Hours from the day's start to the end of regular work.
        overtime_length: Overtime allowed after it.
    """

    home_index: np.ndarray
    unit: np.ndarray
    regular_length: np.ndarray
    overtime_length: np.ndarray


class Clock(NamedTuple):
    """The day's clock: its start (hours since the run began), regular hours, daily cap."""

    day_start: float
    regular: float
    limit: float


class Windows(NamedTuple):
    """Per cadre, output of :func:`plan_windows`: service window and mandatory hours worked."""

    start: np.ndarray
    regular_end: np.ndarray
    overtime_end: np.ndarray
    mandatory_total: np.ndarray


class TownshipDay(NamedTuple):
    """Per township, hours booked today: by category (rows), and mandatory hours."""

    hours: np.ndarray
    mandatory_hours: np.ndarray


class Shifts(NamedTuple):
    """The township cadres who worked today, per cadre: post, at home, township, mandatory."""

    slots: np.ndarray
    home: np.ndarray
    unit: np.ndarray
    mandatory_total: np.ndarray


class DayBook(NamedTuple):
    """Output of :func:`finish_day`.

    Attributes:
        overtime: Per cadre, overtime today (filled).
        township_overtime: Per township, overtime hours (added to).
        township_cadre_days: Per township, cadre-days worked (added to).
        week_hours: Per post, hours this week (added to).
    """

    overtime: np.ndarray
    township_overtime: np.ndarray
    township_cadre_days: np.ndarray
    week_hours: np.ndarray


@numba.njit(cache=True, inline="always")
def item_order(fifo, items):
    """The order of a township's queue: emergencies, nearest deadline, first come (or FIFO)."""
    return Order(fifo, items.priority, items.deadline, items.arrival)


class Sharing(NamedTuple):
    """How a township's cadres share work (issue 11, items 3 and 4); the defaults change nothing.

    Attributes:
        preempt: An emergency that finds no idle cadre interrupts a cadre at work on another
            item, which goes back to the queue with its remaining effort.
        emergency_team: Cadres on one emergency: its effort is split into this many pieces.
        split_above: Items of more effort than this (cadre-hours) are worked in pieces by
            whoever is free (``inf``: never).
        piece_hours: Effort of one piece of a large item.
    """

    preempt: bool
    emergency_team: int
    split_above: float
    piece_hours: float


#: Sharing as it was before issue 11: no preemption, one cadre an item, no pieces.
NO_SHARING = Sharing(False, 1, math.inf, math.inf)

# Counters of a working day (``_Day.counts``).
_SIZE, _N_FREE, _N_FINISHED, _N_IDLE = 0, 1, 2, 3


class _Day(NamedTuple):
    """What the rarer paths of :func:`serve_day` (pieces, interruptions) read and write.

    The common path works on ``serve_day``'s own arrays (its closures); these helpers are
    called with them gathered here. Flat on purpose: every array is a field of its own, so a
    helper reading one column does not take a reference to a whole group of them (Numba
    counts references per array).
    """

    heap: np.ndarray
    order: Order
    free: Timed
    counts: np.ndarray
    cur_item: np.ndarray  # per cadre, the whole item worked now (-1: none, or a piece)
    cur_end: np.ndarray  # when that work ends
    cur_pos: np.ndarray  # its place in the finished list (-1: carried, not finished today)
    start: np.ndarray  # per cadre, from Cadres
    overtime_end: np.ndarray
    productivity: np.ndarray
    kind: np.ndarray  # per item, from ItemColumns
    remaining: np.ndarray
    unassigned: np.ndarray
    team_done: np.ndarray
    hours: np.ndarray  # from DayOut
    worked: np.ndarray
    carry_out: np.ndarray
    finished: np.ndarray
    finished_time: np.ndarray


@numba.njit(cache=True, inline="always")
def piece_of(sharing, kind, case, effort, item):
    """Effort of one piece of ``item`` when it is worked in pieces, else 0.

    ``kind``, ``case`` and ``effort`` are the item table's columns.
    """
    if case[item] >= 0:  # a case's parts are handed on when done: never split
        return 0.0
    if kind[item] == Kind.EMERGENCY and sharing.emergency_team > 1:
        return effort[item] / sharing.emergency_team
    if effort[item] > sharing.split_above:
        return sharing.piece_hours
    return 0.0


@numba.njit(cache=True)
def _take_piece(day, i, item, t, piece):
    """Cadre ``i`` takes a piece of ``item`` at ``t``; the rest stays in the queue.

    A piece not done by the end of the cadre's window goes back undone, for anyone to take;
    the item is finished when no effort is left to give out, at the end of its last piece.
    """
    counts, unassigned, remaining = day.counts, day.unassigned, day.remaining
    if math.isnan(unassigned[item]):
        unassigned[item] = remaining[item]
    left = unassigned[item]
    if left <= piece * (1.0 + 1e-9):
        piece = left
    unassigned[item] = left - piece if piece < left else 0.0
    category = CATEGORY_OF_KIND[day.kind[item]]
    end = day.overtime_end[i]
    productivity = day.productivity[i]
    need = piece / productivity
    day.cur_item[i] = -1  # a piece is not interrupted
    if t + need <= end:
        day.worked[i] += need
        day.hours[category] += need
        remaining[item] -= piece
        finish = t + need
        counts[_N_FREE] = push(day.free, counts[_N_FREE], (finish, i), None)
    else:
        done = end - t if end > t else 0.0
        day.worked[i] += done
        day.hours[category] += done
        remaining[item] -= done * productivity
        unassigned[item] += piece - done * productivity
        finish = end
    if not day.team_done[item] >= finish:  # also when NaN
        day.team_done[item] = finish
    if unassigned[item] > 0.0:
        counts[_SIZE] = push(day.heap, counts[_SIZE], item, day.order)
    else:
        remaining[item] = 0.0
        n = counts[_N_FINISHED]
        day.finished[n] = item
        day.finished_time[n] = day.team_done[item]
        counts[_N_FINISHED] = n + 1


@numba.njit(cache=True)
def _victim(day, t):
    """The cadre an emergency interrupts at ``t``: at work on an ordinary item, longest left."""
    best = -1
    cur_item, cur_end, start, kind = day.cur_item, day.cur_end, day.start, day.kind
    for j in range(cur_item.shape[0]):
        item = cur_item[j]
        if item < 0 or cur_end[j] <= t or t < start[j] or kind[item] == Kind.EMERGENCY:
            continue
        if best < 0 or cur_end[j] > cur_end[best]:
            best = j
    return best


@numba.njit(cache=True)
def _interrupt(day, j, t):
    """Cadre ``j`` stops its item at ``t``: the item goes back to the queue with what is left."""
    counts = day.counts
    item = day.cur_item[j]
    undone = day.cur_end[j] - t
    day.worked[j] -= undone
    day.hours[CATEGORY_OF_KIND[day.kind[item]]] -= undone
    pos = day.cur_pos[j]
    if pos >= 0:  # it was to be finished today: off the finished list, and j off the free heap
        day.remaining[item] = undone * day.productivity[j]
        n = counts[_N_FINISHED] - 1
        for k in range(pos, n):
            day.finished[k] = day.finished[k + 1]
            day.finished_time[k] = day.finished_time[k + 1]
        counts[_N_FINISHED] = n
        for k in range(day.cur_pos.shape[0]):
            if day.cur_pos[k] > pos:
                day.cur_pos[k] -= 1
        free = day.free
        others = Timed(np.empty(counts[_N_FREE]), np.empty(counts[_N_FREE], dtype=np.int64))
        kept = 0
        for k in range(counts[_N_FREE]):
            if free.id[k] != j:
                others.time[kept], others.id[kept] = free.time[k], free.id[k]
                kept += 1
        counts[_N_FREE] = 0
        for k in range(kept):  # the free heap without j (its key is about to change)
            counts[_N_FREE] = push(free, counts[_N_FREE], (others.time[k], others.id[k]), None)
    else:  # it was to be carried: nothing is carried now
        day.remaining[item] += undone * day.productivity[j]
        day.carry_out[j] = -1
    day.cur_item[j] = -1
    day.cur_pos[j] = -1
    return item


@numba.njit(cache=True)
def serve_day(heap, size, fifo, arrivals, cadres, items, out, sharing):
    """Serve one township's queue for one working day.

    Args:
        heap: The township's queue, a heap of item ids with room for every arrival of the day.
        size: Items in the queue.
        fifo: Serve first come first served.
        arrivals: Ids of today's arrivals in time order.
        cadres: The township's cadres (:class:`Cadres`).
        items: The item table (:class:`~sim.kernels.columns.ItemColumns`); ``remaining`` is
            updated and ``start`` set when work first starts.
        out: Hours, hours worked, items carried and finished (:class:`DayOut`).
        sharing: Preemption by emergencies, teams on emergencies, large items in pieces
            (:class:`Sharing`; :data:`NO_SHARING` for none).

    Returns:
        The queue's new size and the number of finished items.
    """
    in_hand, start, regular_end = cadres.in_hand, cadres.start, cadres.regular_end
    overtime_end, productivity = cadres.overtime_end, cadres.productivity
    remaining, kind, arrival, item_start = items.remaining, items.kind, items.arrival, items.start
    hours, worked, carry_out = out.hours, out.worked, out.carry_out
    finished, finished_time = out.finished, out.finished_time
    preempt = sharing.preempt
    shared = preempt or sharing.emergency_team > 1 or sharing.split_above < math.inf
    n = start.shape[0]
    order = item_order(fifo, items)
    free = Timed(np.empty(n), np.empty(n, dtype=np.int64))  # when the cadres will be free
    idle = np.empty(n, dtype=np.int64)
    counts = np.zeros(4, dtype=np.int64)
    cur_item, cur_end = np.full(n, -1, dtype=np.int64), np.zeros(n)
    cur_pos = np.full(n, -1, dtype=np.int64)
    day = _Day(heap, order, free, counts, cur_item, cur_end, cur_pos,
               start, overtime_end, productivity, kind, remaining, items.unassigned,
               items.team_done, hours, worked, carry_out, finished, finished_time)

    # The verbs of the day are closures over its arrays, which Numba inlines where they are
    # called: reading the arrays from the ``day`` tuple in the loop instead took 39% more
    # kernel time (42 recorded working days), each read counting a reference. The counters
    # (queue size, free cadres, items finished, idle cadres) are local integers passed in and
    # out, which stay in registers; ``counts`` holds them only while a rarer path runs.
    def take(i, item, t, size, n_free, n_done):
        """Cadre ``i`` starts work on ``item`` (or on a piece of it) at ``t``; new counters."""
        if math.isnan(item_start[item]):  # first time anyone works on it
            item_start[item] = t
        if shared:
            piece = piece_of(sharing, kind, items.case, items.effort, item)
            if piece > 0.0:
                counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED] = size, n_free, n_done
                _take_piece(day, i, item, t, piece)
                return counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED]
        end = overtime_end[i]
        category = CATEGORY_OF_KIND[kind[item]]
        need = remaining[item] / productivity[i]
        if t + need <= end:
            worked[i] += need
            hours[category] += need
            remaining[item] = 0.0
            finished[n_done] = item
            finished_time[n_done] = t + need
            n_free = push(free, n_free, (t + need, i), None)
            if preempt:
                cur_item[i], cur_end[i], cur_pos[i] = item, t + need, n_done
            return size, n_free, n_done + 1
        done = end - t if end > t else 0.0
        worked[i] += done
        hours[category] += done
        remaining[item] -= done * productivity[i]
        carry_out[i] = item
        if preempt:
            cur_item[i], cur_end[i], cur_pos[i] = item, end, -1
        return size, n_free, n_done

    def idle_cadre(t, n_idle):
        """An idle cadre still in regular hours at ``t`` (the last to go idle), or -1."""
        while n_idle:
            n_idle -= 1
            i = idle[n_idle]
            if regular_end[i] > t:
                return i, n_idle
        return -1, n_idle

    def emergency_first():
        """Whether an emergency waits first in a queue whose emergencies interrupt."""
        return preempt and not fifo and kind[heap[0]] == Kind.EMERGENCY

    def share_out(t):
        """After work was taken at ``t``: idle cadres take what waits; emergencies interrupt.

        Only needed when items are worked in pieces or emergencies interrupt (otherwise an
        idle cadre and a waiting item never meet). Works on ``counts``.
        """
        while counts[_SIZE] > 0:
            i, counts[_N_IDLE] = idle_cadre(t, counts[_N_IDLE])
            if i >= 0:
                item, counts[_SIZE] = pop(heap, counts[_SIZE], order)
            else:
                if not emergency_first():
                    return
                i = _victim(day, t)
                if i < 0:
                    return
                item, counts[_SIZE] = pop(heap, counts[_SIZE], order)
                back = _interrupt(day, i, t)
                counts[_SIZE] = push(heap, counts[_SIZE], back, order)
            counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED] = take(
                i, item, t, counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED])

    n_free = n_done = n_idle = 0
    holding = 0
    for i in range(n):
        worked[i] = 0.0
        carry_out[i] = -1
        item = in_hand[i]
        # A cadre whose half-done item outlasts today's window just works on it all day.
        if item >= 0 and start[i] + remaining[item] / productivity[i] > overtime_end[i]:
            done = overtime_end[i] - start[i] if overtime_end[i] > start[i] else 0.0
            worked[i] = done
            hours[CATEGORY_OF_KIND[kind[item]]] += done
            remaining[item] -= done * productivity[i]
            carry_out[i] = item
            in_hand[i] = -1
            cur_item[i] = item
            cur_end[i] = overtime_end[i]
        else:
            if item >= 0:
                holding += 1
            n_free = push(free, n_free, (start[i], i), None)
    n_arrivals = arrivals.shape[0]
    a = 0
    next_arrival = arrival[arrivals[0]] if n_arrivals else math.inf
    while True:
        if holding == 0 and size == 0 and next_arrival == math.inf:
            break  # nothing left to do today: the remaining cadres would only go idle
        next_free = free.time[0] if n_free else math.inf
        if next_arrival <= next_free:
            if next_arrival == math.inf:
                break
            size = push(heap, size, arrivals[a], order)
            a += 1
            t = next_arrival
            next_arrival = arrival[arrivals[a]] if a < n_arrivals else math.inf
            i, n_idle = idle_cadre(t, n_idle)
            if i >= 0:
                item, size = pop(heap, size, order)
            else:
                item = -1  # nobody idle: it waits (unless an emergency interrupts someone)
        else:
            (t, i), n_free = pop(free, n_free, None)
            item = in_hand[i]
            if item < 0:
                if size == 0:
                    if t < regular_end[i]:
                        idle[n_idle] = i
                        n_idle += 1
                    continue
                if t >= overtime_end[i]:
                    continue
                item, size = pop(heap, size, order)
            else:
                in_hand[i] = -1
                holding -= 1
        if item >= 0:
            size, n_free, n_done = take(i, item, t, size, n_free, n_done)
        if shared and size > 0 and (n_idle > 0 or emergency_first()):
            counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED], counts[_N_IDLE] = (
                size, n_free, n_done, n_idle)
            share_out(t)
            size, n_free, n_done, n_idle = (
                counts[_SIZE], counts[_N_FREE], counts[_N_FINISHED], counts[_N_IDLE])
    return size, n_done


@kernel
def push_all(queues, ids, township, items):
    """Put items ``ids`` in their townships' ``queues`` (a day off, or items put back)."""
    queues, items = Queues(*queues), ItemColumns(*items)
    for k in range(ids.shape[0]):
        t = township[k]
        queues.size[t] = push(queues.heap[t], queues.size[t], ids[k],
                              item_order(queues.fifo[t], items))


@kernel
def serve_county(queues, arrivals, crew, posts, items, out, sharing):
    """Run :func:`serve_day` for every township of the county, in township order.

    ``queues`` (:class:`Queues`) has room in each heap for today's arrivals and every carried
    item; ``arrivals`` (:class:`TownshipArrivals`) and ``crew`` (:class:`Crew`) are
    county-wide, cut by their ``bounds``; ``out.hours`` has one row per township.
    ``posts.carry`` holds, per post, the half-done item its holder carries from the last
    working day (or -1): items of posts not at their township's work today (the holder left,
    was seconded, or the post moved) go back to their township's queue first, in post order;
    the others are taken up again, and ``posts.carry`` is updated for the next day. Finished
    items are listed township by township. ``sharing`` (:class:`Sharing`) is how cadres share
    work. Returns their number.
    """
    queues, arrivals, crew = Queues(*queues), TownshipArrivals(*arrivals), Crew(*crew)
    posts, items, out = Posts(*posts), ItemColumns(*items), CountyOut(*out)
    sharing = Sharing(*sharing)
    carry, slots = posts.carry, crew.slots
    at_work = np.zeros(carry.shape[0], dtype=np.bool_)
    for i in range(slots.shape[0]):
        at_work[slots[i]] = True
    for slot in range(carry.shape[0]):
        item = carry[slot]
        if item >= 0 and (not at_work[slot] or posts.unit[slot] != items.township[item]):
            t = items.township[item]
            queues.size[t] = push(queues.heap[t], queues.size[t], item,
                                  item_order(queues.fifo[t], items))
            carry[slot] = -1
    n_crew = slots.shape[0]
    in_hand = np.empty(n_crew, dtype=np.int64)
    carry_out = np.empty(n_crew, dtype=np.int64)
    for i in range(n_crew):
        in_hand[i] = carry[slots[i]]
        carry[slots[i]] = -1
    n_finished = 0
    for t in range(queues.heap.shape[0]):
        a0, a1 = arrivals.bounds[t], arrivals.bounds[t + 1]
        c0, c1 = crew.bounds[t], crew.bounds[t + 1]
        cadres = Cadres(in_hand[c0:c1], crew.start[c0:c1], crew.regular_end[c0:c1],
                        crew.overtime_end[c0:c1], crew.productivity[c0:c1])
        day_out = DayOut(out.hours[t], out.worked[c0:c1], carry_out[c0:c1],
                         out.finished[n_finished:], out.finished_time[n_finished:])
        size, n = serve_day(queues.heap[t], queues.size[t], queues.fifo[t],
                            arrivals.ids[a0:a1], cadres, items, day_out, sharing)
        queues.size[t] = size
        n_finished += n
    for i in range(n_crew):
        if carry_out[i] >= 0:
            carry[slots[i]] = carry_out[i]
    return n_finished


class OnCall(NamedTuple):
    """The township cadres on call (值班) outside office hours today, by township.

    Attributes:
        slots: Each on-call cadre's post.
        bounds: Township ``t``'s on-call cadres are ``bounds[t]:bounds[t + 1]``.
        free_at: Per post, when its holder is done with the emergencies answered so far.
        productivity: Effort-hours each does per hour worked.
        response_hours: From the call to an on-call cadre at work on the emergency.
        team: Most on-call cadres sent to one emergency (its effort split among them).
    """

    slots: np.ndarray
    bounds: np.ndarray
    free_at: np.ndarray
    productivity: np.ndarray
    response_hours: float
    team: int


class OnCallOut(NamedTuple):
    """What :func:`answer_on_call` writes.

    Attributes:
        hours: Per township (row), hours by category (added to).
        overtime: Per township, overtime hours (added to: on-call work is outside regular hours).
        week_hours: Per post, hours this week (added to).
        finished: Ids of the emergencies answered, in order.
        finished_time: When each was finished.
    """

    hours: np.ndarray
    overtime: np.ndarray
    week_hours: np.ndarray
    finished: np.ndarray
    finished_time: np.ndarray


@kernel
def answer_on_call(ids, bounds, on_call, items, out):
    """The on-call cadres answer the emergencies that arrive outside office hours.

    ``ids`` are emergencies in township then arrival order, township ``t``'s being
    ``ids[bounds[t]:bounds[t + 1]]``; every township listed has someone on call. Each
    emergency gets up to ``on_call.team`` of its township's on-call cadres, those free
    soonest; they start once the last of them is free, and no sooner than the response time
    after the call, and share its effort equally. Returns the number answered.
    """
    on_call, items, out = OnCall(*on_call), ItemColumns(*items), OnCallOut(*out)
    remaining, n_done = items.remaining, 0
    free_at = on_call.free_at
    for t in range(bounds.shape[0] - 1):
        c0, c1 = on_call.bounds[t], on_call.bounds[t + 1]
        team = min(on_call.team, c1 - c0)
        chosen = np.empty(team, dtype=np.int64)
        for k in range(bounds[t], bounds[t + 1]):
            item = ids[k]
            # The team: the on-call cadres free soonest (then by position).
            taken = np.zeros(c1 - c0, dtype=np.bool_)
            begin = items.arrival[item] + on_call.response_hours
            for m in range(team):
                best = -1
                for c in range(c0, c1):
                    if not taken[c - c0] and (
                            best < 0 or free_at[on_call.slots[c]] < free_at[on_call.slots[best]]):
                        best = c
                taken[best - c0] = True
                chosen[m] = best
                if free_at[on_call.slots[best]] > begin:
                    begin = free_at[on_call.slots[best]]
            share = remaining[item] / team
            finish = begin
            for m in range(team):
                c = chosen[m]
                need = share / on_call.productivity[c]
                free_at[on_call.slots[c]] = begin + need
                if begin + need > finish:
                    finish = begin + need
                out.hours[t, CATEGORY_OF_KIND[Kind.EMERGENCY]] += need
                out.overtime[t] += need
                out.week_hours[on_call.slots[c]] += need
            if math.isnan(items.start[item]):
                items.start[item] = begin
            remaining[item] = 0.0
            out.finished[n_done] = item
            out.finished_time[n_done] = finish
            n_done += 1
    return n_done


#: Kinds a service-centre window may settle (residents' simple matters).
WINDOW_KINDS = (Kind.REQUEST, Kind.UTILITY)


class ServiceWindows(NamedTuple):
    """A working day's service-centre windows (便民服务中心), per township.

    Attributes:
        staffed: Per township, windows open today.
        opens: When the windows open (hours since the run began).
        closes: When they close.
        max_effort: Requests of at most this effort (cadre-hours) are served at a window.
    """

    staffed: np.ndarray
    opens: float
    closes: float
    max_effort: float


class WindowsOut(NamedTuple):
    """What :func:`serve_windows` writes: ids served and when done, ids left, in order."""

    served: np.ndarray
    finished: np.ndarray
    left: np.ndarray


@kernel
def serve_windows(ids, windows, items, out):
    """Residents' simple requests served at the service-centre windows, first come first served.

    ``ids`` are today's arrivals in township then time order. A request is simple if its kind
    is one of :data:`WINDOW_KINDS`, its effort at most ``windows.max_effort``, it is no part of
    a cross-department case, it arrived while the windows are open, and its township has a
    window open. Each simple request is taken by the window free first (the lowest numbered
    among equals), from its arrival or when that window is free, and served there if it is done
    before the windows close: its ``start`` is set and its ``remaining`` effort cleared. Returns
    the numbers of ids served and left (for the queue), written in order to ``out``.
    """
    windows, items, out = ServiceWindows(*windows), ItemColumns(*items), WindowsOut(*out)
    n_townships = windows.staffed.shape[0]
    width = 0
    for t in range(n_townships):
        if windows.staffed[t] > width:
            width = windows.staffed[t]
    free = np.full((n_townships, max(width, 1)), windows.opens)
    n_served, n_left = 0, 0
    for j in range(ids.shape[0]):
        item = ids[j]
        t = items.township[item]
        kind, arrival = items.kind[item], items.arrival[item]
        if not ((kind == WINDOW_KINDS[0] or kind == WINDOW_KINDS[1])
                and items.effort[item] <= windows.max_effort and items.case[item] < 0
                and windows.opens <= arrival < windows.closes and windows.staffed[t] > 0):
            out.left[n_left] = item
            n_left += 1
            continue
        w = 0
        for k in range(1, windows.staffed[t]):
            if free[t, k] < free[t, w]:
                w = k
        start = max(free[t, w], arrival)
        end = start + items.effort[item]
        if end > windows.closes:
            out.left[n_left] = item
            n_left += 1
            continue
        free[t, w] = end
        items.start[item] = start
        items.remaining[item] = 0.0
        out.served[n_served] = item
        out.finished[n_served] = end
        n_served += 1
    return n_served, n_left


@kernel
def book_finished(ids, time, items, resolution, handed):
    """Book the items the townships finished today (``ids`` at ``time``), in that order.

    A plain item is resolved (a citizen request's resolution time is listed in
    ``resolution``). A cross-department request whose township part is done goes to the
    departments, and a re-handling of a bounced case is done and sends the case back to the
    department ``k`` that bounced it: both are listed in ``handed``
    (:class:`~sim.kernels.columns.HandOvers`), with ``k`` = ``TOWNSHIP_PART`` when the
    township's own part is done. Returns the numbers of resolutions and hand-overs listed.
    """
    items, handed = ItemColumns(*items), HandOvers(*handed)
    n_resolved = 0
    n_handed = 0
    for j in range(ids.shape[0]):
        i, t = ids[j], time[j]
        items.done[i] = t
        kind = items.kind[i]
        # A re-handling without a case (a reopened request, policies/feedback.py) is resolved.
        if kind == Kind.CROSS_DEPARTMENT or (kind == Kind.REWORK and items.case[i] >= 0):
            handed.case[n_handed] = items.case[i]
            handed.time[n_handed] = t
            if kind == Kind.CROSS_DEPARTMENT:
                items.status[i] = Status.WITH_DEPARTMENTS
                handed.k[n_handed] = TOWNSHIP_PART
            else:
                items.status[i] = Status.RESOLVED
                items.finish[i] = t
                items.remaining[i] = 0.0
                handed.k[n_handed] = items.department[i]
            n_handed += 1
        else:
            items.status[i] = Status.RESOLVED
            items.finish[i] = t
            if kind <= Kind.CROSS_DEPARTMENT:
                resolution[n_resolved] = t - items.arrival[i]
                n_resolved += 1
    return n_resolved, n_handed


@kernel
def record_townships(record, queue_size, incoming, item_township, posts, totals):
    """Write the townships' end-of-day row of the daily records (``TownshipColumn``).

    ``record`` is today's block (one row per township, ``DAY`` and ``TOWNSHIP`` already set).
    The backlog counts items waiting (``queue_size``, per township), half done
    (``posts.carry``) and re-handlings that arrived after the day's work (``incoming``), each
    item at its township (``item_township``, the item table's column); posts are counted on
    duty, seconded away or vacant. ``totals`` (:class:`TownshipTotals`) fills the rest.
    Returns the county's backlog, secondments, township vacancies and township posts.
    """
    posts, totals = Posts(*posts), TownshipTotals(*totals)
    n = record.shape[0]
    for t in range(n):
        record[t, TownshipColumn.BACKLOG] = queue_size[t]
        record[t, TownshipColumn.ON_DUTY] = 0.0
        record[t, TownshipColumn.SECONDED] = 0.0
        record[t, TownshipColumn.VACANCIES] = 0.0
        record[t, TownshipColumn.POSTS] = 0.0
    for slot in range(posts.carry.shape[0]):
        if posts.carry[slot] >= 0:
            record[item_township[posts.carry[slot]], TownshipColumn.BACKLOG] += 1.0
    for j in range(incoming.shape[0]):
        record[item_township[incoming[j]], TownshipColumn.BACKLOG] += 1.0
    seconded = vacancies = posts_held = 0
    for slot in range(posts.unit.shape[0]):
        away = posts.seconded_to[slot] >= 0
        seconded += away
        t = posts.unit[slot]
        if t >= n:
            continue
        if not posts.occupied[slot]:
            state = TownshipColumn.VACANCIES
            vacancies += 1
        elif away:
            state = TownshipColumn.SECONDED
        else:
            state = TownshipColumn.ON_DUTY
        record[t, state] += 1.0
        record[t, TownshipColumn.POSTS] += 1.0
        posts_held += 1
    backlog = 0
    for t in range(n):
        backlog += int(record[t, TownshipColumn.BACKLOG])
        record[t, TownshipColumn.DEMAND_HOURS] = totals.demand[t]
        record[t, TownshipColumn.CAPACITY_HOURS] = totals.capacity[t]
        record[t, TownshipColumn.OVERTIME_HOURS] = totals.overtime[t]
        for c in range(totals.hours.shape[1]):
            record[t, TownshipColumn.HOURS + c] = totals.hours[t, c]
    return backlog, seconded, vacancies, posts_held


@kernel
def plan_windows(mandatory, crew, clock, windows, township):
    """Each cadre's working window for the day, after the mandatory work.

    ``mandatory`` holds the hours of meetings, documents, inspections, chat groups and the
    township's fixed duties (service-centre windows, grids; rows named by ``Mandatory``) of
    the cadres on duty at home, the crew positions
    ``crew.home_index`` (:class:`CrewPlan`); seconded cadres have none. A cadre's mandatory
    total is capped at ``clock.limit`` (regular hours plus the overtime cap), each category cut
    in proportion; an on-duty cadre starts service work after it, a seconded one after the
    borrowing unit's regular day. Fills ``windows`` (:class:`Windows`); the hours worked (after
    the cap) are added to each township's ``township.hours`` by category and to
    ``township.mandatory_hours`` (:class:`TownshipDay`).
    """
    crew, clock, windows = CrewPlan(*crew), Clock(*clock), Windows(*windows)
    township = TownshipDay(*township)
    unit, day_start, limit = crew.unit, clock.day_start, clock.limit
    for i in range(unit.shape[0]):
        windows.mandatory_total[i] = 0.0
        windows.start[i] = day_start + clock.regular
        windows.regular_end[i] = day_start + crew.regular_length[i]
        windows.overtime_end[i] = windows.regular_end[i] + crew.overtime_length[i]
    for j in range(crew.home_index.shape[0]):
        i, t = crew.home_index[j], unit[crew.home_index[j]]
        asked = 0.0
        for row in range(mandatory.shape[0]):  # in row order: the sum as before when 4 rows
            asked += mandatory[row, j]
        total = asked if asked < limit else limit
        scale = total / asked if asked > 0.0 else 0.0
        windows.mandatory_total[i] = total
        windows.start[i] = day_start + total
        township.mandatory_hours[t] += total
        for row in range(MANDATORY_CATEGORIES.shape[0]):
            township.hours[t, MANDATORY_CATEGORIES[row]] += mandatory[row, j] * scale


@kernel
def finish_day(shifts, regular, worked, book):
    """Book each cadre's working day: hours, overtime beyond ``regular``, per township sums.

    A seconded cadre's day (``shifts``, :class:`Shifts`) is the borrowing unit's regular day
    plus the home work done after it; ``worked`` is each cadre's service hours. Fills
    ``book.overtime`` (per cadre), adds to the townships' overtime and cadre-days and to the
    posts' hours this week (:class:`DayBook`).
    """
    shifts, book = Shifts(*shifts), DayBook(*book)
    township_overtime = book.township_overtime
    added = np.zeros(township_overtime.shape[0])
    for i in range(shifts.unit.shape[0]):
        day_hours = (shifts.mandatory_total[i] if shifts.home[i] else regular) + worked[i]
        extra = day_hours - regular
        book.overtime[i] = extra if extra > 0.0 else 0.0
        added[shifts.unit[i]] += book.overtime[i]
        book.township_cadre_days[shifts.unit[i]] += 1
        book.week_hours[shifts.slots[i]] += day_hours
    for t in range(township_overtime.shape[0]):
        township_overtime[t] += added[t]
