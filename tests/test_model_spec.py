"""peri.model_spec: one parser for every model spec; parse -> str round-trips; every kind is recognised by
each module that reads specs; a bad spec is one line naming it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from peri.errors import ConfigError
from peri.model_spec import BARE, KINDS, NAMED, SERVED, ModelSpec

# names as people and providers write them: paths, dated ids, OpenAI fine-tune ids, SGLang's BASE:NAME, spaces inside
_name_chars = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="#")
names = st.text(_name_chars, min_size=1, max_size=40).filter(lambda s: s == s.strip() and s.strip())
hosts = st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,20}[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9._-]{1,10}){0,3}", fullmatch=True)
urls = st.builds(lambda scheme, host: f"{scheme}://{host}", st.sampled_from(["http", "https"]), hosts)


@st.composite
def specs(draw) -> ModelSpec:
    kind = draw(st.sampled_from(KINDS))
    if kind in BARE:
        return ModelSpec(kind=kind)
    if kind in NAMED:
        return ModelSpec(kind=kind, name=draw(names))
    name = draw(names) if kind == "lora" else draw(st.one_of(st.just(""), names))
    return ModelSpec(kind=kind, name=name, url=draw(urls))


@settings(max_examples=300, deadline=None)
@given(specs())
def test_str_then_parse_gives_the_same_spec(spec: ModelSpec) -> None:
    text = str(spec)
    assert ModelSpec.parse(text) == spec
    assert str(ModelSpec.parse(f"  {text}\t")) == text  # trimmed, nothing else changed


@settings(max_examples=200, deadline=None)
@given(specs())
def test_every_kind_reaches_its_backend_factory(spec: ModelSpec) -> None:
    from peri.backends.registry import BACKENDS, parse_spec

    assert set(KINDS) == set(BACKENDS)  # every kind the parser knows has a backend, and no backend is unparseable
    assert parse_spec(str(spec)) == (spec.kind, spec.arg)


@pytest.mark.parametrize("text,kind,name,url,tuned", [
    ("embedded", "embedded", "", None, False),
    ("rules", "rules", "", None, False),
    ("gguf:/models/qwen 2.5/q4.gguf", "gguf", "/models/qwen 2.5/q4.gguf", None, False),
    ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", None, False),
    ("openai:ft:gpt-4o-mini-2024-07-18:acme::9xYz", "openai", "ft:gpt-4o-mini-2024-07-18:acme::9xYz", None, True),
    ("anthropic:claude-haiku-4-5", "anthropic", "claude-haiku-4-5", None, False),
    ("ft:Ana Lopez-lora", "ft", "Ana Lopez-lora", None, True),
    ("openai-compatible:http://127.0.0.1:11434/v1#llama3.2", "openai-compatible", "llama3.2",
     "http://127.0.0.1:11434/v1", False),
    ("openai-compatible:http://127.0.0.1:8080/v1", "openai-compatible", "", "http://127.0.0.1:8080/v1", False),
    ("lora:http://127.0.0.1:8088/v1#alex", "lora", "alex", "http://127.0.0.1:8088/v1", True),
    ("lora:https://gpu.example/v1#Qwen/Qwen2.5-1.5B:alex", "lora", "Qwen/Qwen2.5-1.5B:alex", "https://gpu.example/v1", True),
])
def test_each_kind_by_hand(text, kind, name, url, tuned) -> None:
    s = ModelSpec.parse(text)
    assert (s.kind, s.name, s.url, s.tuned) == (kind, name, url, tuned)
    assert str(s) == text


BAD = [
    ("", "empty"), ("   ", "empty"), ("gpt-4o-mini", "no model kind 'gpt-4o-mini'"), ("openai", "openai: needs a model name"),
    ("ft:", "needs a registered model's name"), ("gguf:", "needs a file path"), ("openai: gpt-4o", "spaces"),
    ("embedded:big", "takes nothing after it"), ("lora:http://x/v1", "needs an adapter name"),
    ("lora:127.0.0.1:8088#alex", "needs a server URL"), ("openai-compatible:ollama#llama3", "needs a base URL"),
    ("ft:a\nb", "control character"), ("Embedded", "no model kind"),
]


@pytest.mark.parametrize("text,why", BAD)
def test_a_bad_spec_is_one_line_naming_it(text: str, why: str) -> None:
    with pytest.raises(ConfigError) as e:
        ModelSpec.parse(text)
    msg = str(e.value)
    assert why in msg and "\n" not in msg
    if text.strip() and "\n" not in text:
        assert repr(text.strip()) in msg  # the spec itself, as typed
    assert ModelSpec.maybe(text) is None


def test_every_reader_refuses_a_bad_spec_with_the_parsers_message(store) -> None:
    from peri.backends.registry import get_backend
    from peri.evaluate.blind import parse_arm
    from peri.prompts.tokens import tokenizer_for

    for call in (lambda: get_backend("gtp:4o", store), lambda: tokenizer_for("gtp:4o"),
                 lambda: parse_arm("gtp:4o|engineered|3")):
        with pytest.raises(ConfigError, match="unknown model spec 'gtp:4o': no model kind 'gtp'"):
            call()


def test_the_cli_prints_one_line_for_a_bad_spec(store) -> None:
    from typer.testing import CliRunner

    from peri.cli.app import app
    from peri.log.models import Athlete

    store.add_athlete(Athlete(name="ann"))
    r = CliRunner().invoke(app, ["plan", "--athlete", "ann", "--model", "lora:http://x/v1"])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "unknown model spec 'lora:http://x/v1': lora: needs an adapter name" in " ".join(r.output.split())


def test_tuned_specs_are_priced_and_recorded_as_tuned() -> None:
    from peri.backends.registry import approach_for
    from peri.prices import load_prices

    prices = load_prices()
    assert prices.key("openai:ft:gpt-4o-mini-2024-07-18:acme::9xYz") == prices.key("openai:gpt-4o-mini-2024-07-18")
    base = prices.cost("openai:gpt-4o-mini", 1_000_000, 0)
    tuned = prices.cost("openai:ft:gpt-4o-mini-2024-07-18:acme::9xYz", 1_000_000, 0)
    assert base is not None and tuned is not None and tuned > base  # the fine-tuned row, not the base's
    assert [approach_for(s) for s in ("rules", "embedded", "ft:a", "lora:http://h/v1#a", "openai:ft:gpt-4o-mini:o::1")] \
        == ["rules", "prompt", "finetuned", "finetuned", "finetuned"]
