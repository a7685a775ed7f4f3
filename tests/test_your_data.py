"""`peri.log.your_data`: one athlete's data counted, copied whole and erased whole, the others' untouched
(`peri athlete export|delete`). Runs on SQLite and, in the suite's PostgreSQL pass, on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from peri.errors import ConfigError, NotFound
from peri.log.models import Annotation, Athlete, Session, WorkoutSet
from peri.log.store import Generation, RegisteredModel, Store
from peri.log.your_data import erase_athlete, export_athlete, footprint


def add_lifter(store: Store, name: str, days: int) -> int:
    """`days` sessions of 2 squat sets and 1 bench set, a note on the first day, one rated plan."""
    a = store.add_athlete(Athlete(name=name))
    sessions = [Session(started_at=dt.datetime(2026, 3, 2 + d, 18), name="A", source="csv",
                        sets=[WorkoutSet(exercise="Squat", order=1, weight=100, unit="kg", weight_kg=100, reps=5),
                              WorkoutSet(exercise="Squat", order=2, weight=100, unit="kg", weight_kg=100, reps=5),
                              WorkoutSet(exercise="Bench Press", order=1, weight=60, unit="kg", weight_kg=60, reps=8)])
                for d in range(days)]
    notes = [Annotation(date=dt.date(2026, 3, 2), text=f"{name}: knee sore after squats", scope="session")]
    store.add_sessions(a.id, sessions, notes)
    g = store.record_generation(Generation(athlete_id=a.id, approach="prompt", model="embedded",
                                           messages=[{"role": "user", "content": f"plan for {name}"}]))
    store.rate(g.id, 4)
    return a.id


def dataset(home: Path, slug: str, digest: str) -> Path:
    d = home / "datasets" / slug
    d.mkdir(parents=True)
    (d / "build.json").write_text(json.dumps({"dataset_hash": digest, "config": {"athlete": slug}}))
    (d / "train.jsonl").write_text('{"messages": []}\n')
    return d


def test_the_footprint_counts_every_row_by_hand(store: Store, home: Path) -> None:
    add_lifter(store, "ana", days=3)
    add_lifter(store, "bob", days=1)
    fp = footprint(store, "ana", home)
    # 3 sessions x 3 sets; 1 note; 1 plan rated once; nothing imported through a file, no journey, no batch
    assert fp.rows == {"sessions": 3, "sets": 9, "annotations": 1, "imports": 0, "generations": 1, "ratings": 1,
                       "journey": 0, "batch_items": 0}
    assert fp.folders == [] and fp.models == []
    assert fp.lines() == ["ana: 3 sessions, 9 sets, 1 annotations, 1 generations, 1 ratings"]
    with pytest.raises(NotFound):
        footprint(store, "nobody", home)


def test_erasing_removes_the_athlete_whole_and_leaves_the_others_as_they_were(store: Store, home: Path) -> None:
    add_lifter(store, "ana", days=3)
    add_lifter(store, "bob", days=2)
    ana_data = dataset(home, "ana", "a" * 64)
    bob_data = dataset(home, "bob", "b" * 64)
    ana_adapter = home / "adapters" / "ana-lora"
    ana_adapter.mkdir(parents=True)
    (ana_adapter / "adapter.gguf").write_bytes(b"GGUF")
    (home / "eval" / "ana").mkdir(parents=True)
    store.register_model(RegisteredModel(name="ana-lora", kind="finetuned-local", path=str(ana_adapter),
                                         meta={"dataset_sha256": "a" * 64}))
    store.register_model(RegisteredModel(name="bob-lora", kind="finetuned-local", path=None,
                                         meta={"dataset_sha256": "b" * 64}))
    store.register_model(RegisteredModel(name="ana-hosted", kind="openai", meta={"athlete": "ana", "job_id": "ftjob-1"}))
    bob_before = footprint(store, "bob", home)

    erased = erase_athlete(store, "ana", home, confirm="ana")

    assert erased.footprint.rows["sets"] == 9 and erased.left == []
    assert {m.name for m in erased.footprint.models} == {"ana-lora", "ana-hosted"}
    assert erased.elsewhere == ["ft:ana-hosted: a openai fine-tune (job ftjob-1) kept by openai: delete it there"]
    assert not ana_data.exists() and not ana_adapter.exists() and not (home / "eval" / "ana").exists()
    assert [a.name for a in store.list_athletes()] == ["bob"]
    assert [m.name for m in store.list_models()] == ["bob-lora"]
    # no row of ana's is left in any table, sets and ratings included (they go through their parents)
    for table in ("sessions", "annotations", "imports", "generations", "journey", "batch_items"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == bob_before.rows[table], table
    assert store.conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0] == 6
    assert store.conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 1
    assert footprint(store, "bob", home) == bob_before and bob_data.exists()


def test_erasing_needs_the_name_repeated_and_deletes_nothing_otherwise(store: Store, home: Path) -> None:
    add_lifter(store, "ana", days=2)
    d = dataset(home, "ana", "a" * 64)
    with pytest.raises(ConfigError) as e:
        erase_athlete(store, "ana", home, confirm="Ana")
    assert "nothing was deleted" in e.value.hint
    assert footprint(store, "ana", home).rows["sets"] == 6 and d.exists()


def test_the_export_holds_the_whole_log_and_files_and_never_overwrites(store: Store, home: Path, tmp_path: Path) -> None:
    add_lifter(store, "ana", days=2)
    add_lifter(store, "bob", days=1)
    dataset(home, "ana", "a" * 64)
    traits = home / "oracle"
    traits.mkdir()
    from peri.paths import name_slug

    (traits / f"{name_slug('ana', always_hash=True)}.json").write_text('{"hidden": true}')
    out = tmp_path / "ana.zip"
    fp = export_athlete(store, "ana", out, home)
    with zipfile.ZipFile(out) as z:
        names = sorted(z.namelist())
        record = json.loads(z.read("athlete.json"))
    # the dataset's files are copied; a simulated athlete's hidden traits are not (they reach the oracle only)
    assert names == ["athlete.json", "files/datasets/ana/build.json", "files/datasets/ana/train.jsonl"]
    assert len(fp.folders) == 2  # both are ana's, and erasing removes both
    assert record["format"] == "peri-athlete-export" and record["athlete"]["name"] == "ana"
    assert [len(s["sets"]) for s in record["sessions"]] == [3, 3]
    assert record["sessions"][0]["sets"][2]["exercise"] == "Bench Press"
    assert [n["text"] for n in record["annotations"]] == ["ana: knee sore after squats"]
    assert record["generations"][0]["rating"] == 4
    assert "bob" not in json.dumps(record)  # nothing of another athlete's
    with pytest.raises(ConfigError):
        export_athlete(store, "ana", out, home)
    assert not out.with_name("ana.zip.part").exists()


def test_the_cli_lists_without_yes_and_deletes_with_it(store: Store, home: Path, tmp_path: Path) -> None:
    from peri.cli.log_commands import register

    add_lifter(store, "ana", days=2)
    store.close()
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    r = runner.invoke(app, ["athlete", "delete", "ana"])
    assert r.exit_code == 0 and "nothing was deleted" in r.output and "6 sets" in r.output
    r = runner.invoke(app, ["athlete", "export", "ana", "--out", str(tmp_path / "a.zip"), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["footprint"]["rows"]["sessions"] == 2
    r = runner.invoke(app, ["athlete", "delete", "ana", "--yes", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["deleted"] is True
    r = runner.invoke(app, ["athlete", "show", "ana"])
    assert r.exit_code != 0 and "no athlete named 'ana'" in r.output
