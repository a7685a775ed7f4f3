"""The import page's column chooser (`peri import csv --map` for a person without a terminal): a file whose columns
peri cannot place shows its header and first rows with a choice of field per column; the chosen columns preview the
first sets as read (hand values: 225 lb = 102.058 kg), then import; every hostile choice (a field twice, a column the
file has not, a field that is not peri's, a forged upload) is refused naming the column, the choices kept, nothing
written."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.store import Store
from test_web import HOST, alert, app, athletes_in, client, csrf_of, dump, uploads_left  # noqa: F401  (fixtures)

# An app peri has never seen: no column name in its vocabulary says the date or the reps
ODD = ("When,Lift,Load,Count,Comment\n"
       "2024-03-04,Squat,225,5,felt good\n"
       "2024-03-04,Squat,235,3,\n"
       "2024-03-06,Bench,135,8,\n")


def upload_odd(client: TestClient, tmp_path: Path, text: str = ODD, fmt: str = "auto", **fields: str):
    path = tmp_path / "myapp.csv"
    path.write_text(text)
    data = {"csrf": csrf_of(client.get("/import").text), "athlete": "lee", "fmt": fmt, "unit": "", **fields}
    with open(path, "rb") as f:
        return client.post("/import/preview", data=data, files={"file": (path.name, f, "text/csv")})


def chooser(html: str) -> tuple[dict[str, str], dict[str, str]]:
    """The chooser form's other fields (hidden, the unit and date order, the year) as it would post them, and each
    column's select with its selected field ("" for none)."""
    form = html.split('id="columns-form"')[1].split("</form>")[0]
    other = dict(re.findall(r'<input (?:type="hidden" )?name="(\w+)"[^>]*? value="([^"]*)"', form))
    selects = {}
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        picked = re.search(r'<option (?:value="(\w*)" )?selected[^>]*>([^<]*)<', body)
        value = (picked.group(1) if picked.group(1) is not None else picked.group(2)) if picked else ""
        (selects if name.startswith("map_") else other)[name] = value
    return other, selects


def form_of(html: str, form_id: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', html.split(f'id="{form_id}"')[1].split("</form>")[0]))


def sets_of(home: Path, athlete: str = "lee") -> list[tuple[str, str, float, int, str | None]]:
    with Store(home / "peri.db") as s:
        a = s.get_athlete(athlete)
        return [(x.started_at.date().isoformat(), st.exercise, round(st.weight_kg, 3), st.reps, st.note)
                for x in s.sessions(a.id) for st in x.sets]


def test_a_file_peri_cannot_place_shows_its_columns_and_first_rows(client: TestClient, tmp_path: Path, home: Path) -> None:
    r = upload_odd(client, tmp_path)
    assert r.status_code == 400
    said = alert(r.text)
    assert "no column holds the date" in said and "choose below which column holds the date" in said
    assert "myapp.csv" in said and str(home) not in said  # the person's file, not the server's copy
    head = r.text.split('id="columns"')[1].split("</table>")[0]
    assert [unescape(h) for h in re.findall(r"<th title=[^>]*>(.*?)</th>", head)] == ["When", "Lift", "Load", "Count", "Comment"]
    assert "felt good" in head and "2024-03-06" in head  # the first rows under the header
    _, selects = chooser(r.text)
    # each column pre-chosen as its name reads (the names peri knows), the others left to the person
    assert selects == {"map_0": "", "map_1": "exercise", "map_2": "weight", "map_3": "", "map_4": "note"}
    assert athletes_in(home) == [] and len(uploads_left(home)) == 1  # nothing written; the upload kept to choose


def test_chosen_columns_preview_the_first_sets_then_import(client: TestClient, tmp_path: Path, home: Path) -> None:
    hidden, selects = chooser(upload_odd(client, tmp_path).text)
    r = client.post("/import/mapped", data={**hidden, **selects, "map_0": "date", "map_3": "reps", "unit": "lb"})
    assert r.status_code == 200, alert(r.text)
    assert "would add <b>2</b> sessions, <b>3</b> sets" in r.text
    sample = r.text.split('id="sample"')[1].split("</table>")[0]
    rows = [[unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in sample.split("<tr>")[2:]]
    assert rows == [["2024-03-04", "", "Squat", "225 lb", "5", "felt good"], ["2024-03-04", "", "Squat", "235 lb", "3", ""],
                    ["2024-03-06", "", "Bench", "135 lb", "8", ""]]
    assert athletes_in(home) == []  # a preview writes nothing
    confirm = form_of(r.text, "confirm-form")
    assert (confirm["fmt"], confirm["map_0"], confirm["map_3"], confirm["unit"]) == ("csv", "date", "reps", "lb")
    done = client.post("/import/confirm", data=confirm)
    assert done.status_code == 200, alert(done.text)
    # 225 lb = 102.058 kg, 235 lb = 106.594 kg, 135 lb = 61.235 kg (x 0.45359237)
    assert sets_of(home) == [("2024-03-04", "Squat", 102.058, 5, "felt good"), ("2024-03-04", "Squat", 106.594, 3, None),
                             ("2024-03-06", "Bench", 61.235, 8, None)]
    assert uploads_left(home) == []


def test_a_column_read_by_its_name_can_be_read_as_another_field(client: TestClient, tmp_path: Path, home: Path) -> None:
    text = "Date,Exercise,Weight,Reps,Label\n2024-03-04,Squat,100,5,Leg day\n2024-03-06,Bench,80,8,Push day\n"
    r = upload_odd(client, tmp_path, text, unit="kg")
    assert r.status_code == 200, alert(r.text)
    assert 'id="choose-columns"' in r.text  # read by its column names: the chooser is offered
    r = client.post("/import/columns", data=form_of(r.text, "choose-columns-form"))
    assert r.status_code == 200, alert(r.text)
    hidden, selects = chooser(r.text)
    assert selects["map_0"] == "date" and selects["map_4"] == ""  # "Label" is no name peri knows
    r = client.post("/import/mapped", data={**hidden, **selects, "map_4": "session_name"})
    assert r.status_code == 200, alert(r.text)
    done = client.post("/import/confirm", data=form_of(r.text, "confirm-form"))
    assert done.status_code == 200, alert(done.text)
    with Store(home / "peri.db") as s:
        assert [x.name for x in s.sessions(s.get_athlete("lee").id)] == ["Leg day", "Push day"]


def test_an_apps_own_export_offers_no_chooser(client: TestClient, home: Path) -> None:
    from test_web import FIXTURES, token_of, upload

    r = upload(client, FIXTURES / "strong_ios.csv", token=token_of(client))
    assert r.status_code == 200, alert(r.text)
    assert 'id="choose-columns"' not in r.text


@pytest.mark.parametrize("change, field, says", [
    ({"map_0": "date", "map_3": "date"}, "map_3", "date is chosen for two columns"),
    ({"map_0": "date", "map_3": "sets_and_reps"}, "map_3", "not one of peri's fields"),
    ({"map_0": "date", "map_9": "reps"}, "map_9", "has no column 10"),
    ({"map_0": "date", "map_x": "reps"}, "map_x", "names no column"),
])
def test_a_hostile_choice_is_refused_naming_the_column(client: TestClient, tmp_path: Path, home: Path, change: dict,
                                                       field: str, says: str) -> None:
    hidden, selects = chooser(upload_odd(client, tmp_path).text)
    before = dump(home)
    r = client.post("/import/mapped", data={**hidden, **selects, **change})
    assert r.status_code == 400
    said = unescape(alert(r.text))
    assert field in said and says in said
    assert dump(home) == before and len(uploads_left(home)) == 1  # nothing written, the upload still there
    if 'id="columns-form"' in r.text:  # the chooser again, with the person's choices as they sent them
        assert chooser(r.text)[1]["map_0"] == "date"


def test_choices_the_file_still_cannot_read_keep_the_chooser_with_them(client: TestClient, tmp_path: Path,
                                                                       home: Path) -> None:
    hidden, selects = chooser(upload_odd(client, tmp_path).text)
    r = client.post("/import/mapped", data={**hidden, **selects, "map_0": "date", "map_3": "reps"})  # no unit chosen
    assert r.status_code == 400 and "weight unit" in alert(r.text) and "--unit" not in alert(r.text)
    _, again = chooser(r.text)
    assert (again["map_0"], again["map_3"]) == ("date", "reps")
    assert athletes_in(home) == []


def test_a_repeated_column_name_is_refused_for_all_but_the_first(client: TestClient, tmp_path: Path, home: Path) -> None:
    text = "When,Lift,Load,Count,Count\n2024-03-04,Squat,100,5,3\n"
    hidden, selects = chooser(upload_odd(client, tmp_path, text).text)
    r = client.post("/import/mapped", data={**hidden, **selects, "map_0": "date", "map_4": "reps", "unit": "kg"})
    assert r.status_code == 400 and "map_4" in alert(r.text) and "same name as column 4" in alert(r.text)


def test_a_header_with_markup_is_shown_as_text(client: TestClient, tmp_path: Path) -> None:
    r = upload_odd(client, tmp_path, "When,<script>x</script>,Load\n2024-03-04,Squat,100\n")
    assert 'id="columns"' in r.text
    assert "<script>x</script>" not in r.text and "&lt;script&gt;" in r.text


@pytest.mark.parametrize("url", ["/import/mapped", "/import/columns", "/import/confirm"])
def test_a_forged_or_tokenless_post_is_refused_and_nothing_written(client: TestClient, tmp_path: Path, home: Path,
                                                                   url: str) -> None:
    hidden, selects = chooser(upload_odd(client, tmp_path).text)
    good = {**hidden, **selects, "map_0": "date", "map_3": "reps", "unit": "kg", "fmt": "csv"}
    for bad in ({**good, "upload_id": "0" * 32}, {**good, "upload_id": "../../peri.db"},
                {k: v for k, v in good.items() if k != "csrf"}):
        r = client.post(url, data=bad)
        assert r.status_code in (400, 403, 404) and alert(r.text)
    assert athletes_in(home) == [] and len(uploads_left(home)) == 1


def test_columns_posted_with_an_apps_format_are_refused(client: TestClient, tmp_path: Path, home: Path) -> None:
    hidden, selects = chooser(upload_odd(client, tmp_path).text)
    r = client.post("/import/confirm", data={**hidden, **selects, "map_0": "date", "map_3": "reps", "unit": "kg",
                                             "fmt": "strong"})
    assert r.status_code == 400 and "fmt" in alert(r.text)
    assert athletes_in(home) == []


def test_a_file_chosen_as_an_apps_export_that_is_not_one_offers_the_chooser(client: TestClient, tmp_path: Path,
                                                                            home: Path) -> None:
    r = upload_odd(client, tmp_path, fmt="strong")  # the person picked Strong for an app peri has never seen
    assert r.status_code == 400 and "not a Strong export" in alert(r.text)
    hidden, selects = chooser(r.text)
    r = client.post("/import/mapped", data={**hidden, **selects, "map_0": "date", "map_3": "reps", "unit": "kg"})
    assert r.status_code == 200, alert(r.text)
    done = client.post("/import/confirm", data=form_of(r.text, "confirm-form"))
    assert done.status_code == 200, alert(done.text)
    assert [s[:4] for s in sets_of(home)] == [("2024-03-04", "Squat", 225.0, 5), ("2024-03-04", "Squat", 235.0, 3),
                                              ("2024-03-06", "Bench", 135.0, 8)]
