"""Decide for a log too short to tune on: a decision still comes (never an error page), the tuned paths are
costed on an assumed dataset and a note says so, and fine-tuning is not recommended; the goal a reason
claims is the one stated or read from the log, and said as assumed when neither shows it."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from starlette.testclient import TestClient

from peri.decide.run import run_decision
from peri.log.models import Athlete, Goal, Session, WorkoutSet
from peri.log.store import Store, store_target
from peri.web.app import WebSettings, create_app


def one_session(store: Store, name: str, **profile) -> None:
    a = store.add_athlete(Athlete(name=name, **profile))
    day = dt.datetime.combine(dt.date.today() - dt.timedelta(days=3), dt.time(18))
    sets = [WorkoutSet(exercise="Bench Press (Barbell)", weight=70, unit="kg", weight_kg=70, reps=5, order=i)
            for i in range(1, 4)]
    store.add_sessions(a.id, [Session(started_at=day, sets=sets, source="manual")])


def test_a_one_session_log_gets_a_decision_with_the_assumed_dataset_said(home: Path) -> None:
    with Store(store_target()) as s:
        one_session(s, "kim")
        r = run_decision({"queries_per_week": 7.0}, "kim", s)
    assert r["situation"]["dataset_examples"] == 0
    (note,) = [n for n in r["notes"] if n.startswith("kim's log gives no fine-tuning examples yet (1 weeks logged")]
    assert "assumed 200 examples" in note
    assert r["recommendation"]["path"] not in ("finetuning", "hybrid")


def test_the_goal_reason_says_where_the_goal_comes_from(home: Path) -> None:
    with Store(store_target()) as s:
        one_session(s, "kim")
        one_session(s, "lee", goal=Goal.strength)
        texts = {n: " ".join(x["text"] for x in run_decision({}, n, s)["recommendation"]["reasons"]) for n in ("kim", "lee")}
    assert "your goal (strength) is a standard paradigm" in texts["lee"]
    assert "no goal stated or shown by your log; the assumed goal (hypertrophy)" in texts["kim"]


def test_the_decide_page_for_a_thin_log_is_a_page_not_an_error(home: Path) -> None:
    with Store(store_target()) as s:
        one_session(s, "kim")
    app = create_app(WebSettings())
    try:
        r = TestClient(app, base_url="http://testserver").get("/decide?athlete=kim")
    finally:
        app.pages.jobs.shutdown()
    assert r.status_code == 200
    assert 'id="recommendation"' in r.text and "no fine-tuning examples yet" in re.sub(r"\s+", " ", r.text)
