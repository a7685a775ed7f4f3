"""`peri eval --extra ft:NAME` treats a hosted fine-tune like any model: the harness reaches it through its
provider's OpenAI-compatible endpoint (a fake Together server on loopback here) and prices each plan from
the dated price table's row for the tuned model's base."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from peri.log.store import RegisteredModel, Store

KEY = "tgp_v1_PLANTEDevalKEY0123456789"
BASE = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference"
TUNED = "ana/Meta-Llama-3.1-8B-Instruct-Reference-ana-coach-5f2a"


def instance(schema: dict, defs: dict | None = None):
    """The smallest value a JSON schema accepts (enough of the keywords the plan wire schema uses)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return instance(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return instance(schema[key][0], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    t = schema.get("type")
    t = t[0] if isinstance(t, list) else t
    if t == "object":
        return {k: instance(v, defs) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", schema.get("properties", {}))}
    if t == "array":
        if "prefixItems" in schema:
            return [instance(s, defs) for s in schema["prefixItems"]]
        return [instance(schema.get("items", {}), defs) for _ in range(max(schema.get("minItems", 1), 1))]
    if t == "integer":
        return int(schema.get("minimum", 1))
    if t == "number":
        return float(schema.get("minimum", 1))
    if t == "string":
        return "Day"
    return None


class Handler(BaseHTTPRequestHandler):
    seen: list[dict] = []

    def log_message(self, *a):  # quiet
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        Handler.seen.append({"path": self.path, "auth": self.headers.get("authorization"), "body": body})
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
        content = json.dumps(instance(schema)) if schema else "WEEK normal\nDAY A\nBench Press: 3x8"
        out = {"id": "c1", "object": "chat.completion", "created": 1, "model": body["model"],
               "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
               "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}}
        data = json.dumps(out).encode()
        self.send_response(200 if body["model"] == TUNED else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server():
    srv = HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    Handler.seen = []
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def test_eval_extra_hosted_fine_tune_is_priced_from_the_dated_table(home: Path, store: Store, server, monkeypatch):
    from peri.evaluate.harness import EvalConfig, run_eval
    from peri.prices import load_prices
    from peri.sim.generate import simulate

    simulate(store, "seed", seed=4, weeks=30, athlete_name="ana", home=home)
    store.register_model(RegisteredModel(name="ana-together", kind="together", meta={
        "provider": "together", "model": TUNED, "base_model": BASE, "base_url": server,
        "key_env": "TOGETHER_API_KEY", "spec": f"openai-compatible:{server}#{TUNED}", "serving": "serverless"}))
    monkeypatch.setenv("TOGETHER_API_KEY", KEY)
    res = run_eval(store, EvalConfig(athlete="ana", approaches=["extra:ft:ana-together"],
                                     extra_models=["ft:ana-together"], weeks=2), home=home)
    recs = [r for r in res.records if r.approach == "extra:ft:ana-together"]
    assert len(recs) == 2 and Handler.seen
    assert all(s["body"]["model"] == TUNED and s["auth"] == f"Bearer {KEY}" for s in Handler.seen)
    row = load_prices().get(BASE).finetuned  # the base's fine-tuned row, dated
    per_call = (1000 * row.input + 200 * row.output) / 1e6
    # every call is 1000 in x 0.18 + 200 out x 0.18 per 1M; a plan may take more than one call (the decoding
    # constraints re-decode a line that repeats its day's exercise, and each step is billed), so the plans'
    # costs add up to the calls the server answered, each priced from the dated row
    assert per_call == pytest.approx(0.000216)
    assert all(r.valid for r in recs)
    assert sum(r.cost_usd for r in recs) == pytest.approx(len(Handler.seen) * per_call)
    assert KEY not in store.dump()
