"""The townships' working day, compiled with Numba: serving the queues, booking, records.

This is the model's hot path (DESIGN.md section 4, step 2): the township's cadres serve its
queue as parallel servers. Events are cadres becoming free and items arriving, taken in time
order. A free cadre takes the most urgent waiting item (emergency, then nearest deadline, then
first come, then lowest id; or plain FIFO), works it without interruption until it is done or the
cadre's window (regular hours plus capped overtime) ends, and an unfinished item is carried to
the cadre's next working day. A free cadre with nothing waiting goes idle until the next arrival
or the end of regular hours: work arriving during overtime waits for the next day.

Work items live here as rows of the model's ``ItemTable`` (``sim/work.py``), identified by id;
each township's queue is a binary heap of ids in a NumPy array. The loop does no Python work:
it returns the items it finished, in the order it finished them, and :func:`book_finished`
then books them (resolution, or hand-over to the departments) in that same order, so the
results are exactly those of the plain-Python loop this replaced. :func:`record_townships`
writes each township's end-of-day row of the daily records.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.policies.coordination import TOWNSHIP_PART
from sim.work import CROSS_DEPARTMENT, RESOLVED, REWORK, WITH_DEPARTMENTS


@numba.njit(cache=True, inline="always")
def _before(a, b, fifo, priority, deadline, arrival):
    """Whether item ``a`` is served before item ``b``."""
    if not fifo:
        if priority[a] != priority[b]:
            return priority[a] < priority[b]
        if deadline[a] != deadline[b]:
            return deadline[a] < deadline[b]
    if arrival[a] != arrival[b]:
        return arrival[a] < arrival[b]
    return a < b


@numba.njit(cache=True)
def push(heap, size, item, fifo, priority, deadline, arrival):
    """Add ``item`` to the heap of ``size`` ids (capacity is the caller's); return the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if not _before(item, heap[parent], fifo, priority, deadline, arrival):
            break
        heap[i] = heap[parent]
        i = parent
    heap[i] = item
    return size + 1


@numba.njit(cache=True)
def _pop(heap, size, fifo, priority, deadline, arrival):
    """Remove the first item from a non-empty heap; the caller decrements ``size``."""
    top = heap[0]
    size -= 1
    last = heap[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and _before(heap[child + 1], heap[child], fifo, priority, deadline,
                                        arrival):
            child += 1
        if not _before(heap[child], last, fifo, priority, deadline, arrival):
            break
        heap[i] = heap[child]
        i = child
    if size > 0:
        heap[i] = last
    return top


@numba.njit(cache=True, inline="always")
def _free_before(t_a, i_a, t_b, i_b):
    return t_a < t_b or (t_a == t_b and i_a < i_b)


@numba.njit(cache=True)
def serve_day(heap, size, fifo, arrivals, in_hand, start, regular_end, overtime_end,
              productivity, table_priority, table_deadline, table_arrival, table_kind,
              table_remaining, table_start, category_of_kind, hours, worked, carry_out,
              finished, finished_time):
    """Serve one township's queue for one working day.

    Args:
        heap: The township's queue, a heap of item ids with room for every arrival of the day.
        size: Items in the queue.
        fifo: Serve first come first served.
        arrivals: Ids of today's arrivals in time order.
        in_hand: Per cadre, the id of the item carried from the last working day, or -1.
        start: Per cadre, when today's service work can start (after mandatory work).
        regular_end: Per cadre, end of regular hours (no new work is picked up after it
            unless items are already waiting).
        overtime_end: Per cadre, end of the working window (regular hours plus overtime cap).
        productivity: Per cadre, effort-hours done per hour worked.
        table_priority: Item table column ``priority``.
        table_deadline: Item table column ``deadline``.
        table_arrival: Item table column ``arrival``.
        table_kind: Item table column ``kind``.
        table_remaining: Item table column ``remaining`` (updated).
        table_start: Item table column ``start`` (set when work first starts).
        category_of_kind: Hours category of each work kind.
        hours: Hours by category for the township today (added to).
        worked: Output, hours each cadre served today.
        carry_out: Output, per cadre the id of the item carried to the next day, or -1.
        finished: Output, ids of the items finished, in order.
        finished_time: Output, when each was finished.

    Returns:
        The queue's new size and the number of finished items.
    """
    n = start.shape[0]
    free_t = np.empty(n)
    free_i = np.empty(n, dtype=np.int64)
    n_free = 0
    holding = 0
    for i in range(n):
        worked[i] = 0.0
        carry_out[i] = -1
        item = in_hand[i]
        # A cadre whose half-done item outlasts today's window just works on it all day.
        if item >= 0 and start[i] + table_remaining[item] / productivity[i] > overtime_end[i]:
            done = overtime_end[i] - start[i] if overtime_end[i] > start[i] else 0.0
            worked[i] = done
            hours[category_of_kind[table_kind[item]]] += done
            table_remaining[item] -= done * productivity[i]
            carry_out[i] = item
            in_hand[i] = -1
        else:
            if item >= 0:
                holding += 1
            # insertion keeps (time, cadre) sorted, which is a valid heap
            j = n_free
            while j > 0 and _free_before(start[i], i, free_t[j - 1], free_i[j - 1]):
                free_t[j] = free_t[j - 1]
                free_i[j] = free_i[j - 1]
                j -= 1
            free_t[j] = start[i]
            free_i[j] = i
            n_free += 1
    idle = np.empty(n, dtype=np.int64)
    n_idle = 0
    n_finished = 0
    n_arrivals = arrivals.shape[0]
    a = 0
    next_arrival = table_arrival[arrivals[0]] if n_arrivals else math.inf
    while True:
        if holding == 0 and size == 0 and next_arrival == math.inf:
            break  # nothing left to do today: the remaining cadres would only go idle
        next_free = free_t[0] if n_free else math.inf
        if next_arrival <= next_free:
            if next_arrival == math.inf:
                break
            size = push(heap, size, arrivals[a], fifo, table_priority, table_deadline,
                        table_arrival)
            a += 1
            t = next_arrival
            next_arrival = table_arrival[arrivals[a]] if a < n_arrivals else math.inf
            i = -1
            while n_idle:
                n_idle -= 1
                i = idle[n_idle]
                if regular_end[i] > t:
                    break
                i = -1
            if i < 0:
                continue
            item = _pop(heap, size, fifo, table_priority, table_deadline, table_arrival)
            size -= 1
        else:
            # pop the earliest free cadre
            t = free_t[0]
            i = free_i[0]
            n_free -= 1
            last_t, last_i = free_t[n_free], free_i[n_free]
            k = 0
            while True:
                child = 2 * k + 1
                if child >= n_free:
                    break
                if child + 1 < n_free and _free_before(free_t[child + 1], free_i[child + 1],
                                                       free_t[child], free_i[child]):
                    child += 1
                if not _free_before(free_t[child], free_i[child], last_t, last_i):
                    break
                free_t[k] = free_t[child]
                free_i[k] = free_i[child]
                k = child
            if n_free > 0:
                free_t[k] = last_t
                free_i[k] = last_i
            item = in_hand[i]
            if item < 0:
                if size == 0:
                    if t < regular_end[i]:
                        idle[n_idle] = i
                        n_idle += 1
                    continue
                if t >= overtime_end[i]:
                    continue
                item = _pop(heap, size, fifo, table_priority, table_deadline, table_arrival)
                size -= 1
            else:
                in_hand[i] = -1
                holding -= 1
        if math.isnan(table_start[item]):  # first time anyone works on it
            table_start[item] = t
        need = table_remaining[item] / productivity[i]
        end = overtime_end[i]
        if t + need <= end:
            worked[i] += need
            hours[category_of_kind[table_kind[item]]] += need
            table_remaining[item] = 0.0
            finished[n_finished] = item
            finished_time[n_finished] = t + need
            n_finished += 1
            # push the cadre back as free at t + need
            j = n_free
            n_free += 1
            while j > 0:
                parent = (j - 1) >> 1
                if not _free_before(t + need, i, free_t[parent], free_i[parent]):
                    break
                free_t[j] = free_t[parent]
                free_i[j] = free_i[parent]
                j = parent
            free_t[j] = t + need
            free_i[j] = i
        else:
            done = end - t if end > t else 0.0
            worked[i] += done
            hours[category_of_kind[table_kind[item]]] += done
            table_remaining[item] -= done * productivity[i]
            carry_out[i] = item
    return size, n_finished


@numba.njit(cache=True)
def push_all(queues, queue_size, fifo, items, township, priority, deadline, arrival):
    """Put ``items`` in their townships' queues (a day off, or items put back)."""
    for k in range(items.shape[0]):
        t = township[k]
        queue_size[t] = push(queues[t], queue_size[t], items[k], fifo[t], priority, deadline,
                             arrival)


@numba.njit(cache=True)
def serve_county(queues, queue_size, fifo, arrivals, arrival_bounds, crew_slots, crew_bounds,
                 carry, roster_unit, start, regular_end, overtime_end, productivity,
                 table_township, table_priority, table_deadline, table_arrival, table_kind,
                 table_remaining, table_start, category_of_kind, hours, worked, finished,
                 finished_time):
    """Run :func:`serve_day` for every township of the county, in township order.

    ``queues`` holds one heap per township (row), with room for today's arrivals and every
    carried item; ``arrivals`` and the per-cadre arrays are county-wide, cut by
    ``arrival_bounds`` and ``crew_bounds``; ``hours`` has one row per township. ``carry``
    holds, per post, the half-done item its holder carries from the last working day (or -1):
    items of posts not at their township's work today (the holder left, was seconded, or the
    post moved) go back to their township's queue first, in post order; the others are taken
    up again, and ``carry`` is updated for the next day. Finished items are listed township by
    township. Returns their number.
    """
    crew = np.zeros(carry.shape[0], dtype=np.bool_)
    for i in range(crew_slots.shape[0]):
        crew[crew_slots[i]] = True
    for slot in range(carry.shape[0]):
        item = carry[slot]
        if item >= 0 and (not crew[slot] or roster_unit[slot] != table_township[item]):
            t = table_township[item]
            queue_size[t] = push(queues[t], queue_size[t], item, fifo[t], table_priority,
                                 table_deadline, table_arrival)
            carry[slot] = -1
    n_crew = crew_slots.shape[0]
    in_hand = np.empty(n_crew, dtype=np.int64)
    carry_out = np.empty(n_crew, dtype=np.int64)
    for i in range(n_crew):
        in_hand[i] = carry[crew_slots[i]]
        carry[crew_slots[i]] = -1
    n_finished = 0
    for t in range(queues.shape[0]):
        a0, a1 = arrival_bounds[t], arrival_bounds[t + 1]
        c0, c1 = crew_bounds[t], crew_bounds[t + 1]
        size, n = serve_day(
            queues[t], queue_size[t], fifo[t], arrivals[a0:a1], in_hand[c0:c1], start[c0:c1],
            regular_end[c0:c1], overtime_end[c0:c1], productivity[c0:c1], table_priority,
            table_deadline, table_arrival, table_kind, table_remaining, table_start,
            category_of_kind, hours[t], worked[c0:c1], carry_out[c0:c1],
            finished[n_finished:], finished_time[n_finished:])
        queue_size[t] = size
        n_finished += n
    for i in range(n_crew):
        if carry_out[i] >= 0:
            carry[crew_slots[i]] = carry_out[i]
    return n_finished


@numba.njit(cache=True)
def book_finished(ids, time, table_kind, table_status, table_done, table_finish, table_remaining,
                  table_arrival, table_case, table_department, resolution, handed_case,
                  handed_k, handed_time):
    """Book the items the townships finished today, in the order they finished.

    A plain item is resolved (a citizen request's resolution time is listed in
    ``resolution``). A cross-department request whose township part is done goes to the
    departments, and a re-handling of a bounced case is done and sends the case back to the
    department ``k`` that bounced it: both are listed as hand-overs (case, ``k``, time), with
    ``k`` = ``TOWNSHIP_PART`` when the township's own part is done. Returns the numbers of
    resolutions and hand-overs listed.
    """
    n_resolved = 0
    n_handed = 0
    for j in range(ids.shape[0]):
        i, t = ids[j], time[j]
        table_done[i] = t
        kind = table_kind[i]
        if kind == CROSS_DEPARTMENT or kind == REWORK:
            handed_case[n_handed] = table_case[i]
            handed_time[n_handed] = t
            if kind == CROSS_DEPARTMENT:
                table_status[i] = WITH_DEPARTMENTS
                handed_k[n_handed] = TOWNSHIP_PART
            else:
                table_status[i] = RESOLVED
                table_finish[i] = t
                table_remaining[i] = 0.0
                handed_k[n_handed] = table_department[i]
            n_handed += 1
        else:
            table_status[i] = RESOLVED
            table_finish[i] = t
            if kind <= CROSS_DEPARTMENT:
                resolution[n_resolved] = t - table_arrival[i]
                n_resolved += 1
    return n_resolved, n_handed


@numba.njit(cache=True)
def record_townships(record, queue_size, carry, incoming, item_township, unit, occupied,
                     seconded_to, demand, capacity, overtime, hours):
    """Write the townships' end-of-day row of the daily records (``TOWNSHIP_COLUMNS``).

    ``record`` is today's block (one row per township, ``day`` and ``township`` already set).
    The backlog counts items waiting, half done (``carry``, per post) and re-handlings that
    arrived after the day's work (``incoming``); posts are counted on duty, seconded away or
    vacant. Returns the county's backlog, secondments, township vacancies and township posts.
    """
    n = record.shape[0]
    for t in range(n):
        record[t, 2] = queue_size[t]
        for column in range(5, 9):
            record[t, column] = 0.0
    for slot in range(carry.shape[0]):
        if carry[slot] >= 0:
            record[item_township[carry[slot]], 2] += 1.0
    for j in range(incoming.shape[0]):
        record[item_township[incoming[j]], 2] += 1.0
    seconded = vacancies = posts = 0
    for slot in range(unit.shape[0]):
        away = seconded_to[slot] >= 0
        seconded += away
        t = unit[slot]
        if t >= n:
            continue
        state = 2 if not occupied[slot] else (1 if away else 0)  # on duty, seconded, vacant
        record[t, 5 + state] += 1.0
        record[t, 8] += 1.0
        vacancies += state == 2
        posts += 1
    backlog = 0
    for t in range(n):
        backlog += int(record[t, 2])
        record[t, 3] = demand[t]
        record[t, 4] = capacity[t]
        record[t, 9] = overtime[t]
        for c in range(hours.shape[1]):
            record[t, 10 + c] = hours[t, c]
    return backlog, seconded, vacancies, posts


@numba.njit(cache=True)
def plan_windows(mandatory, home_index, unit, regular_length, overtime_length, day_start,
                 regular, limit, categories, hours, start, regular_end, overtime_end,
                 mandatory_total, mandatory_hours):
    """Each cadre's working window for the day, after the mandatory work.

    ``mandatory`` holds the hours of meetings, documents, inspections and chat groups (rows, in
    the order of ``categories``) of the cadres on duty at home, the crew positions
    ``home_index``; seconded cadres have none. A cadre's mandatory total is capped at
    ``limit`` (regular hours plus the overtime cap), each category cut in proportion; an
    on-duty cadre starts service work after it, a seconded one after the borrowing unit's
    regular day. The hours worked (after the cap) are added to each township's ``hours`` by
    category and to ``mandatory_hours``.
    """
    for i in range(unit.shape[0]):
        mandatory_total[i] = 0.0
        start[i] = day_start + regular
        regular_end[i] = day_start + regular_length[i]
        overtime_end[i] = regular_end[i] + overtime_length[i]
    for j in range(home_index.shape[0]):
        i, t = home_index[j], unit[home_index[j]]
        asked = mandatory[0, j] + mandatory[1, j] + mandatory[2, j] + mandatory[3, j]
        total = asked if asked < limit else limit
        scale = total / asked if asked > 0.0 else 0.0
        mandatory_total[i] = total
        start[i] = day_start + total
        mandatory_hours[t] += total
        for c in range(4):
            hours[t, categories[c]] += mandatory[c, j] * scale


@numba.njit(cache=True)
def finish_day(home, mandatory_total, regular, worked, unit, slots, overtime,
               township_overtime, township_cadre_days, week_hours):
    """Book each cadre's working day: hours, overtime beyond ``regular``, per township sums.

    A seconded cadre's day is the borrowing unit's regular day plus the home work done after
    it. Fills ``overtime`` (per cadre), adds to the townships' overtime and cadre-days and to
    the cadres' hours this week.
    """
    added = np.zeros(township_overtime.shape[0])
    for i in range(unit.shape[0]):
        day_hours = (mandatory_total[i] if home[i] else regular) + worked[i]
        extra = day_hours - regular
        overtime[i] = extra if extra > 0.0 else 0.0
        added[unit[i]] += overtime[i]
        township_cadre_days[unit[i]] += 1
        week_hours[slots[i]] += day_hours
    for t in range(township_overtime.shape[0]):
        township_overtime[t] += added[t]
