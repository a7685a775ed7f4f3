"""plans.given on the web Check page: a finding the same in several weeks is said once, naming the weeks."""
from __future__ import annotations

from starlette.testclient import TestClient

from test_web import alert, app, client, sam  # noqa: F401  (fixtures)
from test_web_check import findings, post


def test_the_check_page_says_a_finding_repeated_in_weeks_once(client: TestClient, sam: str) -> None:
    plan = "".join(f"## Week {n}\n### Day 1\n- Bench Press 3 x 5\n- Zercher wobble 3x8\n" for n in (1, 2, 3))
    r = post(client, plan=plan)
    assert r.status_code == 200, alert(r.text)
    weeks = [r.text.split(f'id="week-{n}"')[1].split('class="week"')[0] for n in (1, 2, 3)]
    unknown = [[f for f in (findings(w) if 'class="findings"' in w else []) if f[1] == "unknown_exercise"]
               for w in weeks]
    assert [len(u) for u in unknown] == [1, 0, 0]  # week 1 holds it, weeks 2 and 3 do not repeat it
    assert all("checker: no findings" not in w for w in weeks[1:])  # a week sharing its findings is not "clean"
    assert "weeks 1-3: " in weeks[0]
    assert r.text.count("not in the exercise catalog") == weeks[0].count("not in the exercise catalog")
