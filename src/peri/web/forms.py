"""The web app's forms for a person's own words: a note, the stated profile, the fine-tune settings, a plan to
check, a question to Peri.

Each reader takes the posted form and returns the values the library call takes (`add_note`, `set_profile`,
`plan_local_finetune`), or raises ConfigError whose `place` names the form's field; nothing is written before
every field has been read, so a refused form changes nothing. Text is kept verbatim (the templates escape it).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pydantic import BaseModel

from ..errors import ConfigError
from ..log.models import PROFILE_FIELDS, Goal, Level, Scope

MAX_SPLIT_CHARS = 60  # "push/pull/legs/upper/lower" fits with room
MAX_EQUIPMENT_ITEMS = 20
MAX_ITEM_CHARS = 60  # one piece of equipment: a phrase
MAX_CONSTRAINT_CHARS = 200  # one injury or sensitivity: a sentence ("left shoulder impingement, flares on incline")
MAX_CONSTRAINTS = 20
MAX_NAME_CHARS = 80  # a registered model's name (its folder is a slug of it)


def text(form: Any, key: str, label: str, *, limit: int, required: bool = False) -> str | None:
    """A one-line text field, stripped; None when blank. Refused: longer than `limit`, control characters."""
    raw = str(form.get(key) or "").strip()
    if not raw:
        if required:
            raise ConfigError(f"{label} is empty", place=label)
        return None
    if len(raw) > limit:
        raise ConfigError(f"{label} is {len(raw)} characters; at most {limit}", place=label)
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise ConfigError(f"{label} holds control characters", place=label, hint="type it on one line")
    return raw


def choice(form: Any, key: str, label: str, options: list[str]) -> str | None:
    """One of `options`, or None when blank; anything else refused naming the field and the options."""
    raw = str(form.get(key) or "").strip()
    if not raw:
        return None
    if raw not in options:
        raise ConfigError(f"{label} {raw[:40]!r} is not one of the choices", place=label, hint=", ".join(options))
    return raw


def number(form: Any, key: str, label: str, lo: float, hi: float, *, whole: bool = False) -> float | int | None:
    """A number in [lo, hi], or None when blank; text, NaN, infinities and values outside refused by name."""
    raw = str(form.get(key) or "").strip()
    if not raw:
        return None
    try:
        v: float | int = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{label} {raw[:40]!r} is not {kind}", place=label) from None
    if (isinstance(v, float) and not math.isfinite(v)) or not lo <= v <= hi:
        raise ConfigError(f"{label} {raw[:40]} is outside {lo:g}-{hi:g}", place=label)
    return v


def _items(raw: str, label: str, *, sep: str, most: int, limit: int = MAX_ITEM_CHARS) -> list[str]:
    items = [x.strip() for x in raw.replace("\r", "").split(sep) if x.strip()]
    if len(items) > most:
        raise ConfigError(f"{label} has {len(items)} entries; at most {most}", place=label)
    for x in items:
        if len(x) > limit:
            raise ConfigError(f"{label}: {x[:30]!r}… is longer than {limit} characters", place=label,
                              hint="one short phrase each")
        if any(ord(c) < 32 or ord(c) == 127 for c in x):
            raise ConfigError(f"{label} holds control characters", place=label)
    return items


# --- a note ---------------------------------------------------------------------------------------------


def note_form(form: Any) -> dict[str, Any]:
    """`add_note`'s arguments: day, text, exercise, scope (the library checks the date range and the length)."""
    raw_day = str(form.get("date") or "").strip()
    if not raw_day:
        raise ConfigError("the date is empty", place="date", hint="YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(raw_day)
    except ValueError:
        raise ConfigError(f"date {raw_day[:40]!r} is not a date", place="date", hint="YYYY-MM-DD") from None
    scope = choice(form, "scope", "scope", [s.value for s in Scope])
    note = str(form.get("text") or "")
    return {"day": day, "text": note.strip(), "exercise": form.get("exercise") or None,
            "scope": Scope(scope) if scope else None}


# --- the stated profile -------------------------------------------------------------------------------------


def profile_form(form: Any, stated: set[str]) -> tuple[dict[str, Any], list[str]]:
    """`set_profile`'s (changes, unset). A profile field left blank is read from the log again (unset when it
    was stated); age and body mass left blank are cleared; constraints are one per line."""
    values: dict[str, Any] = {
        "level": choice(form, "level", "level", [x.value for x in Level]),
        "days_per_week": number(form, "days_per_week", "days_per_week", 1, 7, whole=True),
        "goal": choice(form, "goal", "goal", [x.value for x in Goal]),
        "split": text(form, "split", "split", limit=MAX_SPLIT_CHARS),
    }
    equipment = str(form.get("equipment") or "")
    values["equipment"] = _items(equipment, "equipment", sep=",", most=MAX_EQUIPMENT_ITEMS) or None
    changes: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    # a field left blank is cleared (read from the log again); a field the post does not carry at all (a
    # hand-made or truncated post) is left as it is, never cleared for want of being sent
    unset = [f for f in PROFILE_FIELDS if values.get(f) is None and f in stated and f in form]
    changes["unit"] = choice(form, "unit", "unit", ["kg", "lb"])  # blank: the unit the log is kept in
    changes["age"] = number(form, "age", "age", 10, 100, whole=True)
    changes["body_mass_kg"] = number(form, "body_mass_kg", "body_mass_kg", 20, 400)
    changes["constraints"] = _items(str(form.get("constraints") or ""), "constraints", sep="\n", most=MAX_CONSTRAINTS,
                                  limit=MAX_CONSTRAINT_CHARS)
    for key in ("unit", "age", "body_mass_kg", "constraints"):
        if key not in form:
            del changes[key]
    return changes, unset


# --- the local fine-tune ------------------------------------------------------------------------------------


def finetune_form(form: Any) -> tuple[str | None, dict[str, Any], bool]:
    """`plan_local_finetune`'s name and overrides, and whether to resume."""
    name = text(form, "name", "name", limit=MAX_NAME_CHARS)
    overrides = {
        "base": text(form, "base", "base", limit=1000),
        "epochs": number(form, "epochs", "epochs", 1, 100, whole=True),
        "max_steps": number(form, "max_steps", "max_steps", 1, 1_000_000, whole=True),
        "lr": number(form, "lr", "lr", 1e-7, 1.0),
        "rank": number(form, "rank", "rank", 1, 256, whole=True),
        "precision": choice(form, "precision", "precision", ["auto", "bf16", "fp32"]),
    }
    return name, overrides, form.get("resume") == "on"


# --- a plan to check ----------------------------------------------------------------------------------------

MAX_PLAN_CHARS = 20_000  # a long week written out in full with its advice is a few thousand characters
# characters no pasted plan needs and that can hide what a text says: C0/C1 controls (tab and line breaks
# allowed), DEL, and the bidi overrides that reorder how a line is shown
_HIDDEN = {*range(0, 32), 127, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)} - {9, 10, 13}


def check_form(form: Any, scenarios: list[str]) -> dict[str, Any]:
    """`check_given`'s arguments from the Check page: athlete, text, scenario (None: the plan's own), repair."""
    athlete = text(form, "athlete", "athlete", limit=200, required=True)
    plan = str(form.get("plan") or "")
    if not plan.strip():
        raise ConfigError("the plan is empty", place="plan", hint="paste the plan you were given")
    if len(plan) > MAX_PLAN_CHARS:
        raise ConfigError(f"the plan is {len(plan):,} characters; at most {MAX_PLAN_CHARS:,}", place="plan",
                          hint="paste one week of the plan")
    bad = next((c for c in plan if ord(c) in _HIDDEN), None)
    if bad is not None:
        raise ConfigError(f"the plan holds a control character (U+{ord(bad):04X})", place="plan",
                          hint="paste the plan as plain text")
    return {"athlete": athlete, "text": plan, "scenario": choice(form, "scenario", "scenario", scenarios),
            "repair": form.get("repair") == "on"}


# --- a question to Peri -------------------------------------------------------------------------------------

# Peri reads a whole message (its parts each answered): measured on the shared 2-core machine, ~2 s for 4,000
# characters, ~5 s for 8,000, ~11 s for 16,000. A few paragraphs is a long question; past that the answer waits.
MAX_QUESTION_CHARS = 4000
LEFT_OUT_SHOWN = 60  # the first characters of a part left out, quoted so the person sees where Peri stopped


class Question(BaseModel):
    """The message Peri reads, and what was left out of it (said on the page, kept for the next message)."""

    text: str
    sent_chars: int
    rest: str = ""  # the part past the limit, verbatim

    @property
    def left_out(self) -> str | None:
        if not self.rest:
            return None
        start = " ".join(self.rest.split())[:LEFT_OUT_SHOWN]
        return (f"Your message was {self.sent_chars:,} characters; Peri reads at most {MAX_QUESTION_CHARS:,} at a "
                f"time, so it read the first {len(self.text):,} and left out the last {len(self.rest.strip()):,}, "
                f"from \u201c{start}{'…' if len(self.rest.strip()) > LEFT_OUT_SHOWN else ''}\u201d. That part is "
                "back in the box below: send it as your next message.")


def question_form(form: Any) -> Question:
    """The Peri page's question: empty or holding hidden characters refused by field; over MAX_QUESTION_CHARS
    cut at the last sentence (else word) end before the limit, never silently: `Question.rest` holds the rest."""
    raw = str(form.get("question") or "").replace("\r\n", "\n").strip()
    if not raw:
        raise ConfigError("ask Peri a question", place="question", hint='e.g. "should I fine-tune?"')
    bad = next((c for c in raw if ord(c) in _HIDDEN), None)
    if bad is not None:
        raise ConfigError(f"the question holds a control character (U+{ord(bad):04X})", place="question",
                          hint="type or paste it as plain text")
    if len(raw) <= MAX_QUESTION_CHARS:
        return Question(text=raw, sent_chars=len(raw))
    head = raw[:MAX_QUESTION_CHARS]
    ends = [head.rfind(p) + len(p) - 1 for p in (". ", "? ", "! ", "\n")]
    cut = max(ends)
    if cut < MAX_QUESTION_CHARS // 2:  # no sentence end in the second half: the last word end instead
        cut = head.rfind(" ")
    if cut <= 0:
        cut = MAX_QUESTION_CHARS
    return Question(text=raw[:cut].rstrip(), sent_chars=len(raw), rest=raw[cut:].strip())


# --- a scenario's details -----------------------------------------------------------------------------------


def scenario_details(form: Any) -> tuple[dt.date | None, list[str] | None]:
    """The competition date a peaking week counts down to and the equipment at hand for a travel week (the CLI's
    --event-date and --equipment); blank: None, as the CLI leaves them out."""
    raw = str(form.get("event_date") or "").strip()
    event = None
    if raw:
        try:
            event = dt.date.fromisoformat(raw)
        except ValueError:
            raise ConfigError(f"competition date {raw[:40]!r} is not a date", place="event_date",
                              hint="YYYY-MM-DD") from None
    equipment = _items(str(form.get("equipment") or ""), "equipment", sep=",", most=MAX_EQUIPMENT_ITEMS)
    return event, equipment or None


# --- the decision's inputs ----------------------------------------------------------------------------------

DECIDE_NUMBERS = ("queries_per_week", "hour_value", "minutes_saved_per_query", "retrain_every_weeks",
                  "dataset_examples", "epochs", "horizon_weeks", "prompt_setup_hours", "finetune_setup_hours",
                  "fewshot_setup_hours", "retrain_hours")
# the person's situation, each a yes/no that moves the recommendation (`peri decide --exploring` ...)
DECIDE_FLAGS = ("exploring", "seasonal_focus", "complex_methodology", "cost_sensitive", "needs_instant")


def decide_form(form: Any, models: list[str], tune_models: list[str]) -> dict[str, Any]:
    """`run_decision`'s inputs from the Decide page (the inputs `peri decide` takes as flags or --config), each
    refused by its field: a number outside the range `decide.run.RANGES` allows, a model the price table does not
    offer today, a box whose value is not "on". A field left blank or absent is not given (the library's
    default, or the athlete's measured number)."""
    from ..decide.run import INTEGER_FIELDS, RANGES

    values: dict[str, Any] = {}
    for key in DECIDE_NUMBERS:
        _, lo, _, hi, _ = RANGES[key]
        v = number(form, key, key, lo, hi, whole=key in INTEGER_FIELDS)
        if v is not None:
            values[key] = v
    model = choice(form, "model", "model", models)
    if model:
        values["model"] = model
    tune = choice(form, "tune_model", "tune_model", tune_models)
    if tune:
        values["tune_model"] = tune
    for key in ("prior_usage", *DECIDE_FLAGS):
        if choice(form, key, key, ["on"]) == "on":
            values[key] = True
    return values


# --- a new athlete ------------------------------------------------------------------------------------------

MAX_ATHLETE_NAME_CHARS = 100  # the import form's bound
MAX_SEX_CHARS = 40


def athlete_form(form: Any) -> tuple[str, dict[str, Any]]:
    """`add_athlete`'s name and stated fields (`peri athlete add`): the profile fields as the profile form reads
    them (blank: read from the log), sex, age, body mass, injuries one per line. A name with "/" is refused: the
    athlete's pages are addressed by it."""
    name = text(form, "name", "name", limit=MAX_ATHLETE_NAME_CHARS, required=True)
    assert name is not None
    if "/" in name:
        raise ConfigError(f"name {name[:40]!r} holds a '/'", place="name",
                          hint="the athlete's pages are addressed by the name: leave the '/' out")
    changes, _ = profile_form(form, set())
    if not changes.get("constraints"):
        changes.pop("constraints", None)
    sex = text(form, "sex", "sex", limit=MAX_SEX_CHARS)
    if sex:
        changes["sex"] = sex
    return name, {k: v for k, v in changes.items() if v is not None}


# --- how a plan is generated --------------------------------------------------------------------------------

MAX_ATTEMPTS = 10  # `peri plan --attempts`'s bound
MODERATE_STRESS = ("demote", "keep", "block")  # `peri plan --moderate-stress`, the default first


def plan_options(form: Any) -> dict[str, Any]:
    """`generate_plan`'s tries and decoding from the Plans page (`peri plan --attempts --constrain/--no-constrain
    --moderate-stress`); blank: the CLI's defaults (3 tries, constrained, demote)."""
    attempts = number(form, "attempts", "attempts", 1, MAX_ATTEMPTS, whole=True)
    constrain = choice(form, "constrain", "constrain", ["on", "off"])
    moderate = choice(form, "moderate_stress", "moderate_stress", list(MODERATE_STRESS))
    return {"max_attempts": 3 if attempts is None else int(attempts), "constrain": constrain != "off",
            "moderate_stress": moderate or MODERATE_STRESS[0]}


# --- the learning curve -------------------------------------------------------------------------------------

MAX_CURVE_SIZES = 8  # each size is one LoRA trained and evaluated: a handful is hours on a CPU
MAX_CURVE_MODELS = 8


def curve_form(form: Any) -> dict[str, Any]:
    """`peri eval --learning-curve`'s inputs: the training sizes (`sizes`, comma-separated, 0 = all), the step cap
    per run (`train_steps`), or instead adapters already trained (`models`, ft:NAME comma-separated), and the held-out
    weeks; each refused by its field."""
    raw = str(form.get("sizes") or "").strip() or "25,50,100,200,0"
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) > MAX_CURVE_SIZES:
        raise ConfigError(f"sizes has {len(parts)} entries; at most {MAX_CURVE_SIZES}", place="sizes",
                          hint="each size trains one adapter")
    sizes = []
    for p in parts:
        if not (p.isascii() and p.isdigit() and len(p) <= 6):
            raise ConfigError(f"sizes: {p[:20]!r} is not a whole number of examples", place="sizes",
                              hint="e.g. 25,50,100,0 (0 = all)")
        sizes.append(int(p))
    steps = number(form, "train_steps", "train_steps", 1, 1_000_000, whole=True)
    models = _items(str(form.get("models") or ""), "models", sep=",", most=MAX_CURVE_MODELS, limit=MAX_NAME_CHARS + 3)
    for m in models:
        if not m.startswith("ft:") or len(m) < 4:
            raise ConfigError(f"models: {m[:40]!r} is not a fine-tuned model (ft:NAME)", place="models",
                              hint="the adapters listed on the Fine-tune page")
    weeks = number(form, "weeks", "weeks", 1, 52, whole=True)
    return {"sizes": tuple(sizes), "train_steps": steps, "models": models, "weeks": 2 if weeks is None else weeks}
