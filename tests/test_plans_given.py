"""plans.given / plans.percent: a programme someone was given, checked against a log built here by hand.

The log: squats of 100 kg x 5 (no effort logged) each Monday for the four weeks before the check, and one bench
session of 80 kg x 5 long before them. Squat e1RM by hand: Epley 100 x (1 + 5/30) = 116.667, Brzycki
100 x 36 / 32 = 112.5, their mean 114.583 (114.6); bench 80 x 5: 91.667 (91.7). So 75% of the squat is
85.94 -> 86 kg (to 0.5 kg), 85% is 97.4 -> 97.5 kg; a training max is 90% of the 1RM, so "70% TM" is 63% of
e1RM: 72.19 -> 72 kg."""
from __future__ import annotations

import datetime as dt

import pytest

from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.store import Store
from peri.plans.given import check_given

AS_OF = dt.date(2026, 6, 1)  # a Monday


def squat(day: dt.date, kg: float = 100.0, reps: int = 5) -> Session:
    return Session(started_at=dt.datetime.combine(day, dt.time(18)), name="Legs", source="manual",
                   sets=[WorkoutSet(exercise="Squat (Barbell)", order=i, weight=kg, unit="kg", weight_kg=kg, reps=reps)
                         for i in (1, 2, 3)])


@pytest.fixture
def store(home):
    with Store(home / "peri.db") as s:
        a = s.add_athlete(Athlete(name="ana", days_per_week=3))
        sessions = [squat(AS_OF - dt.timedelta(days=7 * k)) for k in range(1, 5)]
        old = dt.datetime.combine(AS_OF - dt.timedelta(days=200), dt.time(18))
        sessions.append(Session(started_at=old, name="Push", source="manual", sets=[
            WorkoutSet(exercise="Bench Press (Barbell)", weight=80, unit="kg", weight_kg=80, reps=5)]))
        s.add_sessions(a.id, sessions)
        yield s


def loads(plan) -> dict[str, float | None]:
    return {p.exercise: p.load_kg for d in plan.days for p in d.exercises}


def test_a_percentage_is_a_load_from_the_athletes_own_e1rm_said_with_its_day(store) -> None:
    text = ("Day 1\n- Squat 5 x 5 @ 75%\n- Bench press 3x5 @ 80%\n- Overhead press 3x5 @ 70% TM\n"
            "- Front squat 3x5 @ 70% TM\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    got = loads(g.plan)
    assert got["Squat"] == 86.0
    assert got["Bench press"] == 73.5  # 80% of 91.67 = 73.33 -> 73.5: the old e1RM, said to be old
    assert got["Overhead press"] is None and got["Front squat"] is None  # no e1RM logged: never invented
    squat_note = next(n for n in g.loads if n.startswith("Squat"))
    assert "114.6 kg" in squat_note and (AS_OF - dt.timedelta(days=7)).isoformat() in squat_note
    bench_note = next(n for n in g.loads if n.startswith("Bench"))
    assert "older than" in bench_note and (AS_OF - dt.timedelta(days=200)).isoformat() in bench_note
    assert any(n.startswith("Overhead press at 63%") and "cannot be checked" in n for n in g.loads)
    assert g.reading.plan.days[0].exercises[0].load_kg is None  # the reading itself is as written


def test_a_percentage_too_heavy_for_its_reps_is_a_load_jump(store) -> None:
    # 100% of 114.6 = 114.5 kg for 5 reps implies an e1RM of ~131 kg (Epley 133.6, Brzycki 128.8): over the
    # checker's limit, the log's 114.6 x 1.10 + 2.5 = 128.5
    g = check_given(store, "ana", "Day 1\n- Squat 3 x 5 @ 100%\n", as_of=AS_OF)
    assert [f.code for f in g.result.findings if f.exercise == "Squat"] == ["load_jump"]
    ok = check_given(store, "ana", "Day 1\n- Squat 3 x 5 @ 80%\n", as_of=AS_OF)
    assert not [f for f in ok.result.findings if f.code == "load_jump"]


def test_every_week_is_checked_and_a_jump_between_weeks_is_said(store) -> None:
    text = ("## Week 1\n### Day 1\n- Squat 3x5 @ 100 kg\n### Day 2\n- Squat 3x5 @ 100 kg\n"
            "## Week 2\n### Day 1\n- Squat 3x5 @ 105 kg\n"  # +5%: a linear progression, no finding
            "## Week 3\n### Day 1\n- Squat 3x5 @ 120 kg\n"  # +14% over week 2: said, and a load jump vs the log
            "## Week 4 - Deload\n### Day 1\n- Squat 2x5 @ 80 kg\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    assert [w.label for w in g.weeks] == ["Week 1", "Week 2", "Week 3", "Week 4 - Deload"]
    assert [w.plan.scenario.value for w in g.weeks] == ["normal", "normal", "normal", "deload"]
    jumps = [f for f in g.progression if f.code == "week_load_jump"]
    assert len(jumps) == 1 and jumps[0].message.startswith("Week 3: 120 kg") and "Week 2" in jumps[0].message
    assert any(f.code == "load_jump" for f in g.weeks[2].result.findings)
    assert not any(f.code == "load_jump" for f in g.weeks[1].result.findings)
    assert g.counts()["medium"] >= 2  # every week's findings and the progression's are counted


def test_a_531_wave_is_no_jump_between_weeks(store) -> None:
    # 5/3/1: the load climbs while the reps fall; the e1RM each top set implies stays level
    text = ("Week 1\nDay 1\n- Squat 65/75/85% x 5/5/5+\nWeek 2\nDay 1\n- Squat 70/80/90% x 3/3/3+\n"
            "Week 3\nDay 1\n- Squat 75/85/95% x 5/3/1+\nWeek 4 (deload)\nDay 1\n- Squat 40/50/60% x 5/5/5\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    assert [w.numbers for w in g.weeks] == [[1], [2], [3], [4]]
    tops = [loads(w.plan)["Squat"] for w in g.weeks]
    assert tops == [97.5, 103.0, 109.0, 69.0]  # 85/90/95/60% of 114.6, to 0.5 kg
    assert g.progression == []
    assert g.weeks[3].plan.scenario.value == "deload"


def test_weeks_written_as_a_range_and_a_volume_jump(store) -> None:
    text = ("Weeks 1-3:\nMonday\n- Squat 3x5 @ 100 kg\n- Leg press 3x10\n"
            "Weeks 4-6:\nMonday\n- Squat 6x5 @ 100 kg\n- Leg press 6x10\n- Lunge 4x10\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    assert [(w.label, w.numbers) for w in g.weeks] == [("Weeks 1-3", [1, 2, 3]), ("Weeks 4-6", [4, 5, 6])]
    assert [f.code for f in g.progression] == ["week_volume_jump"]
    assert "16 sets" in g.progression[0].message and "6 of Weeks 1-3" in g.progression[0].message


def test_peri_check_shows_each_week_and_the_loads(store, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from peri.cli.app import app

    plan = tmp_path / "block.md"
    plan.write_text("# Week 1\n## Day 1\n- Squat 3x5 @ 75%\n# Week 2\n## Day 1\n- Squat 3x5 @ 100%\n",
                    encoding="utf-8")
    store.close()
    r = CliRunner().invoke(app, ["check", str(plan), "--athlete", "ana", "--as-of", AS_OF.isoformat()])
    assert r.exit_code == 0, r.output
    assert "Week 1" in r.output and "Week 2" in r.output and "From week to week" in r.output
    assert "Squat at 75% = 86 kg" in r.output
    r = CliRunner().invoke(app, ["check", str(plan), "--athlete", "ana", "--as-of", AS_OF.isoformat(), "--json"])
    out = json.loads(r.stdout)
    assert [w["label"] for w in out["weeks"]] == ["Week 1", "Week 2"]
    assert out["weeks"][1]["plan"]["days"][0]["exercises"][0]["load_kg"] == 114.5
    assert [f["code"] for f in out["progression"]] == ["week_load_jump"]


def test_a_lifter_in_pounds_reads_the_percentage_load_in_pounds(store) -> None:
    from peri.log.profile import set_profile

    set_profile(store, "ana", {"unit": "lb"}, unset=[])
    g = check_given(store, "ana", "Day 1\n- Squat 5 x 5 @ 75%\n", as_of=AS_OF)
    # 86 kg = 189.6 lb -> 190 (a 2.5 lb step); the e1RM 114.6 kg = 252.6 lb -> 252.5; the plan itself stays in kg
    assert loads(g.plan)["Squat"] == 86.0
    assert g.loads[0].startswith("Squat at 75% = 190 lb (of your") and "e1RM 252.5 lb" in g.loads[0]


# --- a finding the same in several weeks, said once ----------------------------------------------------------

def _week(n: int, extra: str = "", day: str = "### Day 1") -> str:
    return f"## Week {n}\n{day}\n- Squat 3x5 @ {100 + 2 * n} kg\n- Zercher wobble 3x8\n{extra}"


def test_a_finding_every_week_is_said_once_naming_the_weeks(store) -> None:
    # 'Zercher wobble' is in no catalog: the same finding each of the 4 weeks; week 3 alone asks for 140 kg
    text = "".join(_week(n, "- Squat 3x5 @ 140 kg\n" if n == 3 else "") for n in range(1, 5))
    g = check_given(store, "ana", text, as_of=AS_OF)
    assert all(any(f.code == "unknown_exercise" for f in w.result.findings) for w in g.weeks)  # each week's own
    (rep,) = g.repeated()
    assert (rep.finding.code, rep.numbers, rep.said) == ("unknown_exercise", [1, 2, 3, 4], "weeks 1-4")
    assert rep.weeks == ["Week 1", "Week 2", "Week 3", "Week 4"]
    once = g.week_findings()
    assert [[f.code for f in fs if f.code == "unknown_exercise"] for fs in once] == [["unknown_exercise"], [], [], []]
    assert once[0][0].message.startswith("weeks 1-4: 'Zercher wobble'")
    # a finding of one week only is kept, as it is, in its week
    assert [f.code for f in once[2]] == ["volume_jump", "load_jump"]
    assert not any(m.message.startswith("week") for m in once[2])
    said = [f.message for f in g.all_findings()]
    assert sum("Zercher wobble" in m for m in said) == 1


def test_a_finding_that_differs_between_weeks_is_each_weeks_own(store) -> None:
    # the quadriceps sets rise each week (3+3 = 6, then 3+5 = 8): a volume finding each week, each with its number
    text = ("## Week 1\n### Day 1\n- Squat 3x5 @ 100 kg\n- Leg press 3x10\n"
            "## Week 2\n### Day 1\n- Squat 3x5 @ 100 kg\n- Leg press 5x10\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    jumps = [[f.message for f in w.result.findings if f.code == "volume_jump"] for w in g.weeks]
    assert all(jumps) and jumps[0] != jumps[1]
    assert not any(r.finding.code == "volume_jump" for r in g.repeated())
    once = g.week_findings()
    assert [[f.message for f in fs if f.code == "volume_jump"] for fs in once] == jumps  # both, unchanged


def test_the_same_day_of_weeks_named_in_its_heading_is_the_same_day(store) -> None:
    # "### Week 2 – Day 1": the week in the day's name does not make its finding another
    text = "".join(f"### Week {n} – Day 1\n- Squat 3x5 @ 100 kg\n- Zercher wobble 3x8\n" for n in (1, 2, 3))
    g = check_given(store, "ana", text, as_of=AS_OF)
    assert [(r.finding.code, r.said) for r in g.repeated()] == [("unknown_exercise", "weeks 1-3")]


def test_weeks_are_said_as_people_say_them() -> None:
    from peri.plans.given import weeks_said

    assert weeks_said([1, 2, 3, 4], []) == "weeks 1-4"
    assert weeks_said([5, 1, 2], []) == "weeks 1-2, 5"
    assert weeks_said([3], ["Week 3"]) == "week 3"
    assert weeks_said([], ["Base", "Peak"]) == "Base, Peak"


def test_weeks_written_as_ranges_are_said_by_their_numbers(store) -> None:
    text = ("Weeks 1-3:\nMonday\n- Squat 3x5 @ 100 kg\n- Zercher wobble 3x8\n"
            "Weeks 4-6:\nMonday\n- Squat 3x5 @ 102.5 kg\n- Zercher wobble 3x8\n")
    g = check_given(store, "ana", text, as_of=AS_OF)
    (rep,) = g.repeated()
    assert (rep.said, rep.weeks) == ("weeks 1-6", ["Weeks 1-3", "Weeks 4-6"])


def test_peri_check_says_a_repeated_finding_once(store, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from peri.cli.app import app

    plan = tmp_path / "block.md"
    plan.write_text("".join(_week(n) for n in range(1, 5)), encoding="utf-8")
    store.close()
    args = ["check", str(plan), "--athlete", "ana", "--as-of", AS_OF.isoformat()]
    from peri.cli.common import console

    # wide, so no message wraps in its table cell: COLUMNS alone is not enough, the shared console takes its width
    # when first made, and in a full run an earlier test made it (then the cell wrapped and the count was 0)
    was = console._width
    console.width = 400
    try:
        r = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    finally:
        console._width = was
    assert r.exit_code == 0, r.output
    assert r.output.count("not in the exercise catalog") == 1 and "weeks 1-4: 'Zercher wobble'" in r.output
    out = json.loads(CliRunner().invoke(app, [*args, "--json"]).stdout)
    assert [(x["said"], x["finding"]["code"]) for x in out["repeated"]] == [("weeks 1-4", "unknown_exercise")]
    assert all(w["findings"] for w in out["weeks"])  # the JSON keeps each week's findings whole
