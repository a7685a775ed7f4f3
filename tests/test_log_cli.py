"""`peri athlete`, `peri import`, `peri note` through the CLI (a Typer app with just these commands)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from peri.cli.log_commands import register
from peri.log.store import Store, store_target

FIX = Path(__file__).parent / "fixtures" / "imports"


@pytest.fixture
def cli(home: Path):
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str, ok: bool = True):
        r = runner.invoke(app, list(args))
        if ok:
            assert r.exit_code == 0, r.output
        return r

    return run


def test_athlete_add_list_show(cli) -> None:
    cli("athlete", "add", "ana", "--age", "31", "--body-mass", "70.5", "--level", "advanced", "--days", "5",
        "--goal", "strength", "--split", "push/pull/legs", "--equipment", "barbell,dumbbell", "--equipment", "cable",
        "--constraint", "lower back sensitivity", "--constraint", "old shoulder injury")
    shown = json.loads(cli("athlete", "show", "ana", "--json").stdout)
    a = shown["athlete"]
    assert a["age"] == 31 and a["level"] == "advanced" and a["days_per_week"] == 5 and a["goal"] == "strength"
    assert a["equipment"] == ["barbell", "dumbbell", "cable"]
    assert a["constraints"] == ["lower back sensitivity", "old shoulder injury"]
    assert a["constraint_regions"] == ["shoulder", "lower_back"]
    assert shown["counts"]["sets"] == 0
    listed = json.loads(cli("athlete", "list", "--json").stdout)
    assert [x["name"] for x in listed] == ["ana"]
    assert "ana" in cli("athlete", "list").stdout
    dup = cli("athlete", "add", "ana", ok=False)
    assert dup.exit_code == 1 and "already exists" in dup.output


def test_show_unknown_athlete_is_one_line(cli) -> None:
    r = cli("athlete", "show", "nobody", ok=False)
    assert r.exit_code == 1 and "no athlete named 'nobody'" in r.output and "Traceback" not in r.output


def test_import_dry_run_then_real_then_again(cli) -> None:
    cli("athlete", "add", "ana")
    store = Store(store_target())  # the database the CLI uses (PERI_TEST_STORE=postgres: PostgreSQL)
    before = store.dump()
    dry = json.loads(cli("import", "strong", str(FIX / "strong_new.csv"), "--athlete", "ana", "--dry-run", "--json").stdout)
    assert dry["dry_run"] and dry["sets_new"] == 7 and dry["sessions_new"] == 2
    assert len(dry["skipped"]) == 3
    assert store.dump() == before
    out = " ".join(cli("import", "strong", str(FIX / "strong_new.csv"), "--athlete", "ana").stdout.split())
    assert "added 2 sessions, 7 sets" in out and "skipped 3 rows" in out
    again = json.loads(cli("import", "strong", str(FIX / "strong_new.csv"), "-a", "ana", "--json").stdout)
    assert again["sets_new"] == 0 and again["sets_existing"] == 7
    shown = json.loads(cli("athlete", "show", "ana", "--json").stdout)
    assert shown["counts"]["sets"] == 7 and shown["counts"]["sessions"] == 2
    store.close()


def test_import_other_formats_and_unit(cli) -> None:
    cli("athlete", "add", "ana")
    assert json.loads(cli("import", "hevy", str(FIX / "hevy.csv"), "-a", "ana", "--json").stdout)["sets_new"] == 7
    assert json.loads(cli("import", "fitnotes", str(FIX / "fitnotes.csv"), "-a", "ana", "--json").stdout)["sets_new"] == 6
    r = json.loads(cli("import", "strong", str(FIX / "strong_ios.csv"), "-a", "ana", "--unit", "kg", "--json").stdout)
    assert r["sets_new"] == 8 and r["warnings"] == []


def test_import_csv_with_map_and_mapping_file(cli, tmp_path: Path) -> None:
    cli("athlete", "add", "ana")
    cli("athlete", "add", "bo")
    r = json.loads(cli("import", "csv", str(FIX / "generic.csv"), "-a", "ana", "--mapping",
                       str(FIX / "generic_mapping.yaml"), "--json").stdout)
    assert r["sets_new"] == 3
    r = json.loads(cli("import", "csv", str(FIX / "generic.csv"), "-a", "bo", "--map", "When=date", "--map",
                       "Lift=exercise", "--map", "Load=weight", "--map", "Reps=reps", "--date-format", "%d/%m/%Y",
                       "--unit", "kg", "--json").stdout)
    assert r["sets_new"] == 3 and r["unit"] == "kg" and r["unit_source"] == "option"
    # without a unit column or --unit, three loads cannot tell kg from lb: it stops and asks
    no_unit = tmp_path / "no_unit.csv"
    no_unit.write_text("\n".join(";".join(c for i, c in enumerate(line.split(";")) if i != 3)
                                 for line in (FIX / "generic.csv").read_text().splitlines()))
    ask = cli("import", "csv", str(no_unit), "-a", "bo", "--map", "When=date", "--map", "Lift=exercise",
              "--map", "Load=weight", "--date-format", "%d/%m/%Y", ok=False)
    assert ask.exit_code == 1 and "--unit kg or --unit lb" in ask.output and "Traceback" not in ask.output
    bad = cli("import", "csv", str(FIX / "generic.csv"), "-a", "bo", "--map", "When=date", "--map", "Nope=exercise",
              ok=False)
    assert bad.exit_code == 1 and "Nope" in bad.output


def test_import_malformed_file_reports_line(cli, tmp_path: Path) -> None:
    cli("athlete", "add", "ana")
    bad = tmp_path / "bad.csv"
    text = (FIX / "strong_new.csv").read_text()
    # one odd row of many: refused alone and named, the rest imported
    bad.write_text(text.replace(",80,7,", ",80,seven,"))
    r = cli("import", "strong", str(bad), "-a", "ana", "--dry-run")
    # Rich wraps at 80 columns: a long tmp path folds inside itself, or the line breaks at a space and drops it;
    # so the output and the expected text are compared with all blanks removed
    out = re.sub(r"\s", "", r.output)
    assert re.sub(r"\s", "", f"{bad}:5: reps 'seven'") in out and "refused1rows" in out, r.output
    # most rows odd: the file is refused whole, with the first line
    rows = text.splitlines()
    bad.write_text("\n".join(rows[:1] + [ln.replace(",80,", ",eighty,") for ln in rows[1:]]) + "\n")
    r = cli("import", "strong", str(bad), "-a", "ana", ok=False)
    assert r.exit_code == 1 and f"{bad}:" in r.output.replace("\n", "") and "Traceback" not in r.output


def test_import_create_flag(cli) -> None:
    cli("athlete", "add", "ana")
    r = cli("import", "hevy", str(FIX / "hevy.csv"), "-a", "newbie", ok=False)
    # a first import names the flag that fixes it, and who does exist
    out = " ".join(r.output.split())
    assert r.exit_code == 1 and "no athlete named 'newbie'" in out and "add --create" in out and "known: ana" in out
    cli("import", "hevy", str(FIX / "hevy.csv"), "-a", "newbie", "--create")
    # --dry-run of a first import refuses the same way, writing nothing
    r = cli("import", "hevy", str(FIX / "hevy.csv"), "-a", "other", "--dry-run", ok=False)
    assert r.exit_code == 1 and "add --create" in r.output


def test_note(cli) -> None:
    cli("athlete", "add", "ana")
    cli("import", "strong", str(FIX / "strong_new.csv"), "-a", "ana")
    n = json.loads(cli("note", "2025-03-04", "the squats tweaked my lower back again @9", "-a", "ana",
                       "--exercise", "Squat (Barbell)", "--json").stdout)
    assert n["scope"] == "exercise" and n["tags"] == ["aggravated", "pain"] and n["regions"] == ["lower_back"]
    assert n["rpe"] == 9 and n["text"] == "the squats tweaked my lower back again @9" and n["session_id"]
    assert n["source"] == "manual"
    w = json.loads(cli("note", "2025-03-03", "way too much volume this week", "-a", "ana", "--scope", "week",
                       "--json").stdout)
    assert w["scope"] == "week" and w["tags"] == ["excessive"]
    s = " ".join(cli("note", "2025-03-01", "felt great", "-a", "ana").stdout.split())
    assert "felt_strong" in s
    bad = cli("note", "03/01/2025", "x", "-a", "ana", ok=False)
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    need = cli("note", "2025-03-01", "x", "-a", "ana", "--scope", "exercise", ok=False)
    assert need.exit_code == 1 and "--exercise" in need.output
