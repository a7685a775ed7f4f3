"""The web app through Starlette's test client: every page, the import preview, plans, blind rating, decide,
Peri, journeys — and the hostile cases (oversized upload, garbled export, forged cross-site POST, missing
token, a non-loopback bind without one), each refused with a clear message and nothing written."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.errors import ConfigError
from peri.log.models import Athlete
from peri.log.store import Store
from peri.web.app import WebSettings, create_app
from peri.web.safety import check_bind, is_loopback

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
HOST = "http://testserver"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def alert(html: str) -> str:
    m = re.search(r'role="alert"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", " ", m.group(1)) if m else ""


@pytest.fixture
def app(home: Path):
    a = create_app(WebSettings(max_upload_bytes=200_000))
    yield a
    a.pages.jobs.shutdown()


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app, base_url=HOST)


@pytest.fixture
def sam(home: Path) -> str:
    from peri.sim.generate import simulate

    with Store(home / "peri.db") as s:
        simulate(s, "seed", seed=7, weeks=12, athlete_name="sam")
    return "sam"


def token_of(client: TestClient, url: str = "/import") -> str:
    return csrf_of(client.get(url).text)


def upload(client: TestClient, path: Path, athlete: str = "lee", fmt: str = "strong", token: str | None = None,
           **headers: str):
    data = {"athlete": athlete, "fmt": fmt, "unit": ""}
    if token is not None:
        data["csrf"] = token
    with open(path, "rb") as f:
        return client.post("/import/preview", data=data, files={"file": (path.name, f, "text/csv")}, headers=headers)


def dump(home: Path) -> dict:
    """Everything the store holds, to show a refused form wrote nothing."""
    with Store(home / "peri.db") as s:
        return s.dump()


def athletes_in(home: Path) -> list[str]:
    with Store(home / "peri.db") as s:
        return [a.name for a in s.list_athletes()]


def uploads_left(home: Path) -> list[Path]:
    d = home / "uploads"
    return list(d.iterdir()) if d.exists() else []


# --- pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, expect", [
    ("/athletes", "sam"), ("/athletes/sam", "stated"), ("/prompt?athlete=sam", "Tokens by section"),
    ("/plans?athlete=sam", "Generate"), ("/blind?athlete=sam", "Plan A"), ("/experiment?athlete=sam", "prompt experiment"),
    ("/decide?athlete=sam", "Recommendation:"), ("/peri?athlete=sam", "Ask Peri"), ("/journey?athlete=sam", "Next:"),
    ("/import", "Preview"), ("/athletes/sam/notes", "Add a note"), ("/tune?athlete=sam", "Build the dataset"),
])
def test_every_page_renders_for_a_simulated_athlete(client: TestClient, sam: str, url: str, expect: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, alert(r.text)
    assert expect in r.text
    assert "Traceback" not in r.text


def test_athlete_page_shows_each_fields_source_and_a_stats_chart(client: TestClient, sam: str) -> None:
    html = client.get("/athletes/sam?weeks=6").text
    profile = html.split('id="profile"')[1].split("</table>")[0]
    for field in ("level", "days_per_week", "goal", "split", "equipment"):
        assert f"<td>{field}</td>" in profile
    assert "stated" in profile  # the preset states its profile
    assert html.count("<svg") == 1 and 'id="stats-chart"' in html
    weekly = html.split('id="weekly"')[1].split("</table>")[0]
    assert weekly.count("<tr>") == 1 + 6  # header + the six weeks asked for


def test_prompt_page_token_bar_matches_the_sections(client: TestClient, sam: str, home: Path) -> None:
    from peri.log.catalog import default_catalog
    from peri.log.context import load_context
    from peri.plans.schema import Scenario
    from peri.prompts.builder import build_prompt
    from peri.prompts.tokens import tokenizer_for

    html = client.get("/prompt?athlete=sam&detail=2&scenario=deload&budget=500").text
    with Store(home / "peri.db") as s:
        built = build_prompt(load_context(s, "sam"), default_catalog(), Scenario.deload, 2,
                             tokenizer=tokenizer_for("embedded", store=s), budget=500)
    bar = html.split('id="token-bar"')[1].split('class="legend"')[0]
    shown = sum(int(t) for t in re.findall(r'title="[a-z_]+: (\d+) tokens"', bar))
    assert shown == sum(s.tokens for s in built.sections if s.tokens)
    assert f"{built.context_tokens} / 500" in html


# --- import by upload ------------------------------------------------------------------------------------


def test_upload_previews_then_writes_only_on_confirm(client: TestClient, home: Path) -> None:
    r = upload(client, FIXTURES / "strong_ios.csv", token=token_of(client))
    assert r.status_code == 200, alert(r.text)
    assert "nothing written yet" in r.text and "would add" in r.text
    assert athletes_in(home) == []  # the dry run created no athlete
    assert "uploads" not in r.text.split('id="import-report"')[1].split("</ul>")[0]  # the server path is not shown
    would = int(re.search(r"would add <b>(\d+)</b> sessions", r.text).group(1))
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200, alert(done.text)
    assert f"added <b>{would}</b> sessions" in done.text
    with Store(home / "peri.db") as s:
        a = s.get_athlete("lee")
        assert len(s.sessions(a.id)) == would
    assert uploads_left(home) == []  # the upload is deleted once imported
    again = client.post("/import/confirm", data=form)  # the same confirmation twice: refused, nothing doubled
    assert again.status_code == 404 and "no longer here" in alert(again.text)


def test_a_person_who_does_not_know_the_app_uploads_with_detect_and_a_date_order(client: TestClient, home: Path,
                                                                                tmp_path: Path) -> None:
    # the form's default app is "detect from the file"; a sheet of the person's own is read by its column names
    form_html = client.get("/import").text
    assert re.search(r'<select name="fmt"><option value="auto">detect from the file', form_html)
    sheet = tmp_path / "my log.csv"
    sheet.write_text("Date,Exercise,Weight (kg),Reps\n03/04/2026,Back Squat,100,5\n05/04/2026,Bench Press,70,8\n")
    token = token_of(client)
    with open(sheet, "rb") as f:
        r = client.post("/import/preview", data={"athlete": "lee", "fmt": "auto", "unit": "", "date_order": "dmy",
                                                 "csrf": token}, files={"file": (sheet.name, f, "text/csv")})
    assert r.status_code == 200, alert(r.text)
    assert "read by its column names" in r.text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', r.text.split('id="confirm-form"')[1]))
    assert form["date_order"] == "dmy" and form["fmt"] == "auto"
    done = client.post("/import/confirm", data=form)
    assert done.status_code == 200, alert(done.text)
    with Store(home / "peri.db") as s:
        days = sorted(x.started_at.date().isoformat() for x in s.sessions(s.get_athlete("lee").id))
    assert days == ["2026-04-03", "2026-04-05"]  # day first, as chosen; month first would be 4 March and 4 May

    # a Hevy export through the same default goes to the Hevy importer
    with open(FIXTURES / "hevy.csv", "rb") as f:
        r = client.post("/import/preview", data={"athlete": "kim", "fmt": "auto", "unit": "", "csrf": token},
                        files={"file": ("workouts.csv", f, "text/csv")})
    assert r.status_code == 200, alert(r.text)
    assert "read as a Hevy export" in r.text


def test_a_forged_date_order_is_refused_by_name_and_nothing_kept(client: TestClient, home: Path) -> None:
    with open(FIXTURES / "strong_ios.csv", "rb") as f:
        r = client.post("/import/preview", data={"athlete": "lee", "fmt": "auto", "unit": "",
                                                 "date_order": "%Y<script>", "csrf": token_of(client)},
                        files={"file": ("s.csv", f, "text/csv")})
    assert r.status_code == 400
    assert "date order" in alert(r.text) and "<script>" not in r.text
    assert athletes_in(home) == [] and uploads_left(home) == []


def test_oversized_upload_is_refused_and_nothing_written(client: TestClient, home: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes((FIXTURES / "strong_ios.csv").read_bytes() * 400)
    assert big.stat().st_size > 200_000
    r = upload(client, big, token=token_of(client))
    assert r.status_code == 413
    assert "larger than" in r.text and "nothing was read or written" in r.text
    assert athletes_in(home) == [] and uploads_left(home) == []


def test_garbled_export_is_refused_with_its_reason_and_nothing_written(client: TestClient, home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_bytes(b"\x00\xff\xfegarbage,,,\n" + bytes(range(256)) * 20)
    r = upload(client, bad, token=token_of(client))
    assert r.status_code == 400
    text = alert(r.text)
    assert "export.csv" in text and str(home) not in text  # named by the person's file name, not the server path
    assert "Traceback" not in r.text
    assert athletes_in(home) == [] and uploads_left(home) == []


def test_forged_cross_site_post_is_refused_and_nothing_written(client: TestClient, home: Path) -> None:
    token = token_of(client)
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"},
                    {"referer": "http://evil.example/page.html"}):
        r = upload(client, FIXTURES / "strong_ios.csv", token=token, **headers)
        assert r.status_code == 403 and "refused" in alert(r.text) and "nothing was changed" in alert(r.text)
    fresh = TestClient(client.app, base_url=HOST)  # another browser: its own session, no valid token
    r = upload(fresh, FIXTURES / "strong_ios.csv", token=token)
    assert r.status_code == 403 and "does not match this session" in alert(r.text)
    r = upload(client, FIXTURES / "strong_ios.csv")  # no token at all
    assert r.status_code == 403
    assert athletes_in(home) == [] and uploads_left(home) == []


@pytest.mark.parametrize("url, data", [
    ("/plans/generate", {"athlete": "sam", "model": "rules"}), ("/plans/rate", {"generation": "1", "rating": "5"}),
    ("/blind/start", {"athlete": "sam", "arm": "rules"}), ("/experiment/start", {"athlete": "sam"}),
    ("/eval/start", {"athlete": "sam"}), ("/decide", {"athlete": "sam"}), ("/peri/ask", {"question": "hi"}),
    ("/journey/done", {"athlete": "sam", "journey": "prompt-sprint", "step": "history"}),
])
def test_every_form_refuses_a_post_without_this_sessions_token(client: TestClient, sam: str, home: Path, url: str,
                                                               data: dict) -> None:
    with Store(home / "peri.db") as s:
        before = s.dump()
    r = client.post(url, data=data)
    assert r.status_code == 403, url
    assert "security token" in alert(r.text)
    assert client.app.pages.jobs.jobs == {}
    with Store(home / "peri.db") as s:
        assert s.dump() == before


# --- bind and token ---------------------------------------------------------------------------------------


def test_non_loopback_bind_needs_a_token() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.8.9.1"):
        assert is_loopback(host)
        check_bind(host, None)
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.org"):
        assert not is_loopback(host)
        with pytest.raises(ConfigError, match="exposes your training log"):
            check_bind(host, None)
    with pytest.raises(ConfigError, match="at least 16"):
        check_bind("0.0.0.0", "short")
    check_bind("0.0.0.0", "x" * 16)


def test_serve_command_refuses_a_network_bind_without_token_before_listening(home: Path) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app

    r = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"], env={"PERI_WEB_TOKEN": ""})
    assert r.exit_code == 1
    assert "refusing to listen on 0.0.0.0" in r.output and "--token" in r.output
    assert not (home / "peri.db").exists()  # nothing started, nothing written


def test_with_a_token_every_request_must_carry_it(home: Path, sam: str) -> None:
    token = "t0k3n-" + "a" * 20
    app = create_app(WebSettings(token=token))
    c = TestClient(app, base_url=HOST)
    r = c.get("/athletes")
    assert r.status_code == 401 and "access token" in r.text and "sam" not in r.text
    assert c.get("/athletes", headers={"authorization": "Bearer wrong"}).status_code == 401
    r = c.get(f"/athletes?token={token}", follow_redirects=False)
    assert r.status_code == 303 and "token=" not in r.headers["location"]  # the token leaves the address bar
    assert c.get("/athletes").status_code == 200  # the cookie now carries it
    assert TestClient(app, base_url=HOST).get("/athletes", headers={"authorization": f"Bearer {token}"}).status_code == 200
    app.pages.jobs.shutdown()


# --- plans, ratings, blind comparison ----------------------------------------------------------------------


def run_job(client: TestClient, r) -> str:
    assert r.status_code == 303, alert(r.text)
    jid = r.headers["location"].rsplit("/", 1)[1]
    job = client.app.pages.jobs.wait(jid, 120)
    assert job is not None and job.status == "done", job and job.error
    page = client.get(f"/jobs/{jid}").text
    import html as h

    assert f"url={job.result_url}" in h.unescape(page)  # the status page forwards to the result
    return job.result_url


def test_generate_a_rules_plan_in_the_background_then_view_and_rate_it(client: TestClient, sam: str, home: Path) -> None:
    token = token_of(client, "/plans?athlete=sam")
    url = run_job(client, client.post("/plans/generate", data={"csrf": token, "athlete": "sam", "model": "rules",
                                                               "scenario": "normal"}, follow_redirects=False))
    gid = int(url.rsplit("/", 1)[1])
    html = client.get(url).text
    with Store(home / "peri.db") as s:
        g = s.get_generation(gid)
    assert g.approach == "rules" and g.valid
    table = html.split('id="plan"')[1].split("</table>")[0]
    assert table.count("<tr") - 1 == sum(len(d["exercises"]) for d in g.plan["days"])
    assert ("checker: no findings" in html) == (not g.findings)
    # loads in the unit the person reads (the simulated log is kg); stated pounds: the same plan in lb
    first = next(p["load_kg"] for d in g.plan["days"] for p in d["exercises"] if p.get("load_kg"))
    assert "<th>load kg</th>" in table and f"<td>{first:g}</td>" in table
    with Store(home / "peri.db") as s:
        s.update_athlete(s.get_athlete("sam").model_copy(update={"unit": "lb"}))
    lb = client.get(url).text.split('id="plan"')[1].split("</table>")[0]
    assert "<th>load lb</th>" in lb and f"<td>{round(first / 0.45359237 / 2.5) * 2.5:g}</td>" in lb
    r = client.post("/plans/rate", data={"csrf": csrf_of(html), "generation": str(gid), "rating": "4", "comment": "solid"},
                    follow_redirects=False)
    assert r.status_code == 303
    with Store(home / "peri.db") as s:
        assert s.get_generation(gid).rating == 4
        assert s.conn.execute("SELECT comment FROM ratings WHERE generation_id=?", (gid,)).fetchone()[0] == "solid"


def test_a_failed_generation_is_a_readable_message_and_never_shows_the_api_key(client: TestClient, sam: str,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    key = "sk-proj-" + "Z" * 40
    monkeypatch.setenv("OPENAI_API_KEY", key)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens: fails fast, no network
    token = token_of(client, "/plans?athlete=sam")
    r = client.post("/plans/generate", data={"csrf": token, "athlete": "sam", "model": "rules",
                                             "other": "openai:gpt-4o-mini"}, follow_redirects=False)
    jid = r.headers["location"].rsplit("/", 1)[1]
    job = client.app.pages.jobs.wait(jid, 120)
    pages = [client.get(f"/jobs/{jid}").text]
    if job.result_url:
        pages.append(client.get(job.result_url).text)
    for html in pages:
        assert key not in html and "Traceback" not in html
    assert job.status == "failed" or "No usable plan" in pages[-1]


def test_unexpected_errors_render_a_message_not_a_stack_trace(client: TestClient, sam: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import peri.log.summary as summary

    def boom(*a, **k):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(summary, "athlete_summary", boom)
    r = client.get("/athletes/sam")
    assert r.status_code == 500
    assert "something went wrong" in alert(r.text) and "Traceback" not in r.text and 'File "' not in r.text


def test_blind_comparison_hides_the_approach_until_rated_then_stores_ratings_as_peri_rate(
        client: TestClient, sam: str, home: Path) -> None:
    token = token_of(client, "/blind?athlete=sam")
    url = run_job(client, client.post("/blind/start", data={
        "csrf": token, "athlete": "sam", "arm": ["rules", "rules|engineered|1"], "scenario": "deload"},
        follow_redirects=False))
    html = client.get(url).text
    assert "Plan A" in html and "Plan B" in html
    assert "rule-based coach" not in html and "/plans/" not in html  # approach and generation ids hidden
    cid = url.rsplit("/", 1)[1]
    r = client.post(f"{url}/rate", data={"csrf": csrf_of(html), "rating_A": "2", "comment_A": "too much",
                                         "rating_B": "5", "better": "B"}, follow_redirects=False)
    assert r.status_code == 303
    shown = client.get(url).text
    reveal = shown.split('id="reveal"')[1].split("</table>")[0]
    assert reveal.count("rule-based coach") == 2 and "★ picked" in reveal
    from peri.evaluate.blind import load
    from peri.evaluate.experiment import prompt_history

    c = load(cid)
    with Store(home / "peri.db") as s:
        stored = {sl.letter: s.get_generation(sl.generation_id).rating for sl in c.slots}
        history = prompt_history(s, "sam")
    assert stored == {"A": 2, "B": 5}
    assert sorted(r.rating for r in history.generations if r.rating) == [2, 5]  # what `peri prompt history` reads
    again = client.post(f"{url}/rate", data={"csrf": token, "rating_A": "1"})
    assert again.status_code == 400 and "already rated" in alert(again.text)


def test_blind_pick_without_ratings_is_stored_as_ratings(client: TestClient, sam: str, home: Path) -> None:
    """Only "the better plan" ticked: stored as ratings (picked 4, other 2) with the pick in the comment."""
    token = token_of(client, "/blind?athlete=sam")
    url = run_job(client, client.post("/blind/start", data={
        "csrf": token, "athlete": "sam", "arm": ["rules", "rules|engineered|1"], "scenario": "normal"},
        follow_redirects=False))
    html = client.get(url).text
    r = client.post(f"{url}/rate", data={"csrf": csrf_of(html), "better": "A", "comment_B": "too easy"},
                    follow_redirects=False)
    assert r.status_code == 303
    reveal = client.get(url).text.split('id="reveal"')[1].split("</table>")[0]
    assert "★ picked" in reveal and reveal.count("from your pick") == 2
    from peri.evaluate.blind import load

    c = load(url.rsplit("/", 1)[1])
    with Store(home / "peri.db") as s:
        rows = {sl.letter: tuple(s.conn.execute("SELECT rating, comment FROM ratings WHERE generation_id=?",
                                          (sl.generation_id,)).fetchone()) for sl in c.slots}
    assert rows["A"] == (4, "[blind pick: better than Plan B; rating from the pick]")
    assert rows["B"] == (2, "too easy [blind pick: Plan A was picked; rating from the pick]")


def test_a_blind_pick_against_the_ratings_is_a_message_and_nothing_is_stored(client: TestClient, sam: str,
                                                                             home: Path) -> None:
    token = token_of(client, "/blind?athlete=sam")
    url = run_job(client, client.post("/blind/start", data={
        "csrf": token, "athlete": "sam", "arm": ["rules", "rules|engineered|1"], "scenario": "normal"},
        follow_redirects=False))
    html = client.get(url).text
    r = client.post(f"{url}/rate", data={"csrf": csrf_of(html), "rating_A": "1", "rating_B": "5", "better": "A"})
    assert r.status_code == 400 and "rated higher" in alert(r.text)
    with Store(home / "peri.db") as s:
        assert s.conn.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 0


def test_two_tabs_rating_while_a_job_writes_keep_every_rating(client: TestClient, sam: str, home: Path) -> None:
    from peri.generate import generate_plan

    with Store(home / "peri.db") as s:
        gids = [generate_plan(s, "sam", "rules").id for _ in range(4)]
    token = token_of(client, "/plans?athlete=sam")
    errors: list[str] = []

    def tab(rating: int) -> None:
        for gid in gids:
            r = client.post("/plans/rate", data={"csrf": token, "generation": str(gid), "rating": str(rating)},
                            follow_redirects=False)
            if r.status_code != 303:
                errors.append(alert(r.text))

    writer = client.post("/plans/generate", data={"csrf": token, "athlete": "sam", "model": "rules"},
                         follow_redirects=False)
    threads = [threading.Thread(target=tab, args=(n,)) for n in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.app.pages.jobs.wait(writer.headers["location"].rsplit("/", 1)[1], 60)
    assert errors == []
    with Store(home / "peri.db") as s:
        n = s.conn.execute(f"SELECT COUNT(*) FROM ratings WHERE generation_id IN ({','.join('?' * len(gids))})",
                           gids).fetchone()[0]
        assert n == 2 * len(gids)
        assert len(s.generations(s.get_athlete("sam").id)) == len(gids) + 1


# --- decide, Peri, journey -----------------------------------------------------------------------------------


def break_even(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html.split('id="break-even-finetuned"')[1].split("</td>")[0]).strip(">").strip()


def test_decide_inputs_change_the_break_even_and_record_the_step(client: TestClient, sam: str, home: Path) -> None:
    from peri.decide.run import run_decision

    token = token_of(client, "/decide?athlete=sam")
    seen = {}
    for q in (7, 50):  # with time valued (an hour at $60, 2 minutes saved a query) fine-tuning can break even
        r = client.post("/decide", data={"csrf": token, "athlete": "sam", "queries_per_week": str(q), "hour_value": "60",
                                         "minutes_saved_per_query": "2"})
        assert r.status_code == 200, alert(r.text)
        seen[q] = break_even(r.text)
        with Store(home / "peri.db") as s:
            lib = run_decision({"queries_per_week": float(q), "hour_value": 60.0, "minutes_saved_per_query": 2.0}, "sam", s)
        from peri.decide.cost import weeks_label

        assert seen[q] == weeks_label(lib["break_even_week"]["finetuned"], lib["costs_model"].inputs.horizon_weeks)
        assert f"Recommendation: {lib['recommendation']['path']}" in r.text
    assert seen[7] != seen[50] and "never" not in seen[50]
    from peri.guide.journeys import journey_status

    with Store(home / "peri.db") as s:
        assert next(x for x in journey_status(s, "sam", "prompt-sprint") if x.step.id == "decide").done
    bad = client.post("/decide", data={"csrf": token, "athlete": "sam", "queries_per_week": "-3"})
    assert bad.status_code == 400 and "queries" in alert(bad.text).lower()


def test_peri_answers_grounded_like_peri_chat(client: TestClient, sam: str, home: Path) -> None:
    from peri.guide.peri import Peri

    token = token_of(client, "/peri?athlete=sam")
    r = client.post("/peri/ask", data={"csrf": token, "athlete": "sam", "question": "should I fine-tune?"})
    assert r.status_code == 200, alert(r.text)
    with Store(home / "peri.db") as s:
        expected = Peri(s, "sam").ask("should I fine-tune?")
    import html as h

    latest = r.text.split('id="latest"')[1].split("</pre>")[0]
    shown = h.unescape(re.sub(r"<[^>]+>", "", latest.split(">", 1)[1]))
    assert shown.strip() == expected.text.replace("**", "").replace("`", "").strip()
    assert "<b>" in latest or "**" not in expected.text  # markdown bold shown as bold, not as asterisks


def test_text_from_a_person_is_escaped_never_run(client: TestClient, sam: str) -> None:
    token = token_of(client, "/peri?athlete=sam")
    r = client.post("/peri/ask", data={"csrf": token, "athlete": "sam", "question": "<script>alert(1)</script> **x**"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_journey_shows_progress_and_the_next_step_as_a_button(client: TestClient, sam: str, home: Path) -> None:
    html = client.get("/journey?athlete=sam").text
    sprint = html.split('id="journey-prompt-sprint"')[1].split("</section>")[0]
    assert "✓ Import or simulate your log" in sprint
    assert re.search(r'class="button next" href="/prompt\?athlete=sam"', sprint)
    client.get("/prompt?athlete=sam")  # viewing the prompt is journey evidence, as `peri prompt show` records it
    sprint = client.get("/journey?athlete=sam").text.split('id="journey-prompt-sprint"')[1].split("</section>")[0]
    assert "✓ Read your engineered prompt" in sprint
    assert re.search(r'class="button next" href="/experiment\?athlete=sam"', sprint)


def test_a_loopback_server_answers_only_to_loopback_host_names(home: Path, sam: str) -> None:
    """DNS rebinding: a page on another site resolving its own name to 127.0.0.1 must not read the log."""
    app = create_app(WebSettings(allowed_hosts={"127.0.0.1", "localhost", "[::1]"}))
    ok = TestClient(app, base_url="http://127.0.0.1:8765").get("/athletes")
    assert ok.status_code == 200 and "sam" in ok.text
    bad = TestClient(app, base_url="http://attacker.example:8765").get("/athletes")
    assert bad.status_code == 421 and "sam" not in bad.text and "answers only to the address" in bad.text
    app.pages.jobs.shutdown()


def test_every_response_forbids_framing_and_outside_resources(client: TestClient, sam: str) -> None:
    r = client.get("/athletes")
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert not re.search(r'(src|href)="https?://', r.text)  # nothing from a CDN: the app works offline


def test_job_titles_never_show_credentials_typed_into_a_model_spec(client: TestClient, sam: str) -> None:
    token = token_of(client, "/plans?athlete=sam")
    spec = "openai-compatible:http://me:hunter2secret@127.0.0.1:9/v1#m"
    r = client.post("/plans/generate", data={"csrf": token, "athlete": "sam", "other": spec}, follow_redirects=False)
    jid = r.headers["location"].rsplit("/", 1)[1]
    client.app.pages.jobs.wait(jid, 60)
    assert "hunter2secret" not in client.get(f"/jobs/{jid}").text


def test_the_prompt_experiment_and_an_evaluation_start_from_the_page(client: TestClient, sam: str, home: Path) -> None:
    token = token_of(client, "/experiment?athlete=sam")
    url = run_job(client, client.post("/experiment/start", data={"csrf": token, "athlete": "sam", "model": "rules",
                                                                  "levels": "0,3"}, follow_redirects=False))
    exp = url.split("experiment=")[1]
    html = client.get(url).text
    with Store(home / "peri.db") as s:
        gens = s.generations(s.get_athlete("sam").id, experiment=exp)
    assert len(gens) == 2 and exp in html
    summary = html.split('id="history-summary"')[1].split("</table>")[0]
    assert "<td>rules</td><td>2</td><td>2</td>" in summary  # the rule coach: one group of both answers, both valid
    bad = client.post("/experiment/start", data={"csrf": token, "athlete": "sam", "levels": "0,9"})
    assert bad.status_code == 400 and "0-4" in alert(bad.text)

    url = run_job(client, client.post("/eval/start", data={"csrf": token, "athlete": "sam", "weeks": "1",
                                                            "approach": ["rules", "rules-raw"]}, follow_redirects=False))
    html = client.get(url).text
    table = html.split('id="eval-summary"')[1].split("</table>")[0]
    assert "<td>rules</td>" in table and "<td>rules-raw</td>" in table
    assert "scored by the oracle" in html and html.count("<svg") == 1


def test_a_streamed_upload_without_length_is_cut_off_at_the_cap(client: TestClient, home: Path) -> None:
    token = token_of(client)
    boundary = "peri-test-boundary"

    def body():
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                "Content-Type: text/csv\r\n\r\n")
        yield head.encode()
        for _ in range(100):
            yield b"x" * 10_000  # 1 MB in all, five times the cap; no Content-Length header is sent

    r = client.post("/import/preview", content=body(),
                    headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "larger than" in r.text
    assert athletes_in(home) == [] and uploads_left(home) == []


def test_a_broken_form_body_is_a_readable_message(client: TestClient, home: Path) -> None:
    r = client.post("/import/preview", content=b"--x\r\ngarbage", headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code in (400, 403) and "Traceback" not in r.text and alert(r.text)
    assert athletes_in(home) == []


def test_unknown_pages_and_methods_get_the_apps_own_message(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "no such page" in alert(r.text)
    r = client.put("/athletes")
    assert r.status_code == 405 and "does not take that request" in alert(r.text)


def test_a_damaged_evaluation_file_is_a_message_naming_it(client: TestClient, sam: str, home: Path) -> None:
    """The Experiment page reads results.json through peri.artefacts: a file cut short is named, not a traceback."""
    from peri.evaluate.harness import eval_dir

    f = eval_dir("sam") / "results.json"
    f.write_text('{"athlete": "sam", "simulated": tr')
    r = client.get("/experiment?athlete=sam")
    text = " ".join(alert(r.text).split())
    assert r.status_code >= 400 and "Traceback" not in r.text
    assert "results.json" in text and "cut short" in text and "peri eval --athlete sam" in text
