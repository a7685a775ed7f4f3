"""The built dataset taken elsewhere from the Fine-tune page, as `peri dataset export` writes it (`export_provider`,
`export_hf`): a page says how many examples each split holds and every warning (the provider's rule check, the
health-data warning said for the form, no server path), then a ZIP download holds the same files; redacted, no
free-text note is left. Forged formats, a doubled field, an unknown athlete or a dataset never built are refused by field,
nothing written to the store or PERI_HOME."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.artefacts import dataset_dir
from test_web import alert, app, client, csrf_of, dump, run_job, sam  # noqa: F401  (fixtures)

NOTE = re.compile(r" \| [a-z]")  # a plan line's free-text note: "Lunges: 5x5-7 | instead of Barbell Squat"


@pytest.fixture
def built(client: TestClient, sam: str) -> Path:
    token = csrf_of(client.get("/tune?athlete=sam").text)
    run_job(client, client.post("/tune/dataset", data={"csrf": token, "athlete": "sam"}, follow_redirects=False))
    return dataset_dir("sam")


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def download(client: TestClient, **params: str) -> dict[str, bytes]:
    r = client.get("/tune/export/download", params={"athlete": "sam", **params})
    assert r.status_code == 200, alert(r.text)
    assert r.headers["content-type"] == "application/zip"
    assert re.fullmatch(r'attachment; filename="peri-sam-dataset-[a-z]+(-redacted)?-\d{4}-\d\d-\d\d\.zip"',
                        r.headers["content-disposition"])
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_the_export_page_counts_the_examples_says_every_warning_and_the_zip_holds_them(
        client: TestClient, built: Path, home: Path) -> None:
    """One dataset build (the slow part) for every format's page and download."""
    assert 'id="export-form"' in client.get("/tune?athlete=sam").text
    train, val = lines(built / "train.jsonl"), lines(built / "val.jsonl")
    r = client.get("/tune/export", params={"athlete": "sam", "format": "openai"})
    assert r.status_code == 200, alert(r.text)
    report = " ".join(re.sub(r"<[^>]+>", " ", r.text.split('id="export-report"')[1].split("</table>")[0]).split())
    assert f"train {len(train):,} examples" in report and f"val {len(val):,} examples" in report
    warnings = " ".join(re.findall(r'class="warn export-warning">(.*?)</p>', r.text, re.S))
    assert "health data" in warnings and "Tick &#39;redact&#39; to strip" in warnings and "--redact" not in warnings
    assert str(home) not in r.text and "/tmp" not in r.text
    assert 'href="/tune/export/download?athlete=sam&amp;format=openai"' in r.text

    plain = download(client, format="openai")
    assert sorted(plain) == ["train.jsonl", "val.jsonl"]
    assert plain["train.jsonl"].decode().splitlines() == train and plain["val.jsonl"].decode().splitlines() == val
    assert NOTE.search(plain["train.jsonl"].decode())  # the plan's free-text notes ("| instead of ...") are in...
    redacted = download(client, format="together", redact="on")
    assert len(redacted["train.jsonl"].decode().splitlines()) == len(train)
    assert not NOTE.search(redacted["train.jsonl"].decode())  # ...and none is left in the redacted one

    files = download(client, format="hf", redact="on")
    assert "hf/dataset_dict.json" in files and any(n.startswith("hf/train/") for n in files)


@pytest.mark.parametrize("params, status, said", [
    ({"format": "jsonl"}, 400, "format: format 'jsonl' is not one of the choices"),
    ({}, 400, "format: choose the format to export"),
    ({"format": "openai", "redact": "yes"}, 400, "redact: redact 'yes' is not one of the choices"),
    ({"format": "openai", "athlete": "nobody"}, 404, "athlete: no athlete named nobody"),
    ({"format": "openai", "athlete": "../sam"}, 404, "athlete: no athlete named ../sam"),
])
def test_a_forged_export_is_refused_by_field_and_writes_nothing(client: TestClient, sam: str, home: Path,
                                                                params: dict, status: int, said: str) -> None:
    before, files = dump(home), sorted(home.rglob("*"))
    for url in ("/tune/export", "/tune/export/download"):
        r = client.get(url, params={"athlete": "sam", **params})
        assert r.status_code == status and said in " ".join(alert(r.text).replace("&#39;", "'").split())
    r = client.get("/tune/export?athlete=sam&format=openai&format=hf")
    assert r.status_code == 400 and "'format' came more than once" in alert(r.text).replace("&#39;", "'")
    assert dump(home) == before and sorted(home.rglob("*")) == files


def test_no_dataset_built_is_refused_saying_how_to_build_one(client: TestClient, sam: str) -> None:
    assert 'id="export-form"' not in client.get("/tune?athlete=sam").text
    r = client.get("/tune/export/download", params={"athlete": "sam", "format": "openai"})
    assert r.status_code == 400 and "no dataset built yet for sam" in alert(r.text)
    assert "Build the dataset" in alert(r.text)
