"""An import's unit on the web (`/athletes/NAME/imports`): each import shows the unit its loads are stored in and
the unit check's doubt (`peri.log.import_units`, the evidence of `infer_unit` and `plausibility`); a confirm page
says what re-reading it in the other unit changes (the sets, the heaviest load before and after, hand-worked:
315 lb = 142.8816 kg) and writes nothing; the re-read shows its result with the button that re-reads it back, and
re-reading back restores the store exactly. A forged, repeated or foreign re-read is refused naming the field,
nothing touched; an import in both units is never re-read (undoing it could not be exact)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import alert, app, client, csrf_of, dump  # noqa: F401  (fixtures)
from test_web_imports import HEADER, confirm, imports_table, undo

# A pound lifter's Strong log (a plain Weight column, no unit): the 45 lb bar, then 135 / 225 / 315 landmarks.
LIFTS = {"Squat (Barbell)": (45, 135, 185, 225, 245), "Bench Press (Barbell)": (45, 95, 135, 155, 185),
         "Deadlift (Barbell)": (135, 225, 275, 315)}
DAYS = ["2024-03-04", "2024-03-06", "2024-03-08", "2024-03-11", "2024-03-13"]


def pounds_log(path: Path) -> Path:
    rows = [f'{d} 18:00:00,"Day",1h,"{ex}",{i + 1},{w},5,0,0,"",,\n'
            for d in DAYS for ex, loads in LIFTS.items() for i, w in enumerate(loads)]
    path.write_text(HEADER + "".join(rows))
    return path


def upload(client: TestClient, path: Path, *, fmt: str = "strong", unit: str = "kg", athlete: str = "lee"):
    token = csrf_of(client.get("/import").text)
    with open(path, "rb") as f:
        r = client.post("/import/preview", data={"csrf": token, "athlete": athlete, "fmt": fmt, "unit": unit},
                        files={"file": (path.name, f, "text/csv")})
    assert r.status_code == 200, alert(r.text)
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200, alert(done.text)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#39;", "'").split())


def loads(home: Path, athlete: str = "lee") -> dict[tuple[str, float], tuple[str, float]]:
    """(exercise, number as logged) -> (unit, kg) of every loaded set."""
    with Store(home / "peri.db") as s:
        return {(w.exercise, w.weight): (w.unit, w.weight_kg)
                for sess in s.sessions(s.get_athlete(athlete).id) for w in sess.sets if w.weight}


def reread(client: TestClient, iid: int, unit: str, athlete: str = "lee"):
    return confirm(client, f"/athletes/{athlete}/imports/reunit", {"import": iid, "unit": unit}, "reunit-form")


@pytest.fixture
def misread(client: TestClient, tmp_path: Path) -> None:
    """lee's pound log imported with kg chosen: the mistake the page is for."""
    upload(client, pounds_log(tmp_path / "strong.csv"), unit="kg")


def test_each_import_shows_its_unit_and_the_doubt_about_it(client: TestClient, misread: None) -> None:
    html = client.get("/athletes/lee/imports").text
    row = html.split('id="import-1"')[1].split("</tr>")[0]
    assert "kg" in words(row.split('class="unit"')[1]) and "Re-read as lb…" in row
    doubt = words(html.split('id="doubt-1"')[1].split("</tr>")[0])
    assert "Import 1's loads look like lb, not kg" in doubt and "45 lb bar" in doubt


def test_a_log_in_the_right_unit_raises_no_doubt(client: TestClient, tmp_path: Path) -> None:
    upload(client, pounds_log(tmp_path / "strong.csv"), unit="lb")
    html = client.get("/athletes/lee/imports").text
    assert 'id="doubt-1"' not in html and "Re-read as kg…" in html


def test_the_confirm_page_says_what_changes_and_writes_nothing(client: TestClient, misread: None, home: Path) -> None:
    before = dump(home)
    page = client.get("/athletes/lee/imports/reunit", params={"import": 1, "unit": "lb"})
    assert page.status_code == 200, alert(page.text)
    said = words(page.text.split('id="reunit-change"')[1].split("</p>")[0])
    # 5 days x 14 sets; the heaviest: deadlift 315, as kg 315 kg, as pounds 315 x 0.45359237 = 142.88 kg
    assert "70 sets with a load, stored as kg" in said
    assert "the heaviest, Deadlift (Barbell) 315 kg (315 kg), becomes 315 lb = 142.9 kg" in said
    assert "Yes, re-read 70 sets as lb" in page.text
    assert dump(home) == before


def test_re_reading_changes_the_unit_keeps_the_numbers_and_reading_back_restores_it(
        client: TestClient, misread: None, home: Path) -> None:
    before, stored = dump(home), loads(home)
    assert stored[("Deadlift (Barbell)", 315.0)] == ("kg", 315.0)
    _, r = reread(client, 1, "lb")
    assert r.status_code == 200, alert(r.text)
    done = words(r.text.split('id="reread"')[1].split("</p>")[0])
    assert "Re-read import 1: 70 sets with a load are now lb (they were kg)" in done
    assert "Deadlift (Barbell) 315, went from 315 kg to 142.9 kg" in done
    now = loads(home)
    assert now[("Deadlift (Barbell)", 315.0)] == ("lb", pytest.approx(142.8816, abs=1e-4))
    assert now[("Squat (Barbell)", 225.0)] == ("lb", pytest.approx(102.0583, abs=1e-4))  # 225 lb = 102.058 kg
    assert set(now) == set(stored)  # every number as logged kept
    assert 'id="doubt-1"' not in r.text  # the doubt is answered
    back = re.search(r'id="reread-back" href="([^"]+)"', r.text)
    assert back and "unit=kg" in back.group(1)
    page = client.get(back.group(1).replace("&amp;", "&"))
    assert "becomes 315 kg = 315 kg" in words(page.text)
    _, r = reread(client, 1, "kg")
    assert r.status_code == 200 and "are now kg (they were lb)" in words(r.text)
    assert dump(home) == before  # exactly as it was
    _, r = reread(client, 1, "lb")  # and re-doable
    assert loads(home)[("Deadlift (Barbell)", 315.0)][0] == "lb"


def test_only_that_import_is_re_read(client: TestClient, misread: None, home: Path, tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text(HEADER + '2024-04-01 18:00:00,"Day",1h,"Row (Barbell)",1,60,5,0,0,"",,\n')
    upload(client, tmp_path / "b.csv", unit="kg")
    reread(client, 1, "lb")
    assert loads(home)[("Row (Barbell)", 60.0)] == ("kg", 60.0)


def form_of(client: TestClient, **data: str) -> dict[str, str]:
    return {"csrf": csrf_of(client.get("/import").text), **data}


@pytest.mark.parametrize("athlete, data, status, said", [
    ("lee", {"import": "1", "unit": "stone"}, 400, "unit 'stone' is not kg or lb"),
    ("lee", {"import": "1", "unit": ""}, 400, "unit '' is not kg or lb"),
    ("lee", {"import": "1"}, 400, "unit '' is not kg or lb"),
    ("lee", {"import": "1", "unit": "kg"}, 400, "import 1's loads are already in kg; nothing was changed"),
    ("lee", {"import": "7", "unit": "lb"}, 404, "import 7 is not one of lee's imports"),
    ("lee", {"import": "x", "unit": "lb"}, 400, "import 'x' is not a whole number"),
    ("lee", {"import": "", "unit": "lb"}, 400, "import"),
    ("kim", {"import": "1", "unit": "lb"}, 404, "import 1 is not one of kim's imports"),  # lee's, through kim's page
    ("nobody", {"import": "1", "unit": "lb"}, 404, "no athlete named 'nobody'"),
])
def test_a_forged_re_read_is_refused_naming_the_field_and_nothing_touched(
        client: TestClient, misread: None, home: Path, tmp_path: Path, athlete: str, data: dict, status: int,
        said: str) -> None:
    upload(client, pounds_log(tmp_path / "k.csv"), unit="kg", athlete="kim")
    before = dump(home)
    r = client.post(f"/athletes/{athlete}/imports/reunit", data=form_of(client, **data))
    assert r.status_code == status, alert(r.text)
    assert said in words(alert(r.text))
    assert dump(home) == before
    assert client.get(f"/athletes/{athlete}/imports/reunit", params=data).status_code == status


def test_a_repeated_re_read_is_refused(client: TestClient, misread: None, home: Path) -> None:
    page, r = reread(client, 1, "lb")
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split('id="reunit-form"')[1]))
    before = dump(home)
    r = client.post("/athletes/lee/imports/reunit", data=form)  # a reload, a second tab
    assert r.status_code == 400 and "already in lb; nothing was changed" in words(alert(r.text))
    assert dump(home) == before


def test_a_unit_sent_twice_or_without_the_token_is_refused(client: TestClient, misread: None, home: Path) -> None:
    before = dump(home)
    token = csrf_of(client.get("/import").text)
    r = client.post("/athletes/lee/imports/reunit", content=f"csrf={token}&import=1&unit=lb&unit=kg",
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and "'unit' came more than once" in words(alert(r.text))
    r = client.post("/athletes/lee/imports/reunit", data={"import": "1", "unit": "lb"})
    assert r.status_code == 403
    r = client.post("/athletes/lee/imports/reunit", data={"import": "1", "unit": "lb", "csrf": token},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert dump(home) == before


def test_an_undone_import_is_not_re_read(client: TestClient, misread: None, home: Path) -> None:
    undo(client, 1)
    before = dump(home)
    r = client.post("/athletes/lee/imports/reunit", data=form_of(client, **{"import": "1", "unit": "lb"}))
    assert r.status_code == 400 and "import 1 was undone at" in words(alert(r.text))
    assert dump(home) == before
    assert 'id="reunit-1"' not in client.get("/athletes/lee/imports").text


def test_an_import_in_both_units_is_not_re_read(client: TestClient, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("Date,Exercise,Weight,Unit,Reps\n2024-03-04,Squat,100,kg,5\n2024-03-04,Curl,30,lb,10\n")
    upload(client, path, fmt="csv", unit="")
    html = client.get("/athletes/lee/imports").text
    assert "1 sets kg, 1 sets lb" in words(html) and 'id="reunit-1"' not in html
    assert [r[0] for r in imports_table(html)] == ["1"]
    before = dump(home)
    r = client.post("/athletes/lee/imports/reunit", data=form_of(client, **{"import": "1", "unit": "lb"}))
    assert r.status_code == 400
    assert "import 1 holds loads in both units (1 sets in kg, 1 in lb)" in words(alert(r.text))
    assert dump(home) == before
