"""The stated profile as a form on the athlete page: saved through `set_profile` as `peri athlete set` saves it
(read back from the store with each field's source), a blank field read from the log again, injuries turned into
the regions the coach avoids, and every hostile value refused with the field named and nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.models import Athlete
from peri.log.store import Store
from test_web import alert, app, client, csrf_of, dump, sam  # noqa: F401  (fixtures)

FULL = {"level": "advanced", "days_per_week": "3", "goal": "strength", "split": "full body",
        "equipment": "barbell, dumbbell", "age": "41", "body_mass_kg": "82.5",
        "constraints": "left shoulder impingement\r\nknee pain on deep squats"}


def stored(home: Path, name: str = "sam") -> Athlete:
    with Store(home / "peri.db") as s:
        return s.get_athlete(name)


def post(client: TestClient, data: dict, name: str = "sam"):
    token = csrf_of(client.get(f"/athletes/{name}").text)
    return client.post(f"/athletes/{name}/profile", data={"csrf": token, **data})


def test_the_form_states_each_field_given_as_peri_athlete_set_does(client: TestClient, sam: str, home: Path) -> None:
    r = post(client, FULL)
    assert r.status_code == 200, alert(r.text)
    a = stored(home)
    assert (a.level.value, a.days_per_week, a.goal.value, a.split) == ("advanced", 3, "strength", "full body")
    assert a.equipment == ["barbell", "dumbbell"] and a.age == 41 and a.body_mass_kg == 82.5
    assert a.constraints == ["left shoulder impingement", "knee pain on deep squats"]
    assert a.constraint_regions == ["shoulder", "knee"]  # what the coach's safety reads, in REGIONS order
    assert all(a.source(f).kind == "stated" for f in ("level", "days_per_week", "goal", "split", "equipment"))
    profile = r.text.split('id="profile"')[1].split("</table>")[0]
    assert "<td>days_per_week</td>\n      <td>3</td>\n      <td>stated</td>" in profile
    form = r.text.split('id="profile-form"')[1].split("</form>")[0]
    assert 'name="days_per_week" type="number" min="1" max="7" value="3"' in form  # the form shows what is stated
    assert "<option selected>advanced</option>" in form
    assert "regions the coach avoids loading: shoulder, knee" in r.text


def test_a_blank_field_goes_back_to_the_log(client: TestClient, sam: str, home: Path) -> None:
    post(client, FULL)
    r = post(client, {**FULL, "days_per_week": "", "split": ""})
    assert r.status_code == 200, alert(r.text)
    a = stored(home)
    assert a.source("days_per_week").kind == "unknown" and a.source("split").kind == "unknown"  # not stated any more
    assert a.source("level").kind == "stated" and a.level.value == "advanced"  # the rest unchanged
    profile = r.text.split('id="profile"')[1].split("</table>")[0]
    days_row = profile.split("<td>days_per_week</td>")[1].split("</tr>")[0]
    assert "derived from the log" in days_row  # the page now shows the log's value and says so


def test_clearing_age_and_injuries_clears_them(client: TestClient, sam: str, home: Path) -> None:
    post(client, FULL)
    r = post(client, {**FULL, "age": "", "body_mass_kg": "", "constraints": ""})
    assert r.status_code == 200, alert(r.text)
    a = stored(home)
    assert a.age is None and a.body_mass_kg is None and a.constraints == [] and a.constraint_regions == []


def test_an_unchanged_form_changes_nothing(client: TestClient, sam: str, home: Path) -> None:
    """Posting the form as the page fills it in keeps every field and its source (nothing derived becomes stated)."""
    import re

    post(client, {**FULL, "split": ""})
    before = stored(home)
    form = client.get("/athletes/sam").text.split('id="profile-form"')[1].split("</form>")[0]
    data = dict(re.findall(r'<input name="(\w+)"[^>]*value="([^"]*)"', form))
    data.update(re.findall(r'<select name="(\w+)">.*?<option selected>([^<]*)</option>', form, re.S))
    data["constraints"] = re.search(r'<textarea name="constraints"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    r = client.post("/athletes/sam/profile", data={**data, "csrf": csrf_of(form)})
    assert r.status_code == 200, alert(r.text)
    assert stored(home) == before


@pytest.mark.parametrize("field, value, words", [
    ("level", "god-tier", "not one of the choices"),
    ("days_per_week", "9", "outside 1-7"),
    ("days_per_week", "3; DROP TABLE athletes", "not a whole number"),
    ("days_per_week", "2.5", "not a whole number"),
    ("goal", "<script>", "not one of the choices"),
    ("split", "x" * 61, "at most 60"),
    ("split", "upper\nlower", "control"),
    ("equipment", ",".join(f"e{i}" for i in range(21)), "at most 20"),
    ("equipment", "barbell, " + "z" * 61, "longer than 60"),
    ("age", "-1", "outside 10-100"),
    ("body_mass_kg", "nan", "outside 20-400"),
    ("body_mass_kg", "inf", "outside 20-400"),
    ("body_mass_kg", "1e9", "outside 20-400"),
    ("constraints", "\n".join(f"sore {i}" for i in range(21)), "at most 20"),
    ("constraints", "knee\n" + "a" * 201, "longer than 200"),
    ("unit", "stone", "not one of the choices"),
])
def test_a_hostile_value_is_refused_by_field_and_nothing_written(client: TestClient, sam: str, home: Path,
                                                                 field: str, value: str, words: str) -> None:
    before = dump(home)
    r = post(client, {**FULL, field: value})
    assert r.status_code == 400
    msg = alert(r.text)
    assert msg.strip().startswith(f"{field}:") and words in msg, msg
    assert dump(home) == before


def test_the_unit_loads_are_shown_in_is_stated_and_cleared_on_the_form(client: TestClient, sam: str, home: Path) -> None:
    page = client.get("/athletes/sam").text
    # the simulated log is kept in kg: the weekly table says so, and the blank option names it
    assert "<th>tonnage kg</th>" in page and "as logged (kg)" in page
    kg_tonnage = page.split('id="weekly"')[1].split("<td>")[5].split("<")[0]
    r = post(client, {**FULL, "unit": "lb"})
    assert r.status_code == 200, alert(r.text)
    assert stored(home).unit == "lb"
    assert "<th>tonnage lb</th>" in r.text and "<option selected>lb</option>" in r.text.split('id="profile-form"')[1]
    lb_tonnage = r.text.split('id="weekly"')[1].split("<td>")[5].split("<")[0]
    # the same week's tonnage, times 2.2046 (each rounded to whole units on the page)
    assert abs(float(lb_tonnage.replace(",", "")) - float(kg_tonnage.replace(",", "")) / 0.45359237) <= 3
    # the chart beside the table too
    chart = r.text.split('id="stats-chart"')[1].split("</figure>")[0]
    assert "Estimated 1RM (lb), top lifts" in chart and "Tonnage per week (1,000 lb)" in chart
    assert "Estimated 1RM (kg), top lifts" in page.split('id="stats-chart"')[1].split("</figure>")[0]
    r = post(client, {**FULL, "unit": ""})
    assert stored(home).unit is None and "<th>tonnage kg</th>" in r.text


def test_an_unknown_athlete_is_refused_and_nothing_written(client: TestClient, sam: str, home: Path) -> None:
    before = dump(home)
    token = csrf_of(client.get("/athletes/sam").text)
    r = client.post("/athletes/nobody/profile", data={"csrf": token, **FULL})
    assert r.status_code == 404 and "nobody" in alert(r.text)
    assert dump(home) == before


def test_text_in_the_profile_is_escaped_on_the_page(client: TestClient, sam: str, home: Path) -> None:
    r = post(client, {**FULL, "split": '"><script>x</script>', "constraints": "</textarea><script>y</script>"})
    assert r.status_code == 200, alert(r.text)
    assert "<script>" not in r.text
    assert stored(home).split == '"><script>x</script>'
