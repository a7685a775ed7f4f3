"""Journeys Peri recommends, as concrete sequences of peri commands, with progress read from the store.

A step is done when peri can see its result (generations, ratings, a dataset, a registered model, an
evaluation, a prompt viewed or a decision run — recorded by those commands with `record_step`) or when the
user marked it with `peri journey done`. Nothing here guesses; a step peri cannot see says how to mark it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel

from ..errors import NotFound
from ..log.store import Store
from ..paths import home_subdir, peri_home


class Step(BaseModel):
    id: str
    title: str
    command: str  # with {athlete} filled in when shown
    page: str = ""  # where `peri serve` does the same, for people who do not use a terminal


# the page of `peri serve` (src/peri/web) where each step's command has its form
PAGES = {"log": "Import page (/import)", "see-prompt": "Prompt page (/prompt)", "experiment": "Experiment page (/experiment)",
         "rate": "Plans page (/plans)", "history": "Experiment page (/experiment)", "decide": "Decide page (/decide)",
         "annotate": "Notes page of your athlete (/athletes/NAME/notes)", "try-fewshot": "Plans page (/plans)",
         "dataset": "Fine-tune page (/tune)", "curve": "Experiment page (/experiment)", "tune": "Fine-tune page (/tune)",
         "hybrid-plan": "Plans page (/plans)", "evaluate": "Experiment page (/experiment)"}


class Journey(BaseModel):
    name: str
    title: str
    why: str
    steps: list[Step]


JOURNEYS: dict[str, Journey] = {
    j.name: j
    for j in [
        Journey(
            name="prompt-sprint", title="The one-week prompt sprint",
            why="Find out in a week how much detail your prompts need, at almost no cost.",
            steps=[
                Step(id="log", title="Import or simulate your log", command="peri import strong FILE --athlete {athlete}"),
                Step(id="see-prompt", title="Read your engineered prompt and its token budget", command="peri prompt show --athlete {athlete} --detail 3"),
                Step(id="experiment", title="Run the same request at every detail level", command="peri prompt experiment --athlete {athlete} --model embedded"),
                Step(id="rate", title="Rate at least three of the answers 1-5", command="peri rate GENERATION_ID 4"),
                Step(id="history", title="See quality against prompt tokens", command="peri prompt history --athlete {athlete}"),
                Step(id="decide", title="Decide with your own numbers", command="peri decide --athlete {athlete}"),
            ],
        ),
        Journey(
            name="graduation", title="Graduate from prompting to fine-tuning",
            why=("Prompt — with your own past weeks as examples — and log what worked, until your own learning curve "
                 "says a tuned model will overtake prompting (`peri decide --athlete NAME` estimates when, at your "
                 "logging rate); then turn those weeks into training examples."),
            steps=[
                Step(id="log", title="Import or simulate your log", command="peri import strong FILE --athlete {athlete}"),
                Step(id="experiment", title="Prompt weekly and compare detail levels", command="peri prompt experiment --athlete {athlete} --model embedded"),
                Step(id="annotate", title="Note what worked and what aggravated you (10+ notes)", command='peri note 2026-03-02 "this progression worked" --athlete {athlete}'),
                Step(id="try-fewshot", title="Try examples in the prompt before you train (your past weeks, no training)",
                     command="peri plan --athlete {athlete} --style fewshot"),
                Step(id="dataset", title="Build the dataset (100-500 examples)", command="peri dataset build --athlete {athlete}"),
                Step(id="curve", title="Measure your learning curve (quality against examples)",
                     command="peri eval --athlete {athlete} --learning-curve --sizes 25,50,0"),
                Step(id="decide", title="See when a tuned model is expected to overtake prompting for you",
                     command="peri decide --athlete {athlete}"),
                Step(id="tune", title="Fine-tune locally", command="peri finetune local --athlete {athlete}"),
                Step(id="evaluate", title="Measure tuned vs prompted on held-out weeks", command="peri eval --athlete {athlete} --report out/eval"),
            ],
        ),
        Journey(
            name="hybrid", title="The hybrid set-up",
            why="A tuned model for what is constant about you, scenario prompts for what changes.",
            steps=[
                Step(id="try-fewshot", title="Try examples in the prompt before you train (your past weeks, no training)",
                     command="peri plan --athlete {athlete} --style fewshot"),
                Step(id="dataset", title="Build the dataset", command="peri dataset build --athlete {athlete}"),
                Step(id="tune", title="Fine-tune locally", command="peri finetune local --athlete {athlete}"),
                Step(id="hybrid-plan", title="Ask the tuned model for a deload week", command="peri plan --athlete {athlete} --model ft:{athlete}-lora --style hybrid --scenario deload"),
                Step(id="evaluate", title="Compare hybrid, tuned and prompted", command="peri eval --athlete {athlete} --report out/eval"),
                Step(id="decide", title="Check the break-even at your query frequency", command="peri decide --athlete {athlete}"),
            ],
        ),
    ]
}
for _j in JOURNEYS.values():
    for _s in _j.steps:
        _s.page = PAGES.get(_s.id, "")


class StepStatus(BaseModel):
    step: Step
    done: bool
    evidence: str | None = None
    how_to_mark: str | None = None  # for a step peri cannot see: the `peri journey done` command


# Steps peri sees only when a command records them (a person reading output leaves no other trace).
SEEN = "_seen"  # the journey key such records are stored under, apart from the person's own marks
RECORDED_STEPS = {"see-prompt", "decide"}
# Steps peri has no way to see at all: only the person can say they did them.
UNSEEN_STEPS = {"history"}


def record_step(store: Store, athlete: str, step: str) -> None:
    """Record that `athlete` did `step` (e.g. viewed the prompt, ran decide) as journey evidence.

    Quiet when the athlete is unknown or the store is read-only: recording evidence must never fail the
    command that did the work."""
    if store.read_only:
        return
    try:
        a = store.get_athlete(athlete)
    except NotFound:
        return
    assert a.id is not None
    store.mark_step(a.id, SEEN, step)


# What people write when they say they did a step (word starts, case-insensitive): "I've read my prompt", "the
# log is in", "after the experiment". Only read next to a word saying it is done (`_DONE`).
STEP_SAID: dict[str, tuple[str, ...]] = {
    "log": ("import", "log is in", "logs are in", "uploaded my", "loaded my", "simulat", "my export", "my log"),
    "see-prompt": ("read my prompt", "read the prompt", "read my engineered", "read the engineered", "seen my prompt",
                   "seen the prompt", "saw my prompt", "saw the prompt", "looked at my prompt", "looked at the prompt",
                   "prompt show", "token table", "token budget", "tokens per section"),
    "experiment": ("experiment", "sprint", "detail level", "every level", "each level", "all the levels"),
    "rate": ("rated", "rating", "ratings", "scored the"),
    "history": ("history", "quality against"),
    "decide": ("peri decide", "ran decide", "the decision", "decided"),
    "annotate": ("notes", "noted", "annotat"),
    "try-fewshot": ("few-shot", "fewshot", "few shot", "examples in the prompt"),
    "dataset": ("dataset", "built the data", "built my data"),
    "curve": ("learning curve", "curve"),
    "tune": ("fine-tuned", "finetuned", "fine tuned", "trained the model", "trained a model", "trained my model",
             "finetune local", "lora"),
    "hybrid-plan": ("hybrid", "deload"),
    "evaluate": ("eval", "compared"),
}
_DONE = re.compile(r"\b(i've|i have|ive|i already|already|done( with)?|did|finished|completed|ran|read|imported|loaded|"
                   r"uploaded|looked at|seen|saw|built|rated|trained|measured|is in|are in|after)\b", re.I)


def claimed_steps(text: str, name: str) -> list[str]:
    """The steps of journey `name` the person says they have done, in journey order: a step's own words in a
    clause that also says something is done ("I've read my prompt", "after the experiment")."""
    said: set[str] = set()
    for clause in re.split(r"[.!?;\n]+|,\s*(?:and\s+)?(?=\w+ed\b)|\band\b", text.lower()):
        if not _DONE.search(clause):
            continue
        for step, words in STEP_SAID.items():
            if any(re.search(r"(?<![\w-])" + re.escape(w), clause) for w in words):
                said.add(step)
    return [s.id for s in get_journey(name).steps if s.id in said]


def get_journey(name: str) -> Journey:
    if name not in JOURNEYS:
        raise NotFound(f"no journey named {name!r}", hint=f"journeys: {', '.join(JOURNEYS)}")
    return JOURNEYS[name]


def _evidence(store: Store, athlete: str, home: Path) -> dict[str, Callable[[], str | None]]:
    a = store.get_athlete(athlete)
    assert a.id is not None
    gens = store.generations(a.id)

    def count(pred: Callable, what: str, need: int = 1) -> str | None:
        n = sum(1 for g in gens if pred(g))
        return f"{n} {what}" if n >= need else None

    notes = [n for n in store.annotations(a.id) if n.source in ("manual", "note", "sim")]
    seen = store.steps_done(a.id, SEEN)

    def recorded(step: str, what: str) -> Callable[[], str | None]:
        return lambda: f"{what} {seen[f'{SEEN}:{step}'][:10]}" if f"{SEEN}:{step}" in seen else None

    from ..artefacts import build_info_path, eval_summary_path

    build = build_info_path(athlete, home)
    models = [m for m in store.list_models() if m.name == f"{athlete}-lora" or m.meta.get("athlete") == athlete]
    return {
        "log": lambda: f"{store.count_sets(a.id)} sets logged" if store.count_sets(a.id) else None,
        "experiment": lambda: count(lambda g: bool(g.experiment) and not g.experiment.startswith("eval:"), "experiment generations"),
        "rate": lambda: count(lambda g: g.rating is not None, "rated generations", 3),
        "history": lambda: None,
        "see-prompt": recorded("see-prompt", "prompt viewed"),
        "annotate": lambda: f"{len(notes)} notes" if len(notes) >= 10 else None,
        "dataset": lambda: f"dataset at {build.parent}" if build.exists() else None,
        "tune": lambda: f"model ft:{models[0].name}" if models else None,
        "hybrid-plan": lambda: count(lambda g: g.approach == "hybrid" and g.experiment is None, "hybrid plans"),
        "try-fewshot": lambda: count(lambda g: g.approach in ("prompt-fewshot", "finetuned-fewshot")
                                     and not (g.experiment or "").startswith("eval:"), "few-shot plans"),
        "curve": lambda: "learning curve measured" if (home_subdir("eval", athlete, home) / "learning_curve.json").exists() else None,
        "evaluate": lambda: "evaluation results" if eval_summary_path(athlete, home).exists() else None,
        "decide": recorded("decide", "decision run"),
    }


def journey_status(store: Store, athlete: str, name: str, home: Path | None = None) -> list[StepStatus]:
    """Each step with whether it is done, and the evidence (what peri saw, or the user's own mark)."""
    j = get_journey(name)
    a = store.get_athlete(athlete)
    assert a.id is not None
    marked = store.steps_done(a.id, name)
    ev = _evidence(store, athlete, home or peri_home())
    out = []
    for s in j.steps:
        step = s.model_copy(update={"command": s.command.format(athlete=athlete)})
        seen = ev.get(s.id, lambda: None)()
        mark = marked.get(f"{name}:{s.id}")
        done = bool(seen or mark)
        how = None
        if not done and s.id in UNSEEN_STEPS:
            how = f"peri cannot see this step; when done: peri journey done {s.id} --athlete {athlete} --journey {name}"
        out.append(StepStatus(step=step, done=done, evidence=seen or (f"marked done {mark}" if mark else None),
                              how_to_mark=how))
    return out


def mark_done(store: Store, athlete: str, name: str, step_id: str) -> None:
    j = get_journey(name)
    if step_id not in {s.id for s in j.steps}:
        raise NotFound(f"journey {name!r} has no step {step_id!r}", hint=f"steps: {', '.join(s.id for s in j.steps)}")
    a = store.get_athlete(athlete)
    assert a.id is not None
    store.mark_step(a.id, name, step_id)


def progress_summary(statuses: list[StepStatus]) -> str:
    done = sum(s.done for s in statuses)
    nxt = next((s for s in statuses if not s.done), None)
    if nxt is None:
        return f"{done}/{len(statuses)} steps done; all done"
    text = f"{done}/{len(statuses)} steps done; next: {nxt.step.title} — `{nxt.step.command}`"
    return text + (f" ({nxt.how_to_mark})" if nxt.how_to_mark else "")


def journey_json(statuses: list[StepStatus]) -> list[dict]:
    return [json.loads(s.model_dump_json()) for s in statuses]
