"""The Fine-tune page: the dataset built as `peri dataset build` builds it (its size, tokens and cost read back from
build.json), a local fine-tune as a background job with progress and a cancel, every setting checked before a job
starts, and a registered adapter offered where plans are generated.

Training uses test_train's tiny random llama (an HF folder, so the adapter is trained and saved but not registered:
llama.cpp serves only GGUF bases); registration on the embedded GGUF base is the slow test."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.artefacts import load_build_info
from peri.log.store import Store
from peri.tune.train import CONFIG_FILE
from test_train import tiny_base_dir  # noqa: F401  (fixture)
from test_web import alert, app, client, csrf_of, dump, run_job, sam  # noqa: F401  (fixtures)


def token(client: TestClient) -> str:
    return csrf_of(client.get("/tune?athlete=sam").text)


def build(client: TestClient, **data: str) -> str:
    return run_job(client, client.post("/tune/dataset", data={"csrf": token(client), "athlete": "sam", **data},
                                       follow_redirects=False))


def start(client: TestClient, **data: str):
    return client.post("/tune/local", data={"csrf": token(client), "athlete": "sam", **data}, follow_redirects=False)


def test_the_dataset_is_built_from_the_page_and_its_size_tokens_and_cost_shown(client: TestClient, sam: str,
                                                                                home: Path) -> None:
    assert "No dataset built yet" in client.get("/tune?athlete=sam").text
    url = build(client, val_fraction="0.25", cost_model="gpt-4o-mini")
    info = load_build_info("sam")
    assert info is not None and info.config.model_extra["val_fraction"] == 0.25
    from peri.artefacts import dataset_dir

    train = (dataset_dir("sam") / "train.jsonl").read_text().splitlines()
    val = (dataset_dir("sam") / "val.jsonl").read_text().splitlines()
    assert (info.report.train, info.report.val) == (len(train), len(val)) and len(train) > 0
    assert info.report.examples == len(train) + len(val)
    html = client.get(url).text
    report = html.split('id="dataset-report"')[1].split("</table>")[0]
    assert f"{info.report.examples:,} ({len(train):,} train, {len(val):,} validation)" in report
    assert f"{info.report.tokens.total:,} (mean" in report
    cost = info.report.model_extra["cost"]
    assert f"${cost['usd']:.2f} on gpt-4o-mini" in report and f"{cost['billable_tokens']:,} tokens" in report


def test_the_dataset_form_refuses_bad_settings_by_name(client: TestClient, sam: str, home: Path) -> None:
    for data, field in (({"val_fraction": "0.9"}, "val_fraction"), ({"val_fraction": "nan"}, "val_fraction"),
                        ({"cost_model": "gpt-5-free"}, "cost_model"), ({"repair": "maybe"}, "repair")):
        r = client.post("/tune/dataset", data={"csrf": token(client), "athlete": "sam", **data})
        assert r.status_code == 400 and alert(r.text).strip().startswith(f"{field}:"), alert(r.text)
    r = client.post("/tune/dataset", data={"csrf": token(client), "athlete": "nobody"})
    assert r.status_code == 404
    assert client.app.pages.jobs.jobs == {} and load_build_info("sam") is None


def test_a_local_fine_tune_runs_as_a_job_with_progress(client: TestClient, sam: str, home: Path,
                                                       tiny_base_dir: Path) -> None:
    build(client)
    r = start(client, name="sam tiny", base=str(tiny_base_dir), max_steps="2", rank="4", precision="fp32")
    url = run_job(client, r)
    jid = r.headers["location"].rsplit("/", 1)[1]
    job = client.app.pages.jobs.get(jid)
    steps = [m for m in job.messages if m.startswith("step ")]
    assert steps[-1].startswith("step 2/2")  # one line per optimizer step, the last one the limit asked for
    assert any("not registered" in m for m in job.messages)  # an HF base: trained and saved, not for llama.cpp
    out = Path(job.result["out_dir"])
    assert (out / "adapter_model.safetensors").exists() or (out / "adapter_model.bin").exists()
    saved = out / CONFIG_FILE
    assert "rank: 4" in saved.read_text() and "max_steps: 2" in saved.read_text()  # the form's settings were used
    with Store(home / "peri.db") as s:
        assert s.list_models() == []
    assert "None yet." in client.get(url).text.split('id="models"')[1]


@pytest.mark.parametrize("data, field, words", [
    ({"epochs": "0"}, "epochs", "outside"),
    ({"epochs": "nan"}, "epochs", "not a whole number"),
    ({"lr": "inf"}, "lr", "outside"),
    ({"lr": "-1"}, "lr", "outside"),
    ({"rank": "100000"}, "rank", "outside"),
    ({"precision": "fp8"}, "precision", "not one of the choices"),
    ({"name": "n" * 81}, "name", "at most 80"),
    ({"name": "a\nb"}, "name", "control"),
    ({"base": "/nonexistent/model.gguf"}, None, "not found"),
])
def test_a_fine_tune_with_bad_settings_never_starts(client: TestClient, sam: str, home: Path, data: dict,
                                                    field: str | None, words: str) -> None:
    build(client)
    before = dump(home)
    jobs = dict(client.app.pages.jobs.jobs)
    r = start(client, **data)
    assert r.status_code in (400, 404)
    msg = alert(r.text)
    assert words in msg and (field is None or msg.strip().startswith(f"{field}:")), msg
    assert client.app.pages.jobs.jobs == jobs and dump(home) == before
    assert not (home / "adapters").exists() or not any((home / "adapters").iterdir())


def test_a_fine_tune_without_a_dataset_is_refused_with_what_to_do(client: TestClient, sam: str, home: Path) -> None:
    r = start(client)
    assert r.status_code == 400 and "no dataset" in alert(r.text) and "Build the dataset" in alert(r.text)  # the page's button, not the CLI step
    assert client.app.pages.jobs.jobs == {}


def wait_for(pred, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_running_fine_tune_can_be_cancelled_and_a_second_is_refused(client: TestClient, sam: str, home: Path,
                                                                      tiny_base_dir: Path) -> None:
    build(client)
    r = start(client, name="long", base=str(tiny_base_dir), epochs="100", rank="4", precision="fp32")
    assert r.status_code == 303, alert(r.text)
    jid = r.headers["location"].rsplit("/", 1)[1]
    runner = client.app.pages.jobs
    wait_for(lambda: any(m.startswith("step ") for m in runner.get(jid).messages))
    page = client.get(f"/jobs/{jid}").text
    assert 'id="cancel-form"' in page
    again = start(client, name="other", base=str(tiny_base_dir), max_steps="1")
    assert again.status_code == 400 and alert(again.text).strip().startswith("finetune:")
    assert "already running" in alert(again.text) and len(runner.jobs) == 2  # the dataset job and this one
    rebuild = client.post("/tune/dataset", data={"csrf": csrf_of(page), "athlete": "sam"})
    assert rebuild.status_code == 400 and "finetune job is already running" in alert(rebuild.text)  # files in use
    r = client.post(f"/jobs/{jid}/cancel", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    job = runner.wait(jid, 120)
    assert job.status == "cancelled" and "cancelled" in job.error
    steps = [int(m.split()[1].split("/")[0]) for m in job.messages if m.startswith("step ")]
    total = int(next(m for m in job.messages if m.startswith("step ")).split()[1].split("/")[1])
    assert steps[-1] < total  # it stopped before the end
    html = client.get(f"/jobs/{jid}").text
    assert 'id="job-cancelled"' in html and 'id="cancel-form"' not in html
    def stored_status() -> str:
        with Store(home / "peri.db") as s:
            return s.web_job(jid)["status"]

    wait_for(lambda: stored_status() == "cancelled", 30)  # kept across a restart (written just after memory)
    with Store(home / "peri.db") as s:
        assert s.list_models() == []
    r = client.post(f"/jobs/{jid}/cancel", data={"csrf": csrf_of(page)})
    assert r.status_code == 400 and "already ended" in alert(r.text)


def test_a_registered_adapter_is_offered_where_plans_are_generated(client: TestClient, sam: str, home: Path) -> None:
    from peri.tune.train import register_adapter

    with Store(home / "peri.db") as s:
        register_adapter(s, "sam-lora", out_dir=home / "adapters" / "x", base_path="/b.gguf", base_sha256="0" * 64,
                         gguf_adapter="/a.gguf", peft_adapter=None, dataset_sha256=None, val_loss_before=2.0,
                         val_loss_after=0.5, metrics={"train_examples": 10})
    tune = client.get("/tune?athlete=sam").text.split('id="models"')[1]
    assert "ft:sam-lora" in tune and "2.000 → 0.500" in tune
    plans = client.get("/plans?athlete=sam").text
    assert 'value="ft:sam-lora|short|3"' in plans and 'value="ft:sam-lora|hybrid|3"' in plans


@pytest.mark.slow
def test_a_fine_tune_on_the_embedded_base_is_registered_and_plans_with_it(client: TestClient, sam: str,
                                                                          home: Path) -> None:
    build(client)
    r = start(client, name="sam-web", max_steps="1", rank="2")
    client.app.pages.jobs.wait(r.headers["location"].rsplit("/", 1)[1], 1200)  # loading the base takes minutes on a CPU
    url = run_job(client, r)
    with Store(home / "peri.db") as s:
        (m,) = s.list_models()
    assert m.name == "sam-web" and m.kind == "finetuned-local"
    assert "ft:sam-web" in client.get(url).text.split('id="models"')[1]
    plans = client.get("/plans?athlete=sam").text
    assert 'value="ft:sam-web|short|3"' in plans
    gen = run_job(client, client.post("/plans/generate", data={"csrf": csrf_of(plans), "athlete": "sam",
                                                               "model": "ft:sam-web|short|3"}, follow_redirects=False))
    with Store(home / "peri.db") as s:
        g = s.get_generation(int(gen.rsplit("/", 1)[1]))
    assert g.model == "ft:sam-web", (g.model, g.adapter, g.approach)


def test_a_registered_hosted_fine_tune_is_offered_saying_where_the_prompt_goes(client: TestClient, sam: str,
                                                                               home: Path) -> None:
    from peri.log.store import RegisteredModel

    with Store(home / "peri.db") as s:
        s.register_model(RegisteredModel(name="sam-oa", kind="openai", meta={"model": "ft:gpt-4o-mini:org:sam:1"}))
        s.register_model(RegisteredModel(name="sam-tg", kind="together", meta={"model": "x/y", "base_url": "https://t",
                                                                              "key_env": "TOGETHER_API_KEY"}))
        s.register_model(RegisteredModel(name="plain", kind="gguf", path="/m.gguf"))
    plans = client.get("/plans?athlete=sam").text
    assert 'value="ft:sam-oa|short|3"' in plans and 'value="ft:sam-tg|hybrid|3"' in plans
    assert "ft:sam-oa · short prompt · hosted: sends the prompt to OpenAI" in plans
    assert "ft:sam-tg · hybrid · hosted: sends the prompt to Together AI" in plans
    assert "ft:plain" not in plans  # a plain GGUF is no fine-tune of this athlete
