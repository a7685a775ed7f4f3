"""A person's first plan from a log that shows too little — one session, runs only, bodyweight only, one lift,
names the catalog does not know, a log that ended two years ago — through the web app (upload, confirm, the
athlete page, a rule-coach plan) and the CLI (`peri import auto`, `peri plan`, `peri athlete show`): each says
what the log does not show and what to do next, beside the plan; none is an empty page, an error or a
traceback. A log that shows enough (pounds, recent, several lifts) says nothing of the kind."""
from __future__ import annotations

import csv
import datetime as dt
import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from peri.cli.app import app as cli_app
from peri.web.app import WebSettings, create_app

HEVY = ["title", "start_time", "end_time", "description", "exercise_title", "superset_id", "exercise_notes",
        "set_index", "set_type", "weight_kg", "reps", "distance_km", "duration_seconds", "rpe"]
TODAY = dt.date.today()
LIFTS = [("Squat (Barbell)", 100, 5, None, None), ("Bench Press (Barbell)", 70, 5, None, None),
         ("Deadlift (Barbell)", 120, 5, None, None)]


def hevy_log(path: Path, exercises, *, weeks: int = 6, per_week: int = 3, last: dt.date = TODAY) -> Path:
    """A Hevy export of `weeks` weeks of `per_week` sessions ending on `last`, three sets of each exercise
    (name, kg or None, reps or None, km or None, seconds or None)."""
    days = sorted({last - dt.timedelta(days=7 * w + 2 * k) for w in range(weeks) for k in range(per_week)})
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEVY)
        for d in days:
            when = d.strftime("%d %b %Y, 10:00")
            for name, kg, reps, km, sec in exercises:
                for i in range(3):
                    w.writerow(["W", when, when, "", name, "", "", i, "normal", "" if kg is None else kg,
                                "" if reps is None else reps, "" if km is None else km, "" if sec is None else sec, ""])
    return path


def pounds_log(path: Path) -> Path:
    """A spreadsheet of its own (Date, Exercise, Weight (lbs), Reps): read by column names, in pounds."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Date", "Exercise", "Weight (lbs)", "Reps"])
        for k in range(18):
            d = TODAY - dt.timedelta(days=2 * k)
            for name, lb in (("Squat", 225), ("Bench Press", 185), ("Deadlift", 275)):
                for _ in range(3):
                    w.writerow([d.isoformat(), name, lb, 5])
    return path


# (log, the gap it must name, words of that gap the page shows)
CASES = {
    "one-session": (lambda p: hevy_log(p, LIFTS, weeks=1, per_week=1), "few_sessions", "only 1 session"),
    "runs-only": (lambda p: hevy_log(p, [("Running", None, None, 5.0, 1800), ("Plank", None, None, None, 60)]),
                  "no_reps", "timed or distance work only"),
    "bodyweight": (lambda p: hevy_log(p, [("Pull Up", None, 8, None, None), ("Push Up", None, 20, None, None)]),
                   "no_loads", "carry no load"),
    "one-lift": (lambda p: hevy_log(p, [("Bench Press (Barbell)", 70, 5, None, None)]), "one_exercise",
                 "one exercise (Bench Press (Barbell))"),
    "own-names": (lambda p: hevy_log(p, [("Zorbo Press", 50, 8, None, None), ("Gizmo Pull", 40, 10, None, None)]),
                  "unmapped", "names the catalog does not"),
    "two-years-old": (lambda p: hevy_log(p, LIFTS, last=TODAY - dt.timedelta(days=730)), "past",
                      "is for the week of"),
}


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert m, "the page has no CSRF field"
    return m.group(1)


def hidden(page: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def client(home: Path):
    a = create_app(WebSettings(max_upload_bytes=500_000))
    yield TestClient(a, base_url="http://testserver")
    a.pages.jobs.shutdown()


def upload_and_confirm(client: TestClient, path: Path, athlete: str) -> str:
    with open(path, "rb") as f:
        r = client.post("/import/preview", data={"csrf": csrf_of(client.get("/import").text), "athlete": athlete,
                                                 "fmt": "auto", "unit": ""},
                        files={"file": (path.name, f, "text/csv")})
    assert r.status_code == 200, text(r.text)
    r = client.post("/import/confirm", data=hidden(r.text))
    assert r.status_code == 200, text(r.text)
    return r.text


def rules_plan(client: TestClient, athlete: str) -> str:
    token = csrf_of(client.get(f"/plans?athlete={athlete}").text)
    r = client.post("/plans/generate", data={"csrf": token, "athlete": athlete, "model": "rules"},
                    follow_redirects=False)
    assert r.status_code == 303
    job = client.app.pages.jobs.wait(r.headers["location"].rsplit("/", 1)[1], 60)
    assert job is not None and job.status == "done", job and job.error
    page = client.get(job.result_url)
    assert page.status_code == 200
    return page.text


def gaps_box(page: str) -> str:
    m = re.search(r'id="log-gaps".*?</ul>', page, re.S)
    return text(m.group(0)) if m else ""


def test_the_way_from_an_import_to_a_first_plan_is_on_the_pages(client: TestClient, tmp_path: Path) -> None:
    assert 'href="/import"' in client.get("/").text
    done = upload_and_confirm(client, hevy_log(tmp_path / "workouts.csv", LIFTS), "kim")
    assert 'href="/plans?athlete=kim"' in done  # the import's page leads on to the plan
    athlete = client.get("/athletes/kim").text
    assert 'id="plan-link"' in athlete and 'href="/peri?athlete=kim"' in athlete
    assert gaps_box(athlete) == ""  # six recent weeks of three lifts: nothing missing
    assert gaps_box(client.get("/plans?athlete=kim").text) == ""
    assert gaps_box(rules_plan(client, "kim")) == ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_thin_log_says_what_it_does_not_show_on_the_athlete_and_plan_pages(client: TestClient, tmp_path: Path,
                                                                            case: str) -> None:
    build, _kind, words = CASES[case]
    upload_and_confirm(client, build(tmp_path / f"{case}.csv"), case)
    athlete = client.get(f"/athletes/{case}")
    assert athlete.status_code == 200
    assert words in gaps_box(athlete.text) and "next:" in gaps_box(athlete.text)
    assert words in gaps_box(client.get(f"/plans?athlete={case}").text)  # said before a plan is asked for
    plan = rules_plan(client, case)
    assert "What this plan could not read from your log" in plan
    assert words in gaps_box(plan) and "next:" in gaps_box(plan)
    assert "Traceback" not in plan


def test_a_pound_log_shows_no_gap_and_plans_in_pounds(client: TestClient, tmp_path: Path) -> None:
    upload_and_confirm(client, pounds_log(tmp_path / "lifts.csv"), "pat")
    plan = rules_plan(client, "pat")
    assert gaps_box(plan) == "" and "load lb" in plan


@pytest.mark.parametrize("case", ["runs-only", "two-years-old"])
def test_the_cli_says_the_same_beside_the_plan_and_in_athlete_show(home: Path, tmp_path: Path, case: str) -> None:
    build, kind, words = CASES[case]
    run = CliRunner()
    r = run.invoke(cli_app, ["import", "auto", str(build(tmp_path / "log.csv")), "-a", "kim", "--create"])
    assert r.exit_code == 0, r.output
    # the import says it first (an old log by the import's own note on its last session)
    assert (words if kind != "past" else "weeks ago: `peri plan` plans the week after") in " ".join(r.output.split())
    r = run.invoke(cli_app, ["plan", "-a", "kim", "--model", "rules"])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert f"note: {CASES[case][2]}" in flat or words in flat
    assert "next:" in flat
    r = run.invoke(cli_app, ["athlete", "show", "kim", "--json"])
    assert kind in [g["kind"] for g in __import__("json").loads(r.output)["gaps"]]


def test_a_plan_for_an_athlete_with_no_log_says_the_log_is_missing(home: Path) -> None:
    """Planning from nothing gives the rule coach's template: the plan and `peri athlete show` say it is not
    read from the person, with the import as the next step."""
    run = CliRunner()
    assert run.invoke(cli_app, ["athlete", "add", "new"]).exit_code == 0
    r = run.invoke(cli_app, ["plan", "-a", "new", "--model", "rules"])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert "note: the log holds no training sessions" in flat and "peri import auto FILE -a new" in flat
    r = run.invoke(cli_app, ["athlete", "show", "new"])
    assert "no training sessions" in " ".join(r.output.split())
    r = run.invoke(cli_app, ["stats", "-a", "new"])
    assert r.exit_code == 0 and "import an export with `peri import auto FILE -a new`" in " ".join(r.output.split())


def test_days_of_one_name_show_each_finding_once(client: TestClient) -> None:
    """A log whose sessions share one title gives a plan of days of one name; a finding on each day's copy of
    an exercise is said once in its row (the terminal's table and the web page's), not once per day."""
    from rich.console import Console

    from peri.plans.checker import Finding
    from peri.plans.schema import Plan, PlanDay, Prescription
    from peri.plans.view import plan_table

    day = PlanDay(name="W", exercises=[Prescription(exercise="Dips - Chest Version", sets=3, reps_low=10, reps_high=10)])
    plan = Plan(days=[day, day, day])
    said = "needs other, which is not in your equipment list"
    findings = [Finding(code="equipment", severity="low", day="W", exercise="Dips - Chest Version", message=said)] * 3
    console = Console(record=True, width=400)
    console.print(plan_table(plan, findings))
    rows = [line for line in console.export_text().splitlines() if "Dips" in line]
    assert len(rows) == 3 and all(line.count(said) == 1 for line in rows)
    page = client.app.pages.templates.get_template("_macros.html").module.plan_table(
        plan, [f.model_dump() for f in findings], "plan", "kg")
    assert str(page).count(f'title="{said}"') == 3  # once in each day's row


def test_a_failed_plan_job_leads_back_to_the_plans_page(client: TestClient, tmp_path: Path) -> None:
    upload_and_confirm(client, hevy_log(tmp_path / "w.csv", LIFTS), "kim")
    token = csrf_of(client.get("/plans?athlete=kim").text)
    r = client.post("/plans/generate", data={"csrf": token, "athlete": "kim", "model": "rules",
                                             "other": f"gguf:{tmp_path / 'missing.gguf'}"}, follow_redirects=False)
    jid = r.headers["location"].rsplit("/", 1)[1]
    job = client.app.pages.jobs.wait(jid, 60)
    assert job.status == "failed"
    page = client.get(f"/jobs/{jid}?athlete=kim").text
    assert "GGUF model file not found" in text(page)
    assert re.search(r'id="job-back">\s*<a class="button" href="/plans\?athlete=kim">Back to Plans to try again', page)
