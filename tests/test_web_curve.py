"""The learning curve on the Experiment page (`peri eval --learning-curve`, `--curve-models`): the form's sizes, step
cap, held-out weeks or adapters reach the library as the CLI passes them, as a cancellable job one at a time with the
other training; the curve kept is shown; sizes, steps, adapters or weeks that are not one, or no dataset to train on,
refused by field before a job starts. (The library's own tests train and score; here its functions are stand-ins.)"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from peri.evaluate import learning
from peri.log.models import Athlete
from peri.log.store import Store
from test_web import HOST, alert, app, client, csrf_of  # noqa: F401  (fixtures)


@pytest.fixture
def lee(home: Path) -> str:
    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="lee"))
    return "lee"


@pytest.fixture
def built(lee: str, home: Path) -> None:
    from peri.tune.dataset import dataset_dir

    d = dataset_dir("lee")
    d.mkdir(parents=True)
    (d / "train.jsonl").write_text("{}\n")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []

    def curve(cfg: Any, n: int) -> learning.LearningCurve:
        return learning.LearningCurve(athlete=cfg.athlete, references={"prompt-d3": 61.5}, points=[
            learning.CurvePoint(examples=10 * (i + 1), model=f"ft:lee-n{10 * (i + 1)}", score_mean=50.0 + i,
                                score_ci=2.0, valid_rate=1.0, val_loss_before=2.0, val_loss_after=1.0,
                                train_seconds=12.0) for i in range(n)])

    def fake_curve(store: Any, cfg: Any, *, sizes: tuple, train_overrides: dict, progress: Any) -> Any:
        seen.append(("sizes", {"sizes": sizes, "overrides": train_overrides, "weeks": cfg.weeks}))
        progress("training on 10 examples")
        return learning.save_curve(curve(cfg, len(sizes)))

    def fake_models(store: Any, cfg: Any, models: list, *, progress: Any) -> Any:
        seen.append(("models", {"models": models, "weeks": cfg.weeks}))
        return curve(cfg, len(models))

    monkeypatch.setattr(learning, "learning_curve", fake_curve)
    monkeypatch.setattr(learning, "curve_from_models", fake_models)
    return seen


def post(client: TestClient, **fields: str):
    return client.post("/eval/curve", data={"csrf": csrf_of(client.get("/import").text), "athlete": "lee", **fields},
                       follow_redirects=False)


def run(client: TestClient, r: Any) -> str:
    assert r.status_code == 303, alert(r.text)
    job = client.app.pages.jobs.wait(r.headers["location"].rsplit("/", 1)[1], 60)
    assert job.status == "done", job.error
    return job.result_url


def test_the_sizes_and_step_cap_reach_the_curve_and_it_is_shown(client: TestClient, built: None, calls: list) -> None:
    url = run(client, post(client, sizes="10, 20,0", train_steps="40", weeks="3"))
    assert calls == [("sizes", {"sizes": (10, 20, 0), "overrides": {"max_steps": 40}, "weeks": 3})]
    page = client.get(url).text
    table = page.split('id="curve-table"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 3 and "<code>ft:lee-n20</code>" in table and "51.0 ± 2.0" in table
    assert "prompt-d3 61.5" in page


def test_adapters_already_trained_are_measured_and_kept(client: TestClient, lee: str, calls: list,
                                                        home: Path) -> None:
    run(client, post(client, models="ft:lee-gpu, ft:lee-n50"))  # no dataset needed: nothing is trained
    assert calls == [("models", {"models": ["ft:lee-gpu", "ft:lee-n50"], "weeks": 2})]
    assert learning.read_curve("lee") is not None  # kept where `peri decide` reads it


@pytest.mark.parametrize("fields, field", [
    ({"sizes": "ten"}, "sizes"), ({"sizes": "-5"}, "sizes"), ({"sizes": ",".join(["10"] * 9)}, "sizes"),
    ({"train_steps": "0"}, "train_steps"), ({"models": "gpt-4o-mini"}, "models"), ({"weeks": "60"}, "weeks"),
])
def test_a_hostile_curve_is_refused_before_a_job_starts(client: TestClient, built: None, calls: list, fields: dict,
                                                        field: str) -> None:
    r = post(client, **fields)
    assert r.status_code == 400 and html.unescape(alert(r.text)).strip().startswith(f"{field}:")
    assert calls == [] and client.app.pages.jobs.running("finetune") == []


def test_without_a_dataset_the_curve_says_to_build_one(client: TestClient, lee: str, calls: list) -> None:
    r = post(client)
    assert r.status_code == 400 and "Build the dataset" in html.unescape(alert(r.text))
    assert calls == []
