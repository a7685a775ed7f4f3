"""Check a plan someone was given (a chatbot's, a coach's, a book's) against one athlete: the one library call
behind `peri check` and the web Check page.

`check_given(store, athlete, text, ...) -> GivenCheck`: the athlete's context (profile, notes, history before
`as_of`; by default the log's own end, or the day after the latest note written since), the plan read from `text` by `plans.freeform.read_plan` (a load written without a unit read in the
athlete's unit), loads written as a percentage turned into kilograms from the athlete's own e1RM
(`plans.percent`, each said in `loads`, a lift with no e1RM left unloaded and said), `checker.check_plan` on it,
and, when asked, the repaired plan with its own findings. A programme written over several weeks is checked a
week at a time (`weeks`), and from one week to the next (`progression`): a lift whose load asks for clearly more
than any earlier week of the plan (its implied e1RM up more than `WEEK_JUMP` a week), or a week with clearly more
hard sets than any before it. A finding the same in several weeks (the same low volume each week) is said once,
in the first of them, naming the weeks ("weeks 1-4": `GivenCheck.week_findings`, `GivenCheck.repeated`); a
finding that differs between weeks (another number, another lift) is each week's own. It writes nothing.
"""
from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ..log.shown_unit import Unit
from .checker import CheckResult, Finding
from .freeform import PlanReading
from .schema import Plan, Scenario

WEEK_JUMP = 0.075  # a lift's implied e1RM may rise this much a week of the plan (linear progression adds ~5%)
WEEK_SLACK_KG = 2.5  # one jump of the smallest plates pair is never a finding
MIN_SET_JUMP = 4  # a week this many hard sets over any before it, and over the --max-jump share, is said


class WeekCheck(BaseModel):
    """One week of a programme: its heading's words, the week numbers it covers, the plan with percentage loads
    in kilograms, and its findings."""

    label: str
    numbers: list[int] = []
    plan: Plan
    result: CheckResult


class RepeatedFinding(BaseModel):
    """A finding the same in several weeks of a programme, said once: the finding (as its first week has it),
    the weeks' labels and numbers, and the weeks as said ("weeks 1-4")."""

    finding: Finding
    weeks: list[str]
    numbers: list[int] = []
    said: str


def weeks_said(numbers: list[int], labels: list[str]) -> str:
    """Week numbers as a person says them: "week 3", "weeks 1-4", "weeks 1-2, 5"; the labels when none."""
    ns = sorted(set(numbers))
    if not ns:
        return ", ".join(labels)
    runs: list[list[int]] = []
    for n in ns:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ("week " if len(ns) == 1 else "weeks ") + ", ".join(
        f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _same(f: Finding) -> tuple[object, ...]:
    """What makes two weeks' findings the same finding: all of it but the week in its day's name."""
    from .freeform import fold, without_week

    day = fold(without_week(f.day)) if f.day else None
    return (f.code, f.severity, f.message, day, f.exercise and fold(f.exercise), f.muscle, tuple(f.regions))


class GivenCheck(BaseModel):
    """What the faces show: how the plan was read, the findings, the repaired plan, the unit to show loads in.

    `plan` is the (first) week as checked: loads written as percentages in kilograms where the log has an e1RM;
    `weeks` every week when the text writes more than one; `progression` the findings between them."""

    athlete: str
    reading: PlanReading
    result: CheckResult
    plan: Plan | None = None
    loads: list[str] = []
    weeks: list[WeekCheck] = []
    progression: list[Finding] = []
    repaired: Plan | None = None
    repaired_result: CheckResult | None = None  # the repaired plan checked again (what is left)
    unit: Unit = "kg"
    warnings: list[str] = []

    def repeated(self) -> list[RepeatedFinding]:
        """The findings the same in two or more weeks, each once, in the order first found."""
        seen: dict[tuple[object, ...], list[int]] = {}
        first: dict[tuple[object, ...], Finding] = {}
        for i, w in enumerate(self.weeks):
            for f in w.result.findings:
                k = _same(f)
                first.setdefault(k, f)
                if i not in seen.setdefault(k, []):
                    seen[k].append(i)
        out = []
        for k, idx in seen.items():
            if len(idx) > 1:
                numbers = sorted({n for i in idx for n in self.weeks[i].numbers})
                labels = [self.weeks[i].label for i in idx]
                out.append(RepeatedFinding(finding=first[k], weeks=labels, numbers=numbers,
                                           said=weeks_said(numbers, labels)))
        return out

    def week_findings(self) -> list[list[Finding]]:
        """Each week's findings as the faces show them: a finding the same in several weeks once, in the first of
        them, its message led by the weeks ("weeks 1-4: 6 weekly sets for chest, below 10 ..."); one a week has
        alone (or says differently) as it is."""
        repeated = {_same(r.finding): r for r in self.repeated()}
        said: set[tuple[object, ...]] = set()
        out = []
        for w in self.weeks:
            fs = []
            for f in w.result.findings:
                k = _same(f)
                if k not in repeated:
                    fs.append(f)
                elif k not in said:
                    said.add(k)
                    fs.append(f.model_copy(update={"message": f"{repeated[k].said}: {f.message}"}))
            out.append(fs)
        return out

    def all_findings(self) -> list[Finding]:
        """Every finding: each week's (the first week's when there is one; one the same in several weeks once)
        and the progression's."""
        weeks = self.week_findings() or [self.result.findings]
        return [f for fs in weeks for f in fs] + self.progression

    def counts(self) -> dict[str, int]:
        found = self.all_findings()
        return {s: sum(f.severity == s for f in found) for s in ("high", "medium", "low")}


def progression_findings(weeks: list[WeekCheck], catalog: object, logged: set[str] | None = None,
                         max_jump: float = 0.2) -> list[Finding]:
    """Week-to-week findings of a programme (module docstring). A lift is compared by the e1RM its heaviest
    prescription implies (load and reps, with RPE when written), so a wave that trades reps for load (5/3/1's
    5s, 3s and 1s) is no jump; a lift whose load is only a percentage is compared by its percentages alike."""
    from ..log.stats import e1rm_epley
    from .checker import implied_e1rm, resolve

    out: list[Finding] = []
    best: dict[tuple[str, str], tuple[float, float, str, int]] = {}  # (lift, kg|%) -> (implied, load, week, last no.)
    most_sets: tuple[int, str] | None = None
    for w in weeks:
        first = w.numbers[0] if w.numbers else 0
        here: dict[tuple[str, str], tuple[float, float, str, str]] = {}
        for day in w.plan.days:
            for p in day.exercises:
                entry = resolve(p.exercise, catalog, logged)  # type: ignore[arg-type]
                name = entry.name if entry else p.exercise.casefold()
                if p.load_kg:
                    key, load, implied = (name, "kg"), p.load_kg, implied_e1rm(p)
                elif p.pct_e1rm:
                    key, load, implied = (name, "%"), p.pct_e1rm, e1rm_epley(p.pct_e1rm, p.reps_low)
                else:
                    continue
                if implied is not None and (key not in here or implied > here[key][0]):
                    here[key] = (implied, load, day.name, p.exercise)
        for key, (implied, load, day, shown) in here.items():
            if key in best:
                prev, prev_load, prev_week, prev_last = best[key]
                gap = max(1, first - prev_last) if w.numbers else 1
                slack = WEEK_SLACK_KG * prev / prev_load if key[1] == "kg" and prev_load else 0.0
                if implied > prev * (1 + WEEK_JUMP * gap) + slack:
                    unit = "kg" if key[1] == "kg" else "%"
                    out.append(Finding(
                        code="week_load_jump", severity="medium", day=day, exercise=shown,
                        message=f"{w.label}: {load:g} {unit} asks for an e1RM {implied / prev - 1:+.0%} over "
                                f"{prev_load:g} {unit} in {prev_week} (more than {WEEK_JUMP:.1%} a week)"))
        for key, (implied, load, _day, _shown) in here.items():
            if key not in best or implied > best[key][0]:
                best[key] = (implied, load, w.label, w.numbers[-1] if w.numbers else 0)
            else:
                best[key] = (*best[key][:3], w.numbers[-1] if w.numbers else 0)
        sets = w.plan.hard_sets()
        if most_sets is not None and sets > most_sets[0] * (1 + max_jump) and sets - most_sets[0] >= MIN_SET_JUMP:
            out.append(Finding(code="week_volume_jump", severity="medium",
                               message=f"{w.label}: {sets} sets, {sets / most_sets[0] - 1:+.0%} over the "
                                       f"{most_sets[0]} of {most_sets[1]} (limit {max_jump:+.0%})"))
        if most_sets is None or sets > most_sets[0]:
            most_sets = (sets, w.label)
    return out


def check_given(
    store: object, athlete: str, text: str, *, scenario: Scenario | None = None, as_of: dt.date | None = None,
    max_jump: float = 0.2, repair: bool = False, source: str | None = None,
) -> GivenCheck:
    """Read `text` as a plan and check it for `athlete` (module docstring). `source` names the file in errors.

    Raises `NotFound` for an unknown athlete and `PlanParseError` for a text with no plan in it."""
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..log.shown_unit import shown_unit
    from .checker import athlete_flags, check_plan
    from .freeform import read_plan
    from .percent import lift_e1rms, resolve_percent

    ctx = load_context(store, athlete, as_of=as_of)  # type: ignore[arg-type]
    if as_of is None:
        # a note the person wrote after their last logged session ("my shoulder hurts since Tuesday") is what
        # they have told peri now: the history runs to the day after the latest one (never past tomorrow)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        later = [a.date for a in store.annotations(ctx.athlete.id, since=ctx.as_of)  # type: ignore[attr-defined]
                 if ctx.as_of <= a.date < tomorrow]
        if later:
            ctx = load_context(store, athlete, as_of=max(later) + dt.timedelta(days=1))  # type: ignore[arg-type]
    unit = shown_unit(ctx.athlete, sessions=ctx.sessions)
    reading = read_plan(text, unit, source=source)
    catalog = default_catalog()
    logged = athlete_flags(ctx, catalog).logged
    e1rms = lift_e1rms(ctx, catalog)
    loads: list[str] = []
    weeks: list[WeekCheck] = []
    for i, w in enumerate(reading.weeks):
        plan, said = resolve_percent(w.plan, e1rms, catalog, logged, label=w.label, unit=unit)
        loads += said
        weeks.append(WeekCheck(label=w.label, numbers=w.numbers, plan=plan, result=check_plan(
            plan, ctx, catalog, scenario, max_jump=max_jump, repair=repair and i == 0)))
    if weeks:
        plan, result = weeks[0].plan, weeks[0].result
    else:
        plan, loads = resolve_percent(reading.plan, e1rms, catalog, logged, unit=unit)
        result = check_plan(plan, ctx, catalog, scenario, max_jump=max_jump, repair=repair)
    repaired = result.repaired if repair else None
    after = check_plan(repaired, ctx, catalog, scenario, max_jump=max_jump, repair=False) if repaired else None
    progression = progression_findings(weeks, catalog, logged, max_jump) if len(weeks) > 1 else []
    return GivenCheck(athlete=athlete, reading=reading, result=result, plan=plan, loads=loads, weeks=weeks,
                      progression=progression, repaired=repaired, repaired_result=after, unit=unit,
                      warnings=list(ctx.warnings))
