"""Erlang C: the mean wait of an M/M/c queue, the model's analytical check (DESIGN.md section 7)."""

from __future__ import annotations

import math


def erlang_c_probability(servers: int, offered_load: float) -> float:
    """Probability an arrival waits in an M/M/c queue with ``offered_load`` = lambda / mu."""
    rho = offered_load / servers
    if rho >= 1:
        return 1.0
    term = 1.0
    total = 1.0
    for k in range(1, servers):
        term *= offered_load / k
        total += term
    last = term * offered_load / servers / (1 - rho)
    return last / (total + last)


def erlang_c_wait(servers: int, arrival_rate: float, mean_service: float) -> float:
    """Mean time in queue (same unit as ``mean_service``) of an M/M/c queue."""
    load = arrival_rate * mean_service
    if load >= servers:
        return math.inf
    return erlang_c_probability(servers, load) * mean_service / (servers - load)
