"""Fuzzing the command line from the config declarations: bad input refused, good input runs.

Every case is generated from the one declaration of each field (:mod:`sim.config`), so a field
added later is fuzzed without anyone writing a case for it:

- :func:`malformed_cases`: for every field, values outside its declared range (NaN, inf, below
  the low end, above the high end, huge, of the wrong type, an unknown choice, an over-long
  name), then broken relations, unknown keys added with ``+``, bad sweeps. Each must be refused
  by :func:`sim.runners.cli.precheck` with one line that starts with the key (or the sweep's
  key) and names the value.
- :func:`sample_valid`: a config drawn from the declared valid ranges (sizes kept small so that a
  run takes a second), repaired where relations tie fields together. Each must run, and
  :func:`check_run` then checks that work items and posts are conserved, that the summary has
  every key and no NaN, and that every null says why.

The tests (``tests/analysis/test_fuzz.py``) use these with Hypothesis;
``python -m sim.analysis.fuzz`` runs a large batch and writes its counts (``experiments/fuzz/``).
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from sim.config import Spec, field_types, iter_specs, valid_range
from sim.policies.pool import reserve_posts

#: Smaller ranges for the fields that set a run's size, so that every fuzzed run is quick; every
#: other field is drawn from its whole valid range.
SIZE_LIMITS: dict[str, tuple[float, float]] = {
    "days": (1, 30),
    "scenario.counties": (1, 1),
    "scenario.townships": (1, 3),
    "scenario.population_min": (0, 30_000),
    "scenario.population_max": (0, 30_000),
    "scenario.villages_per_township": (0, 5),
    "scenario.posts_per_township": (0, 40),
    "scenario.leaders_per_township": (0, 6),
    "scenario.departments": (0, 6),
    "scenario.posts_per_department": (0, 30),
    "scenario.department_min_posts": (0, 15),
    "scenario.initial_secondees_per_township": (0, 5),
    "scenario.requests_per_1000_people_day": (0.0, 2.0),
    "scenario.tasks_per_department_township_week": (0.0, 10.0),
    "scenario.emergencies_per_township_month": (0.0, 30.0),
    "scenario.max_departments_per_case": (1, 5),
    "scenario.max_bounces": (0, 8),
    "scenario.servers": (1, 6),
    "scenario.arrival_rate_per_hour": (0.0, 20.0),
    "scenario.secondees_per_project": (0, 3),
    "scenario.projects_per_department_year": (0.0, 10.0),
    "policy.posts.per_township": (0, 20),
    "policy.posts.total": (0, 100),
    "policy.posts.stages": (1, 4),
    "policy.posts.stage_interval_days": (0, 30),
    "policy.posts.min_posts_per_township": (0, 50),
    "policy.posts.min_admin_posts_per_township": (0, 20),
    "policy.pool.staff_in": (0, 20),
    "policy.pool.staff_out": (0, 20),
    "policy.pool.batches": (1, 4),
}
#: Fields a fuzzed run leaves alone (they change what is written, not what is simulated).
#: Output switches and block sizes a fuzzed run keeps at their defaults (names, texts and
#: paths, whose units say so, are never drawn: see :func:`fuzzed_keys`).
NOT_FUZZED = ("output.tables", "output.figures", "output.progress", "output.objective",
              "output.tasks", "output.export", "block.size", "block.first")
NOT_DRAWN_UNITS = ("name", "text", "path")
#: Pairs (low key, high key) that must be in order.
ORDERED = (("scenario.population_min", "scenario.population_max"),
           ("scenario.distance_km_min", "scenario.distance_km_max"),
           ("scenario.department_utilisation_min", "scenario.department_utilisation_max"),
           ("scenario.office_open_hour", "scenario.office_close_hour"))


def _fmt(value) -> str:
    if isinstance(value, float):
        return repr(value)
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


def bad_values(key: str, spec: Spec, kind: str) -> list[str]:
    """Override values (as typed on the command line) that the declaration of ``key`` forbids."""
    if spec.unit == "yes/no":
        return ["maybe", "2"]
    if spec.allowed() is not None:
        return ["no_such_choice", "'" + spec.allowed()[0] + " '"]
    if spec.pattern is not None:
        return ["x" * (spec.max_length + 1), "a/b", "'two words'"]
    if spec.max_length is not None:
        return ["'" + "x" * (spec.max_length + 1) + "'"]
    is_int = kind.startswith("int")
    low, high = valid_range(key)
    values = ["nan", "inf", "-inf", "abc"]
    if is_int:
        values += ["1.5", "1000000000000"]
    else:
        values += ["1e308", "-1e308"]
    if low is not None:
        values.append(_fmt(low) if spec.gt is not None else _fmt(low - 1))
    if high is not None:
        values += [_fmt(high) if spec.lt is not None else _fmt(high + 1),
                   _fmt(int(high * 1000 + 1) if is_int else high * 1000 + 1)]
    return list(dict.fromkeys(values))


def malformed_cases() -> list[tuple[str, list[str]]]:
    """(key that must be named, overrides) for every malformed input generated."""
    types = field_types()
    cases = [(key, [f"{key}={value}"]) for key, spec, _ in iter_specs()
             for value in bad_values(key, spec, types[key])]
    cases += [
        ("scenario.population_min", ["scenario.population_min=90000",
                                     "scenario.population_max=80000"]),
        ("scenario.distance_km_min", ["scenario.distance_km_min=70",
                                      "scenario.distance_km_max=60"]),
        ("scenario.department_utilisation_min", ["scenario.department_utilisation_min=0.9",
                                                 "scenario.department_utilisation_max=0.5"]),
        ("scenario.office_open_hour", ["scenario.office_open_hour=19",
                                       "scenario.office_close_hour=9"]),
        ("scenario.leaders_per_township", ["scenario.leaders_per_township=80"]),
        ("scenario.overtime_cap_hours_per_day", ["scenario.regular_hours_per_day=20",
                                                 "scenario.overtime_cap_hours_per_day=5"]),
        ("scenario.utility_share", ["scenario.complex_share=0.8", "scenario.utility_share=0.3"]),
        ("scenario.posts_per_township", ["scenario.townships=300",
                                         "scenario.posts_per_township=5000"]),
        ("scenario.counties", ["scenario.counties=5000", "scenario.townships=300"]),
        ("scenario.requests_per_1000_people_day", ["scenario.requests_per_1000_people_day=90",
                                                   "days=3650"]),
        ("scenario.arrival_rate_per_hour", ["scenario=mmc", "scenario.arrival_rate_per_hour=999",
                                            "days=3650"]),
        ("policy.posts.per_township", ["policy/posts=sink", "policy.posts.per_township=500"]),
        ("policy.posts.total", ["policy/posts=sink", "policy.posts.total=100000"]),
        ("policy.posts.min_admin_posts_per_township",
         ["policy/posts=qujing", "policy.posts.min_admin_posts_per_township=400"]),
        ("policy.posts.min_township_share", ["policy/posts=qujing",
                                             "policy.posts.min_township_share=0.9"]),
        ("policy.posts.min_posts_per_township", ["policy.posts.min_posts_per_township=3000"]),
        ("scenario.population_min", ["policy.posts.allocation=score",
                                     "policy.posts.population_exponent=-1",
                                     "scenario.population_min=0"]),
        ("scenario.typo", ["+scenario.typo=1"]),
        ("policy.posts._target_", ["+policy.posts._target_=os.system"]),
        ("output.extra", ["+output.extra=1"]),
        ("extra", ["+extra=1"]),
        ("scenario.townshps", ["scenario.townshps=3"]),
        ("scenario", ["scenario=atlantis"]),
        ("policy/posts", ["policy/posts=sinking"]),
        ("scenario.townships", ["scenario.townships=2,3"]),
        ("scenario.townships", ["-m", "scenario.townships=2,0"]),
        ("scenario.fill_rate", ["-m", "scenario.fill_rate=0.5,1.5", "seed=0,1"]),
        ("policy/secondment", ["-m", "policy/secondment=banned,never", "seed=range(0,3)"]),
        ("seed", ["-m", "seed=0,-1"]),
        ("days", ["-m", "days=10,0"]),
    ]
    return cases


def _draw(rng: np.random.Generator, key: str, spec: Spec, kind: str):
    if spec.unit == "yes/no":
        return bool(rng.random() < 0.5)
    if spec.allowed() is not None:
        return str(rng.choice(list(spec.allowed())))
    low, high = SIZE_LIMITS.get(key, valid_range(key))
    if kind.startswith("int"):
        if spec.nullable and rng.random() < 0.5:
            return None
        if rng.random() < 0.3:
            return int(rng.choice([low, high]))
        return int(rng.integers(int(low), int(high) + 1))
    if spec.nullable and rng.random() < 0.3:
        return None
    edge = rng.random()
    if edge < 0.15:  # the edges of the valid range, an open end just inside
        return float(low) if spec.gt is None or key in SIZE_LIMITS else float(low) + 1e-6
    if edge < 0.3:  # the high end, an open end just inside
        return float(high) if spec.lt is None or key in SIZE_LIMITS else float(high) - 1e-6
    return float(rng.uniform(low, high))


def repair(values: dict) -> dict:
    """Tie drawn values together as the relations between fields require (in place)."""
    for low, high in ORDERED:
        values[low], values[high] = sorted((values[low], values[high]))
    values["scenario.leaders_per_township"] = min(values["scenario.leaders_per_township"],
                                                  values["scenario.posts_per_township"])
    values["policy.reallocation.floor_posts"] = min(values["policy.reallocation.floor_posts"],
                                                    values["scenario.posts_per_township"])
    values["scenario.overtime_cap_hours_per_day"] = min(
        values["scenario.overtime_cap_hours_per_day"],
        24.0 - values["scenario.regular_hours_per_day"])
    values["scenario.utility_share"] = min(values["scenario.utility_share"],
                                           1.0 - values["scenario.complex_share"])
    if "output.warmup_days" in values and "days" in values:
        values["output.warmup_days"] = min(values["output.warmup_days"], values["days"] - 1)
    if values["policy.posts.population_exponent"] < 0:
        values["scenario.population_min"] = max(values["scenario.population_min"], 1)
        values["scenario.population_max"] = max(values["scenario.population_max"], 1)
    return values


def to_overrides(values: dict) -> list[str]:
    """Command-line overrides setting every drawn value (on the classroom scenario)."""
    return ["scenario=classroom", *(f"{k}={_fmt(v)}" for k, v in values.items())]


def fuzzed_keys() -> list[tuple[str, Spec, str]]:
    """(key, declaration, declared type) of every field a fuzzed config sets."""
    types = field_types()
    return [(key, spec, types[key]) for key, spec, _ in iter_specs()
            if key not in NOT_FUZZED and spec.unit not in NOT_DRAWN_UNITS]


def sample_valid(rng: np.random.Generator) -> list[str]:
    """Overrides of a config drawn from the declared ranges, relations repaired.

    The posts plan may still ask for more posts than the departments can release:
    :func:`repair_posts` zeroes the sinking when it does.
    """
    return to_overrides(repair({key: _draw(rng, key, spec, kind)
                                for key, spec, kind in fuzzed_keys()}))


def repair_posts(overrides: list[str]) -> list[str]:
    """The same overrides with the sinking of posts and its floors turned off."""
    off = {"policy.posts.per_township": "0", "policy.posts.total": "null",
           "policy.posts.min_posts_per_township": "0",
           "policy.posts.min_admin_posts_per_township": "0",
           "policy.posts.min_township_share": "0.0"}
    return [o if o.split("=", 1)[0] not in off else f"{o.split('=', 1)[0]}={off[o.split('=')[0]]}"
            for o in overrides]


def _bad_numbers(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _bad_numbers(item, f"{path}{key}.")
    elif isinstance(value, float) and not math.isfinite(value):
        yield path.rstrip(".")


def expected_posts(cfg) -> int:
    """Posts the county must hold throughout, counted from the config alone."""
    s = cfg.scenario
    if s.pure_queue:
        return s.townships * s.servers
    return s.townships * s.posts_per_township + s.departments * s.posts_per_department


def check_run(cfg) -> tuple[dict, list[str]]:
    """Build and run ``cfg``; return its summary and every broken promise found.

    Checks: each scheduled arrival became exactly one work item, and every item is resolved,
    open, with departments or returned (never lost); re-handlings belong to a case; the posts
    equal the config's count every day; the summary has no NaN or inf, and each null has a
    reason in ``not_computed``.
    """
    from sim.agents.villages import Need
    from sim.api import build_model
    from sim.measures.metrics import task_table
    from sim.runners.outputs import finished_summary
    from sim.work import STATUSES

    model = build_model(cfg)
    model.run()
    tasks = task_table(model)
    summary = finished_summary(model, tasks, 0.0)
    problems = []
    scheduled = len(model.demand)  # the demand drawn before the run
    # Latent needs that were found, reported or escalated each became one request.
    needs = int((model.villages.need_state != Need.LATENT).sum()) if len(model.villages) else 0
    first_hand = int((tasks["kind"] != "rework").sum())
    if first_hand != scheduled + needs:
        problems.append(f"items: {scheduled} arrivals scheduled and {needs} latent needs came "
                        f"to light, but {first_hand} items made")
    if tasks["status"].isna().any() or not set(tasks["status"].astype(str)) <= set(STATUSES):
        problems.append("items: a status outside " + ", ".join(STATUSES))
    resolved = tasks["status"] == "resolved"
    if tasks.loc[resolved, "finish"].isna().any():
        problems.append("items: a resolved item without a finish time")
    plan = model.reforms["posts"].plan
    asked = cfg.policy.posts.total
    asked = cfg.policy.posts.per_township * len(model.townships) if asked is None else asked
    if (plan.moves < 0).any() or plan.total < asked:
        problems.append(f"posts: the plan moves {plan.total} posts, {asked} were asked for")
    posts = expected_posts(cfg)
    # The province pool: a receiving county's ledger also holds the posts that arrive in its
    # batches (outside its units until then); posts that came or left are the summary's own.
    reserve = 0 if cfg.scenario.pure_queue else reserve_posts(cfg.policy.pool)
    in_county = posts + summary.get("pool_posts_in", 0) - summary.get("pool_posts_out", 0)
    if len(model.roster) != posts + reserve or summary["posts_total"] != in_county:
        problems.append(f"posts: {len(model.roster)} in the roster ({summary['posts_total']} in "
                        f"the county), {posts} in the config and {reserve} in the pool")
    daily = model.datacollector.get_model_vars_dataframe()
    # On each day: the config's posts, plus those that arrived from other counties and minus
    # those that left, up to that day (the pool's batches; row d of the table is day d).
    moves = model.reforms["pool"].moves
    pool_unit = model.reforms["pool"].pool_unit
    days = np.arange(len(daily))
    arrived = (moves[:, 2] == pool_unit)[None, :] & (moves[:, 0][None, :] <= days[:, None])
    left = (moves[:, 3] == pool_unit)[None, :] & (moves[:, 0][None, :] <= days[:, None])
    on_day = posts + arrived.sum(axis=1) - left.sum(axis=1)
    if len(daily) and not (daily["posts_townships"] + daily["posts_departments"]
                           == on_day).all():
        problems.append("posts: townships + departments differ from the county's posts on a day")
    for key in _bad_numbers(summary):
        problems.append(f"summary: {key} is not a finite number")
    for key, value in summary.items():
        if value is None and key not in summary.get("not_computed", {}):
            problems.append(f"summary: {key} is null without a reason")
    model.close()
    return summary, problems


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def fuzz(malformed: int, valid: int, seed: int, cli: int, out: Path) -> dict:
    """Run ``malformed`` bad inputs through the precheck and ``valid`` drawn configs; write them.

    ``cli`` of the malformed cases (spread over the list) also go through ``python -m sim``, to
    check the exit code (2), the single line on stderr and that nothing is written.
    """
    from sim.runners.cli import compose_point, precheck

    rng = np.random.default_rng(seed)
    cases = malformed_cases()
    # All generated cases when there are more than asked for; otherwise they are repeated.
    chosen = [cases[i % len(cases)] for i in range(max(malformed, len(cases)))]
    rows = []
    counts: Counter = Counter()
    for key, args in chosen:
        started = time.perf_counter()
        try:
            problem = precheck(args)
            outcome = ("accepted" if problem is None else
                       "rejected" if "\n" not in problem and problem.startswith(key) else
                       "rejected_unclear")
        except Exception as error:  # noqa: BLE001 - a crash of the precheck is a finding
            problem, outcome = f"{type(error).__name__}: {error}", "crashed"
        counts[f"malformed_{outcome}"] += 1
        rows.append({"kind": "malformed", "key": key, "args": args, "outcome": outcome,
                     "message": problem, "seconds": round(time.perf_counter() - started, 3)})
    step = max(len(chosen) // max(cli, 1), 1)
    for key, args in chosen[::step][:cli]:
        target = out / "cli_run"
        result = subprocess.run([sys.executable, "-m", "sim", *args, f"hydra.run.dir={target}",
                                 f"hydra.sweep.dir={target}"], capture_output=True, text=True,
                                timeout=300)
        lines = result.stderr.strip().splitlines()
        clean = (result.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"error: {key}")
                 and not target.exists() and "Traceback" not in result.stderr)
        counts["cli_" + ("rejected" if clean else "unclear")] += 1
        rows.append({"kind": "cli", "key": key, "args": args, "outcome": "rejected" if clean
                     else "unclear", "message": lines[-1] if lines else "",
                     "exit": result.returncode})
    signal.signal(signal.SIGALRM, _alarm)
    for _ in range(valid):
        overrides = sample_valid(rng)
        if precheck(overrides) is not None:
            overrides = repair_posts(overrides)
        problem = precheck(overrides)
        started = time.perf_counter()
        if problem is not None:  # a drawn config the validator refuses: a finding too
            outcome, detail = "refused", problem
        else:
            signal.alarm(300)
            try:
                _, problems = check_run(compose_point(overrides))
                outcome, detail = ("ran" if not problems else "broken"), "; ".join(problems)
            except _Timeout:
                outcome, detail = "hung", "over 300 s"
            except Exception as error:  # noqa: BLE001 - a crash is a finding
                outcome, detail = "crashed", f"{type(error).__name__}: {error}"
            finally:
                signal.alarm(0)
        counts[f"valid_{outcome}"] += 1
        rows.append({"kind": "valid", "args": overrides, "outcome": outcome, "message": detail,
                     "seconds": round(time.perf_counter() - started, 3)})
    out.mkdir(parents=True, exist_ok=True)
    (out / "cases.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                             for r in rows), encoding="utf-8")
    result = {"seed": seed, "malformed": len(chosen), "valid": valid, "cli": cli,
              "counts": dict(sorted(counts.items()))}
    (out / "counts.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.analysis.fuzz --malformed 500 --valid 200 --out experiments/fuzz``."""
    parser = argparse.ArgumentParser(prog="python -m sim.analysis.fuzz", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--malformed", type=int, default=500)
    parser.add_argument("--valid", type=int, default=200)
    parser.add_argument("--cli", type=int, default=10, help="malformed cases also run as "
                                                            "`python -m sim`")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=Path("experiments/fuzz"))
    args = parser.parse_args(argv)
    result = fuzz(args.malformed, args.valid, args.seed, args.cli, args.out)
    print(json.dumps(result["counts"], indent=2))


if __name__ == "__main__":
    main()
