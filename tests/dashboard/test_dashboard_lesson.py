"""The lesson pack cannot drift from the model: its figures are recomputed and compared.

``experiments/classroom/make_answers.py`` computes every figure of the discussion questions the
way the page does; this test runs it again and fails when ``answers.json`` or ``questions.md``
differ from what the current model gives (rerun the script after a model change). It also checks
that every page link in the pack opens the settings it names.
"""

import importlib.util
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from sim.dashboard.levers import from_query, to_query

PACK = Path(__file__).resolve().parents[2] / "experiments" / "classroom"


@pytest.fixture(scope="module")
def make_answers():
    spec = importlib.util.spec_from_file_location("make_answers", PACK / "make_answers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_answers"] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("make_answers", None)


@pytest.fixture(scope="module")
def questions(make_answers):
    return make_answers.build()


def test_the_committed_figures_are_what_the_model_gives(make_answers, questions):
    committed = json.loads((PACK / "answers.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(make_answers.answers(questions))) == committed, (
        "the lesson pack's figures differ from the model: run "
        ".venv/bin/python experiments/classroom/make_answers.py and review the changes")


def test_the_committed_questions_are_what_the_script_writes(make_answers, questions):
    assert make_answers.render(questions) == (PACK / "questions.md").read_text(encoding="utf-8")


def test_every_answer_quotes_its_figures(questions):
    for q in questions:
        for value in q.figures.values():
            for figure in (value if isinstance(value, list | tuple) else [value]):
                assert str(figure) in q.answer_zh and str(figure) in q.answer_en, (q.number,
                                                                                   figure)


PAGE_LINK = re.compile(r"http://127\.0\.0\.1:8765/\?([^>)\s]+)")


def test_every_page_link_in_the_pack_opens_the_settings_it_names():
    links = []
    for path in PACK.glob("*.md"):
        links += PAGE_LINK.findall(path.read_text(encoding="utf-8"))
    assert len(links) >= 10
    for query in links:
        controls, page = from_query(query)
        # Every setting in the link survives: nothing misspelt is silently dropped.
        again = dict(parse_qsl(to_query(controls, page)))
        assert dict(parse_qsl(query)).items() <= again.items(), query


def test_the_pack_has_its_parts():
    for name in ("README.md", "objectives.md", "plan.md", "worksheet.md", "glossary.md",
                 "questions.md", "answers.json", "memory.md"):
        assert (PACK / name).is_file(), name
    for size in ("1024x768", "1280x720", "1920x1080"):
        for lang in ("zh", "en"):
            assert (PACK / "screenshots" / f"dashboard-{size}-{lang}.png").is_file()
