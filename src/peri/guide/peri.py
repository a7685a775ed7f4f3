"""Peri, the guide: explains prompting vs fine-tuning, shows the user's own examples, runs the decision and
recommends a journey.

Every answer is built from two grounded sources only — peri's concept cards (`concepts.md`) and the user's
own numbers (the store, the cost model, the evaluation) — and names them. The question is routed by
`router.route` (intent) and read by `slots.parse_slots` (how often, season, exploring, methodology, goal
change, provider); the slots reach the decision. The grounded answer always comes first. The embedded model,
when given, may only rephrase it: each of its sentences is kept only when `entailed` finds every claim in it
(numbers, a recommendation's direction, where data goes, commands, names) in the grounded text, and an
off-topic question is declined without asking the model at all.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..errors import PeriError
from ..log.store import Store
from .guard import HEALTH_DECLINE, INSTRUCTIONS_DECLINE, guard, is_health_question
from .journeys import JOURNEYS, claimed_steps, journey_status, progress_summary
from .knowledge import STOP, Hit, retrieve, section, sections
from .followup import Turn, elliptic, follows, merged_slots, names_own_subject
from .parts import asks_what_next, question_parts
from .relations import relation_gaps, topic_words
from .router import (CAN_FOLLOW, CONTEXT_SHAPE_WORDS, DELETES, KNOWS_YOU, MIN_CONFIDENCE, OUT_OF_SCOPE, SHAPE_CARDS, SOMEONE_ELSE,
                     SHAPE_KEEP_CONFIDENCE, TRAINING_DAYS, UNDO_IMPORT, YOUR_DATA, DELETE_SESSION, Route, answers_follow_up, asked_part, asks_data_action,
                     deletes_someones_data, route, runs_offline, shape_card, trains_on_device)
from .slots import Slots, parse_slots

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# a part of a message that points back at what an earlier part named ("how do I start it?", "what does that cost?")
_POINTS_BACK = re.compile(r"\b(?:it|that|this|them|those)\b", re.I)
# the first step asked for ("what's the very first thing I should do with peri?", "where do I start?"): the journey's
# start, whatever situation was told before it
_FIRST_STEP = re.compile(r"\b(?:first (?:thing|step|move)|where (?:do|should|can) i (?:even )?(?:start|begin)|"
                         r"how (?:do|should|can) i (?:even )?(?:start|begin|get started)(?!\s+(?:it|that|this|the|with (?:it|that|the))\b))",
                         re.I)
# a programme asked of Peri itself ("write me a 12 week bench program"): declined, with where peri does plan a week
_PLAN_ASKED = re.compile(r"^(?=.*\b(?:train\w*|lift\w*|gym|strength|bench|squat\w*|deadlift\w*|press|hypertrophy|powerlifting|"
                         r"muscle|kg|lbs?)\b)(?=.*\b(?:write|make|give|create|design|build|generate)\b[^.?!]{0,30}\b(?:program\w*|"
                         r"plans?|routines?|workouts?|splits?|blocks?)\b)", re.I | re.S)
_PLAN_POINTER = (" I don't write programmes myself; peri plans one week at a time from your own log: `peri plan --athlete NAME` "
                 "(checked by the plan checker), or the Plans page of `peri serve`.")
# how sure the router must be of a fragment's own intent ("what about privacy?") for it not to be read as a follow-up
OWN_SUBJECT_CONFIDENCE = 0.85
# the share of the best card's score a second card needs to be shown with it in a concept answer
SECOND_CARD_SHARE = 0.4
# intents that answer a situation told before the question (a training system, an injury or a return): a short
# question pointing back at it is about it
_TOLD_SITUATION = frozenset({"methodology", "retrain"})
# asking to record a step as done ("mark the prompt step as done", "tick off the sprint", "I want to log that I did it")
_MARK_DONE = re.compile(r"\b(?:mark|record|tick|check off|set|flag|log)\b[^.?!]{0,40}\b(?:done|complete[d]?|finished|off)\b", re.I)
_COMMAND = re.compile(r"\bperi\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?")
_DATA_WORDS = re.compile(r"\b(server|servers|cloud|upload\w*|sent|send\w*|shar\w+|stor\w+|third[- ]part\w+|compan\w+|"
                         r"internet|online|offline|local\w*|transmit\w*|leav\w+|remote)\b", re.I)
_FAVOURS = re.compile(r"\b(recommend\w*|worth|should|better|best|go with|pays? (off|back)|suits?|fits?|ideal|"
                      r"the way to go|makes sense|optimi[sz]e)\b|→", re.I)
_APPROACH = re.compile(r"\b(fine-?tun\w*|tun(e|ed|ing)|train(ing)? (a|your own) model|prompt\w*|hybrid|graduat\w*)\b", re.I)
# words a rephrasing may add without adding a fact (the share of other new words is what is checked)
FRAMING = set("better best good great right choice option options approach path choose chosen suit suits sense makes "
              "help helps idea simple easy start using answer means mean here there because since keep keeps need needs "
              "friendly short shorter long longer".split())
NEGATION_MARK = "<negation>"
_FIRST_PERSON = re.compile(r"(?<![\w'])(i|me|my|mine|myself|i'm|i've|i'd|i'll|we|us|our|ours)(?![\w'])")
DANGLING = set("is are was were be the a an to of and or that for with in on at by from as than then if so but "
               "because which who".split())  # a sentence ending on one of these was cut off
_NEGATION = re.compile(r"\b(not|no|never|nothing|none|nobody|nowhere|neither|nor|cannot|can't|isn't|aren't|doesn't|"
                       r"don't|won't|wouldn't|shouldn't|couldn't|didn't|wasn't|weren't|hasn't|haven't)\b|n't\b", re.I)


# Whether Peri lets the embedded model rephrase when not told (`peri guide/chat --model`, the web page's box).
# The rule: on by default only if the model adds a kept sentence to at least half of the in-scope answers, with
# no must-not violated, for at most 2 s a question over the grounded answer alone. Measured with
# `bench/guide.py --split held-out --model --record` (2026-12-01, 239 held-out questions, 208 in scope, the
# shared 2-core machine): no must-not violated, 8.9 % of its sentences and 17.8 % of answers kept, 11.2 s a
# question against 0.9 s without it (170 questions, same run; 14.0 s against 2.8 s on the fifth set) — so off.
# Re-measured with the relation check and the sixth set (2026-12-01, `bench/guide.py --split held-out --replay`,
# 338 held-out questions, 289 in scope, every reply recorded by this round's runs): 16.3 % of answers and 8.2 % of
# sentences kept, none violating a must-not, ~9 s a generation — still far below half, so still off.
MODEL_BY_DEFAULT = False
MODEL_MEASURED = ("on 338 held-out questions 16.3% of answers kept any of its sentences (8.2% of sentences), "
                  "at ~9-11 s a question against under 1 s without it")


class Answer(BaseModel):
    question: str
    intent: str  # decide | cost | examples | next | experiment | providers | example_count | retrain | methodology | privacy | fewshot | concept | out_of_scope
    text: str  # the grounded answer
    model_text: str | None = None  # the embedded model's phrasing, only the sentences the grounded text entails
    model_note: str | None = None
    model_sentences: tuple[int, int] | None = None  # (kept, written) when the model was asked and answered
    grounded_on: list[str] = Field(default_factory=list)
    in_scope: bool = True
    slots: Slots = Field(default_factory=Slots)
    recommendation: dict[str, Any] | None = None
    queries_per_week: float | None = None  # the frequency the decision used, when one ran
    card: str | None = None  # the concept card the question was routed to, when one was
    follows: str | None = None  # the earlier question this one was read with, when it was a follow-up


def format_per_week(q: float) -> str:
    """'0.077', '0.462', '3', '6.5': three decimals below one a week, else as typed."""
    return f"{q:.3f}".rstrip("0").rstrip(".") if q < 1 else f"{q:g}"


def queries_a_week(q: float) -> str:
    """'1 query a week', '0.077 queries a week', '3 queries a week'."""
    n = format_per_week(q)
    return f"{n} {'query' if n == '1' else 'queries'} a week"


class Peri:
    """The guide. `backend` (optional) is a peri backend used only to rephrase grounded answers."""

    def __init__(self, store: Store, athlete: str | None = None, *, backend: Any = None, home: Path | None = None,
                 queries_per_week: float | None = None):
        self.store, self.athlete, self.backend, self.home = store, athlete, backend, home
        self.queries_per_week = queries_per_week
        self.last: Turn | None = None  # the turn before, which a follow-up ("and with Together?") is read with

    def ask(self, question: str, after: Answer | None = None) -> Answer:
        """Peri's answer to `question`; `after` is the answer before it in the conversation (default: this Peri's
        last), which a follow-up ("why?", "what about twice a week") is read with."""
        previous = self.last if after is None else Turn(question=after.follows or after.question, intent=after.intent,
                                                          slots=after.slots, card=after.card) if after.in_scope else None
        self._read_with: Slots | None = None
        ans = self._ask(question, previous)
        # a follow-up's turn keeps the question it was read with and what the two said together: "what about twice a
        # week" after "and with Together?" is still the cost asked first, now with Together
        self.last = Turn(question=ans.follows or ans.question, intent=ans.intent, slots=self._read_with or ans.slots,
                         card=ans.card) if ans.in_scope else None
        return ans

    def _ask(self, question: str, previous: Turn | None) -> Answer:
        q = question.strip()
        if not q:
            return Answer(question=q, intent="out_of_scope", in_scope=False,
                          text="Ask me about prompting, fine-tuning, costs, your data or your journey.")
        g = guard(q)
        if g.decline is not None:  # decided before routing, and never shown to the model
            return Answer(question=q, intent="out_of_scope", in_scope=False, grounded_on=[],
                          text=HEALTH_DECLINE if g.decline == "health" else INSTRUCTIONS_DECLINE)
        text = g.text
        slots = parse_slots(text)  # the whole message: what it says about the person counts for every part
        follow = previous if follows(text, previous) and not answers_follow_up(text) else None
        if follow is not None and names_own_subject(text):
            # "and is my data private?", "what about privacy?": a new subject of its own, answered as asked; a fragment
            # ("and for the hosted one?") only when it is surely another question
            own = route(text)
            if own.intent != OUT_OF_SCOPE and (not elliptic(text) or own.confidence >= OWN_SUBJECT_CONFIDENCE):
                follow = None
        said = slots  # what this message says about the asker (the answer's slots), whatever it is read with
        if follow is not None:
            # "and with Together?", "why that one?": the earlier question asked again with what this one changes
            slots = self._read_with = merged_slots(follow.slots, slots)
            routed = [(text, Route(intent=follow.intent, confidence=1.0, card=follow.card))]
        else:
            routed = self._routes(text)
        answers: list[Answer] = []
        declined: list[str] = []
        for part, r in routed:
            if r.intent == OUT_OF_SCOPE and len(routed) > 1:
                declined.append(part)
                continue
            ans = getattr(self, f"_{r.intent}")(part if len(routed) > 1 else text, slots, r.card)
            answers.append(ans)
        if not answers:
            ans = self._out_of_scope(text, slots, None)
            if declined and any(is_health_question(p) for p in declined):
                ans.text = HEALTH_DECLINE
        else:
            ans = answers[0]
            for other, (part, _) in zip(answers[1:], [pr for pr in routed if pr[1].intent != OUT_OF_SCOPE][1:], strict=True):
                new = [p for p in other.text.split("\n\n") if p not in ans.text]  # what the first answer did not say
                if new:
                    ans.text += f"\n\nYou also asked: \u201c{part}\u201d\n\n" + "\n\n".join(new)
                    ans.grounded_on += [x for x in other.grounded_on if x not in ans.grounded_on]
                ans.recommendation = ans.recommendation or other.recommendation
                ans.queries_per_week = ans.queries_per_week or other.queries_per_week
            for part in declined:
                why = HEALTH_DECLINE.split(". ")[0] if is_health_question(part) else "that is outside what I know"
                ans.text += f"\n\nYou also asked: \u201c{part}\u201d \u2014 {why}."
        # the need as the questions tell it, not their context ("I write it all in a notebook ... does any of it
        # go to a server?" asks about privacy)
        shape = shape_card(asked_part(text), text)
        if shape is not None and ans.in_scope and section(shape).text not in ans.text:
            # the need told by its shape ("do I have to start over?") is answered whichever intent carried it
            extra, grounded = self._shape_text(shape)
            ans.text += f"\n\n{shape}: {extra}"
            ans.grounded_on += [g for g in grounded if g not in ans.grounded_on]
        ans.question = q
        ans.slots = said
        if follow is not None:
            ans.follows = follow.question
            ans.text = f"(Read with your earlier question: \u201c{follow.question}\u201d.)\n\n" + ans.text
        if ans.card is None:
            ans.card = next((r.card for _, r in routed if r.card), None)
        if ans.in_scope and self.backend is not None:
            self._rephrase(ans)
        return ans

    @staticmethod
    def _routes(text: str) -> list[tuple[str, Route]]:
        """What the message asks, each question with its route.

        One sentence: the whole text. A message of several sentences with one question: that question's route
        or the whole message's, whichever is surer (the context may name what "it" is). Two or three questions:
        each routed on its own words, the same intent once; a part that cannot be placed is left to the others
        (or, alone, to the whole message)."""
        parts = question_parts(text)
        whole = route(text)
        if (whole.intent == "methodology" and CAN_FOLLOW.search(text) and parse_slots(text).complex_methodology) or \
                (whole.intent == "providers" and trains_on_device(text)):
            # the system or the device is told in one part and asked about in another ("my training is a wave I made
            # up myself ... could peri plan in that pattern, and which route learns it better?"): the whole message,
            # then any other question it asks about something else ("..., and how many weeks of logs would I need?")
            others = [(p, r) for p in parts if not CAN_FOLLOW.search(p) and not trains_on_device(p)
                      for r in [route(p)] if r.intent not in (OUT_OF_SCOPE, whole.intent, "decide", "methodology")
                      and r.confidence >= SHAPE_KEEP_CONFIDENCE]
            return [(text, whole)] + others
        said_done = any(claimed_steps(text, j) for j in JOURNEYS)
        if len(parts) == 1:
            r = whole if parts[0] == text else route(parts[0])
            # a question the classifier reads as "next" without asking it in so many words ("do I have to start
            # over?") leans on the situation told before it when the whole message is surer of another intent
            leans = r.intent == "next" and not asks_what_next(parts[0]) and not said_done and \
                whole.intent not in (OUT_OF_SCOPE, "next") and whole.confidence > r.confidence
            if (asks_what_next(parts[0]) or r.intent == "next") and not leans:
                if said_done or parts[0] == text:  # steps done, then "what now?": the step after them
                    return [(text, r if r.intent == "next" else Route(intent="next", confidence=r.confidence, card=r.card))]
                if whole.intent not in (OUT_OF_SCOPE, "next") and whole.scores.get("next", 0.0) <= -1.0 and \
                        not _FIRST_STEP.search(parts[0]):
                    return [(text, whole)]  # "what now?" after a described situation asks about that situation
                return [(text, r if r.intent == "next" else Route(intent="next", confidence=r.confidence, card=r.card))]
            short = len(parts[0].split()) <= CONTEXT_SHAPE_WORDS
            if whole.card in SHAPE_CARDS and shape_card(parts[0]) is None and r.intent != OUT_OF_SCOPE and \
                    (r.confidence >= SHAPE_KEEP_CONFIDENCE or not short) and not (short and _POINTS_BACK.search(parts[0])):
                return [(text, r)]  # the context told a need by its shape, the question asks something else, surely
            if whole.intent in _TOLD_SITUATION and r.intent != whole.intent and _POINTS_BACK.search(parts[0]):
                # "I run max effort and dynamic effort days. Can a tuned model pick that up?": "that" is the system
                # (or the injury) told before the question, which the whole message routes; the question alone cannot
                return [(text, whole)]
            return [(text, r if r.intent != OUT_OF_SCOPE and r.confidence >= whole.confidence else whole)]
        if said_done and any(asks_what_next(p) for p in parts):
            # steps told done, then "after that?" ("did the stats bit too. after that?"): the step after them
            return [(text, Route(intent="next", confidence=1.0))]
        out: list[tuple[str, Route]] = []
        for part in parts:
            if is_health_question(part):
                out.append((part, Route(intent=OUT_OF_SCOPE, confidence=1.0)))
                continue
            r = route(part)
            if asks_what_next(part) and r.intent != "next":
                r = Route(intent="next", confidence=1.0, card=r.card)  # "... after that?": the next step, however it reads alone
            if (r.intent == OUT_OF_SCOPE or r.confidence < 2 * MIN_CONFIDENCE) and out and _POINTS_BACK.search(part):
                # "..., and how do I kick it off?": "it" is what the earlier part asked about, read with it
                r = route(out[-1][0] + " " + part)
            if r.intent == OUT_OF_SCOPE or r.confidence < 2 * MIN_CONFIDENCE:
                continue  # too vague alone ("how long does it take"): the other parts carry the message
            if any(r.intent == o.intent for _, o in out):
                # two questions of one message ask two things: a part routed like an earlier one takes its own
                # runner-up when that is nearly as likely ("do I retrain, and how many examples would I need?")
                seen = {o.intent for _, o in out}
                alt = max((c for c in r.scores if c not in seen and c != OUT_OF_SCOPE), key=lambda c: r.scores[c], default=None)
                if alt is None or r.scores[alt] < -1.0:
                    continue
                r = Route(intent=alt, confidence=r.confidence * math.exp(r.scores[alt]), card=r.card, scores=r.scores)
            out.append((part, r))
        if not any(r.intent != OUT_OF_SCOPE for _, r in out):
            return [(text, whole)] + [(p, r) for p, r in out if r.intent == OUT_OF_SCOPE]
        return out

    # --- intents ---------------------------------------------------------------------------
    def _out_of_scope(self, q: str, slots: Slots, card: str | None) -> Answer:
        # short: what Peri is for and three questions to start from, not every card's title (42 of them by now)
        return Answer(question=q, intent="out_of_scope", in_scope=False, grounded_on=[],
                      text="That is outside what I know. I can talk about peri: prompting or fine-tuning a coach on your own "
                           "training log, what each would cost you, where your data goes, importing your log, and your next "
                           "step; with your log I recommend a path from your own numbers. Try \u201cshould I fine-tune?\u201d, "
                           "\u201cwhat would it cost me?\u201d or \u201cis my data private?\u201d (`peri guide`, or the Peri "
                           "page of `peri serve`)." + (_PLAN_POINTER if _PLAN_ASKED.search(q) else ""))

    def _decision(self, slots: Slots, extra: dict | None = None) -> tuple[dict, float]:
        from ..decide.run import run_decision

        values = {**slots.situation(), **(extra or {})}
        if slots.provider and "tune_model" not in values:
            # "what would a fine-tune on Together cost me": the tuned paths priced on that provider's cheapest model open
            # for tuning today (the price table), not on the default model
            from ..prices import load_prices

            options = [a.model for a in load_prices(home=self.home).tuning_options() if a.provider == slots.provider]
            if options:
                values["tune_model"] = options[0]
        freq = values.get("queries_per_week") or self.queries_per_week or 1.0
        values["queries_per_week"] = freq
        return run_decision(values, self.athlete, self.store if self.athlete else None), freq

    def _decide(self, q: str, slots: Slots, card: str | None, intent: str = "decide", extra: dict | None = None) -> Answer:
        from ..decide.cost import usd, weeks_label

        result, freq = self._decision(slots, extra)
        rec, costs = result["recommendation_model"], result["costs_model"]
        p, f = costs.approaches["prompting"], costs.approaches["finetuned"]
        who = f"For {self.athlete}" if self.athlete else "With typical token counts (give --athlete NAME for your own)"
        lines = [
            f"{who}, at {queries_a_week(freq)}: I recommend **{rec.path}**. {rec.headline}",
            f"{'Your' if self.athlete else 'A typical'} engineered prompt is {costs.inputs.prompting.prompt_tokens:.0f} tokens; the short prompt a tuned model needs "
            f"is {costs.inputs.finetuned.prompt_tokens:.0f} ({costs.inputs.prompting.source}).",
            f"On {costs.inputs.model}" + (f" (fine-tuning {costs.inputs.tune_model})" if costs.inputs.tune_model else "") +
            f" (prices of {costs.price_date}): prompting {usd(p.monthly_usd)}/month; fine-tuning "
            f"{usd(f.setup_usd)} up front then {usd(f.monthly_usd)}/month; break-even "
            f"{weeks_label(costs.break_even_week['finetuned'], costs.inputs.horizon_weeks)}.",
            "Why:\n" + "\n".join(f"- {r.text} (→ {r.favours})" for r in rec.reasons),
        ]
        if rec.quality_note:
            lines.append(rec.quality_note[0].upper() + rec.quality_note[1:] + ".")
        if result.get("graduation"):  # the per-person trigger, not a fixed "two months"
            lines.append("When to graduate: " + result["graduation"]["text"])
        for n in costs.notes:
            lines.append(f"Note: {n}.")
        j = JOURNEYS[rec.journey]
        athlete = self.athlete or "NAME"
        lines.append(f"Suggested journey: {j.title} — {j.why} (`peri journey status --athlete {athlete} --journey {j.name}`); "
                     f"the full table: `peri decide --athlete {athlete}`.")
        return Answer(question=q, intent=intent, text="\n\n".join(lines), recommendation=result["recommendation"],
                      queries_per_week=freq,
                      grounded_on=[f"your numbers ({costs.inputs.prompting.source})", "cost model", "recommendation criteria"])

    def _cost(self, q: str, slots: Slots, card: str | None) -> Answer:
        ans = self._decide(q, slots, card, intent="cost")
        # "are the prices up to date": the card that says where the dated prices come from leads
        lead = "The price table" if card == "The price table" else "Cost and break-even"
        ans.text = section(lead).text + "\n\n" + ans.text
        if _RUNS_LOCALLY.search(q):  # what running on one's own machine costs: the electricity row of the price table
            from ..prices import load_prices

            loc = load_prices(home=self.home).local
            ans.text += (f"\n\nRunning on your own machine costs electricity: peri counts {loc.watts:g} W at "
                         f"${loc.usd_per_kwh:.2f}/kWh ({loc.date}, {loc.source}); put your own figures under `local:` in "
                         "PERI_HOME/prices.yaml.")
            ans.grounded_on.append("price table (local electricity)")
        if _COMPARES_PROVIDERS.search(q):  # which provider is cheapest: every training price of the table, lowest first
            from ..prices import load_prices

            table = load_prices(home=self.home)
            import datetime as dt

            today = dt.date.today().isoformat()

            def status(m: Any) -> str:  # what the training price alone does not say
                if m.retires and m.retires <= today:
                    return f", retired {m.retires}"
                return ", served only on a paid dedicated deployment" if m.serving == "deployment" else ""

            rows = sorted((m.training.per_million, name, m.provider, m.training.date, status(m))
                          for name, m in table.models.items() if m.training is not None and m.provider in table.providers)
            ans.text += ("\n\nTraining prices in peri's price table, per million trained tokens (training-file tokens x "
                         "epochs), lowest first: " + "; ".join(f"{prov} {name} ${pm:.2f} ({date}{st})"
                                                              for pm, name, prov, date, st in rows)
                         + ". Fine-tuning locally (`peri finetune local`) costs no money, only your computer's time.")
            ans.grounded_on.append("price table (training)")
        ans.grounded_on.insert(0, lead)
        return ans

    def _methodology(self, q: str, slots: Slots, card: str | None) -> Answer:
        text = section("Non-standard methodology").text
        grounded = ["Non-standard methodology"]
        ans = Answer(question=q, intent="methodology", text=text, grounded_on=grounded)
        if self.athlete:
            d = self._decide(q, slots, card, extra={"complex_methodology": True})
            ans.text += "\n\nWith your log and that methodology counted:\n\n" + d.text
            ans.grounded_on += d.grounded_on
            ans.recommendation, ans.queries_per_week = d.recommendation, d.queries_per_week
        return ans

    def _examples(self, q: str, slots: Slots, card: str | None) -> Answer:
        if not self.athlete:
            return Answer(question=q, intent="examples", grounded_on=[],
                          text="Give me an athlete (--athlete NAME) and I'll show your own engineered prompt next to the "
                               "short prompt a tuned model needs (`peri prompt show --athlete NAME --detail 3`).")
        from ..log.catalog import default_catalog
        from ..log.context import load_context
        from ..plans.schema import Scenario
        from ..prompts.builder import build_prompt, short_prompt
        from ..prompts.tokens import tokenizer_for
        from .journeys import record_step

        ctx = load_context(self.store, self.athlete)
        cat = default_catalog()
        tok = tokenizer_for("embedded")
        eng = build_prompt(ctx, cat, Scenario.normal, 3, tokenizer=tok)
        short = short_prompt(ctx, cat)
        short_user = next(m["content"] for m in short if m["role"] == "user")
        record_step(self.store, self.athlete, "see-prompt")  # the person has now seen their prompt
        text = (
            f"Your engineered prompt (detail 3, {eng.total_tokens} tokens with the embedded model's tokenizer):\n\n"
            f"{eng.messages[-1]['content']}\n\n"
            f"The short prompt a model tuned on your log needs ({tok.count_messages(short)} tokens):\n\n{short_user}\n\n"
            "The difference is what fine-tuning moves from the prompt into the weights. "
            f"`peri prompt show --athlete {self.athlete}` prints it with tokens per section."
        )
        return Answer(question=q, intent="examples", text=text, grounded_on=["your log", "prompt templates"])

    def _next(self, q: str, slots: Slots, card: str | None) -> Answer:
        if not self.athlete:
            text = "\n".join(f"- {j.title} ({j.name}): {j.why} `peri journey show {j.name}`" for j in JOURNEYS.values())
            return Answer(question=q, intent="next", grounded_on=["journeys"],
                          text="Start by importing your log (`peri import strong FILE --athlete NAME`), then ask me again "
                               "with --athlete NAME. Journeys I can guide you through:\n" + text)
        result, _ = self._decision(slots)
        name = result["recommendation"]["journey"]
        st = journey_status(self.store, self.athlete, name, self.home)
        j = JOURNEYS[name]
        said = [s for s in st if not s.done and s.step.id in claimed_steps(q, name)]
        lines = [f"Your recommended path is {result['recommendation']['path']}, so your journey is {j.title}: "
                 f"{progress_summary(st)}."]
        if said:  # what the person says they did counts for the next step; peri's record changes only when they mark it
            lines.append("You say you have done: " + "; ".join(s.step.title.lower() for s in said) + ". peri cannot see "
                         "that, so I count it as done here; `peri journey done STEP --athlete " + self.athlete
                         + f" --journey {name}` records it (" + ", ".join(s.step.id for s in said) + ").")
        nxt = next((s for s in st if not s.done and s not in said), None)
        if _MARK_DONE.search(q) and not said:  # "mark the prompt step as done": the command that records a step
            lines.append(f"peri records a step it cannot see when you run `peri journey done STEP --athlete {self.athlete} "
                         f"--journey {name}` (steps: " + ", ".join(s.step.id for s in st) + ").")
        if nxt is not None:
            page = nxt.step.page.replace("NAME", self.athlete)
            lines.append(f"Next: {nxt.step.title}. Run `{nxt.step.command}`" + (f", or use the {page} of `peri serve`" if page else "")
                         + ".")
            if nxt.how_to_mark:
                lines.append(nxt.how_to_mark[0].upper() + nxt.how_to_mark[1:] + ".")
        else:
            lines.append("You have done every step; `peri decide --athlete " + self.athlete + "` again when your numbers change.")
        return Answer(question=q, intent="next", text="\n\n".join(lines), recommendation=result["recommendation"],
                      grounded_on=["your progress in the store", "recommendation"])

    def _card_answer(self, q: str, intent: str, title: str, extra: str = "") -> Answer:
        text = section(title).text + (f"\n\n{extra}" if extra else "")
        return Answer(question=q, intent=intent, text=text, grounded_on=[title])

    def _experiment(self, q: str, slots: Slots, card: str | None) -> Answer:
        extra = ""
        if self.athlete:
            st = journey_status(self.store, self.athlete, "prompt-sprint", self.home)
            extra = f"For {self.athlete}: {progress_summary(st)}."
        ans = self._card_answer(q, "experiment", "The one-week prompt experiment", extra)
        if _TUNED.search(q):  # prompting against a tuned model, not detail levels against each other: peri eval
            ans.text = section("Measuring quality").text + "\n\n" + ans.text
            ans.grounded_on.insert(0, "Measuring quality")
        return ans

    def _providers(self, q: str, slots: Slots, card: str | None) -> Answer:
        specific = {
            "anthropic": "For Claude: `--model anthropic:MODEL` with your key in ANTHROPIC_API_KEY; each request's prompt goes to Anthropic.",
            "openai": "For OpenAI: `--model openai:MODEL` (e.g. openai:gpt-4o-mini) with OPENAI_API_KEY; hosted fine-tuning with `peri finetune openai`.",
            "gguf": "For a local file: `--model gguf:PATH` runs it offline through llama.cpp; nothing leaves your machine.",
            "together": ("Together AI is built in: `peri dataset check --provider together`, then `peri finetune together` "
                         "with TOGETHER_API_KEY (only when you ask: your dataset is uploaded to Together); the tuned "
                         "model is served per token and used as `--model ft:NAME`."),
            "fireworks": ("Fireworks AI is built in: `peri dataset check --provider fireworks`, then `peri finetune fireworks` "
                          "with FIREWORKS_API_KEY (only when you ask: your dataset is uploaded to Fireworks); a tuned "
                          "model is served on a paid dedicated deployment, so `peri decide` does not count it as a per-token path."),
            "openai-compatible": "Any OpenAI-compatible server (vLLM, a llama.cpp server, Ollama): `--model openai-compatible:URL#MODEL`.",
        }
        if runs_offline(q) and not slots.provider:  # "run it offline, no internet": the local models lead
            ans = self._card_answer(q, "providers", "Backends and providers")
            ans.text = OFFLINE_LEAD + "\n\n" + ans.text
            return ans
        extra = specific.get(slots.provider or "", "")
        if extra:
            extra = " ".join(x for x in (extra, _tuning_terms(slots.provider or "", q)) if x)
        if slots.provider and not extra:
            extra = (f"{slots.provider.capitalize()} is not built in: export the dataset with `peri dataset export --format openai` "
                     "and reach a served model through `openai-compatible:URL#MODEL` if the provider offers that API.")
        # "can I fine-tune on my laptop?" is answered by the card about that; every other question by the backends
        title = card if card == "Fine-tuning on your computer" else "Backends and providers"
        return self._card_answer(q, "providers", title, extra)

    def _example_count(self, q: str, slots: Slots, card: str | None) -> Answer:
        extra = ""
        if self.athlete:
            from ..artefacts import load_build_info

            info = load_build_info(self.athlete, self.home)
            if info is not None:
                n = info.report.examples
                extra = (f"Your dataset has {n} examples ({info.report.train} for training): "
                         + ("enough to start." if n >= 100 else f"{100 - n} short of 100."))
            else:
                a = self.store.get_athlete(self.athlete)
                assert a.id is not None
                weeks = len({s.started_at.date().isocalendar()[:2] for s in self.store.sessions(a.id, with_sets=False)})
                n = max(weeks - 1, 0)
                extra = (f"Your log has {weeks} logged weeks, so about {n} examples before any are left out: "
                         + ("enough to start" if n >= 100 else f"{100 - n} short of 100")
                         + f". `peri dataset build --athlete {self.athlete}` gives the exact count.")
        return self._card_answer(q, "example_count", "How many examples", extra)

    def _fewshot(self, q: str, slots: Slots, card: str | None) -> Answer:
        """The third path (examples in the prompt), with this athlete's own numbers when there is one: the
        weeks retrieved for their next plan, what those tokens cost per query against fine-tuning's one-off
        cost, and the graduation trigger."""
        from ..decide.cost import usd, weeks_label

        if not self.athlete:
            return self._card_answer(q, "fewshot", "Examples in the prompt",
                                     "Give me an athlete (--athlete NAME) and I'll show which of your weeks would go in.")
        result, freq = self._decision(slots)
        costs = result["costs_model"]
        fs_usage, fs, f = costs.inputs.fewshot, costs.approaches["fewshot"], costs.approaches["finetuned"]
        be = costs.break_even_vs_fewshot.get("finetuned")
        lines = [
            f"For {self.athlete}: {fs_usage.source}; the whole few-shot request is {fs_usage.prompt_tokens:.0f} tokens "
            f"against {costs.inputs.finetuned.prompt_tokens:.0f} for the short prompt a tuned model needs.",
            f"At {queries_a_week(freq)} on {costs.inputs.model} (prices of {costs.price_date}): few-shot "
            f"{usd(fs.monthly_usd)}/month with nothing to train; fine-tuning {usd(f.setup_usd)} up front then "
            f"{usd(f.monthly_usd)}/month, paid back against few-shot {weeks_label(be, costs.inputs.horizon_weeks)}.",
        ]
        if result.get("graduation"):
            lines.append("When to graduate: " + result["graduation"]["text"])
        lines.append(f"See the examples chosen: `peri prompt show --athlete {self.athlete} --fewshot`; plan with them: "
                     f"`peri plan --athlete {self.athlete} --style fewshot`.")
        ans = self._card_answer(q, "fewshot", "Examples in the prompt", "\n\n".join(lines))
        ans.grounded_on += [f"your numbers ({fs_usage.source})", "cost model"]
        ans.queries_per_week = freq
        return ans

    def _retrain(self, q: str, slots: Slots, card: str | None) -> Answer:
        return self._card_answer(q, "retrain", "When goals change")

    def _privacy(self, q: str, slots: Slots, card: str | None) -> Answer:
        extra = ""
        if slots.provider in {"openai", "anthropic", "together", "fireworks", "google", "bedrock", "mistral"}:
            extra = (f"To {slots.provider.capitalize()}: only what you send it yourself, by choosing its model or running a "
                     "hosted fine-tune with explicit consent.")
        how, on = self._data_how(q)
        if runs_offline(q):
            how = (OFFLINE_LEAD + "\n\n" + how).strip()
        if asks_data_action(q) or how:
            # asked how to see, take or delete one's own data: the how leads, where it is kept follows
            ans = self._card_answer(q, "privacy", YOUR_DATA, section("Privacy").text + (f"\n\n{extra}" if extra else ""))
            ans.grounded_on.append("Privacy")
            if how:
                ans.text = how + "\n\n" + ans.text
                ans.grounded_on += on
            return ans
        return self._card_answer(q, "privacy", "Privacy", extra)

    def _data_how(self, q: str) -> tuple[str, list[str]]:
        """The commands and pages for what `q` asks to do with data (take back an import or a session, delete one
        person's data, keep a copy), with this person's own imports and athletes counted; ("", []) when it asks none."""
        name = self.athlete or "NAME"
        lines: list[str] = []
        on: list[str] = []
        a = None
        if self.athlete:
            from ..errors import NotFound

            try:
                a = self.store.get_athlete(self.athlete)
            except NotFound:
                a = None
        takes_back = UNDO_IMPORT.search(q) or DELETE_SESSION.search(q)
        if DELETE_SESSION.search(q) and not UNDO_IMPORT.search(q):
            lines.append(f"To delete one day's sessions and nothing else: `peri import delete-session --athlete {name} --date "
                         "YYYY-MM-DD`. A whole file imported by mistake, or twice, is taken back with `peri import undo ID` "
                         f"(`peri import list --athlete {name}` shows the ids); in `peri serve`, the athlete's Imports page "
                         "undoes one.")
        elif takes_back:
            lines.append(f"To take back one imported file: `peri import list --athlete {name}` shows your imports with their "
                         "ids, and `peri import undo ID` removes everything that import wrote (its sessions, sets and notes), "
                         "all or nothing; in `peri serve`, the athlete's Imports page undoes one. One day logged twice: "
                         f"`peri import delete-session --athlete {name} --date YYYY-MM-DD`.")
        elif deletes_someones_data(q) or (asks_data_action(q) and DELETES.search(q)):
            who = "THEIR_NAME" if SOMEONE_ELSE.search(q) else name
            lines.append(f"To delete one person's data and nobody else's: `peri athlete delete {who}` lists what peri holds "
                         "about them (log, notes, profile, imports, plans, ratings, dataset, evaluations and the models tuned "
                         "on it) and deletes it with `--yes`; in `peri serve`, type the name on the \"Your data\" page of that "
                         f"athlete. `peri athlete export {who} --out FILE.zip` keeps a copy first.")
            names = [x.name for x in self.store.list_athletes()]
            lines.append(f"This peri holds {len(names)} athlete{'s' if len(names) != 1 else ''}: {', '.join(names)} "
                         "(`peri athlete list`); deleting one leaves the others as they are.")
            on.append("the athletes in your store")
        elif _EXPORTS.search(q):
            lines.append(f"To keep a copy: `peri athlete export {name} --out {name if self.athlete else 'FILE'}.zip` writes "
                         "everything peri holds about you to one ZIP file, the same as the Download button on the \"Your "
                         "data\" page of your athlete in `peri serve`.")
        if takes_back and a is not None and a.id is not None:
            batches = self.store.imports(a.id)
            lines.append(f"{a.name} has {len(batches)} import{'s' if len(batches) != 1 else ''} recorded"
                         + (f", the latest with id {batches[-1]['id']}." if batches else "."))
            on.append("your imports")
        return "\n\n".join(lines), on

    def _concept(self, q: str, slots: Slots, card: str | None) -> Answer:
        hits = retrieve(q)
        if len(hits) > 1 and hits[1].score < SECOND_CARD_SHARE * hits[0].score:
            hits = hits[:1]  # a runner-up far behind answers another question ("Graduation" under "what's the learning rate")
        if card is not None and card not in [h.section.title for h in hits[:1]]:
            # the router's card read the question through its typos ("hybird"): it leads
            hits = [Hit(section=section(card), score=0.0)] + [h for h in hits if h.section.title != card][:1]
        if not hits:
            return self._out_of_scope(q, slots, card)
        parts, grounded = [], []
        for h in hits:
            body, on = self._shape_text(h.section.title)
            parts.append(f"{h.section.title}: {body}")
            grounded += [g for g in on if g not in grounded]
        return Answer(question=q, intent="concept", text="\n\n".join(parts), grounded_on=grounded)

    def _shape_text(self, title: str) -> tuple[str, list[str]]:
        """A card's text, with the person's own profile and log where the card is about them (what peri knows
        about you, training days), and what it stands on."""
        text, grounded = section(title).text, [title]
        if not self.athlete or title not in (KNOWS_YOU, TRAINING_DAYS):
            return text, grounded
        from ..errors import NotFound
        from ..log.context import load_context
        from ..log.summary import log_counts, profile_fields

        try:
            a = load_context(self.store, self.athlete).athlete
        except NotFound:
            return text + f"\n\nperi holds no athlete named {self.athlete} yet.", grounded
        assert a.id is not None
        fields = {f.name: f for f in profile_fields(a)}

        def said(name: str, label: str) -> str:
            f = fields[name]
            if f.source == "unknown" or f.value in (None, [], ""):
                return f"{label} unknown (neither stated nor read from the log)"
            value = ", ".join(map(str, f.value)) if isinstance(f.value, list) else str(f.value)
            how = ("stated" if a.simulated else "stated by you") if f.source == "stated" else "read from the log" + (f": {f.evidence}" if f.evidence else "")
            return f"{label} {value} ({how})"

        if title == TRAINING_DAYS:
            line = (f"For {a.name}, peri plans with {said('days_per_week', 'days per week')}; "
                    f"`peri athlete set {a.name} --days N` states another number.")
            return text + "\n\n" + line, grounded + ["your profile"]
        c = log_counts(self.store, a.id)
        log = (f"{c.sessions} sessions and {c.sets} sets logged from {c.first_session} to {c.last_session}"
               if c.sessions else "no sessions logged yet")
        personal = [f"{name}: {value}" for name, value in (("age", a.age), ("body mass", f"{a.body_mass_kg:g} kg" if a.body_mass_kg else None),
                                                           ("sex", a.sex)) if value is not None]
        lines = [f"What peri holds for {a.name}: {log}; {c.annotations} notes and annotations.",
                 "Profile: " + "; ".join([said(n, n.replace('_', ' ')) for n in ("level", "days_per_week", "goal", "split",
                                                                                 "equipment")] + personal) + ".",
                 ("Constraints you stated: " + "; ".join(a.constraints) + "." if a.constraints else "No constraints stated."),
                 f"Imported files: {len(self.store.imports(a.id))}. See it all with `peri athlete show {a.name}`; "
                 f"keep a copy with `peri athlete export {a.name}`."]
        if a.simulated:
            lines.insert(0, f"{a.name} is a simulated athlete: this log was generated by `peri simulate`, not imported.")
        return text + "\n\n" + "\n".join(lines), grounded + ["your profile and log"]

    # --- the model only rephrases ----------------------------------------------------------
    def _rephrase(self, ans: Answer) -> None:
        req = rephrase_request(ans)
        try:
            out = self.backend.generate(req).text.strip()
        except PeriError as e:
            ans.model_note = f"the model could not answer ({e}); the grounded answer stands alone"
            return
        if not out:
            ans.model_note = "the model returned nothing"
            return
        kept, dropped = check_model_text(out, ans)
        ans.model_sentences = (len(kept), len(kept) + len(dropped))
        if kept:
            ans.model_text = " ".join(s for s, _ in kept)
        if dropped:
            reasons = "; ".join(sorted({w for _, w in dropped if w}))
            ans.model_note = f"{len(dropped)} of the model's sentences dropped: {reasons}"


# asking for a copy of one's data ("export everything", "download my data", "back it all up", "take my data with me")
_EXPORTS = re.compile(r"\b(?:export\w*|download\w*|back(?:ing)? ?up|backups?|copy|copies|take\b[^.?!]{0,25}\bwith me|move|moving|"
                      r"transfer\w*|migrat\w*)\b", re.I)
# the lead of an answer about running with no internet: the embedded model runs offline, nothing leaves the machine
OFFLINE_LEAD = ("Yes: the default model, `embedded`, runs offline on your own machine through llama.cpp, and so do a local "
                "`gguf:PATH` file and the rule-based coach (`rules`); prompts, plans, local fine-tuning (`peri finetune local`) "
                "and Peri itself need no internet, and nothing leaves your machine unless you choose a hosted model.")


# providers compared on price ("cheapest provider to finetune on", "which host is cheaper for training")
_COMPARES_PROVIDERS = re.compile(r"\b(?:cheapest|cheaper|least expensive|lowest price|best price|compare\w*)\b[^.?!]{0,40}\b"
                                 r"(?:providers?|hosts?|services?|compan\w+|where|which)\b|"
                                 r"\b(?:which|what|whose)\s+(?:providers?|hosts?|services?)\b[^.?!]{0,40}\b(?:cheap\w*|price\w*|cost\w*)\b|"
                                 r"\b(?:providers?|hosts?)\b[^.?!]{0,30}\b(?:cheapest|cheaper|least expensive)\b", re.I)


# a tuned model named ("prompt vs tuned", "the fine-tuned one")
_TUNED = re.compile(r"\b(?:fine-?\s?tun\w*|finetun\w*|tuned|tuning|custom model|trained model|own model|adapter)\b", re.I)


# running on one's own hardware: the cost is electricity
_RUNS_LOCALLY = re.compile(r"\b(?:electricity|electric|power bill|energy|kwh|watts?|locally|local|my own (?:machine|computer|pc|laptop|hardware)|"
                           r"my (?:machine|computer|pc|laptop|desktop|gpu))\b", re.I)


def _tuning_terms(provider: str, question: str) -> str:
    """A hosted provider's fine-tuning terms from the dated price table (`data/prices.yaml`): who may still start a
    job, until when, how long a tuned model is served, and a model the question names with its dates."""
    from ..prices import load_prices

    table = load_prices()
    life = table.providers.get(provider)
    if life is None:
        return ""
    rules = "; ".join(f"from {u.from_}: {u.rule}" for u in life.requires_prior_usage)
    out = [f"Its fine-tuning terms (price table of {life.date or table.as_of}): " + (rules or "no prior-usage rule")
           + (f"; no new job from {life.accepts_new_jobs_until}" if life.accepts_new_jobs_until else "") + "."]
    if life.inference_note:
        out.append(life.inference_note[0].upper() + life.inference_note[1:] + ".")
    low = question.lower()
    for name, m in table.models.items():
        if m.provider == provider and name.lower() in low:
            out.append(f"{name}: " + (f"a tuned model is served until it retires on {m.retires}." if m.retires
                                      else "no retirement announced."))
    return " ".join(out)


def check_model_text(out: str, ans: Answer) -> tuple[list[tuple[str, None]], list[tuple[str, str]]]:
    """The model's sentences split into those `entailed` by the whole grounded answer and those dropped (with why)."""
    path = (ans.recommendation or {}).get("path")
    kept: list = []
    dropped: list = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", out):
        if not sentence.strip():
            continue
        why = "the model repeats itself" if any(sentence == k for k, _ in kept) else entailed(sentence, ans.text, path)
        (dropped if why else kept).append((sentence, why))
    return kept, dropped


REPHRASE_SYSTEM = ("You are Peri, a friendly strength-coaching guide. Rephrase the facts as a short answer in one or two "
                   "sentences, using ONLY the facts given. Add nothing: no numbers, places, names or advice that are not "
                   "in the facts.")
# What the model is shown and may write. Its text is "Peri, in short" under the grounded answer, so it is shown
# the answer's lead (whole sentences, ~400 characters), not all of it. Profiled on 6 decide questions, the
# variants interleaved on the same loaded 2 cores: the whole answer (1,500 characters, ~570 prompt tokens, 80
# new) took 25.8 s a question, prefill ~15 s of it, and every reply hit the cap mid-sentence (a sentence the
# check drops); the lead (~175 prompt tokens, 60 new) 5.8 s, the same one answer kept. A 250-character lead
# (4.2 s) made the model recite its instructions. The entailment check still reads the whole grounded text.
REPHRASE_FACT_CHARS = 400
REPHRASE_MAX_TOKENS = 60


def lead(text: str, limit: int = REPHRASE_FACT_CHARS) -> str:
    """The grounded text's first sentences and lines, whole, up to `limit` characters (the first one always)."""
    out: list[str] = []
    size = 0
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        part = part.strip()
        if not part:
            continue
        if out and size + len(part) + 1 > limit:
            break
        out.append(part)
        size += len(part) + 1
    return "\n".join(out)


def rephrase_request(ans: Answer, *, fact_chars: int | None = None, max_tokens: int | None = None):
    """The one request the embedded model gets for `ans`: the system rule, the grounded lead, the question."""
    from ..backends.base import GenerationRequest

    facts = lead(ans.text, REPHRASE_FACT_CHARS if fact_chars is None else fact_chars)
    return GenerationRequest(
        messages=[{"role": "system", "content": REPHRASE_SYSTEM},
                  {"role": "user", "content": f"Facts:\n{facts}\n\nQuestion: {ans.question}"}],
        max_tokens=REPHRASE_MAX_TOKENS if max_tokens is None else max_tokens, temperature=0.0,
    )


def _favoured(sentence: str) -> str | None:
    """The approach a sentence recommends, or None when it recommends none."""
    if not _FAVOURS.search(sentence):
        return None
    m = _APPROACH.search(sentence)
    if not m:
        return None
    w = m.group(0).lower()
    kind = "prompting" if w.startswith("prompt") else "hybrid" if w.startswith("hybrid") else \
        "graduate" if w.startswith("graduat") else "finetuning"
    if _NEGATION.search(sentence):  # "fine-tuning is not worth it" favours the other road; treat as a claim to check
        return f"not-{kind}"
    return kind


def _units(grounded: str) -> list[str]:
    """The grounded text's sentences and lines: a claim must be supported by one of them, not by words
    scattered across the whole answer."""
    parts = re.split(r"(?<=[.!?])\s+|\n+", grounded)
    return [p.lower() for p in parts if p.strip()]


def _content(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z][a-z-]*", text.lower()) if w not in STOP and len(w) > 2]


def entailed(sentence: str, grounded: str, path: str | None) -> str | None:
    """None when every claim of `sentence` is in `grounded`; else why not (the reason it is dropped).

    A sentence must be a real sentence (four words or more, not repeating itself, not a bare yes/no), and
    one sentence or line of the grounded text must support it: every number, approach (prompting,
    fine-tuning, hybrid), claim about where data goes, peri command and name in it must be in that unit,
    and at least three quarters of its other content words; words the sentence links must be linked there
    too, and a range's end comes with its range (`relations.relation_gaps`). A recommendation must match the
    grounded one's direction."""
    tokens = re.findall(r"\S+", sentence)
    low = sentence.lower()
    if len(tokens) < 4:
        return "a fragment, not a sentence"
    trigrams = [tuple(w.lower() for w in tokens[i:i + 3]) for i in range(len(tokens) - 2)]
    if len(trigrams) != len(set(trigrams)):
        return "the model repeats itself"
    if re.match(r"^\W*(the answer is\W*)?(yes|no)\b", low):
        return "a yes/no the grounded answer does not give in those words"
    if sentence.strip().endswith("?"):  # the question echoed back, or a new one: neither is a grounded fact
        return "a question, not a fact of the grounded answer"
    fav = _favoured(sentence)
    if fav is not None:
        if path is None:
            return "a recommendation the grounded answer does not make"
        if fav.startswith("not-"):
            if fav[4:] == path:
                return f"says the opposite of the recommendation ({path})"
        elif fav != path and not (fav == "finetuning" and path in {"hybrid"}):
            return f"recommends {fav}, the grounded answer recommends {path}"
    last = re.findall(r"[a-z']+", low)[-1:] or [""]
    if not re.search(r"[.!?)`*]\s*$", sentence.strip()) or last[0] in DANGLING or len(_content(sentence)) < 3:
        return "an unfinished sentence"
    numbers = [n.replace(",", "") for n in _NUMBER.findall(sentence)]
    content = [w for w in _content(sentence) if w not in FRAMING]

    negated = bool(_NEGATION.search(sentence))
    # the cards the grounded text explains: their subject may be linked to any of their words
    topic = topic_words([s.title for s in sections() if s.text[:80] in grounded])

    def missing(unit: str) -> tuple[list[str], float]:
        unit_numbers = {n.replace(",", "") for n in _NUMBER.findall(unit)}
        hard = [n for n in numbers if n not in unit_numbers]
        # polarity: the same words with a "not" added or lost are the opposite claim ("Fireworks hosts it" /
        # "hosting is not possible with Fireworks"; "nothing is sent" / "it is sent")
        if negated != bool(_NEGATION.search(unit)):
            hard.append(NEGATION_MARK)
        # who speaks: "you're going to help me with my sprint" turns the athlete's sprint into the speaker's
        hard += [f"'{w}'" for w in _FIRST_PERSON.findall(low) if not re.search(rf"(?<![\w']){re.escape(w)}(?![\w'])", unit)]
        hard += [m.group(0) for m in _APPROACH.finditer(sentence) if m.group(0).lower()[:6] not in unit]
        # six letters from a word's start: "uploaded" finds "upload", but "server" does not find "served"
        hard += [m.group(0) for m in _DATA_WORDS.finditer(sentence)
                 if not re.search(r"\b" + re.escape(m.group(0).lower()[:6]), unit)]
        hard += [c for c in _COMMAND.findall(low) if c not in unit]
        hard += [w for w in re.findall(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+\b", sentence.strip())
                 if w.lower() not in unit and w not in {"Peri", "I", "You", "Your"}]
        soft = [w for w in content if w[:5] not in unit]
        # the words may all be there and the claim still not: two words linked in the sentence must be linked in
        # the unit ("combines a fine-tuned model with a deload week"), a range's end comes with the range
        hard += [f"relation {g}" for g in relation_gaps(sentence, unit, topic)]
        if numbers and soft:
            # a figure attached to a word the unit does not have is a new claim about that figure ("the cost
            # of breaking a model is $0.0041/month"): a sentence with a number must be grounded word for word
            hard += soft
        return hard, (len(soft) / len(content) if content else 0.0)

    results = [missing(u) for u in _units(grounded)]
    best = min(results, key=lambda m: (len(m[0]), m[1]), default=([sentence], 1.0))
    hard, unsupported = best
    # the sentence whose words all match but whose links do not names the fault better than a looser match
    linked = [h for h, u in results if h and u <= 0.25 and all(x.startswith("relation ") for x in h)]
    if linked and (hard or unsupported > 0.25):
        return f"a relation the grounded text does not state ({', '.join(x[len('relation '):] for x in linked[0][:2])})"
    if hard:
        nums = [h for h in hard if h in numbers]
        data = [h for h in hard if _DATA_WORDS.fullmatch(h)]
        cmds = [h for h in hard if h.startswith("peri ")]
        if nums:
            return f"numbers not in your data ({', '.join(nums[:3])})"
        if data:
            return f"a claim about where data goes ('{data[0]}') the grounded text does not make"
        if cmds:
            return f"a command the grounded text does not name ({cmds[0]})"
        relations = [h[len("relation "):] for h in hard if h.startswith("relation ")]
        if relations and len(relations) == len([h for h in hard if h != NEGATION_MARK]) and NEGATION_MARK not in hard:
            return f"a relation the grounded text does not state ({', '.join(relations[:2])})"
        persons = [h for h in hard if h.startswith("'")]
        if persons:
            return f"speaks as someone the grounded text does not ({persons[0]})"
        if NEGATION_MARK in hard:
            return ("a negation the grounded text does not make" if negated else
                    "leaves out the grounded text's negation (the opposite claim)")
        return f"a claim no sentence of the grounded answer makes ({', '.join([h for h in hard if h != NEGATION_MARK][:3])})"
    if unsupported > 0.25:
        return "words the grounded text does not support"
    return None
