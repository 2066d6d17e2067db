"""The lesson's discussion questions with expected answers computed from the current model.

Every figure a teacher reads out in class comes from here, computed the way the page computes
it (:data:`sim.dashboard.engine.ENGINE`, the page's number formats), for the settings of the
page link printed with each question. ``questions.md`` (both languages) and ``answers.json``
are written whole; ``tests/dashboard/test_dashboard_lesson.py`` recomputes them and fails when the
committed pack and the model disagree. After a change to the model, rerun:

    .venv/bin/python experiments/classroom/make_answers.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.dashboard.app import format_value
from sim.dashboard.engine import ENGINE, compare_seeds
from sim.dashboard.levers import comparison_kwargs, from_query

HERE = Path(__file__).resolve().parent
PAGE = "http://127.0.0.1:8765/"
#: Seeds of the several-seed question (the page's button with 10 seeds from seed 1).
SEEDS = 10


@dataclass
class Question:
    """One discussion question: the page link, the question and its computed answer."""

    number: int
    query: str
    zh: str
    en: str
    figures: dict = field(default_factory=dict)
    answer_zh: str = ""
    answer_en: str = ""


def _year(query: str):
    kwargs = comparison_kwargs(from_query(query)[0])
    return ENGINE.outcome(kwargs["scenario"], kwargs["seed"], kwargs["reforms"])


def _numbers(query: str) -> dict[str, dict[str, str]]:
    """Headline figures of the whole year as the page shows them, by role."""
    outcome = _year(query)
    return {role: {metric: format_value(metric, value, "en")
                   for metric, value in year.headline(year.days).items()}
            for role, year in outcome.roles().items()}


def _trend(before: str, after: str, lang: str, tolerance: float = 0.03) -> str:
    """Whether a figure falls, rises or barely changes (relative ``tolerance``)."""
    a, b = (float(x.rstrip("%")) for x in (before, after))
    if abs(b - a) <= tolerance * max(abs(a), 1e-9):
        return {"zh": "几乎不变", "en": "barely changes"}[lang]
    return ({"zh": "下降", "en": "falls"} if b < a else {"zh": "上升", "en": "rises"})[lang]


def _pair(numbers, metric: str) -> tuple[str, str]:
    return numbers["baseline"][metric], numbers["reform"][metric]


def build() -> list[Question]:
    """Compute every question's figures and answer."""
    questions = []

    q = Question(1, "scenario=classroom&seed=1",
                 "课堂县、不选任何改革：小马拉大车指数是多少？有几成乡镇大于1？干部工时有多大比例花在"
                 "会议、文件、督查和工作群上？",
                 "Classroom county, no reform: what is the overload index, what share of townships "
                 "is above 1, and what share of cadres' hours goes to meetings, documents, "
                 "inspections and chat groups?")
    n = _numbers(q.query)["reform"]
    q.figures = {k: n[k] for k in ("overload", "overloaded_share", "mandatory_share")}
    q.answer_zh = (f"指数 {n['overload']}，{n['overloaded_share']} 的乡镇大于1；"
                   f"{n['mandatory_share']} 的工时花在会议、文件、督查和工作群上。指数是需要的工时"
                   "除以正常工时：大于1就要靠加班或让事项积压。")
    q.answer_en = (f"Index {n['overload']}; {n['overloaded_share']} of townships are above 1; "
                   f"{n['mandatory_share']} of hours go to meetings, documents, inspections and "
                   "chat groups. The index is hours needed over regular hours: above 1 means "
                   "overtime or a growing backlog.")
    questions.append(q)

    q = Question(2, "scenario=classroom&seed=1&meetings=cut",
                 "精文减会（seeds/004）：会议等工时占比、小马拉大车指数和群众诉求办结时间各怎样变化？"
                 "少开会为什么能减轻乡镇负担？",
                 "Fewer meetings (seeds/004): how do the share of hours in meetings and the like, "
                 "the overload index and the resolution time change? Why does cutting meetings "
                 "relieve townships?")
    n = _numbers(q.query)
    share, load, days = (_pair(n, m) for m in ("mandatory_share", "overload",
                                               "resolution_days"))
    q.figures = {"mandatory_share": share, "overload": load, "resolution_days": days}
    q.answer_zh = (f"会议等占工时 {share[0]} → {share[1]}，指数 {load[0]} → {load[1]}"
                   f"（{_trend(*load, 'zh')}），办结时间 {days[0]} → {days[1]} 天"
                   f"（{_trend(*days, 'zh')}）。强制性工作每天先占掉工时，剩下的才用来办事；"
                   "少开会，腾出的工时回到服务上。")
    q.answer_en = (f"Meetings and the like {share[0]} -> {share[1]} of hours; index {load[0]} -> "
                   f"{load[1]} ({_trend(*load, 'en')}); resolution time {days[0]} -> {days[1]} "
                   f"days ({_trend(*days, 'en')}). Mandatory work takes its hours first each "
                   "day; what is cut goes back to service.")
    questions.append(q)

    q = Question(3, "scenario=classroom&seed=1&coordination=whistle",
                 "乡镇吹哨、部门报到（seeds/001、002、004）：办结时间和小马拉大车指数各怎样变化？"
                 "为什么？",
                 "Township whistles, departments report (seeds/001, 002, 004): how do the "
                 "resolution time and the overload index change, and why?")
    n = _numbers(q.query)
    load, days = _pair(n, "overload"), _pair(n, "resolution_days")
    q.figures = {"overload": load, "resolution_days": days}
    q.answer_zh = (f"办结时间 {days[0]} → {days[1]} 天（{_trend(*days, 'zh')}），指数 {load[0]} → "
                   f"{load[1]}（{_trend(*load, 'zh')}）。它消除的是等部门、被“踢皮球”的时间，"
                   "乡镇自己的工作量基本没变。")
    q.answer_en = (f"Resolution time {days[0]} -> {days[1]} days ({_trend(*days, 'en')}); index "
                   f"{load[0]} -> {load[1]} ({_trend(*load, 'en')}). It removes time spent "
                   "waiting for departments and being passed on, not the township's own work.")
    questions.append(q)

    q = Question(4, "scenario=classroom&seed=1&tasks=access_list",
                 "事项准入清单（seeds/001、002）：与第3题相比，哪些数字变化方向不同？",
                 "Task access list (seeds/001, 002): compared with question 3, which figures "
                 "move differently?")
    n = _numbers(q.query)
    load, days, backlog = (_pair(n, m) for m in ("overload", "resolution_days", "backlog"))
    q.figures = {"overload": load, "resolution_days": days, "backlog": backlog}
    q.answer_zh = (f"指数 {load[0]} → {load[1]}（{_trend(*load, 'zh')}），积压 {backlog[0]} → "
                   f"{backlog[1]} 件（{_trend(*backlog, 'zh')}），办结时间 {days[0]} → {days[1]} 天"
                   f"（{_trend(*days, 'zh')}）。清单拿走的是工作量（清单外的任务退回部门），"
                   "而不是等待时间。")
    q.answer_en = (f"Index {load[0]} -> {load[1]} ({_trend(*load, 'en')}); backlog {backlog[0]} "
                   f"-> {backlog[1]} ({_trend(*backlog, 'en')}); resolution time {days[0]} -> "
                   f"{days[1]} days ({_trend(*days, 'en')}). The list removes work (tasks outside "
                   "it go back to the department), not waiting.")
    questions.append(q)

    q = Question(5, "scenario=classroom&seed=1&posts=sink",
                 "编制下沉（seeds/000、002、004）：乡镇编制、小马拉大车指数和年底空编各是多少？"
                 "把滑块拉到最大为什么会报错？",
                 "Sinking posts (seeds/000, 002, 004): what are the township posts, the overload "
                 "index and the vacancies at the year's end? Why does the page refuse the "
                 "slider's maximum?")
    n = _numbers(q.query)
    posts, load, vacancies = (_pair(n, m) for m in ("posts_townships", "overload",
                                                    "vacancies"))
    q.figures = {"posts_townships": posts, "overload": load, "vacancies": vacancies}
    q.answer_zh = (f"乡镇编制 {posts[0]} → {posts[1]} 个，指数 {load[0]} → {load[1]}"
                   f"（{_trend(*load, 'zh')}），年底空编 {vacancies[0]} → {vacancies[1]} 个。"
                   "编制总量不变，县直部门各要保留最低编制，能让出的有限：减县补乡是调剂存量。")
    q.answer_en = (f"Township posts {posts[0]} -> {posts[1]}; index {load[0]} -> {load[1]} "
                   f"({_trend(*load, 'en')}); vacancies at the end {vacancies[0]} -> "
                   f"{vacancies[1]}. The county's total is fixed and each department keeps a "
                   "minimum, so only so many posts can move.")
    questions.append(q)

    q = Question(6, "scenario=baotou_street&seed=1&secondment=banned",
                 "包头科学路街道（seeds/003，23名干部、4人被借调）禁止借调：被借调人数和小马拉大车"
                 "指数怎样变化？",
                 "Baotou's Kexuelu street (seeds/003: 23 cadres, 4 seconded), secondment banned: "
                 "how do the secondees and the overload index change?")
    n = _numbers(q.query)
    seconded, load = _pair(n, "secondments"), _pair(n, "overload")
    q.figures = {"secondments": seconded, "overload": load}
    q.answer_zh = (f"年底被借调 {seconded[0]} → {seconded[1]} 人，指数 {load[0]} → {load[1]}"
                   f"（{_trend(*load, 'zh')}）。借走的人回来分担工作，人多了指数就低。")
    q.answer_en = (f"Secondees at the end {seconded[0]} -> {seconded[1]}; index {load[0]} -> "
                   f"{load[1]} ({_trend(*load, 'en')}). Those who come back share the work.")
    questions.append(q)

    q = Question(7, "scenario=classroom&seed=1&secondment=banned&view=seeds",
                 f"“多种子比较”（{SEEDS}个种子）：禁止借调后指数的平均差值及其95%置信区间是多少？"
                 "区间包含0吗？",
                 f"\"Several seeds\" ({SEEDS} seeds): what is the mean difference in the overload "
                 "index with secondment banned, and its 95% interval? Does it include 0?")
    kwargs = comparison_kwargs(from_query(q.query)[0])
    rows = {row.metric: row for row in compare_seeds(
        ENGINE, kwargs["scenario"], [kwargs["seed"] + i for i in range(SEEDS)],
        kwargs["reforms"])}
    row = rows["overload"]
    diff, low, high = (f"{v:+.3g}" for v in (row.difference, row.low, row.high))
    q.figures = {"difference": diff, "low": low, "high": high}
    zero = low.startswith("-") != high.startswith("-")
    q.answer_zh = (f"差值 {diff}，95%置信区间 [{low}, {high}]，"
                   + ("包含0：单看这一项，差别可能是偶然。" if zero else
                      "不包含0：每个种子上两边面对同样的诉求，配对相减消掉了“运气”，差别不是偶然。"))
    q.answer_en = (f"Difference {diff}, 95% interval [{low}, {high}], "
                   + ("which includes 0: the difference may be chance." if zero else
                      "which excludes 0: on each seed both sides face the same demand, so the "
                      "paired difference removes luck; the difference is not chance."))
    questions.append(q)

    q = Question(8, "scenario=classroom&seed=1&posts=sink&secondment=banned&meetings=cut"
                    "&tasks=access_list&coordination=whistle&pay=premium",
                 "六项改革一起：指数、办结时间和按期办结比例各是多少？代价落在谁身上？",
                 "All six reforms: what are the index, the resolution time and the on-time share? "
                 "Who bears the cost?")
    n = _numbers(q.query)
    load, days, on_time = (_pair(n, m) for m in ("overload", "resolution_days",
                                                 "on_time_share"))
    q.figures = {"overload": load, "resolution_days": days, "on_time_share": on_time}
    q.answer_zh = (f"指数 {load[0]} → {load[1]}，办结时间 {days[0]} → {days[1]} 天，按期办结 "
                   f"{on_time[0]} → {on_time[1]}。代价在县直部门：让出编制、收回清单外任务、"
                   "限时响应。")
    q.answer_en = (f"Index {load[0]} -> {load[1]}; resolution time {days[0]} -> {days[1]} days; "
                   f"on time {on_time[0]} -> {on_time[1]}. County departments pay: they give up "
                   "posts, take back outside-list tasks and answer within deadlines.")
    questions.append(q)
    return questions


def render(questions: list[Question]) -> str:
    """``questions.md``: each question with its page link and computed answer, both languages."""
    lines = ["# 讨论问题与参考答案 · Discussion questions and expected answers", "",
             "由 `make_answers.py` 根据当前模型生成，请勿手改；模型改动后重新运行。",
             "Generated by `make_answers.py` from the current model; do not edit by hand. "
             "Click a link with the page running (`make dashboard`); figures are the whole "
             "year, before -> after.", ""]
    for q in questions:
        lines += [f"## {q.number}. {q.zh}", "", f"*{q.en}*", "",
                  f"页面 · Page: <{PAGE}?{q.query}>", "",
                  f"- **答：** {q.answer_zh}", f"- **Answer:** {q.answer_en}", ""]
    return "\n".join(lines)


def answers(questions: list[Question]) -> dict:
    """``answers.json``: every question's link and figures."""
    return {str(q.number): {"query": q.query, "figures": q.figures} for q in questions}


def write_whole(path: Path, text: str) -> None:
    """Write through a temporary file and a rename (whole or not at all)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def main() -> int:
    """Compute the answers and write ``questions.md`` and ``answers.json``."""
    questions = build()
    text, figures = render(questions), answers(questions)
    write_whole(HERE / "answers.json", json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    write_whole(HERE / "questions.md", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
