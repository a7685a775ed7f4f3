"""The import form's pages say the importers' next steps as the form's fields, never as the CLI's flags: a
person at the browser is told to choose the weight unit, not to "pass --unit kg|lb"."""
from __future__ import annotations

import csv
import datetime as dt
import html
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.web.app import WebSettings, create_app
from peri.web.wording import for_the_form

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
# a next step that only a terminal can take: a flag to pass, a command to re-run with
TERMINAL_STEP = re.compile(r"(?:pass|re-run with|add|rerun with) --[a-z]|`peri plan` plans|^peri import reunit|: peri ")


def text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def client(home: Path):
    a = create_app(WebSettings(max_upload_bytes=2_000_000))
    yield TestClient(a, base_url="http://testserver")
    a.pages.jobs.shutdown()


def preview(client: TestClient, path: Path, **fields: str):
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/import").text).group(1)
    data = {"csrf": token, "athlete": "kim", "fmt": "auto", "unit": "", **fields}
    with open(path, "rb") as f:
        return client.post("/import/preview", data=data, files={"file": (path.name, f, "text/csv")})


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_no_preview_of_a_known_export_asks_for_a_flag(client: TestClient, name: str) -> None:
    r = preview(client, FIXTURES / name)
    assert r.status_code in (200, 400), r.status_code
    shown = text(r.text)
    assert not TERMINAL_STEP.search(shown), shown


def test_a_strong_export_without_its_unit_points_at_the_forms_weight_unit(client: TestClient) -> None:
    r = preview(client, FIXTURES / "strong_ios.csv")
    shown = text(r.text)
    assert r.status_code == 200
    assert "choose the weight unit (kg or lb) in the import form to override" in shown
    assert "--unit" not in shown


def test_an_old_log_points_at_the_plans_page_not_as_of(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    last = dt.date.today() - dt.timedelta(days=400)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Date", "Exercise", "Weight (kg)", "Reps"])
        for k in range(6):
            w.writerow([(last - dt.timedelta(days=3 * k)).isoformat(), "Squat", 100, 5])
    shown = text(preview(client, path).text)
    assert "--as-of" not in shown and "on the Plans page" in shown


def test_pounds_stored_as_kilograms_point_at_undo_and_the_forms_unit(client: TestClient, tmp_path: Path) -> None:
    path = tmp_path / "kg.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Date", "Exercise", "Weight (kg)", "Reps"])
        for k in range(6):  # a 600 kg bench press: pounds written in a kg column
            w.writerow([(dt.date.today() - dt.timedelta(days=3 * k)).isoformat(), "Bench Press", 600, 5])
    shown = text(preview(client, path).text)
    assert "undo this import (the Imports page) and import again choosing" in shown
    assert not TERMINAL_STEP.search(shown), shown


def test_for_the_form_rewrites_each_flag_and_passes_other_text_through() -> None:
    cases = {
        "assumed lb; pass --unit kg|lb to override": "assumed lb; choose the weight unit (kg or lb) in the import form to override",
        "dates: re-run with --date-format dmy (day first) or --date-format mdy (month first)":
            "dates: import again choosing 'dates like 03/04': day first or month first",
        "no year (pass --year YYYY, the year of the file)": "no year (fill in the form's year field, the year of the file)",
        "the header lacks reps; add --map COLUMN=reps; the header has: A, B":
            "the header lacks reps; choose below which column holds the reps (at a terminal, `peri import csv --map COLUMN=reps`); the header has: A, B",
    }
    cases["it pays back only through time saved per query, and you gave none (--minutes-saved)"] = (
        "it pays back only through time saved per query, and you gave none (minutes saved per query)")
    cases["no learning curve: `peri eval --athlete kim --learning-curve` measures one (it needs a dataset: `peri "
          "dataset build`; or `--curve-models ft:A,ft:B` for adapters trained elsewhere)"] = (
        "no learning curve: the Experiment page's Learning curve measures one (it needs the dataset built on the "
        "Fine-tune page, or adapters trained elsewhere named there)")
    cases["a trend needs two or more (`peri eval --athlete kim --learning-curve --sizes 25,50,0`)"] = (
        "a trend needs two or more (the Experiment page's Learning curve with sizes 25,50,0)")
    cases["Keep prompting (`peri plan --athlete kim --style fewshot`)."] = (
        "Keep prompting (a few-shot plan on the Plans page).")
    cases["no column holds the date: none is named like one, and no --map names it"] = (
        "no column holds the date: none is named like one, and no column is chosen for it")
    cases["Tune on together (m, `peri finetune together`)."] = "Tune on together (m, the Fine-tune page's together form)."
    cases["no dataset for 'kim' (run `peri dataset build --athlete kim` first)"] = (
        "no dataset for 'kim' (build the dataset first (the Fine-tune page's 'Build the dataset'))")
    cases["no athlete named 'x' (known: a; add one with `peri athlete add`)"] = (
        "no athlete named 'x' (known: a; add one on the Athletes page, or import an export on the Import page)")
    for said, shown in cases.items():
        assert for_the_form(said) == shown
    assert for_the_form("nothing to change --here") == "nothing to change --here"
    assert for_the_form(None) is None and for_the_form("") == ""
