"""The Exercises page (`/athletes/NAME/exercises`): the logged names the catalog does not know, with their set
counts and `suggest`'s proposals; a name mapped from the page (a proposal, or an exercise found by searching the
catalog) through `add_alias` as `peri catalog alias` maps it; the confident proposals accepted at once; and every
hostile form refused with the field named and nothing written."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.catalog import default_catalog
from peri.log.importers import import_file
from peri.log.models import Athlete, Session, WorkoutSet
from peri.log.name_mapping import unmapped
from peri.log.store import Store
from test_web import HOST, alert, app, client, csrf_of, dump, sam  # noqa: F401  (fixtures)

KG = {"unit": "kg"}  # the file does not say its unit; 50 x 8 cannot tell kg from lb
HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"


def strong_csv(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    """A Strong export: (date, exercise, set order) rows, 50 kg x 8 each."""
    path.write_text(HEADER + "".join(f'{d} 18:00:00,"Day",1h,"{n}",{o},50,8,0,0,,,\n' for d, n, o in rows))
    return path


@pytest.fixture
def lee(home: Path, tmp_path: Path) -> str:
    """lee: 8 sets, 2 in the catalog (Squat (Barbell)), 3 Birddog, 2 Cable Kickback, 1 Lateral Squat; and kim,
    who logged one 'birddog' (another athlete, the same name in lower case)."""
    rows = [("2024-03-04", "Squat (Barbell)", 1), ("2024-03-04", "Squat (Barbell)", 2),
            ("2024-03-04", "Birddog", 1), ("2024-03-04", "Birddog", 2), ("2024-03-06", "Birddog", 1),
            ("2024-03-06", "Cable Kickback", 1), ("2024-03-06", "Cable Kickback", 2), ("2024-03-06", "Lateral Squat", 1)]
    with Store(home / "peri.db") as s:
        report = import_file(s, "lee", "strong", strong_csv(tmp_path / "lee.csv", rows), mapping=KG, create_athlete=True)
        assert report.sets_new == 8 and sorted(report.unmapped_exercises) == ["Birddog", "Cable Kickback", "Lateral Squat"]
        import_file(s, "kim", "strong", strong_csv(tmp_path / "kim.csv", [("2024-03-05", "birddog", 1)]), mapping=KG,
                    create_athlete=True)
    return "lee"


def ids_of(home: Path, athlete: str) -> list[tuple[str, str | None]]:
    with Store(home / "peri.db") as s:
        return sorted((st.exercise, st.exercise_id) for sess in s.sessions(s.get_athlete(athlete).id) for st in sess.sets)


def unmapped_names(home: Path, athlete: str) -> dict[str, int]:
    with Store(home / "peri.db") as s:
        found = unmapped(s, s.get_athlete(athlete).id, default_catalog())
    return {n.name: n.sets for n in found.names}


def row_of(html: str, name: str) -> str:
    for row in html.split('id="unmapped"')[1].split("</table>")[0].split("<tr id=")[1:]:
        if row.split("<td>")[1].split("</td>")[0] == name:
            return row
    raise AssertionError(f"no row for {name!r}")


def radios(row: str) -> list[tuple[str, bool]]:
    return [(v, bool(c)) for v, c in re.findall(r'type="radio" name="exercise" value="([^"]+)" (checked)?', row)]


def test_the_page_lists_each_unknown_name_with_its_sets_and_a_proposal_with_why(client: TestClient, lee: str) -> None:
    r = client.get("/athletes/lee/exercises")
    assert r.status_code == 200, alert(r.text)
    assert "6 of 8 sets carry no catalog exercise" in r.text and "(3 names)" in r.text
    table = r.text.split('id="unmapped"')[1].split("</table>")[0]
    names = re.findall(r'<tr id="row-\d+"><td>([^<]+)</td><td>(\d+)</td>', table)
    assert names == [("Birddog", "3"), ("Cable Kickback", "2"), ("Lateral Squat", "1")]  # most sets first
    assert "Squat (Barbell)" not in table
    lateral = row_of(r.text, "Lateral Squat")
    assert "ambiguous" in lateral and "search" in lateral  # why: the matcher saw two movements
    assert 'id="accept-form"' not in r.text  # search guesses are never offered in bulk
    link = client.get("/athletes/lee").text.split('id="exercises-link"')[1].split("</a>")[0]
    assert link.endswith("Exercises (3 not in the catalog)")  # linked from the athlete page, saying why to go


def test_a_name_mapped_to_an_exercise_found_by_search_remaps_every_athletes_sets(client: TestClient, lee: str,
                                                                                home: Path) -> None:
    page = client.get("/athletes/lee/exercises", params={"for": "Birddog", "q": "side bridge"}).text
    row = row_of(page, "Birddog")
    found = radios(row)
    assert found[0] == ("London_Bridges", False)  # the proposal still offered
    assert found[1] == ("Side_Bridge", True)  # the best search hit chosen
    assert len(found) == 1 + 10 - 1  # the proposal and the ten hits, the proposal (a hit too) listed once
    r = client.post("/athletes/lee/exercises/map", data={"csrf": csrf_of(page), "name": "Birddog", "exercise": "Side_Bridge"})
    assert r.status_code == 200, alert(r.text)
    assert "is now mapped to Side Bridge (Side_Bridge): 3 of your sets carry it" in r.text
    assert [x for x in ids_of(home, "lee") if x[0] == "Birddog"] == [("Birddog", "Side_Bridge")] * 3
    assert ids_of(home, "kim") == [("birddog", "Side_Bridge")]  # as `peri catalog alias`: every athlete
    assert unmapped_names(home, "lee") == {"Cable Kickback": 2, "Lateral Squat": 1}
    assert "3 of 8 sets carry no catalog exercise" in r.text and "<td>Birddog</td>" not in r.text
    assert "Exercises (2 not in the catalog)" in client.get("/athletes/lee").text


def test_the_proposal_is_accepted_as_the_page_fills_the_form(client: TestClient, lee: str, home: Path) -> None:
    page = client.get("/athletes/lee/exercises").text
    row = row_of(page, "Cable Kickback")
    assert radios(row) == [("One-Legged_Cable_Kickback", True)]
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', row.split('class="map-form"')[1].split("</form>")[0]))
    r = client.post("/athletes/lee/exercises/map", data={**form, "csrf": csrf_of(page)})
    assert r.status_code == 200, alert(r.text)
    assert [x for x in ids_of(home, "lee") if x[0] == "Cable Kickback"] == [("Cable Kickback", "One-Legged_Cable_Kickback")] * 2
    assert unmapped_names(home, "lee") == {"Birddog": 3, "Lateral Squat": 1}


def test_a_search_without_hits_says_so(client: TestClient, lee: str) -> None:
    row = row_of(client.get("/athletes/lee/exercises", params={"for": "Birddog", "q": "!!!"}).text, "Birddog")
    assert "no catalog exercise matches" in row
    assert [v for v, _ in radios(row)] == ["London_Bridges"]  # the proposal alone


@pytest.fixture
def old_log(home: Path) -> str:
    """ann: names stored unmapped, as an import from before the word tables knew them would have left them."""
    day = dt.datetime(2024, 3, 4, 18, 0)
    sets = [WorkoutSet(exercise="Squat", reps=5, weight_kg=100, order=1),
            WorkoutSet(exercise="Squat", reps=5, weight_kg=100, order=2),
            WorkoutSet(exercise="DB Incline Press", reps=10, weight_kg=30, order=3),
            WorkoutSet(exercise="Zorbing Squat", reps=8, weight_kg=60, order=4)]
    with Store(home / "peri.db") as s:
        a = s.add_athlete(Athlete(name="ann"))
        s.add_sessions(a.id, [Session(started_at=day, sets=sets, source="strong")])
    return "ann"


def test_the_confident_proposals_are_accepted_at_once_and_only_they(client: TestClient, old_log: str, home: Path) -> None:
    page = client.get("/athletes/ann/exercises").text
    bulk = page.split('id="accept-form"')[1].split("</form>")[0]
    names = re.findall(r'name="name" value="([^"]+)"', bulk)
    assert names == ["Squat", "DB Incline Press"]  # the base-movement guess for "Zorbing Squat" is left out
    r = client.post("/athletes/ann/exercises/accept", data={"csrf": csrf_of(page), "name": names})
    assert r.status_code == 200, alert(r.text)
    assert "Accepted 2 proposals" in r.text
    assert ids_of(home, "ann") == [("DB Incline Press", "Incline_Dumbbell_Press"), ("Squat", "Barbell_Squat"),
                                   ("Squat", "Barbell_Squat"), ("Zorbing Squat", None)]
    assert unmapped_names(home, "ann") == {"Zorbing Squat": 1}
    assert 'id="accept-form"' not in r.text


def test_a_bulk_accept_naming_a_guess_is_refused_whole(client: TestClient, old_log: str, home: Path) -> None:
    token = csrf_of(client.get("/athletes/ann/exercises").text)
    before = dump(home)
    r = client.post("/athletes/ann/exercises/accept", data={"csrf": token, "name": ["Squat", "Zorbing Squat"]})
    assert r.status_code == 400
    assert "name" in alert(r.text) and "Zorbing Squat" in alert(r.text) and "no confident proposal" in alert(r.text)
    assert dump(home) == before


@pytest.mark.parametrize("url, data, field, status", [
    ("/athletes/lee/exercises/map", {"name": "Birddog", "exercise": "No_Such_Exercise"}, "exercise", 400),
    ("/athletes/lee/exercises/map", {"name": "Birddog", "exercise": ""}, "exercise", 400),
    ("/athletes/lee/exercises/map", {"name": "Deadlift Dance", "exercise": "Side_Bridge"}, "name", 400),
    ("/athletes/lee/exercises/map", {"name": "birddog", "exercise": "Side_Bridge"}, "name", 400),  # kim's, not lee's
    ("/athletes/lee/exercises/map", {"name": "B" * 201, "exercise": "Side_Bridge"}, "name", 400),
    ("/athletes/lee/exercises/map", {"name": "Birddog", "exercise": "S" * 101}, "exercise", 400),
    ("/athletes/lee/exercises/map", {"name": "Bird\x00dog", "exercise": "Side_Bridge"}, "name", 400),
    ("/athletes/nobody/exercises/map", {"name": "Birddog", "exercise": "Side_Bridge"}, "nobody", 404),
    ("/athletes/lee/exercises/accept", {"name": "Birddog"}, "name", 400),  # a search guess, not confident
    ("/athletes/lee/exercises/accept", {}, "name", 400),
])
def test_a_hostile_mapping_is_refused_naming_the_field_and_nothing_written(
        client: TestClient, lee: str, home: Path, url: str, data: dict, field: str, status: int) -> None:
    token = csrf_of(client.get("/athletes/lee/exercises").text)
    before = dump(home)
    r = client.post(url, data={"csrf": token, **data})
    assert r.status_code == status, alert(r.text)
    assert field in alert(r.text) and "Traceback" not in r.text
    assert dump(home) == before


@pytest.mark.parametrize("url", ["/athletes/lee/exercises/map", "/athletes/lee/exercises/accept"])
@pytest.mark.parametrize("token", [None, "0" * 64])
def test_a_forged_mapping_post_is_refused_and_nothing_written(client: TestClient, lee: str, home: Path, url: str,
                                                             token: str | None) -> None:
    before = dump(home)
    data = {"name": "Birddog", "exercise": "Side_Bridge", **({"csrf": token} if token else {})}
    r = client.post(url, data=data)
    assert r.status_code == 403 and "security token" in alert(r.text)
    r = client.post(url, data={**data, "csrf": csrf_of(client.get("/athletes/lee/exercises").text)},
                    headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    assert dump(home) == before


def test_an_unknown_athlete_or_an_overlong_search_is_a_message(client: TestClient, lee: str) -> None:
    r = client.get("/athletes/nobody/exercises")
    assert r.status_code == 404 and "nobody" in alert(r.text)
    r = client.get("/athletes/lee/exercises", params={"for": "Birddog", "q": "x" * 101})
    assert r.status_code == 400 and "search" in alert(r.text)


def test_names_are_escaped_on_the_page(client: TestClient, home: Path, tmp_path: Path) -> None:
    with Store(home / "peri.db") as s:
        import_file(s, "eve", "strong", strong_csv(tmp_path / "e.csv", [("2024-03-04", "<b>Plank</b> & co", 1)]), mapping=KG,
                    create_athlete=True)
    html = client.get("/athletes/eve/exercises").text
    assert "<b>Plank</b>" not in html and "&lt;b&gt;Plank&lt;/b&gt; &amp; co" in html
