"""Check a fine-tuning JSONL file against a hosted provider's documented rules (OpenAI, Together AI,
Fireworks AI: `data/hosted_providers.yaml`, read through `peri.tune.provider_rules`) or TRL's
conversational formats.

Every problem carries the 1-based line it was found on (`None` for whole-file problems such as too
few examples), so a user can open the file at the right place.

OpenAI (chat fine-tuning; the cookbook "Chat_finetuning_data_prep" names the first seven kinds):
  data_type, missing_messages_list, message_missing_key, message_unrecognized_key, unrecognized_role,
  missing_content, example_missing_assistant_message — plus invalid_json, blank_line,
  unrecognized_key (top level), content_type, invalid_weight, too_many_tokens, too_few_examples.
Together (`fmt="together"`): roles system/user/assistant, message keys role/content/weight, the conversation
  starts with system or user and then alternates user/assistant (`bad_order`); no documented minimum.
Fireworks (`fmt="fireworks"`): roles system/user/assistant, a system message only first (`bad_order`),
  at least 3 and at most 3,000,000 examples (`too_few_examples`, `too_many_examples`).
TRL (`fmt="trl"`): the conversational "messages" form (a list of {role, content}) or the conversational
  prompt/completion form (`prompt`: messages before the answer, `completion`: the assistant's answer),
  one form per file; plus the same JSON, role, content and assistant checks.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import DatasetError
from .provider_rules import rules_for

Format = Literal["openai", "together", "fireworks", "trl"]
FORMATS: tuple[str, ...] = ("openai", "together", "fireworks", "trl")

# The embedded SmolLM2-135M's context window: the limit for local (TRL) training files.
TRL_DEFAULT_TOKEN_LIMIT = 8_192

TRL_ROLES = {"system", "user", "assistant", "tool"}
CONTENT_PART_TYPES = {"text", "image_url"}


class Problem(BaseModel):
    """One thing wrong with a dataset file. `line` is 1-based; None means the file as a whole."""

    line: int | None
    kind: str
    message: str


def token_limit(model: str, provider: str = "openai") -> int:
    """The per-example token limit for `model` at `provider` (longest known prefix; dated snapshots share their
    base's), from the provider's documented rules."""
    return rules_for(provider).dataset.limit_for(model)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def example_tokens(messages: list[dict[str, Any]], count: Any) -> int:
    """Tokens in one chat example, counted the way OpenAI's cookbook does: 3 per message, 1 per name, 3 to prime."""
    total = 3
    for m in messages:
        if not isinstance(m, dict):
            continue
        total += 3 + count(_content_text(m.get("content")))
        if m.get("name"):
            total += 1 + count(str(m["name"]))
    return total


def _check_content(msg: dict[str, Any], line: int, where: str, fmt: str) -> list[Problem]:
    role, content = msg.get("role"), msg.get("content")
    has_call = bool(msg.get("function_call") or msg.get("tool_calls"))
    if content is None or (isinstance(content, str) and not content.strip()):
        if has_call and role == "assistant":
            return []
        return [Problem(line=line, kind="missing_content", message=f"{where}: {role} message has no content")]
    if isinstance(content, str):
        return []
    if isinstance(content, list) and fmt == "openai" and role in ("user", "system"):  # only OpenAI takes parts
        out = []
        for j, part in enumerate(content):
            if not isinstance(part, dict) or part.get("type") not in CONTENT_PART_TYPES:
                out.append(Problem(line=line, kind="content_type",
                                   message=f"{where}: content part {j} must be {{'type': 'text'|'image_url', ...}}"))
            elif part["type"] == "text" and not isinstance(part.get("text"), str):
                out.append(Problem(line=line, kind="content_type", message=f"{where}: text part {j} has no string 'text'"))
            elif part["type"] == "image_url" and role != "user":
                out.append(Problem(line=line, kind="content_type", message=f"{where}: images are allowed in user messages only"))
        return out
    return [Problem(line=line, kind="content_type",
                    message=f"{where}: {role} content must be a string, not {type(content).__name__}")]


def _check_messages(msgs: Any, line: int, key: str, fmt: str) -> list[Problem]:
    """Problems in one list of messages (`key` names the field, for the message text)."""
    if not isinstance(msgs, list) or not msgs:
        return [Problem(line=line, kind="missing_messages_list", message=f"'{key}' must be a non-empty list of messages")]
    out: list[Problem] = []
    rules = None if fmt == "trl" else rules_for(fmt).dataset
    roles = set(rules.roles) if rules else TRL_ROLES
    message_keys = set(rules.message_keys) if rules else None
    for i, m in enumerate(msgs):
        where = f"{key}[{i}]"
        if not isinstance(m, dict):
            out.append(Problem(line=line, kind="data_type", message=f"{where} must be an object, not {type(m).__name__}"))
            continue
        missing = [k for k in ("role", "content") if k not in m]
        if missing:
            out.append(Problem(line=line, kind="message_missing_key", message=f"{where} lacks {', '.join(missing)}"))
        if message_keys is not None:
            extra = sorted(k for k in m if k not in message_keys)
            if extra:
                out.append(Problem(line=line, kind="message_unrecognized_key",
                                   message=f"{where} has unrecognized key(s) {', '.join(extra)}"))
            if "weight" in m:
                if m.get("role") != "assistant":
                    out.append(Problem(line=line, kind="invalid_weight", message=f"{where}: weight is allowed on assistant messages only"))
                elif m["weight"] not in (0, 1) or isinstance(m["weight"], bool):
                    out.append(Problem(line=line, kind="invalid_weight", message=f"{where}: weight must be 0 or 1, not {m['weight']!r}"))
        role = m.get("role")
        if "role" in m and role not in roles:
            out.append(Problem(line=line, kind="unrecognized_role",
                               message=f"{where}: role {role!r} is not one of {', '.join(sorted(roles))}"))
        if "content" in m:
            out.extend(_check_content(m, line, where, fmt))
    return out


def _has_assistant(msgs: Any) -> bool:
    return isinstance(msgs, list) and any(isinstance(m, dict) and m.get("role") == "assistant" for m in msgs)


def _check_order(msgs: list[Any], line: int, order: str) -> list[Problem]:
    roles = [m.get("role") for m in msgs if isinstance(m, dict)]
    if order == "alternate":
        body = roles[1:] if roles and roles[0] == "system" else roles
        want = ["user" if i % 2 == 0 else "assistant" for i in range(len(body))]
        if body != want:
            return [Problem(line=line, kind="bad_order", message="the conversation must start with system or user, "
                            f"then alternate user and assistant; got {' -> '.join(map(str, roles))}")]
    if order == "system_first" and "system" in roles[1:]:
        return [Problem(line=line, kind="bad_order", message="a system message is allowed only as the first message")]
    return []


def _check_chat_line(obj: dict[str, Any], line: int, limit: int, count: Any, fmt: str = "openai") -> list[Problem]:
    rules = rules_for(fmt).dataset
    out: list[Problem] = []
    extra = sorted(k for k in obj if k not in rules.top_keys)
    if extra:
        out.append(Problem(line=line, kind="unrecognized_key", message=f"unrecognized top-level key(s) {', '.join(extra)}"))
    if "messages" not in obj:
        out.append(Problem(line=line, kind="missing_messages_list", message="no 'messages' list"))
        return out
    msgs = obj["messages"]
    out += _check_messages(msgs, line, "messages", fmt)
    if isinstance(msgs, list) and msgs and not _has_assistant(msgs):
        out.append(Problem(line=line, kind="example_missing_assistant_message", message="no assistant message to learn from"))
    elif isinstance(msgs, list) and msgs:
        out += _check_order(msgs, line, rules.order)
    if isinstance(msgs, list):
        n = example_tokens(msgs, count)
        if n > limit:
            out.append(Problem(line=line, kind="too_many_tokens",
                               message=f"{n} tokens, over the {limit}-token limit per example (it would be truncated)"))
    return out


def _check_trl_line(obj: dict[str, Any], line: int, limit: int, count: Any) -> tuple[str | None, list[Problem]]:
    if "messages" in obj:
        msgs = obj["messages"]
        out = _check_messages(msgs, line, "messages", "trl")
        if isinstance(msgs, list) and msgs and not _has_assistant(msgs):
            out.append(Problem(line=line, kind="example_missing_assistant_message", message="no assistant message to learn from"))
        form = "messages"
        allm = msgs if isinstance(msgs, list) else []
    elif "prompt" in obj and "completion" in obj:
        out = _check_messages(obj["prompt"], line, "prompt", "trl") + _check_messages(obj["completion"], line, "completion", "trl")
        comp = obj["completion"]
        if isinstance(comp, list) and comp and not _has_assistant(comp):
            out.append(Problem(line=line, kind="example_missing_assistant_message", message="the completion has no assistant message"))
        prompt = obj["prompt"]
        if (isinstance(prompt, list) and prompt and isinstance(prompt[-1], dict) and _has_assistant(prompt)
                and prompt[-1].get("role") == "assistant"):
            out.append(Problem(line=line, kind="prompt_ends_with_assistant", message="the prompt must end before the assistant's answer"))
        form = "prompt_completion"
        allm = [m for k in ("prompt", "completion") if isinstance(obj[k], list) for m in obj[k]]
    else:
        return None, [Problem(line=line, kind="missing_messages_list",
                              message="neither a 'messages' list nor 'prompt' and 'completion' lists (TRL conversational formats)")]
    n = example_tokens(allm, count)
    if n > limit:
        out.append(Problem(line=line, kind="too_many_tokens", message=f"{n} tokens, over the {limit}-token limit per example"))
    return form, out


def _counter(fmt: str, model: str) -> Any:
    from ..model_spec import ModelSpec
    from ..prompts.tokens import EstimateTokenizer, tokenizer_for

    if fmt in ("together", "fireworks"):  # their own tokenizers are not local: estimate (errs high, so it warns early)
        return EstimateTokenizer(f"openai-compatible:{model}").count
    parsed = ModelSpec.maybe(model)
    spec = f"openai:{model}" if fmt == "openai" and (parsed is None or parsed.kind != "openai") else model
    return tokenizer_for("embedded" if fmt == "trl" else spec).count


def check_lines(
    lines: list[str], *, fmt: Format = "openai", model: str = "gpt-4o-mini",
    max_tokens: int | None = None, count: Any = None,
) -> list[Problem]:
    """Problems in the lines of a JSONL file (see `check_file`). `count(text) -> int` overrides the tokenizer."""
    if fmt not in FORMATS:
        raise DatasetError(f"unknown dataset format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}")
    count = count or _counter(fmt, model)
    rules = None if fmt == "trl" else rules_for(fmt).dataset
    limit = max_tokens or (rules.limit_for(model) if rules else TRL_DEFAULT_TOKEN_LIMIT)
    problems: list[Problem] = []
    forms: dict[str, int] = {}
    examples = 0
    last = len(lines)
    while last > 0 and not lines[last - 1].strip():
        last -= 1  # trailing newlines at the end are fine
    for i, raw in enumerate(lines[:last], start=1):
        if not raw.strip():
            problems.append(Problem(line=i, kind="blank_line", message="blank line inside the file"))
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(Problem(line=i, kind="invalid_json", message=f"not valid JSON: {e.msg} at column {e.colno}"))
            continue
        except RecursionError:  # valid JSON nested thousands deep: no training example, and it must not crash
            problems.append(Problem(line=i, kind="invalid_json", message="JSON nested too deeply to read"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(line=i, kind="data_type", message=f"each line must be a JSON object, not {type(obj).__name__}"))
            continue
        examples += 1
        if rules is not None:
            problems += _check_chat_line(obj, i, limit, count, fmt)
        else:
            form, found = _check_trl_line(obj, i, limit, count)
            problems += found
            if form:
                forms.setdefault(form, i)
    if len(forms) > 1:
        second = max(forms.values())
        problems.append(Problem(line=second, kind="mixed_formats",
                                message="the file mixes the 'messages' and 'prompt'/'completion' forms; use one"))
    if rules is not None and examples < max(rules.min_examples, 1):
        who = rules_for(fmt).title
        problems.append(Problem(line=None, kind="too_few_examples",
                                message=f"{examples} example(s); {who} requires at least {max(rules.min_examples, 1)}"
                                + (" (50+ suggested)" if fmt == "openai" else "")))
    if rules is not None and rules.max_examples is not None and examples > rules.max_examples:
        problems.append(Problem(line=None, kind="too_many_examples",
                                message=f"{examples} examples; {rules_for(fmt).title} accepts at most {rules.max_examples:,}"))
    if fmt == "trl" and examples == 0:
        problems.append(Problem(line=None, kind="too_few_examples", message="the file holds no examples"))
    return sorted(problems, key=lambda p: (p.line or 0))


def check_file(
    path: Path | str, *, model: str = "gpt-4o-mini", fmt: Format = "openai",
    max_tokens: int | None = None, count: Any = None,
) -> list[Problem]:
    """All problems in a fine-tuning JSONL file, each with its line; an empty list means it passes."""
    p = Path(path)
    if not p.exists():
        raise DatasetError("no such file", place=str(p), hint="run `peri dataset build` first")
    if not p.is_file():  # a folder, /dev/zero, a FIFO: nothing to check, and reading would fail or never end
        raise DatasetError("not a regular file", place=str(p), hint="give the path of a JSONL file")
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise DatasetError(f"cannot read it: {e.strerror or e}", place=str(p)) from None
    except UnicodeDecodeError as e:
        return [Problem(line=None, kind="data_type", message=f"not UTF-8 text: {e.reason} at byte {e.start}")]
    return check_lines(text.split("\n"), fmt=fmt, model=model, max_tokens=max_tokens, count=count)
