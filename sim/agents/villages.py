"""Villages and communities (行政村/社区): latent needs, and the proactive work that finds them.

The reforms in the seeds promise residents more service: cadres visit every household (seeds 000,
002), spend more time "in the fields and on the production line" (003), and village committees
freed of plaques and ledgers serve residents more (002). This module gives those hours somewhere
to go (DESIGN.md section 3, "Latent needs and proactive work"):

- **Latent needs arise** in each village (households to visit, problems not yet reported), a
  Poisson number a day in proportion to its population, each in one household. All needs of a
  run are drawn up front from the ``villages`` stream, so every policy meets the same needs.
- **Proactive work finds them.** On a working day, the hours available for village work are the
  village's own (its committee's hours less the plaques' ledgers, plus resident cadres 驻村 and
  county work teams, :mod:`sim.policies.residence`, :mod:`sim.policies.work_teams`,
  :mod:`sim.policies.plaques`) and a share of the township's idle regular hours (after
  mandatory work and the queue, :meth:`~sim.agents.township.Townships.idle_regular_hours`, less
  the township's part of the plaques), with the hours of the township's own cadres rotated to
  its villages (:mod:`sim.policies.residence`), split among its villages by households. Visits
  go door to door in turn (走访); a visit costs its hours plus a share of the round trip. A
  latent need in a household visited is found early: it enters the township's queue as a small
  request.
- **A need left too long** (``latent_need_report_days``) is reported by the household: an
  ordinary request, or with ``latent_escalation_share`` an escalation (hotline 12345, a complaint
  upward), which enters the queue as a complex request with more hours.

Every need is in one state at a time (latent, found, reported, escalated), so needs arisen =
latent + found + reported + escalated; measures (:mod:`sim.measures.villages`) derive from these
arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.kernels.columns import Need
from sim.kernels.villages import Needs, Sorted, Visits, sort_needs
from sim.streams import lognormal
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY, Kind

#: Working days a week (weekly burdens are charged a fifth each working day).
WORKING_DAYS_PER_WEEK = 5.0


class Villages:
    """The county's villages: their households, latent needs and visits, and the verbs of a day.

    Args:
        township: Township index of each village.
        population: Residents of each village.
        distance_km: Distance of each village to its township seat.
        townships: Number of townships.
        days: Calendar days of the run (needs are drawn for all of them).
        rng: The ``villages`` stream.
        household_size: Residents per household.
        needs_per_1000_day: Latent needs arising per 1000 residents a day (0: none).
        report_days: Days a latent need stays unnoticed before it is reported.
        escalation_share: Share of reported needs that escalate.
        effort_mean_hours: Mean effort of an ordinary request (lognormal).
        effort_sigma: Log-scale sigma of that effort.
        found_effort_multiplier: Effort of a need found early, against an ordinary request.
        escalation_effort_multiplier: Effort of an escalated need, against an ordinary request.
        deadline_general_days: Working days to resolve an ordinary request.
        deadline_complex_days: Working days to resolve an escalated (complex) one.
        proactive_share: Share of a township's idle regular hours given to proactive work.
        visit_hours: Hours of one household visit, without travel.
        visits_per_trip: Households visited on one round trip to a village.
        travel_speed_kmh: Speed of travel to a village.
        village_hours_per_day: Hours a working day each village's own hands give to village
            work before its plaques (committee, resident cadres, work teams).
        village_burden_per_day: Committee hours a working day each village's plaques cost.
        township_burden_per_day: Township hours a working day each village's plaques cost.
        day_start_hour: When the working day starts.
        regular_hours: Length of the regular working day.
        rotation: The township cadres rotated to the villages (``township_hours_today``:
            their hours of village work today, per township); None: no rotation.
    """

    def __init__(self, *, township, population, distance_km, townships: int, days: int, rng,
                 household_size: float, needs_per_1000_day: float, report_days: float,
                 escalation_share: float, effort_mean_hours: float, effort_sigma: float,
                 found_effort_multiplier: float, escalation_effort_multiplier: float,
                 deadline_general_days: float, deadline_complex_days: float,
                 proactive_share: float, visit_hours: float, visits_per_trip: float,
                 travel_speed_kmh: float, village_hours_per_day, village_burden_per_day,
                 township_burden_per_day, day_start_hour: float, regular_hours: float,
                 rotation=None):
        """Lay out the villages and draw every latent need of the run."""
        self.township = np.asarray(township, dtype=np.int64)
        self.population = np.asarray(population, dtype=np.int64)
        self.distance_km = np.asarray(distance_km, dtype=float)
        n = len(self.township)
        self.n_townships = townships
        self.households = np.maximum(np.round(self.population / household_size), 1).astype(
            np.int64)
        self.report_days = report_days
        self.proactive_share = proactive_share
        self.found_effort_multiplier = found_effort_multiplier
        self.escalation_effort_multiplier = escalation_effort_multiplier
        self.deadline_general_hours = deadline_general_days * CALENDAR_HOURS_PER_WORKING_DAY
        self.deadline_complex_hours = deadline_complex_days * CALENDAR_HOURS_PER_WORKING_DAY
        self.day_start_hour, self.regular_hours = day_start_hour, regular_hours
        self.rotation = rotation if rotation is not None and rotation.rotating else None
        #: Hours of one visit in each village: the visit and its share of the round trip.
        self.visit_cost = visit_hours + 2.0 * self.distance_km / travel_speed_kmh / visits_per_trip
        self.village_hours_per_day = np.broadcast_to(
            np.asarray(village_hours_per_day, dtype=float), (n,)).copy()
        self.village_burden_per_day = np.broadcast_to(
            np.asarray(village_burden_per_day, dtype=float), (n,)).copy()
        self.township_burden_per_day = np.bincount(
            self.township, np.broadcast_to(np.asarray(township_burden_per_day, dtype=float),
                                           (n,)), minlength=townships)
        # Each township's households, to split its proactive hours among its villages.
        in_township = np.bincount(self.township, self.households, minlength=townships)
        self.household_weight = self.households / np.maximum(in_township[self.township], 1)

        # Every latent need of the run, drawn up front (the same needs under every policy).
        rates = needs_per_1000_day * self.population / 1000.0
        counts = rng.poisson(np.broadcast_to(rates, (days, n))) if n else np.zeros((days, 0),
                                                                                     dtype=int)
        day_of, village_of = np.nonzero(counts)
        repeat = counts[day_of, village_of]
        self.need_day = np.repeat(day_of, repeat).astype(np.int64)  # sorted by day
        self.need_village = np.repeat(village_of, repeat).astype(np.int64)
        m = len(self.need_day)
        self.need_household = (rng.random(m) * self.households[self.need_village]).astype(np.int64)
        self.need_effort = (lognormal(rng, effort_mean_hours, effort_sigma, m) if m
                            else np.zeros(0))
        self.need_escalates = rng.random(m) < escalation_share
        self.need_state = np.full(m, Need.LATENT, dtype=np.int8)
        self.need_end_day = np.full(m, -1, dtype=np.int64)  # when found or reported
        self.need_item = np.full(m, -1, dtype=np.int64)  # its request in the item table
        self.arisen = 0  # needs 0..arisen-1 have arisen
        self.first_latent = 0  # no need before it is latent

        # Visits and hours, cumulative (the measures read them).
        self.visits = np.zeros(n, dtype=np.int64)  # households visited so far, door to door
        self.visits_by_day = np.zeros((days, n), dtype=np.int32)  # visits made each day
        self.credit = np.zeros(n)  # part of a visit paid for, carried to the next day
        self.proactive_hours = np.zeros(townships)  # township cadres' hours on village work
        self.township_burden_hours = np.zeros(townships)  # township hours on village plaques
        self.village_hours = np.zeros(n)  # village hands' hours on visits
        self.village_burden_hours = np.zeros(n)  # committee hours on plaques and ledgers
        self.rotation_hours = np.zeros(townships)  # rotated township cadres' hours on visits
        self._no_visits = np.zeros(n, dtype=np.int64)

    @classmethod
    def of_model(cls, model) -> Villages:
        """The villages of ``model``'s county, with the levers' hands and burdens.

        No need arises when ``latent_needs_per_1000_people_day`` is 0 or the run is a pure queue.
        """
        from sim.county import village_layout

        s = model.scenario
        layout = village_layout(model.layout, s, model.streams["villages"])
        reforms = model.reforms
        plaques = reforms["plaques"]
        hands = (s.village_committee_members * s.committee_hours_per_day
                 + reforms["residence"].hours_per_village_day
                 + reforms["work_teams"].hours_per_village_day)
        on = s.latent_needs_per_1000_people_day > 0 and not s.pure_queue
        return cls(township=layout.township, population=layout.population,
                   distance_km=layout.distance_km, townships=len(model.townships),
                   days=model.days, rng=model.streams["villages"],
                   household_size=s.household_size,
                   needs_per_1000_day=s.latent_needs_per_1000_people_day if on else 0.0,
                   report_days=s.latent_need_report_days,
                   escalation_share=s.latent_escalation_share,
                   effort_mean_hours=s.request_effort_mean_hours,
                   effort_sigma=s.request_effort_sigma,
                   found_effort_multiplier=s.found_effort_multiplier,
                   escalation_effort_multiplier=s.escalation_effort_multiplier,
                   deadline_general_days=s.deadline_general_days,
                   deadline_complex_days=s.deadline_complex_days,
                   proactive_share=(s.proactive_idle_share if s.proactive_rule == "idle_share"
                                    else 0.0),
                   visit_hours=s.visit_hours, visits_per_trip=s.visits_per_trip,
                   travel_speed_kmh=s.travel_speed_kmh,
                   village_hours_per_day=hands if on else 0.0,
                   village_burden_per_day=plaques.committee_hours_per_village_day if on else 0.0,
                   township_burden_per_day=plaques.township_hours_per_village_day if on else 0.0,
                   day_start_hour=s.day_start_hour, regular_hours=s.regular_hours_per_day,
                   rotation=reforms["residence"])

    def __len__(self) -> int:
        """Number of villages."""
        return len(self.township)

    @property
    def active(self) -> bool:
        """Whether any latent need arises in the run (else the villages do nothing)."""
        return len(self.need_day) > 0

    # -- the day -----------------------------------------------------------------------------

    def work_day(self, day: int, *, idle_hours: Callable[[], np.ndarray], working: bool,
                 table) -> np.ndarray:
        """The villages' day: needs arise, visits on a working day, old needs reported.

        Args:
            day: The calendar day.
            idle_hours: Gives, per township, the regular hours its cadres left unworked today
                (asked only when there are visits to make).
            working: Whether today is a working day (visits only then).
            table: The run's item table; found, reported and escalated needs become rows.

        Returns:
            The ids of the requests created today, for the townships' queues (next working day).
        """
        if not self.active:
            return np.zeros(0, dtype=np.int64)
        self.arise(day)
        made = self.visit(day, idle_hours()) if working else self._no_visits
        found, reported, escalated = self.sort_needs(day, made)
        return self._to_requests(day, table, found=found, reported=reported,
                                 escalated=escalated)

    def arise(self, day: int) -> int:
        """Needs due by ``day`` become latent; returns how many arose today."""
        before = self.arisen
        self.arisen = int(np.searchsorted(self.need_day, day, side="right"))
        return self.arisen - before

    def visit(self, day: int, idle_hours: np.ndarray) -> np.ndarray:
        """A working day's visits, door to door in each village; returns each village's count.

        The township's proactive hours are ``proactive_share`` of its idle hours less its part
        of the plaques, plus its rotated cadres' hours; the village's own hands first keep its
        plaques' ledgers. Each village's hours buy whole visits (a part visit is carried to the
        next day). The round goes on from the household after yesterday's last.
        """
        spare = np.maximum(np.asarray(idle_hours, dtype=float) - self.township_burden_per_day,
                           0.0)
        self.township_burden_hours += np.minimum(idle_hours, self.township_burden_per_day)
        township_hours = self.proactive_share * spare
        self.proactive_hours += township_hours
        own = np.maximum(self.village_hours_per_day - self.village_burden_per_day, 0.0)
        self.village_burden_hours += np.minimum(self.village_hours_per_day,
                                                self.village_burden_per_day)
        self.village_hours += own
        if self.rotation is not None:  # the township's own cadres living in its villages
            rotated = self.rotation.township_hours_today
            self.rotation_hours += rotated
            township_hours = township_hours + rotated
        hours = own + township_hours[self.township] * self.household_weight
        self.credit += hours / self.visit_cost
        made = np.floor(self.credit).astype(np.int64)
        self.credit -= made
        self.visits += made
        self.visits_by_day[day] = made
        return made

    def sort_needs(self, day: int, made: np.ndarray) -> tuple[np.ndarray, ...]:
        """Needs latent now that today's visits find, or that are reported (or escalated).

        ``made``: each village's visits today (from :meth:`visit`; all 0 on a day off). A need
        in a household visited is found; one latent for ``report_days`` is reported, or
        escalated (``need_escalates``). Returns the ids (found, reported, escalated), each in
        id order.
        """
        size = self.arisen - self.first_latent
        out = Sorted(found=np.empty(size, dtype=np.int64),
                     reported=np.empty(size, dtype=np.int64),
                     escalated=np.empty(size, dtype=np.int64))
        self.first_latent, n_found, n_reported, n_escalated = sort_needs(
            day, float(self.report_days),
            Needs(day=self.need_day, village=self.need_village, household=self.need_household,
                  escalates=self.need_escalates, state=self.need_state,
                  end_day=self.need_end_day),
            (self.first_latent, self.arisen),
            # Today's round began at the household after yesterday's last.
            Visits(first=(self.visits - made) % self.households, made=made,
                   households=self.households), out)
        return out.found[:n_found], out.reported[:n_reported], out.escalated[:n_escalated]

    def _to_requests(self, day: int, table, *, found: np.ndarray, reported: np.ndarray,
                     escalated: np.ndarray) -> np.ndarray:
        """Requests in the item table for the needs found, reported and escalated; their ids.

        Found needs arrive at the end of the working day, reported ones in the morning; the
        rows are added in that order (found, reported, escalated) in one pass.
        """
        n = len(found) + len(reported) + len(escalated)
        if not n:
            return np.zeros(0, dtype=np.int64)
        start = day * 24.0 + self.day_start_hour
        effort = self.need_effort
        needs = np.concatenate([found, reported, escalated])
        kind = np.full(n, int(Kind.REQUEST), dtype=np.int64)
        arrival = np.full(n, start)
        deadline = np.full(n, start + self.deadline_general_hours)
        parts = np.cumsum([len(found), len(reported)])
        arrival[: parts[0]] = start + self.regular_hours
        deadline[: parts[0]] = start + self.regular_hours + self.deadline_general_hours
        kind[parts[1]:] = int(Kind.COMPLEX)
        deadline[parts[1]:] = start + self.deadline_complex_hours
        first = table.add(n, kind=kind, township=self.township[self.need_village[needs]],
                          arrival=arrival, deadline=deadline,
                          effort=np.concatenate([
                              effort[found] * self.found_effort_multiplier, effort[reported],
                              effort[escalated] * self.escalation_effort_multiplier]))
        ids = np.arange(first, first + n, dtype=np.int64)
        self.need_item[needs] = ids
        return ids
