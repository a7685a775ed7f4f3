"""No secret reaches the store, PERI_HOME, an export or the terminal, whatever a server echoes back."""
from __future__ import annotations

import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.errors import BackendError, PeriError
from peri.redact import KEY_VARS, MASK, redact, redact_obj

from tests.test_generate import seed_athlete

KEYS = {
    "OPENAI_API_KEY": "sk-proj-PLANTEDopenai0123456789",
    "ANTHROPIC_API_KEY": "sk-ant-api03-PLANTEDanthropic0123",
    "PERI_OPENAI_COMPAT_KEY": "compatPLANTEDkey0123456789",
    "HF_TOKEN": "hf_PLANTEDhuggingface0123456789",
    "HUGGING_FACE_HUB_TOKEN": "hubPLANTEDtoken0123456789",
    "TOGETHER_API_KEY": "tgp_v1_PLANTEDtogether0123456789",
    "FIREWORKS_API_KEY": "fw_PLANTEDfireworks0123456789",
}
URL_SECRET = "urlPLANTEDpassword0123"


def test_every_key_variable_is_planted():
    assert set(KEY_VARS) <= set(KEYS)


@pytest.mark.parametrize("text, secret", [
    ("http://user:hunter2pass@host:8080/v1", "hunter2pass"),
    ("https://api.example.com/v1?key=AIzaSyPLANTEDvalue&x=1", "AIzaSyPLANTEDvalue"),
    ("GET /v1/models?api_key=abcdef123456 HTTP/1.1", "abcdef123456"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
    ('{"headers": {"x-api-key": "plainvalue99"}}', "plainvalue99"),
    ("Incorrect API key provided: sk-abc123def456ghi789", "sk-abc123def456ghi789"),
    ("token hf_abcdefghijklmnop", "hf_abcdefghijklmnop"),
])
def test_shapes_are_redacted(text, secret):
    out = redact(text, env={})
    assert secret not in out and MASK in out


def test_env_values_and_ordinary_text():
    env = {"MY_SERVICE_TOKEN": "zzPLANTEDzz", "OPENAI_API_KEY": "weird-key-without-shape", "SHORT_TOKEN": "1"}
    out = redact("a weird-key-without-shape and zzPLANTEDzz, 1 set", env=env)
    assert "weird-key-without-shape" not in out and "zzPLANTEDzz" not in out and "1 set" in out
    plain = "Squat 3x5 @ 100 kg, RPE 8. Knee fine. See https://example.com/plan?week=3"
    assert redact(plain, env={}) == plain
    assert redact_obj({"a": ["sk-abcdefgh12345678"], "n": 3}, env={}) == {"a": [MASK], "n": 3}


def test_errors_are_redacted_at_construction(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEYS["OPENAI_API_KEY"])
    e = PeriError(f"server said: bad key {KEYS['OPENAI_API_KEY']}", place="http://u:p4ssw0rd@h/v1", hint="x")
    assert KEYS["OPENAI_API_KEY"] not in str(e) and "p4ssw0rd" not in str(e)


class _EchoHandler(BaseHTTPRequestHandler):
    """Answers every request with an error whose body quotes everything it was sent: headers, URL, body."""

    status = 500

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        echo = {"error": {"message": f"rejected {self.path} headers={dict(self.headers)} body={body[:200]}",
                          "type": "invalid_request_error", "code": "bad"}}
        data = json.dumps(echo).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def echo_server():
    class Handler(_EchoHandler):
        pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, Handler
    server.shutdown()
    server.server_close()


def _all_text(home: Path, *extra: str) -> str:
    parts = list(extra)
    db = home / "peri.db"
    if db.exists():
        conn = sqlite3.connect(db)
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            parts += [repr(tuple(r)) for r in conn.execute(f"SELECT * FROM {table}")]
        conn.close()
    for p in home.rglob("*"):
        if p.is_file():
            parts.append(p.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("status", [500, 401, 400])
def test_planted_keys_never_stored_or_shown(home, store, monkeypatch, echo_server, tmp_path, status):
    server, handler = echo_server
    handler.status = status
    port = server.server_address[1]
    for k, v in KEYS.items():
        monkeypatch.setenv(k, v)
    base = f"http://127.0.0.1:{port}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", base)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    seed_athlete(store, "ana")
    outputs = []
    runner = CliRunner()
    specs = [f"openai-compatible:http://peri:{URL_SECRET}@127.0.0.1:{port}/v1#m", "openai:gpt-4o-mini",
             "anthropic:claude-haiku-4-5", f"openai-compatible:http://127.0.0.1:{port}/v1?api_key={URL_SECRET}#m"]
    for spec in specs:
        r = runner.invoke(app, ["plan", "--athlete", "ana", "--model", spec, "--attempts", "1"])
        outputs.append(r.output)
        assert r.exit_code == 1 and "Traceback" not in r.output, r.output
        r = runner.invoke(app, ["plan", "--athlete", "ana", "--model", spec, "--attempts", "1", "--json"])
        outputs.append(r.output)
    r = runner.invoke(app, ["prompt", "history", "--athlete", "ana"])
    outputs.append(r.output)
    gens = store.generations()
    assert len(gens) >= len(specs)  # the failures were recorded, so there was something to leak
    assert any(MASK in (g.error or "") for g in gens) or status == 401  # an echo was there, and was masked
    text = _all_text(home, *outputs)
    for secret in [*KEYS.values(), URL_SECRET]:
        assert secret not in text


def test_backend_error_message_from_echoing_server(monkeypatch, echo_server):
    from peri.backends.base import GenerationRequest
    from peri.backends.registry import get_backend

    server, handler = echo_server
    handler.status = 500
    monkeypatch.setenv("PERI_OPENAI_COMPAT_KEY", KEYS["PERI_OPENAI_COMPAT_KEY"])
    spec = f"openai-compatible:http://peri:{URL_SECRET}@127.0.0.1:{server.server_address[1]}/v1#m"
    backend = get_backend(spec, None)
    assert URL_SECRET not in backend.name and URL_SECRET not in repr(backend)
    with pytest.raises(BackendError) as err:
        backend.generate(GenerationRequest(messages=[{"role": "user", "content": "hi"}], max_tokens=8))
    assert "500" in str(err.value)
    assert KEYS["PERI_OPENAI_COMPAT_KEY"] not in str(err.value) and URL_SECRET not in str(err.value)


def test_registered_model_meta_is_redacted(store, monkeypatch):
    from peri.log.store import RegisteredModel

    monkeypatch.setenv("OPENAI_API_KEY", KEYS["OPENAI_API_KEY"])
    store.register_model(RegisteredModel(name="m", kind="openai-compatible", path=f"http://u:{URL_SECRET}@h/v1",
                                         meta={"spec": f"x {KEYS['OPENAI_API_KEY']}"}))
    m = store.get_model("m")
    assert URL_SECRET not in (m.path or "") and KEYS["OPENAI_API_KEY"] not in json.dumps(m.meta)
