"""A dataset file checked on the Fine-tune page (`peri dataset check FILE --provider P`): every problem with its line,
as `check_file` finds them, or that it passes; the upload never named by the server's copy, never kept; a provider
that is not one, an empty file or a forged post refused naming the field."""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from peri.log.models import Athlete
from peri.log.store import Store
from peri.tune.validate import check_file
from test_web import HOST, alert, app, client, csrf_of  # noqa: F401  (fixtures)


def example(i: int) -> str:
    return json.dumps({"messages": [{"role": "user", "content": f"plan week {i}"},
                                    {"role": "assistant", "content": f"Day 1: squat 3x5 @ {100 + i} kg"}]})


@pytest.fixture
def lee(home: Path) -> str:
    with Store(home / "peri.db") as s:
        s.add_athlete(Athlete(name="lee"))
    return "lee"


def send(client: TestClient, data: bytes, **fields: str):
    token = csrf_of(client.get("/import").text)
    return client.post("/tune/check", data={"csrf": token, "athlete": "lee", **fields},
                       files={"file": ("mine.jsonl", data, "application/jsonl")})


def rows(html: str) -> list[list[str]]:
    body = html.split('id="problems"')[1].split("</table>")[0].split("<tbody>")[1]
    return [[unescape(c) for c in re.findall(r"<td>(.*?)</td>", r)] for r in body.split("</tr>")[:-1]]


def test_each_problem_is_listed_with_its_line(client: TestClient, lee: str, home: Path, tmp_path: Path) -> None:
    lines = [example(i) for i in range(12)]
    lines[2] = json.dumps({"messages": [{"role": "coach", "content": "x"}, {"role": "assistant", "content": "y"}]})
    lines[4] = "{not json"
    data = ("\n".join(lines) + "\n").encode()
    r = send(client, data, provider="openai")
    assert r.status_code == 200, alert(r.text)
    shown = rows(r.text)
    assert [row[0] for row in shown] == ["3", "5"]  # the role line and the broken line, by their line numbers
    local = tmp_path / "mine.jsonl"
    local.write_bytes(data)
    assert shown == [[str(p.line), p.kind, p.message] for p in check_file(local, fmt="openai")]
    assert "peri-check-" not in r.text and not list(Path("/tmp").glob("peri-check-*/dataset.jsonl"))


def test_a_file_that_passes_says_so(client: TestClient, lee: str) -> None:
    r = send(client, ("\n".join(example(i) for i in range(12)) + "\n").encode(), provider="together")
    assert r.status_code == 200 and "OK: no problem found under together" in r.text


@pytest.mark.parametrize("data, fields, field", [
    (b"{}", {"provider": "azure"}, "provider"), (b"", {"provider": "openai"}, "file"),
])
def test_a_hostile_check_is_refused_naming_the_field(client: TestClient, lee: str, data: bytes, fields: dict,
                                                     field: str) -> None:
    r = send(client, data, **fields)
    assert r.status_code == 400 and unescape(alert(r.text)).strip().startswith(f"{field}:")


def test_a_check_without_the_token_is_refused(client: TestClient, lee: str) -> None:
    r = client.post("/tune/check", data={"athlete": "lee"}, files={"file": ("a.jsonl", b"{}", "text/plain")})
    assert r.status_code == 403
