"""Dataset file validation: OpenAI chat rules and TRL conversational formats, each problem on its line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from peri.errors import DatasetError
from peri.tune.validate import check_file, check_lines, token_limit


def good(i: int = 0) -> dict:
    return {"messages": [
        {"role": "system", "content": "You are a strength coach."},
        {"role": "user", "content": f"Plan week {i}."},
        {"role": "assistant", "content": "WEEK normal\nDAY Upper\nBench Press: 3x8"},
    ]}


def write(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def kinds(problems) -> list[tuple[int | None, str]]:
    return [(p.line, p.kind) for p in problems]


def test_a_good_file_passes(tmp_path):
    assert check_file(write(tmp_path / "ok.jsonl", [good(i) for i in range(12)])) == []


def test_each_error_kind_is_reported_on_its_line(tmp_path):
    rows = [good(i) for i in range(12)]
    rows[0] = "{not json"
    rows[1] = ["a", "list"]
    rows[2] = {"prompt": "hi"}
    rows[3] = {"messages": [{"role": "user"}, {"role": "assistant", "content": "x"}]}
    rows[4] = {"messages": [{"role": "user", "content": "x", "mood": "happy"}, {"role": "assistant", "content": "y"}]}
    rows[5] = {"messages": [{"role": "coach", "content": "x"}, {"role": "assistant", "content": "y"}]}
    rows[6] = {"messages": [{"role": "user", "content": ""}, {"role": "assistant", "content": "y"}]}
    rows[7] = {"messages": [{"role": "system", "content": "x"}, {"role": "user", "content": "y"}]}
    rows[8] = {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": {"text": "y"}}]}
    rows[9] = {"messages": [{"role": "user", "content": "x", "weight": 1}, {"role": "assistant", "content": "y", "weight": 2}]}
    rows[10] = {"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}], "extra": 1}
    problems = check_file(write(tmp_path / "bad.jsonl", rows))
    got = kinds(problems)
    for expected in [
        (1, "invalid_json"), (2, "data_type"), (3, "missing_messages_list"), (4, "message_missing_key"),
        (5, "message_unrecognized_key"), (6, "unrecognized_role"), (7, "missing_content"),
        (8, "example_missing_assistant_message"), (9, "content_type"), (10, "invalid_weight"),
        (11, "unrecognized_key"),
    ]:
        assert expected in got, (expected, got)
    assert sum(1 for p in problems if p.kind == "invalid_weight") == 2  # on a user message, and weight=2
    assert (12, "missing_messages_list") not in got  # the last line is fine
    assert all(p.message for p in problems)


def test_too_few_examples_and_blank_lines(tmp_path):
    path = tmp_path / "few.jsonl"
    path.write_text(json.dumps(good()) + "\n\n" + json.dumps(good(1)) + "\n\n")
    got = kinds(check_file(path))
    assert (2, "blank_line") in got  # inside the file
    assert (None, "too_few_examples") in got
    assert (4, "blank_line") not in got  # trailing newlines are fine


def test_token_limit_per_model():
    assert token_limit("gpt-4o-mini") == 65_536
    assert token_limit("gpt-4o-mini-2024-07-18") == 65_536
    assert token_limit("gpt-3.5-turbo-0125") == 16_385
    long = {"messages": [{"role": "user", "content": "word " * 20_000}, {"role": "assistant", "content": "ok"}]}
    lines = [json.dumps(good(i)) for i in range(10)] + [json.dumps(long)]
    assert kinds(check_lines(lines, model="gpt-3.5-turbo")) == [(11, "too_many_tokens")]
    assert check_lines(lines, model="gpt-4o-mini") == []


def test_content_parts_allowed_for_user_images_only():
    user_img = {"messages": [
        {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "x"}}]},
        {"role": "assistant", "content": "ok"}]}
    sys_img = {"messages": [
        {"role": "system", "content": [{"type": "image_url", "image_url": {"url": "x"}}]},
        {"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]}
    lines = [json.dumps(good(i)) for i in range(10)] + [json.dumps(user_img), json.dumps(sys_img)]
    assert kinds(check_lines(lines, count=len)) == [(12, "content_type")]


def test_trl_accepts_both_conversational_forms_but_not_mixed():
    pc = {"prompt": [{"role": "user", "content": "plan"}], "completion": [{"role": "assistant", "content": "WEEK normal"}]}
    assert check_lines([json.dumps(pc)] * 3, fmt="trl", count=len) == []
    assert check_lines([json.dumps(good())] * 3, fmt="trl", count=len) == []
    mixed = check_lines([json.dumps(good()), json.dumps(pc)], fmt="trl", count=len)
    assert kinds(mixed) == [(2, "mixed_formats")]
    bad_pc = {"prompt": [{"role": "user", "content": "plan"}], "completion": [{"role": "user", "content": "x"}]}
    assert kinds(check_lines([json.dumps(bad_pc)], fmt="trl", count=len)) == [(1, "example_missing_assistant_message")]
    # OpenAI does not take the prompt/completion form for chat models.
    assert (1, "missing_messages_list") in kinds(check_lines([json.dumps(pc)], count=len))


def test_trl_uses_the_embedded_tokenizer_limit():
    long = {"messages": [{"role": "user", "content": "lift " * 9000}, {"role": "assistant", "content": "ok"}]}
    assert kinds(check_lines([json.dumps(long)], fmt="trl")) == [(1, "too_many_tokens")]


def test_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError):
        check_file(tmp_path / "nope.jsonl")


def cli():
    import typer
    from typer.testing import CliRunner

    from peri.cli.tune_commands import register

    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_cli_check_passes_and_fails_with_lines(tmp_path):
    app, runner = cli()
    ok = write(tmp_path / "ok.jsonl", [good(i) for i in range(12)])
    r = runner.invoke(app, ["dataset", "check", str(ok)])
    assert r.exit_code == 0 and "OK" in r.output
    rows = [good(i) for i in range(12)]
    rows[4] = {"messages": [{"role": "user", "content": "x"}]}
    bad = write(tmp_path / "bad.jsonl", rows)
    r = runner.invoke(app, ["dataset", "check", str(bad), "--json"])
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["ok"] is False
    assert out["problems"] == [{"line": 5, "kind": "example_missing_assistant_message",
                                "message": "no assistant message to learn from"}]
    r = runner.invoke(app, ["dataset", "check", str(bad)])
    assert r.exit_code == 1 and f"{bad}:5" in r.output
    r = runner.invoke(app, ["dataset", "check", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_trl_prompt_whose_last_item_is_not_a_dict_is_reported_not_a_crash(tmp_path) -> None:
    import json

    from peri.tune.validate import check_file

    f = tmp_path / "bad.jsonl"
    row = {"prompt": [{"role": "user", "content": "hi"}, "oops"], "completion": [{"role": "assistant", "content": "ok"}]}
    f.write_text(json.dumps(row) + "\n")
    problems = check_file(f, fmt="trl")
    assert problems and all(p.line in (1, None) for p in problems)


def test_json_nested_thousands_deep_is_a_problem_on_its_line_not_a_crash(tmp_path):
    """`peri dataset check` on a hostile file (found by tests/test_cli_hostile.py): valid JSON nested 50,000 deep
    raised RecursionError out of json.loads; it is now that line's problem and the other lines are checked."""
    f = tmp_path / "deep.jsonl"
    f.write_text('{"messages": [{"role": "user", "content": "hi"}]}\n' + "[" * 50_000 + "]" * 50_000 + "\n")
    problems = check_file(f)
    assert (2, "invalid_json") in kinds(problems)
    assert next(p.message for p in problems if p.line == 2) == "JSON nested too deeply to read"
