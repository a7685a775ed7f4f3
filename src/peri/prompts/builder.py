"""The prompt-engineering path: an athlete's own data, rendered through Jinja2 templates into a chat request.

`build_prompt` renders one scenario at one of five detail levels:

0. the bare request ("Create a workout plan for next week.")
1. + profile (age, level, frequency, goal)
2. + last week's numbers (reps, hard sets, average RPE, tonnage, sets per muscle, top e1RMs)
3. + constraints, and what the notes say aggravated or worked
4. + a digest of recent weeks (each as a logged plan) and their outcomes (notes)

Every part is a section with its own token count. Context-setting (profile, last week, notes, history) is
counted apart from the request and its output-format instruction. When context passes the budget, whole
notes and weeks are left out, least relevant first; nothing is cut mid-sentence.

Templates ship in `peri/prompts/templates/`; a file of the same name in `peri.paths.templates_override_dir()`
wins. `short_prompt` is the fine-tuned model's input; it renders only the shipped `short.j2`, because the
dataset and the serving prompt must be byte-identical.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import ConfigError
from ..log.context import AthleteContext
from ..paths import templates_override_dir
from ..plans.schema import Scenario
from .digest import NoteItem, PromptFacts, WeekDigest, extract_facts, fmt_num, neutralise
from .tokens import Tokenizer

DETAIL_LEVELS = (0, 1, 2, 3, 4)
CONTEXT_SECTIONS = ("profile", "last_week", "notes", "history")
SCENARIO_TEMPLATES = {
    Scenario.normal: "weekly_plan.j2",
    Scenario.deload: "deload.j2",
    Scenario.travel: "travel.j2",
    Scenario.peaking: "peaking.j2",
    Scenario.injury: "injury.j2",
}
# The fixed system line of the tuned model's input. Changing it invalidates every trained adapter. The
# output form is not described: a tuned model learns it from its training completions.
SHORT_SYSTEM = "You are Peri, a strength coach."
# How many estimated 1RMs the short prompt names: one anchors the loads and keeps the whole request
# under ~80 tokens on the embedded tokenizer (which spends one token per digit).
SHORT_TOP_E1RM = 1


class Section(BaseModel):
    """One rendered part of the prompt and its token count on the target tokenizer."""

    name: str  # system | profile | last_week | notes | history | request | format
    text: str
    tokens: int
    kind: Literal["system", "context", "request"] = "context"


class BuiltPrompt(BaseModel):
    """A rendered prompt with its token breakdown and what the budget left out."""

    messages: list[dict[str, str]]
    sections: list[Section]
    context_tokens: int  # profile + last week + notes + history (what the budget governs)
    total_tokens: int  # the whole request with the chat template's framing
    over_budget: bool  # the full context passed the budget (and was fitted)
    dropped: list[str] = Field(default_factory=list)  # "note 2026-03-02 \"...\"", "week of 2026-02-23"
    warning: str | None = None
    budget: int
    scenario: Scenario
    detail: int
    output_format: Literal["text", "json"] = "text"
    tokenizer: str
    exact: bool


# ----------------------------------------------------------------------------------------- templates


def template_env(override_dir: Path | None = None, *, allow_override: bool = True) -> Any:
    """Jinja2 environment: the user's override folder first, then the shipped templates.

    Autoescape is off (this is a prompt, not HTML); imported text is made safe in `digest.neutralise`
    and quoted inside delimited blocks instead.
    """
    if not allow_override:
        return _shipped_env()
    d = override_dir if override_dir is not None else templates_override_dir()
    return _make_env(str(d))


def templates_fingerprint(override_dir: Path | None = None) -> str:
    """A hash of every template a prompt can come from (shipped, then the user's overrides): what an
    evaluation cache must key on, since editing a template changes every prompt built from it."""
    import hashlib
    from importlib.resources import files

    h = hashlib.sha1()
    shipped = files("peri.prompts") / "templates"
    d = override_dir if override_dir is not None else templates_override_dir()
    sources = [("shipped", sorted((f.name, f.read_bytes()) for f in shipped.iterdir() if f.name.endswith(".j2")))]
    if d is not None and Path(d).is_dir():
        sources.append(("override", sorted((f.name, f.read_bytes()) for f in Path(d).glob("*.j2"))))
    for origin, items in sources:
        for name, data in items:
            h.update(f"{origin}/{name}\0".encode())
            h.update(data)
    return h.hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def _shipped_env() -> Any:
    # only the shipped templates can be cached safely: an override may appear at any time
    return _make_env(None)


def _make_env(override_dir: str | None) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders: list[Any] = [FileSystemLoader(override_dir)] if override_dir else []
    loaders.append(PackageLoader("peri.prompts", "templates"))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["num"] = fmt_num
    return env


def render(env: Any, name: str, variables: dict[str, Any]) -> str:
    """Render one template to trimmed text; a broken (override) template is a ConfigError naming its line."""
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        text = env.get_template(name).render(**variables)
    except TemplateSyntaxError as e:
        raise ConfigError(f"template error: {e.message}", place=f"{e.filename or name}:{e.lineno}",
                          hint=f"fix or delete the override in {templates_override_dir()}") from None
    except TemplateError as e:
        raise ConfigError(f"template error: {e}", place=name,
                          hint=f"fix or delete the override in {templates_override_dir()}") from None
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# -------------------------------------------------------------------------------------------- build


def _coerce_scenario(scenario: Scenario | str | None) -> Scenario:
    if scenario is None:
        return Scenario.normal
    try:
        return Scenario(scenario)
    except ValueError:
        raise ConfigError(
            f"unknown scenario {scenario!r}", hint="one of " + ", ".join(s.value for s in Scenario)
        ) from None


def _coerce_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"bad event date {value!r}", hint="write it as YYYY-MM-DD") from None


def _variables(
    facts: PromptFacts, scenario: Scenario, detail: int, event_date: dt.date | None,
    equipment: list[str] | None, output_format: str,
) -> dict[str, Any]:
    from ..plans.text import SPEC_HELP

    weeks_to_event = None
    if event_date is not None:
        weeks_to_event = max(0, (event_date - facts.week_start).days // 7)
    return {
        "facts": facts,
        "detail": detail,
        "scenario": scenario.value,
        "event_date": event_date.isoformat() if event_date else None,
        "weeks_to_event": weeks_to_event,
        "equipment": [neutralise(e, limit=40) for e in (equipment or []) if e.strip()],
        "output_format": output_format,
        "week_start": facts.week_start.isoformat(),
        "spec_help": SPEC_HELP,
        "notes": facts.notes,
        "weeks": facts.weeks,
    }


def _render_sections(env: Any, variables: dict[str, Any], scenario: Scenario, detail: int) -> dict[str, str]:
    out = {"system": render(env, "system.j2", variables)}
    if detail >= 1:
        out["profile"] = render(env, "profile.j2", variables)
    if detail >= 2:
        out["last_week"] = render(env, "last_week.j2", variables)
    if detail >= 3:
        out["notes"] = render(env, "notes.j2", variables)
    if detail >= 4:
        out["history"] = render(env, "history.j2", variables)
    out["request"] = render(env, SCENARIO_TEMPLATES[scenario], variables)
    fmt = "format_json.j2" if variables["output_format"] == "json" else "format_text.j2"
    out["format"] = render(env, fmt, variables)
    return out


def _context_tokens(texts: dict[str, str], tokenizer: Tokenizer) -> int:
    return sum(tokenizer.count(texts[n]) for n in CONTEXT_SECTIONS if texts.get(n))


def _fit(
    env: Any, variables: dict[str, Any], tokenizer: Tokenizer, budget: int
) -> tuple[list[NoteItem], list[WeekDigest], int]:
    """Keep the most relevant whole notes and weeks whose context fits `budget`; returns what was kept.

    Each item's cost is measured once (its block rendered with it alone, less the block's own header),
    items are taken greedily by relevance, then the real rendering is counted and the least relevant
    kept item dropped until it fits: linear in the number of notes, exact at the end.
    """
    notes: list[NoteItem] = variables["notes"]
    weeks: list[WeekDigest] = variables["weeks"]
    detail = variables["detail"]
    blocks = {"notes": ("notes.j2", 3), "weeks": ("history.j2", 4)}

    def block_tokens(kind: str, items: list[Any]) -> int:
        name, level = blocks[kind]
        if detail < level or not items:
            return 0
        return tokenizer.count(render(env, name, {**variables, kind: items}))

    def cost(kept_notes: list[NoteItem], kept_weeks: list[WeekDigest]) -> int:
        v = {**variables, "notes": kept_notes, "weeks": kept_weeks}
        n = tokenizer.count(render(env, "profile.j2", v)) if detail >= 1 else 0
        n += tokenizer.count(render(env, "last_week.j2", v)) if detail >= 2 else 0
        return n + block_tokens("notes", kept_notes) + block_tokens("weeks", kept_weeks)

    fixed = cost([], [])
    header: dict[str, int] = {}
    marginal: dict[int, int] = {}
    for kind, items in (("notes", notes), ("weeks", weeks)):
        alone = [block_tokens(kind, [it]) for it in items]
        # the block's header and footer, paid once: what two items alone cost beyond the two together
        header[kind] = max(0, alone[0] + alone[1] - block_tokens(kind, items[:2])) if len(items) >= 2 else 0
        for it, c in zip(items, alone):
            marginal[id(it)] = max(1, c - header[kind])

    # one ranking for both kinds: a recent troubled week and a fresh "aggravated" note score alike
    ranked: list[NoteItem | WeekDigest] = sorted([*notes, *weeks], key=lambda it: -it.relevance)
    chosen: list[NoteItem | WeekDigest] = []
    used = fixed
    opened: set[str] = set()
    for it in ranked:
        kind = "notes" if isinstance(it, NoteItem) else "weeks"
        extra = marginal[id(it)] + (0 if kind in opened else header[kind])
        if used + extra <= budget:
            chosen.append(it)
            used += extra
            opened.add(kind)

    def split(items: list[NoteItem | WeekDigest]) -> tuple[list[NoteItem], list[WeekDigest]]:
        keep = {id(it) for it in items}
        # the original order within each block: notes by relevance, weeks most recent first
        return [n for n in notes if id(n) in keep], [w for w in weeks if id(w) in keep]

    kept_n, kept_w = split(chosen)
    used = cost(kept_n, kept_w)
    while used > budget and chosen:  # joins can merge or split tokens: trust only the real count
        chosen.pop()
        kept_n, kept_w = split(chosen)
        used = cost(kept_n, kept_w)
    return kept_n, kept_w, used


def build_prompt(
    ctx: AthleteContext,
    catalog: Any,
    scenario: Scenario | str,
    detail: int,
    *,
    tokenizer: Tokenizer,
    budget: int = 3000,
    event_date: dt.date | str | None = None,
    equipment: list[str] | None = None,
    output_format: Literal["text", "json"] = "text",
    override_dir: Path | None = None,
) -> BuiltPrompt:
    """Render `scenario` at `detail` (0-4) for the athlete in `ctx`, counted with `tokenizer`,
    its context fitted to `budget` tokens by keeping the most relevant whole notes and weeks."""
    if detail not in DETAIL_LEVELS:
        raise ConfigError(f"detail level {detail} does not exist", hint="use 0, 1, 2, 3 or 4")
    if output_format not in ("text", "json"):
        raise ConfigError(f"unknown output format {output_format!r}", hint="use text or json")
    if budget < 1:
        raise ConfigError(f"budget {budget} is not a token count", hint="give a positive number of tokens")
    scenario = _coerce_scenario(scenario)
    event = _coerce_date(event_date)
    env = template_env(override_dir)
    facts = extract_facts(ctx, catalog, detail=detail)
    variables = _variables(facts, scenario, detail, event, equipment, output_format)

    texts = _render_sections(env, variables, scenario, detail)
    full_context = _context_tokens(texts, tokenizer)
    over = full_context > budget
    dropped: list[str] = []
    warning = None
    if over:
        kept_n, kept_w, used = _fit(env, variables, tokenizer, budget)
        dropped = [n.describe() for n in facts.notes if n not in kept_n]
        dropped += [w.describe() for w in facts.weeks if w not in kept_w]
        variables = {**variables, "notes": kept_n, "weeks": kept_w}
        texts = _render_sections(env, variables, scenario, detail)
        now = _context_tokens(texts, tokenizer)
        kept = [f"{len(kept_n)} of {len(facts.notes)} notes"] if facts.notes else []
        kept += [f"{len(kept_w)} of {len(facts.weeks)} weeks"] if facts.weeks else []
        warning = (
            f"context is {full_context} tokens, over the {budget}-token budget: kept "
            + (f"the most relevant {' and '.join(kept)}" if kept else "only the profile and last week")
            + f" ({now} tokens)"
        )
        if now > budget:
            warning += f"; still {now - budget} over with only the profile and last week left"

    kinds = {"system": "system", "request": "request", "format": "request"}
    order = ("system", "profile", "last_week", "notes", "history", "request", "format")
    sections = [
        Section(name=n, text=texts[n], tokens=tokenizer.count(texts[n]), kind=kinds.get(n, "context"))  # type: ignore[arg-type]
        for n in order
        if texts.get(n)
    ]
    user = "\n\n".join(s.text for s in sections if s.name != "system")
    messages = [{"role": "system", "content": texts["system"]}, {"role": "user", "content": user}]
    return BuiltPrompt(
        messages=messages,
        sections=sections,
        context_tokens=sum(s.tokens for s in sections if s.kind == "context"),
        total_tokens=tokenizer.count_messages(messages),
        over_budget=over,
        dropped=dropped,
        warning=warning,
        budget=budget,
        scenario=scenario,
        detail=detail,
        output_format=output_format,
        tokenizer=tokenizer.name,
        exact=tokenizer.exact,
    )


def short_prompt(
    ctx: AthleteContext,
    catalog: Any,
    scenario: Scenario | str | None = Scenario.normal,
    *,
    event_date: dt.date | str | None = None,
    equipment: list[str] | None = None,
) -> list[dict[str, str]]:
    """The tuned model's input: the profile in a few words and last week in one line (what a model
    cannot know), plus the scenario's short instruction. The fine-tuning dataset and serving both call
    this, so it is deterministic, ignores template overrides, and its system message is fixed."""
    scenario = _coerce_scenario(scenario)
    event = _coerce_date(event_date)
    facts = extract_facts(ctx, catalog, detail=2)
    if facts.last_week is not None:
        facts.last_week.top_e1rm = facts.last_week.top_e1rm[:SHORT_TOP_E1RM]
    env = template_env(allow_override=False)
    variables = _variables(facts, scenario, 2, event, equipment, "text")
    text = " ".join(render(env, "short.j2", variables).split())
    return [{"role": "system", "content": SHORT_SYSTEM}, {"role": "user", "content": text}]
