"""An adapter trained elsewhere, uploaded on the Fine-tune page as a ZIP of its folder and registered through
`import_adapter` as `peri finetune import` registers it; an upload that is no ZIP, a ZIP that climbs out of its
folder, holds a link, no adapter or two, or would expand a thousandfold, a name taken or not a name, is refused
naming the field with nothing registered or left behind."""
from __future__ import annotations

import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.errors import NotFound
from peri.log.store import Store
from peri.web.app import WebSettings, create_app
from test_web import HOST, alert, client, csrf_of  # noqa: F401  (fixtures)
from tests.test_import_adapter import trained_elsewhere


@pytest.fixture
def app(home: Path):
    a = create_app(WebSettings(max_upload_bytes=4_000_000))  # the test adapter zips to ~0.5 MB
    yield a
    a.pages.jobs.shutdown()


def zipped(folder: Path, prefix: str = "sam-lora/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, prefix + f.relative_to(folder).as_posix())
    return buf.getvalue()


def send(client: TestClient, data: bytes, name: str = "sam-gpu", filename: str = "sam-lora.zip", **fields: str):
    token = csrf_of(client.get("/tune?athlete=sam").text)
    return client.post("/tune/import", data={"csrf": token, "athlete": "sam", "name": name, **fields},
                       files={"file": (filename, data, "application/zip")}, follow_redirects=False)


def registered(home: Path, name: str = "sam-gpu") -> bool:
    with Store(home / "peri.db") as s:
        try:
            s.get_model(name)
            return True
        except NotFound:
            return False


def left_behind(home: Path) -> list[str]:
    d = home / "adapters"
    return sorted(p.name for p in d.iterdir()) if d.exists() else []


@pytest.fixture(scope="module")
def adapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One adapter folder for the module (building its GGUF reads the base): the tests only read it."""
    return trained_elsewhere(tmp_path_factory.mktemp("gpu") / "from-gpu")


@pytest.fixture
def sam(home: Path) -> str:
    """An athlete for the page to name (the upload does not read the log)."""
    from peri.log.models import Athlete

    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="sam"))
    return "sam"


def test_a_zipped_adapter_folder_is_registered_and_offered(client: TestClient, sam: str, home: Path,
                                                           adapter: Path) -> None:
    r = send(client, zipped(adapter))
    assert r.status_code == 303, alert(r.text)
    assert registered(home) and (home / "adapters" / "sam-gpu" / "adapter.gguf").is_file()
    assert not (home / "adapters" / "sam-gpu" / "checkpoints").exists()  # the trainer's state stays out
    meta = json.loads((home / "adapters" / "sam-gpu" / "peri_adapter.json").read_text())
    assert meta["imported_from"] == "uploaded as sam-lora.zip"  # not the server's temporary copy, gone by now
    page = client.get(r.headers["location"]).text
    assert "Registered <code>ft:sam-gpu</code>" in page and "<code>ft:sam-gpu</code></td>" in page
    assert "ft:sam-gpu|short|3" in client.get("/plans?athlete=sam").text  # the Plans page offers it


def test_a_name_taken_is_refused_saying_the_forms_box_then_replaced(client: TestClient, sam: str, home: Path,
                                                                    adapter: Path) -> None:
    assert send(client, zipped(adapter)).status_code == 303
    r = send(client, zipped(adapter))
    said = unescape(alert(r.text))
    assert r.status_code == 400 and "already exists" in said and "replace a model of that name" in said
    assert "--replace" not in said and str(home) not in said
    assert send(client, zipped(adapter), replace="on").status_code == 303
    assert left_behind(home) == ["sam-gpu"]


def _zip(entries: dict[str, bytes], link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777 << 16)  # a symbolic link
            z.writestr(info, "/home/someone/.ssh/id_rsa")
    return buf.getvalue()


@pytest.mark.parametrize("make, field, says", [
    (lambda a: b"just text", "file", "is not a ZIP file"),
    (lambda a: zipped(a)[:200], "file", "damaged"),
    (lambda a: _zip({"notes.txt": b"hi"}), "file", "no peri_adapter.json"),
    (lambda a: _zip({"a/peri_adapter.json": b"{}", "b/peri_adapter.json": b"{}"}), "file", "several adapters"),
    (lambda a: _zip({"../peri_adapter.json": b"{}"}), "file", "'..'"),
    (lambda a: _zip({"x/peri_adapter.json": b"{}"}, link="x/adapter.gguf"), "file", "is a link"),
    (lambda a: _zip({"x/peri_adapter.json": b"{}", "x/adapter.gguf": b"\0" * 20_000_000}), "file", "would expand"),
    (lambda a: _zip({"x/peri_adapter.json": b"{not json"}), "", "unreadable adapter metadata"),
])
def test_a_hostile_upload_is_refused_and_nothing_left(client: TestClient, sam: str, home: Path, adapter: Path,
                                                      make, field: str, says: str) -> None:
    r = send(client, make(adapter))
    said = unescape(alert(r.text))
    assert r.status_code in (400, 404) and says in said, said
    assert not field or said.strip().startswith(f"{field}:")
    assert "peri-adapter-" not in said  # the upload, never the server's temporary folder
    assert not registered(home) and [n for n in left_behind(home) if not n.startswith(".")] == []


@pytest.mark.parametrize("name", ["../etc", "a b", "x" * 101, ""])
def test_a_name_that_names_no_folder_is_refused(client: TestClient, sam: str, home: Path, adapter: Path,
                                                name: str) -> None:
    r = send(client, zipped(adapter), name=name)
    assert r.status_code == 400 and "name" in alert(r.text)
    assert left_behind(home) == []


def test_an_upload_without_the_token_is_refused(client: TestClient, sam: str, home: Path, adapter: Path) -> None:
    r = client.post("/tune/import", data={"athlete": "sam", "name": "sam-gpu"},
                    files={"file": ("a.zip", zipped(adapter), "application/zip")})
    assert r.status_code == 403 and not registered(home)
    assert re.search(r'id="adapter-import-form"', client.get("/tune?athlete=sam").text)
