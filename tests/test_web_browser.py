"""`peri serve` in a real headless Chromium (Debian's `chromium` + `chromedriver`, driven by Selenium; no browser
is downloaded at run time): upload a real export and confirm the preview, see the stats chart, generate a rules
plan, blind-rate a rules and an embedded plan and see the approach revealed, move the queries per week on
Decide and see the break-even change, ask Peri. Every page is screenshotted into `PERI_SCREENSHOTS` (when set)
or a folder under pytest's tmp dir.

Marked `browser` (and `slow`, `shared_data`): part of the README's test command. A missing browser is a
failure that says how to install it, never a skip.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from peri.log.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.shared_data]

CHROMIUM = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
WAIT_MODEL_S = 600  # the embedded model on 2 shared cores


def _need(names: tuple[str, ...]) -> str:
    for n in names:
        path = shutil.which(n)
        if path:
            return path
    pytest.fail(f"{' / '.join(names)} is not installed: the browser tests need Debian's headless Chromium. Install it "
                "with `apt-get install -y chromium chromium-driver` (scripts/test.sh does this when run as root)")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = Path(os.environ["PERI_SCREENSHOTS"]) if os.environ.get("PERI_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real app under uvicorn on a free loopback port, with its own PERI_HOME."""
    import uvicorn

    from peri.web.app import WebSettings, create_app

    home = tmp_path_factory.mktemp("peri-home")
    old = os.environ.get("PERI_HOME")
    os.environ["PERI_HOME"] = str(home)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(WebSettings())
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", home
    srv.should_exit = True
    t.join(10)
    app.pages.jobs.shutdown()
    if old is None:
        os.environ.pop("PERI_HOME", None)
    else:
        os.environ["PERI_HOME"] = old


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = _need(CHROMIUM), _need((DRIVER,))
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1800",
                "--disable-extensions", "--no-first-run"):
        opts.add_argument(arg)
    b = webdriver.Chrome(service=Service(executable_path=driver), options=opts)  # the system driver: nothing fetched
    b.set_page_load_timeout(120)
    yield b
    b.quit()


def snap(browser, shots: Path, name: str) -> Path:
    """A full-page screenshot (the window grown to the page's height)."""
    height = browser.execute_script("return Math.max(document.body.scrollHeight, 900)")
    browser.set_window_size(1400, min(int(height) + 40, 6000))
    path = shots / f"{name}.png"
    assert browser.save_screenshot(str(path)), f"no screenshot {path}"
    browser.set_window_size(1400, 1800)
    return path


def wait_for(browser, css: str, timeout: float) -> object:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def found(b):
        errs = b.find_elements(By.CSS_SELECTOR, '[role="alert"]')
        if errs and errs[0].is_displayed():
            raise AssertionError(f"the page shows an error: {errs[0].text}")
        return ec.presence_of_element_located((By.CSS_SELECTOR, css))(b)

    return WebDriverWait(browser, timeout, poll_frequency=0.5).until(found)


def test_the_whole_journey_in_a_real_browser(server, browser, shots: Path, shared_data: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, home = server
    export = shared_data / "exports" / "strong-ios.csv"
    b = browser
    css = lambda sel: b.find_element(By.CSS_SELECTOR, sel)  # noqa: E731

    # 1. import by upload: the preview writes nothing, the confirmation writes
    b.get(f"{url}/import")
    snap(b, shots, "01-import")
    css('input[name="athlete"]').send_keys("lifter")
    Select(css('select[name="fmt"]')).select_by_visible_text("strong")
    css('input[name="file"]').send_keys(str(export))
    css("#import-form button").click()
    wait_for(b, "#confirm", 180)
    preview = css("#import-report").text
    assert "would add" in preview and "strong-ios.csv" in preview
    with Store(home / "peri.db") as s:
        assert s.list_athletes() == []
    snap(b, shots, "02-import-preview")
    would = int(re.search(r"would add (\d+) sessions", preview).group(1))
    css("#confirm").click()
    wait_for(b, "#to-athlete", 180)
    assert f"added {would} sessions" in css("#import-report").text
    css("#to-athlete").click()

    # 2. the profile with sources and the weekly stats chart
    chart = wait_for(b, "#stats-chart svg", 60)
    assert chart.size["width"] > 300 and chart.size["height"] > 200
    assert "derived from the log" in css("#profile").text
    snap(b, shots, "03-athlete-stats")

    # 2b. the person states two facts (the rest stays read from the log) and adds a note from the athlete page
    css('#profile-form input[name="days_per_week"]').send_keys("3")
    css('#profile-form textarea[name="constraints"]').send_keys("left shoulder impingement")
    css("#profile-form button").click()
    wait_for(b, "#constraint-regions", 60)
    with Store(home / "peri.db") as s:
        a = s.get_athlete("lifter")
    assert a.days_per_week == 3 and a.source("days_per_week").kind == "stated" and a.constraint_regions == ["shoulder"]
    assert a.source("goal").kind != "stated"  # a field left blank is not made the person's word
    snap(b, shots, "03b-athlete-profile-form")
    css("#notes-link").click()
    wait_for(b, "#note-form", 60)
    css('#note-form textarea[name="text"]').send_keys("this progression worked")
    css("#note-form button").click()
    row = wait_for(b, "#my-notes", 60).find_element(By.CSS_SELECTOR, "tbody tr").text
    assert "this progression worked" in row and "worked" in row
    with Store(home / "peri.db") as s:
        mine = [n for n in s.annotations(s.get_athlete("lifter").id) if n.source == "manual"]
    assert [n.text for n in mine] == ["this progression worked"] and mine[0].tags == ["worked"]
    snap(b, shots, "03c-notes")

    # 2c. a name the catalog does not know, mapped from the Exercises page after a catalog search (no script)
    b.get(f"{url}/athletes/lifter")
    wait_for(b, "#exercises-link", 60).click()
    wait_for(b, "#unmapped", 60)
    row = next(r for r in b.find_elements(By.CSS_SELECTOR, "#unmapped tbody tr")
               if r.find_element(By.CSS_SELECTOR, "td").text == "Cable Kickback")
    box = row.find_element(By.CSS_SELECTOR, '.search-form input[name="q"]')
    box.clear()
    box.send_keys("triceps kickback")
    row.find_element(By.CSS_SELECTOR, ".search-form button").click()
    row = wait_for(b, "#unmapped", 60).find_element(By.XPATH, "//tr[td[1]='Cable Kickback']")
    chosen = row.find_element(By.CSS_SELECTOR, '.map-form input[name="exercise"]:checked').get_attribute("value")
    snap(b, shots, "03d-exercises-search")
    row.find_element(By.CSS_SELECTOR, ".map-form button").click()
    assert "is now mapped to" in wait_for(b, "#done", 60).text
    with Store(home / "peri.db") as s:
        ids = {st.exercise_id for sess in s.sessions(s.get_athlete("lifter").id) for st in sess.sets
               if st.exercise == "Cable Kickback"}
    assert ids == {chosen}
    snap(b, shots, "03e-exercises-mapped")

    # 2d. the imports, and the confirmation an undo asks for (kept here: the journey goes on with this log)
    b.get(f"{url}/athletes/lifter")
    wait_for(b, "#imports-link", 60).click()
    wait_for(b, "#import-1", 60).find_element(By.LINK_TEXT, "Undo…").click()
    assert "Yes, undo import 1" in wait_for(b, "#undo-form", 60).text
    snap(b, shots, "03f-import-undo-confirm")
    b.find_element(By.LINK_TEXT, "No, keep it").click()
    wait_for(b, "#import-1", 60)
    with Store(home / "peri.db") as s:
        assert s.imports(s.get_athlete("lifter").id)[0]["undone_at"] is None

    # 2e. the import's unit re-read in the other, with its confirmation, then read back: the log as it was
    with Store(home / "peri.db") as s:
        before = s.dump()
    css("#reunit-1").click()
    assert "Yes, re-read" in wait_for(b, "#reunit-form", 60).text and "lb" in css("#reunit-change").text
    css("#reunit-form button").click()
    assert "are now kg (they were lb)" in wait_for(b, "#reread", 60).text
    snap(b, shots, "03g-import-reread")
    css("#reread-back").click()
    wait_for(b, "#reunit-form", 60).find_element(By.CSS_SELECTOR, "button").click()
    assert "are now lb (they were kg)" in wait_for(b, "#reread", 60).text
    with Store(home / "peri.db") as s:
        assert s.dump() == before

    # 3. the prompt with its token bar
    b.get(f"{url}/prompt?athlete=lifter&detail=3")
    bar = wait_for(b, "#token-bar", 60)
    assert bar.find_elements(By.CSS_SELECTOR, ".seg") and bar.size["width"] > 300
    snap(b, shots, "04-prompt")

    # 4. a rules plan, generated in the background, viewed with the checker's findings
    b.get(f"{url}/plans?athlete=lifter")
    Select(css('#generate-form select[name="model"]')).select_by_value("rules")
    css("#generate").click()
    wait_for(b, "#plan", 120)
    assert len(b.find_elements(By.CSS_SELECTOR, "#plan tbody tr")) >= 3
    assert "Checker findings" in b.page_source
    snap(b, shots, "05-plan-rules")

    # 5. blind comparison: the rules coach against the embedded model, approaches hidden until rated
    b.get(f"{url}/blind?athlete=lifter")
    for box in b.find_elements(By.CSS_SELECTOR, 'input[name="arm"]'):
        if box.is_selected() != (box.get_attribute("value") in ("rules", "embedded|engineered|3")):
            box.click()
    css("#blind-start").click()
    status = wait_for(b, "#job-status, #blind-rate", 30)
    snap(b, shots, "06-blind-progress")
    wait_for(b, "#blind-rate", WAIT_MODEL_S)
    page = b.page_source
    assert "Plan A" in page and "Plan B" in page
    assert "rule-based coach" not in page and "embedded" not in css("main").text  # hidden before rating
    snap(b, shots, "07-blind-rate")
    Select(css("#rating-A")).select_by_visible_text("4")
    css("#comment-A").send_keys("sensible volume")
    Select(css("#rating-B")).select_by_visible_text("2")
    css("#blind-submit").click()
    reveal = wait_for(b, "#reveal", 60).text
    assert "rule-based coach" in reveal and "embedded" in reveal and "4/5" in reveal and "2/5" in reveal
    snap(b, shots, "08-blind-revealed")
    with Store(home / "peri.db") as s:
        rated = {g.approach: g.rating for g in s.generations(s.get_athlete("lifter").id) if g.rating}
    assert sorted(rated.values()) == [2, 4] and set(rated) == {"rules", "prompt"}

    # the ratings count where `peri prompt history` looks
    b.get(f"{url}/experiment?athlete=lifter")
    wait_for(b, "#history-summary", 60)
    assert "4/5" in css(".quality").text and "2/5" in css(".quality").text
    snap(b, shots, "09-experiment")

    # 6. Decide: more queries a week, an earlier break-even (the page updates as soon as the number changes)
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    b.get(f"{url}/decide?athlete=lifter&hour_value=60&minutes_saved_per_query=2&queries_per_week=1")
    wait_for(b, "#decide-form", 60)

    def _gone(element: object):
        def check(_driver: object) -> bool:
            try:
                element.is_enabled()
            except StaleElementReferenceException:
                return True
            except WebDriverException as e:
                if "does not belong to the document" in str(e):
                    return True
                raise
            return False
        return check

    def decide(q: str) -> str:
        old = css("#break-even-finetuned")
        field = css('#decide-form input[name="queries_per_week"]')
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(q + Keys.TAB)  # no button: the change event re-submits the form
        # Chromium can answer a query on a node of the page being replaced with a generic "does not belong to the
        # document" error instead of a stale-element one (CI, chrome 150): both mean the old page is gone.
        WebDriverWait(b, 60, ignored_exceptions=(WebDriverException,)).until(_gone(old))
        assert float(css('#decide-form input[name="queries_per_week"]').get_attribute("value")) == float(q)
        return wait_for(b, "#break-even-finetuned", 60).text

    slow, fast = decide("7"), decide("50")
    assert slow != fast and fast.startswith("week")
    assert css("#cost-chart svg").size["width"] > 300
    snap(b, shots, "10-decide")

    # 7. Peri, grounded in this lifter's numbers
    b.get(f"{url}/peri?athlete=lifter")
    css("#question").send_keys("should I fine-tune?")
    css("#ask").click()
    answer = wait_for(b, "#latest", 60).text
    assert len(answer) > 40
    snap(b, shots, "11-peri")
    # a message past Peri's limit: the box cuts nothing (no maxlength), the page says what was left out and puts it
    # back in the box
    box = css("#question")
    assert box.get_attribute("maxlength") is None
    b.execute_script("arguments[0].value = arguments[1]", box, "Should I fine-tune, or not? " * 200)
    css("#ask").click()
    assert "Peri reads at most 4,000 at a time" in wait_for(b, ".left-out", 60).text
    assert css("#question").get_attribute("value").startswith("Should I fine-tune")

    # 8. the journey, the next step a button
    b.get(f"{url}/journey?athlete=lifter")
    nxt = wait_for(b, "#journey-prompt-sprint a.next", 60)
    assert nxt.get_attribute("href").startswith(url)
    snap(b, shots, "12-journey")

    # 9. the fine-tuning dataset, built in the background: its size, tokens and cost on the page
    b.get(f"{url}/tune?athlete=lifter")
    css("#dataset-form button").click()
    report = wait_for(b, "#dataset-report", 300).text
    assert "examples" in report and "tokens" in report
    snap(b, shots, "13-tune")
    assert len(list(shots.glob("*.png"))) >= 15
