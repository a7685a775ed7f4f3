"""Peri, the guide: explains prompting vs fine-tuning, shows the user's own examples, runs the decision and
recommends a journey.

Every answer is built from two grounded sources only — peri's concept text (`concepts.md`) and the user's
own numbers (the store, the cost model, the evaluation) — and names them. The embedded model, when given,
only rephrases: its sentence is kept when every number in it appears in the grounded answer, and dropped
(with a note saying so) when it invents one. A question outside both sources gets a plain "outside what I
know", never a made-up answer.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..errors import PeriError
from ..log.store import Store
from .journeys import JOURNEYS, journey_status, progress_summary
from .knowledge import retrieve, sections

_DECIDE = re.compile(r"\b(should i|shall i|worth|recommend|which (path|approach|option)|prompt or|or prompt|decide|what do you suggest)\b", re.I)
_TUNE_WORDS = re.compile(r"fine.?tun|\btun(e|ing)\b|lora|adapter|prompt|hosted|hybrid", re.I)
_EXAMPLES = re.compile(r"\b(example|examples|my prompt|show me|compare (the )?prompts?|short prompt)\b", re.I)
_JOURNEY = re.compile(r"\b(journey|next step|progress|where am i|what next|what's next)\b", re.I)
_COST = re.compile(r"\b(cost|costs|break.?even|how much|price|cheaper|expensive)\b", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


class Answer(BaseModel):
    question: str
    intent: str  # decide | cost | examples | journey | concept | out_of_scope
    text: str  # the grounded answer
    model_text: str | None = None  # the embedded model's phrasing, only when grounded
    model_note: str | None = None
    grounded_on: list[str] = Field(default_factory=list)
    in_scope: bool = True
    recommendation: dict[str, Any] | None = None


def _frequency(question: str) -> float | None:
    q = question.lower()
    for word, per_week in (("daily", 7.0), ("every day", 7.0), ("weekly", 1.0), ("every week", 1.0),
                           ("monthly", 12 / 52), ("quarterly", 4 / 52)):
        if word in q:
            return per_week
    return None


class Peri:
    """The guide. `backend` (optional) is a peri backend used only to rephrase grounded answers."""

    def __init__(self, store: Store, athlete: str | None = None, *, backend: Any = None, home: Path | None = None,
                 queries_per_week: float | None = None):
        self.store, self.athlete, self.backend, self.home = store, athlete, backend, home
        self.queries_per_week = queries_per_week

    # --- intents ---------------------------------------------------------------------------
    def ask(self, question: str) -> Answer:
        q = question.strip()
        if not q:
            return Answer(question=q, intent="out_of_scope", text="Ask me about prompting, fine-tuning, costs or your journey.", in_scope=False)
        if (_DECIDE.search(q) or re.search(r"\bshould i\b", q, re.I)) and _TUNE_WORDS.search(q):
            ans = self._decide(q)
        elif _EXAMPLES.search(q):
            ans = self._examples(q)
        elif _JOURNEY.search(q):
            ans = self._journey(q)
        elif _COST.search(q) and self.athlete:
            ans = self._decide(q, intent="cost")
        else:
            ans = self._concept(q)
        if ans.in_scope and self.backend is not None:
            self._rephrase(ans)
        return ans

    def _decide(self, q: str, intent: str = "decide") -> Answer:
        from ..decide.cost import weeks_label
        from ..decide.run import run_decision

        if not self.athlete:
            hits = retrieve("when to prompt when to fine-tune")
            return Answer(question=q, intent=intent, grounded_on=[h.section.title for h in hits],
                          text="I can answer that from your own numbers once I know whose log to use (--athlete NAME). "
                               "In general: " + " ".join(h.section.text for h in hits))
        freq = _frequency(q) or self.queries_per_week or 1.0
        result = run_decision({"queries_per_week": freq}, self.athlete, self.store)
        rec, costs = result["recommendation_model"], result["costs_model"]
        p, f = costs.approaches["prompting"], costs.approaches["finetuned"]
        lines = [
            f"For {self.athlete}, at {freq:.3g} queries a week: I recommend **{rec.path}**. {rec.headline}",
            f"Your engineered prompt is {costs.inputs.prompting.prompt_tokens:.0f} tokens; the short prompt a tuned model needs is "
            f"{costs.inputs.finetuned.prompt_tokens:.0f} ({costs.inputs.prompting.source}).",
            f"On {costs.inputs.model} (prices of {costs.price_date}): prompting ${p.monthly_usd:,.2f}/month; fine-tuning "
            f"${f.setup_usd:,.2f} up front then ${f.monthly_usd:,.2f}/month; break-even {weeks_label(costs.break_even_week['finetuned'])}.",
            "Why:\n" + "\n".join(f"- {r.text} (→ {r.favours})" for r in rec.reasons),
        ]
        if rec.quality_note:
            lines.append(rec.quality_note[0].upper() + rec.quality_note[1:] + ".")
        j = JOURNEYS[rec.journey]
        lines.append(f"Suggested journey: {j.title} — {j.why} (`peri journey status --athlete {self.athlete} --journey {j.name}`).")
        return Answer(question=q, intent=intent, text="\n\n".join(lines), recommendation=result["recommendation"],
                      grounded_on=[f"your numbers ({costs.inputs.prompting.source})", "cost model", "recommendation criteria"])

    def _examples(self, q: str) -> Answer:
        if not self.athlete:
            return Answer(question=q, intent="examples", text="Give me an athlete (--athlete NAME) and I'll show your own prompts side by side.",
                          grounded_on=[])
        from ..log.catalog import default_catalog
        from ..log.context import load_context
        from ..plans.schema import Scenario
        from ..prompts.builder import build_prompt, short_prompt
        from ..prompts.tokens import tokenizer_for

        ctx = load_context(self.store, self.athlete)
        cat = default_catalog()
        tok = tokenizer_for("embedded")
        eng = build_prompt(ctx, cat, Scenario.normal, 3, tokenizer=tok)
        short = short_prompt(ctx, cat)
        short_user = next(m["content"] for m in short if m["role"] == "user")
        text = (
            f"Your engineered prompt (detail 3, {eng.total_tokens} tokens with the embedded model's tokenizer):\n\n"
            f"{eng.messages[-1]['content']}\n\n"
            f"The short prompt a model tuned on your log needs ({tok.count_messages(short)} tokens):\n\n{short_user}\n\n"
            "The difference is what fine-tuning moves from the prompt into the weights."
        )
        return Answer(question=q, intent="examples", text=text, grounded_on=["your log", "prompt templates"])

    def _journey(self, q: str) -> Answer:
        if not self.athlete:
            text = "\n".join(f"- {j.title} ({j.name}): {j.why}" for j in JOURNEYS.values())
            return Answer(question=q, intent="journey", text="Journeys I can guide you through:\n" + text, grounded_on=["journeys"])
        lines = []
        for name, j in JOURNEYS.items():
            st = journey_status(self.store, self.athlete, name, self.home)
            lines.append(f"- {j.title}: {progress_summary(st)}")
        return Answer(question=q, intent="journey", text="Where you are:\n" + "\n".join(lines), grounded_on=["your progress in the store"])

    def _concept(self, q: str) -> Answer:
        hits = retrieve(q)
        if not hits:
            topics = ", ".join(s.title for s in sections())
            return Answer(question=q, intent="out_of_scope", in_scope=False, grounded_on=[],
                          text=f"That is outside what I know. I can talk about: {topics}; or, with your log, "
                               "recommend a path from your own numbers.")
        text = "\n\n".join(f"{h.section.title}: {h.section.text}" for h in hits)
        return Answer(question=q, intent="concept", text=text, grounded_on=[h.section.title for h in hits])

    # --- the model only rephrases ----------------------------------------------------------
    def _rephrase(self, ans: Answer) -> None:
        from ..backends.base import GenerationRequest

        req = GenerationRequest(
            messages=[
                {"role": "system", "content": "You are Peri, a friendly strength-coaching guide. Answer in one or two sentences "
                 "using ONLY the facts given. Do not add numbers that are not in the facts."},
                {"role": "user", "content": f"Facts:\n{ans.text[:1500]}\n\nQuestion: {ans.question}"},
            ],
            max_tokens=80, temperature=0.0,
        )
        try:
            out = self.backend.generate(req).text.strip()
        except PeriError as e:
            ans.model_note = f"the model could not answer ({e}); the grounded answer stands alone"
            return
        facts = {n.replace(",", "") for n in _NUMBER.findall(ans.text)}
        invented = [n for n in _NUMBER.findall(out) if n.replace(",", "") not in facts]
        if not out:
            ans.model_note = "the model returned nothing"
        elif invented:
            ans.model_note = f"the model's sentence was dropped: it used numbers not in your data ({', '.join(invented[:3])})"
        else:
            ans.model_text = out
