"""The evaluation harness: every approach on the same held-out weeks, measured the same way.

Held-out weeks are later than every week a tuned model trained on. For each (approach, week) one plan is
generated through `peri.generate.generate_plan` (so it is recorded like any other generation) and measured:
schema validity, checker findings before and after repair, the oracle's score when the athlete is simulated
(the oracle is the only door to hidden traits), the user's rating when present, tokens, latency and cost.
Records are cached by a key of everything that determines them, so a re-run only generates what is missing.

One comparison rule: every approach, the rule coach included, is scored raw (the plan as the approach gave
it) and after the same checker repair (`checker.check_plan(..., repair=True)`, as `generate_plan` applies
it), in adjacent columns. `rules-raw` is the coach with its internal checker repair switched off, so the
difference to `rules` is what the checker adds. Baselines (`peri.evaluate.baselines`: repeat-last-week,
minus-blamed, human) are built in-process from the log and scored the same way; they frame the products'
scores between a floor and a sensible human. The headline (verdict) uses the RAW score and says so.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..artefacts import SUMMARY_FILE, ApproachSummary, EvalSummary, read_model
from ..errors import ConfigError, PeriError
from ..model_spec import ModelSpec
from ..log.store import Store
from ..paths import peri_home
from ..plans.schema import Plan, Scenario
from .stats import mean_ci, paired_diff_ci

Progress = Callable[[str, int, int], None]
FRAME_MIN_GAP = 3.0  # points the human plan must clear the floor by before approaches are placed between them


class Approach(BaseModel):
    name: str  # rules | prompt-d0..d4 | prompt-fewshot | finetuned-short | finetuned-fewshot | hybrid | extra:<spec>
    model: str  # backend spec
    style: str = "engineered"  # engineered | short | hybrid | fewshot
    detail: int | None = None
    scenario_weeks_only: bool = False  # the hybrid answers scenario weeks
    # "product": generated through generate_plan (rules, prompts, tuned, hybrid, extras); "reference": rules-raw;
    # "baseline": built from the log in-process (peri.evaluate.baselines)
    kind: str = "product"
    constrain: bool = True  # decode under peri.plans.constraints; "<name>-unconstrained" turns it off


# More approaches plug in here (e.g. the few-shot ones): each provider returns the approaches it can offer
# for this athlete and config, and a note for any it cannot (run after the built-in ones).
ApproachProvider = Callable[[Store, "EvalConfig"], tuple[list[Approach], list[str]]]
APPROACH_PROVIDERS: list[ApproachProvider] = []
UNCONSTRAINED = "-unconstrained"


def register_approaches(provider: ApproachProvider) -> ApproachProvider:
    """Add approaches to every evaluation (usable as a decorator)."""
    if provider not in APPROACH_PROVIDERS:
        APPROACH_PROVIDERS.append(provider)
    return provider


class TimeLimitReached(PeriError):
    """The run's time limit came before its last job; what finished is on disk and a re-run continues.

    `partial` holds the results over the finished records (None when none had finished)."""

    partial: Any = None


class EvalConfig(BaseModel):
    athlete: str
    approaches: list[str] | None = Field(None, description="names to run; None = every available approach")
    weeks: int = Field(4, ge=1, description="held-out weeks to plan")
    base_model: str = "embedded"
    tuned_model: str | None = Field(None, description="ft:NAME; default ft:<athlete>-lora when registered")
    extra_models: list[str] = Field(default_factory=list)
    seed: int = 0
    queries_per_week: float = 1.0
    max_attempts: int = 3
    scenario_weeks: bool = Field(False, description="also hold out the latest deload, travel and peaking week "
                                                    "the log shows (after the training cutoff), besides the last weeks")
    moderate_stress: Literal["keep", "demote", "block"] = Field(
        "demote", description="constrained decoding of a lift that moderately stresses a region the log or profile "
                              "blames (`PlanRequest.moderate_stress`)")


class EvalRecord(BaseModel):
    key: str
    approach: str
    model: str
    week_of: dt.date
    scenario: str
    generation_id: int | None = None
    valid: bool = False
    error: str | None = None
    findings: dict[str, int] = Field(default_factory=dict)  # severity -> count, raw plan
    findings_after_repair: dict[str, int] = Field(default_factory=dict)
    oracle: float | None = None  # 0-100; an invalid plan scores 0
    oracle_breakdown: dict[str, float] | None = None
    oracle_repaired: float | None = None
    rating: int | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    latency_s: float | None = None
    cost_usd: float | None = None  # hosted price of the call, when priced
    cost_local_usd: float | None = None  # electricity for local models


class EvalResults(BaseModel):
    athlete: str
    simulated: bool
    config: EvalConfig
    held_out_weeks: list[dt.date]
    training_cutoff: dt.date | None
    records: list[EvalRecord]
    summary: dict[str, ApproachSummary]
    verdict: list[str]
    warnings: list[str] = Field(default_factory=list)
    headline: str = "raw"  # which score the verdict ranks by: "raw" (as given) — the repaired one is alongside


def eval_dir(athlete: str, home: Path | None = None) -> Path:
    from ..paths import home_subdir

    d = home_subdir("eval", athlete, home or peri_home())  # the athlete's name as a slug, never as a path
    d.mkdir(parents=True, exist_ok=True)
    return d


# --- choosing what to run -------------------------------------------------------------------
def available_approaches(store: Store, cfg: EvalConfig) -> tuple[list[Approach], list[str]]:
    """Every approach this athlete can be evaluated with, and why any was left out."""
    from .baselines import BASELINES

    out = [Approach(name="rules", model="rules", style="engineered", detail=None),
           Approach(name="rules-raw", model="rules-raw", style="engineered", detail=None, kind="reference")]
    out += [Approach(name=b, model=f"baseline:{b}", kind="baseline") for b in BASELINES]
    out += [Approach(name=f"prompt-d{d}", model=cfg.base_model, style="engineered", detail=d) for d in range(5)]
    # the athlete's own past weeks as examples in the prompt (peri.tune.retrieval): the same examples a
    # tuned model trains on, used without training
    out.append(Approach(name="prompt-fewshot", model=cfg.base_model, style="fewshot"))
    notes = []
    tuned = cfg.tuned_model or f"ft:{cfg.athlete}-lora"
    tuned_spec = ModelSpec.parse(tuned)  # a mistyped --tuned-model is named, not read as "none registered"
    if tuned_spec.kind != "ft":
        raise ConfigError(f"the tuned model must be a registered one, ft:NAME, not {tuned!r}", place="--tuned",
                          hint="`peri finetune list` shows the registered models")
    try:
        store.get_model(tuned_spec.name)
        out.append(Approach(name="finetuned-short", model=tuned, style="short"))
        out.append(Approach(name="hybrid", model=tuned, style="hybrid", scenario_weeks_only=True))
        out.append(Approach(name="finetuned-fewshot", model=tuned, style="fewshot"))  # both: weights + examples
    except PeriError:
        notes.append(f"no tuned model {tuned} registered: `peri finetune local --athlete {cfg.athlete}` trains one")
    out += [Approach(name=f"extra:{m}", model=m, style="engineered", detail=3) for m in cfg.extra_models]
    for provider in APPROACH_PROVIDERS:
        more, why = provider(store, cfg)
        out += [a for a in more if a.name not in {x.name for x in out}]
        notes += why
    if cfg.approaches:
        # "<approach>-unconstrained": the same approach decoded without peri.plans.constraints (its effect measured)
        by_name = {a.name: a for a in out}
        for name in cfg.approaches:
            base = by_name.get(name.removesuffix(UNCONSTRAINED))
            if name.endswith(UNCONSTRAINED) and base is not None and base.kind == "product" and base.model != "rules":
                out.append(base.model_copy(update={"name": name, "constrain": False}))
        wanted = set(cfg.approaches)
        unknown = wanted - {a.name for a in out}
        if unknown:
            raise PeriError(f"unknown or unavailable approach(es): {', '.join(sorted(unknown))}",
                            hint=f"available: {', '.join(a.name for a in out)}")
        out = [a for a in out if a.name in wanted]
    return out, notes


def training_cutoff(athlete: str, home: Path | None = None) -> dt.date | None:
    """The last week any tuned model of this athlete trained on (from the dataset build), if known."""
    from ..artefacts import load_build_info

    info = load_build_info(athlete, home)
    return info.train_cutoff() if info else None


def held_out_weeks(
    store: Store, athlete: str, n: int, cutoff: dt.date | None, *, scenario_weeks: bool = False, lookback: int = 26,
) -> list[dt.date]:
    """The last `n` logged weeks (Mondays) strictly after the training cutoff; with `scenario_weeks`, also
    the latest deload, travel and peaking week of the last `lookback` (as the log itself tells them)."""
    a = store.get_athlete(athlete)
    assert a.id is not None
    mondays = sorted({s.day - dt.timedelta(days=s.day.weekday()) for s in store.sessions(a.id, with_sets=False)})
    if cutoff is not None:
        mondays = [m for m in mondays if m > cutoff]
    chosen = set(mondays[-n:])
    if scenario_weeks:
        wanted = {Scenario.deload, Scenario.travel, Scenario.peaking}
        for m in reversed(mondays[-lookback:]):
            if not wanted:
                break
            sc = week_scenario(store, athlete, m)[0]
            if sc in wanted:
                wanted.discard(sc)
                chosen.add(m)
    return sorted(chosen)


def week_scenario(store: Store, athlete: str, monday: dt.date) -> tuple[Scenario, list[str] | None]:
    """What the log itself says the week was (session names, notes) — never the simulator's truth — and, for
    a travel week, the equipment it had at hand (what the user would tell a coach), as the dataset does."""
    from ..log.catalog import default_catalog
    from ..tune.dataset import detect_scenario, week_equipment, week_texts

    a = store.get_athlete(athlete)
    assert a.id is not None
    until = monday + dt.timedelta(days=7)
    sessions = store.sessions(a.id, since=monday, until=until)
    scenario = detect_scenario(week_texts(sessions, store.annotations(a.id, since=monday, until=until)))
    return scenario, week_equipment(sessions, default_catalog()) if scenario == Scenario.travel else None


# --- fingerprints for the cache ---------------------------------------------------------------
def model_fingerprint(store: Store, spec: str) -> str:
    if spec == "baseline:human":
        from .baselines import human_plans_fingerprint

        return f"{spec}:{human_plans_fingerprint()}"
    parsed = ModelSpec.maybe(spec)  # the baselines (baseline:NAME, rules-raw) are approaches, not model specs
    if parsed is not None and parsed.kind == "ft":
        m = store.get_model(parsed.name)
        return hashlib.sha1(json.dumps(m.model_dump(), sort_keys=True).encode()).hexdigest()[:12]
    if parsed is not None and parsed.kind == "embedded":
        from ..paths import embedded_model_path

        p = embedded_model_path()
        return f"{p.name}:{p.stat().st_size}"
    return spec


def generation_recipe(home: Path | None = None, moderate_stress: str = "demote") -> str:
    """What shapes every prompt and answer besides the model: the templates, the JSON wire shape, the decoding
    (and a `moderate_stress` other than the default, which keeps the keys it had before the choice existed)."""
    from ..decoding import DECODING_VERSION
    from ..paths import templates_override_dir
    from ..plans.jsonschema import WIRE_VERSION
    from ..prompts.builder import templates_fingerprint

    recipe = f"wire{WIRE_VERSION}:decode{DECODING_VERSION}:{templates_fingerprint(templates_override_dir(home))}"
    return recipe if moderate_stress == "demote" else f"{recipe}:moderate-{moderate_stress}"


def record_key(approach: Approach, fingerprint: str, week: dt.date, scenario: str, seed: int, recipe: str = "") -> str:
    raw = json.dumps([approach.model_dump(), fingerprint, week.isoformat(), scenario, seed, recipe], sort_keys=True)
    return hashlib.sha1(raw.encode()).hexdigest()


def _severity_counts(findings: list[dict]) -> dict[str, int]:
    out = {"high": 0, "medium": 0, "low": 0}
    for f in findings:
        sev = f.get("severity", "low")
        out[sev] = out.get(sev, 0) + 1
    return out


# --- running ----------------------------------------------------------------------------------
def measure_one(
    store: Store, cfg: EvalConfig, approach: Approach, week: dt.date, scenario: Scenario, key: str, simulated: bool,
    equipment: list[str] | None = None, backend: Any = None,
) -> EvalRecord:
    from ..prices import load_prices
    from ..generate import generate_plan
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..plans.checker import check_plan

    rec = EvalRecord(key=key, approach=approach.name, model=approach.model, week_of=week, scenario=scenario.value)
    try:
        g = generate_plan(
            store, cfg.athlete, approach.model, scenario=scenario, detail=approach.detail if approach.detail is not None else 3,
            prompt_style=approach.style, repair=True, as_of=week, experiment=f"eval:{cfg.athlete}",
            max_attempts=cfg.max_attempts, equipment=equipment, seed=cfg.seed, backend=backend,
            constrain=approach.constrain, moderate_stress=cfg.moderate_stress,
        )
    except PeriError as e:  # recorded by generate_plan as an invalid generation; the harness keeps going
        rec.error = str(e)
        rec.oracle = 0.0 if simulated else None
        return rec
    rec.generation_id = g.id
    rec.valid, rec.error = g.valid, g.error
    rec.prompt_tokens, rec.output_tokens, rec.latency_s, rec.cost_usd = g.prompt_tokens, g.output_tokens, g.latency_s, g.cost_usd
    rec.rating = g.rating
    if approach.model != "rules" and rec.cost_usd is None and g.latency_s is not None and approach.model.split(":")[0] in {"embedded", "gguf", "ft"}:
        rec.cost_local_usd = load_prices().local.cost_of_seconds(g.latency_s)
    if not g.valid or g.plan is None:
        rec.oracle = 0.0 if simulated else None
        return rec
    plan = Plan.model_validate(g.plan)
    rec.findings = _severity_counts(g.findings)
    repaired = Plan.model_validate(g.repaired_plan) if g.repaired_plan else plan
    ctx = load_context(store, cfg.athlete, as_of=week)
    rec.findings_after_repair = _severity_counts([f.model_dump() for f in check_plan(repaired, ctx, default_catalog(), scenario).findings])
    if simulated:
        from ..sim import oracle  # the only door to the hidden traits: scores, never the traits

        s = oracle.score_plan(plan, cfg.athlete, as_of=week, scenario=scenario)
        rec.oracle, rec.oracle_breakdown = s.total, dict(s.breakdown)
        rec.oracle_repaired = oracle.score_plan(repaired, cfg.athlete, as_of=week, scenario=scenario).total
    return rec


def measure_direct(
    store: Store, cfg: EvalConfig, approach: Approach, week: dt.date, scenario: Scenario, key: str, simulated: bool,
    equipment: list[str] | None = None,
) -> EvalRecord:
    """A plan built in-process (rules-raw, a baseline), checked, repaired and scored exactly like a generated one."""
    from ..log.catalog import default_catalog
    from ..log.context import load_context
    from ..plans.checker import check_plan
    from ..plans.coach import rule_plan
    from .baselines import baseline_plan

    rec = EvalRecord(key=key, approach=approach.name, model=approach.model, week_of=week, scenario=scenario.value)
    catalog = default_catalog()
    t0 = time.perf_counter()
    try:
        ctx = load_context(store, cfg.athlete, as_of=week)
        if approach.kind == "reference":
            plan = rule_plan(ctx, catalog, scenario, equipment=equipment, week_of=week, repair=False)
        else:
            plan = baseline_plan(approach.name, ctx, catalog, scenario, week)
    except PeriError as e:
        rec.error = str(e)
        rec.oracle = 0.0 if simulated else None
        return rec
    rec.latency_s = round(time.perf_counter() - t0, 4)
    rec.valid = True
    result = check_plan(plan, ctx, catalog, scenario, repair=True)
    repaired = result.repaired or plan
    rec.findings = _severity_counts([f.model_dump() for f in result.findings])
    rec.findings_after_repair = _severity_counts(
        [f.model_dump() for f in check_plan(repaired, ctx, catalog, scenario, repair=False).findings])
    if simulated:
        from ..sim import oracle

        s = oracle.score_plan(plan, cfg.athlete, as_of=week, scenario=scenario)
        rec.oracle, rec.oracle_breakdown = s.total, dict(s.breakdown)
        rec.oracle_repaired = oracle.score_plan(repaired, cfg.athlete, as_of=week, scenario=scenario).total
    return rec


def _close(backend: Any) -> None:
    close = getattr(backend, "close", None)
    if callable(close):
        close()


def records_dir(athlete: str, home: Path | None = None) -> Path:
    """One file per finished (approach, week) record, named by its key: written whole or not at all."""
    d = eval_dir(athlete, home) / "records"
    d.mkdir(parents=True, exist_ok=True)
    return d


def save_record(rec: EvalRecord, folder: Path) -> Path:
    """Write `rec` atomically (a temporary file renamed into place): a killed run never leaves half a record."""
    import os
    import tempfile

    path = folder / f"{rec.key}.json"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(rec.model_dump_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_results(athlete: str, home: Path | None = None) -> EvalResults | None:
    """The athlete's latest full results (eval/<athlete>/results.json), or None; a damaged file is an
    `ArtefactError` naming it."""
    from ..paths import home_subdir

    f = home_subdir("eval", athlete, home or peri_home()) / "results.json"
    if not f.is_file():
        return None
    return read_model(f, EvalResults, what="evaluation result",
                      remake=f"run the evaluation again: `peri eval --athlete {athlete}`")


def load_records(athlete: str, home: Path | None = None) -> dict[str, EvalRecord]:
    """Every finished record of this athlete (the per-record files, and the older one-file log)."""
    out: dict[str, EvalRecord] = {}
    legacy = eval_dir(athlete, home) / "records.jsonl"
    if legacy.exists():
        for line in legacy.read_text().splitlines():
            if line.strip():
                try:
                    r = EvalRecord.model_validate_json(line)
                except ValueError:  # a line cut short by a kill: that record is simply redone
                    continue
                out[r.key] = r
    for f in sorted(records_dir(athlete, home).glob("*.json")):
        if f.name.startswith(".tmp-"):
            continue
        r = read_model(f, EvalRecord, what="evaluation record",
                       remake="delete this file: the next `peri eval` redoes that one record")
        out[r.key] = r
    return out


def run_eval(
    store: Store, cfg: EvalConfig, *, home: Path | None = None, progress: Progress | None = None, write_summary: bool = True,
    deadline: float | None = None,
) -> EvalResults:
    """Run (or complete from cache) the evaluation of every approach on the held-out weeks.

    `write_summary=False` leaves results.json/summary.json alone (the learning curve's partial runs must not
    replace the main comparison that `peri decide` and Peri read). `deadline` (a `time.monotonic()` value):
    no new job starts after it; `TimeLimitReached` is raised with every finished record on disk.
    """
    from ..sim import oracle

    # both: a stale traits file must not make a real athlete who reused the name look simulated
    simulated = store.get_athlete(cfg.athlete).simulated and oracle.is_simulated(cfg.athlete, home=home)
    approaches, warnings = available_approaches(store, cfg)
    cutoff = training_cutoff(cfg.athlete, home)
    weeks = held_out_weeks(store, cfg.athlete, cfg.weeks, cutoff, scenario_weeks=cfg.scenario_weeks)
    if not weeks:
        raise PeriError(f"no logged week of {cfg.athlete} is later than the tuned model's training data (cutoff {cutoff})",
                        hint="log more weeks, or rebuild the dataset with a larger validation share")
    if len(weeks) < cfg.weeks:
        warnings.append(f"only {len(weeks)} held-out week(s) after the training cutoff {cutoff}; asked for {cfg.weeks}")
    scenarios, kit = {}, {}
    for w in weeks:
        scenarios[w], kit[w] = week_scenario(store, cfg.athlete, w)
    has_scenario_weeks = any(s != Scenario.normal for s in scenarios.values())
    if any(a.scenario_weeks_only for a in approaches) and not has_scenario_weeks:
        warnings.append("no deload/travel/peaking week among the held-out weeks: the hybrid is asked for a deload on each")

    cached = load_records(cfg.athlete, home)
    folder = records_dir(cfg.athlete, home)

    jobs = []
    recipe = generation_recipe(home, cfg.moderate_stress)
    for a in approaches:
        fp = model_fingerprint(store, a.model)
        for w in weeks:
            sc = scenarios[w]
            if a.scenario_weeks_only:
                if has_scenario_weeks and sc == Scenario.normal:
                    continue
                if not has_scenario_weeks:
                    sc = Scenario.deload
            jobs.append((a, w, sc, record_key(a, fp, w, sc.value, cfg.seed, recipe)))
    # week by week (each week's approaches together, grouped by model): a run cut short leaves whole weeks
    # that every approach planned, so its finished records already pair up for a comparison
    order = {a.name: i for i, a in enumerate(approaches)}
    jobs.sort(key=lambda j: (j[1], j[0].model, order[j[0].name]))

    records: list[EvalRecord] = []
    # one loaded model at a time: several llama.cpp models in one process slow each other. The rule coach holds
    # no model, so it stays open beside one: week-by-week order alternates rules and model jobs, and closing the
    # model for each rules job reloaded it every week.
    loaded: dict[str, Any] = {}

    def backend_for(spec: str) -> Any:
        if spec not in loaded:
            from ..backends.registry import get_backend
            from ..model_spec import ModelSpec

            if ModelSpec.parse(spec).kind != "rules":
                for other in [k for k in loaded if ModelSpec.parse(k).kind != "rules"]:
                    _close(loaded.pop(other))
            loaded[spec] = get_backend(spec, store)
        return loaded[spec]

    def close_all() -> None:
        for b in loaded.values():
            _close(b)
        loaded.clear()
    for i, (a, w, sc, key) in enumerate(jobs):
        if progress:
            progress(f"{a.name} · week of {w}", i, len(jobs))
        rec = cached.get(key)
        if rec is None and deadline is not None and time.monotonic() >= deadline:
            close_all()
            done = records + [cached[k] for (_, _, _, k) in jobs[i + 1:] if k in cached]
            stop = TimeLimitReached(f"time limit reached after {i} of {len(jobs)} jobs for {cfg.athlete}",
                                    hint="run the same command again: finished records are kept and not redone")
            if done:
                summary = summarise(done, approaches, cfg.queries_per_week)
                stop.partial = EvalResults(
                    athlete=cfg.athlete, simulated=simulated, config=cfg, held_out_weeks=weeks, training_cutoff=cutoff,
                    records=done, summary=summary, verdict=verdict(done, summary, simulated),
                    warnings=[*warnings, f"incomplete: {len(done)} of {len(jobs)} records"])
            raise stop
        if rec is None and a.kind != "product":
            rec = measure_direct(store, cfg, a, w, sc, key, simulated, kit[w] if sc == Scenario.travel else None)
            save_record(rec, folder)
        elif rec is None:
            rec = measure_one(store, cfg, a, w, sc, key, simulated, kit[w] if sc == Scenario.travel else None,
                              backend_for(a.model))
            save_record(rec, folder)  # one by one, atomically: a killed run resumes where it stopped
        elif rec.generation_id is not None:  # ratings may have arrived since
            try:
                rec.rating = store.get_generation(rec.generation_id).rating
            except PeriError:
                pass
        records.append(rec)
    close_all()
    if progress:
        progress("done", len(jobs), len(jobs))

    summary = summarise(records, approaches, cfg.queries_per_week)
    results = EvalResults(
        athlete=cfg.athlete, simulated=simulated, config=cfg, held_out_weeks=weeks, training_cutoff=cutoff,
        records=records, summary=summary, verdict=verdict(records, summary, simulated), warnings=warnings,
    )
    if not write_summary:
        return results
    out = eval_dir(cfg.athlete, home)
    (out / "results.json").write_text(results.model_dump_json(indent=2))
    # `approaches` holds what a user could choose (peri decide reads it); baselines and rules-raw frame them
    (out / SUMMARY_FILE).write_text(EvalSummary(
        athlete=cfg.athlete, approaches={k: v for k, v in summary.items() if v.kind == "product"},
        baselines={k: v for k, v in summary.items() if v.kind != "product"},
        headline=results.headline, verdict=results.verdict).model_dump_json(indent=2))
    return results


def summarise(records: list[EvalRecord], approaches: list[Approach], queries_per_week: float) -> dict[str, ApproachSummary]:
    out = {}
    for a in approaches:
        rs = [r for r in records if r.approach == a.name]
        if not rs:
            continue
        score_m, score_ci = mean_ci([r.oracle for r in rs if r.oracle is not None])
        lat_m, lat_ci = mean_ci([r.latency_s for r in rs if r.latency_s is not None])
        costs = [(r.cost_usd if r.cost_usd is not None else r.cost_local_usd) for r in rs]
        costs = [c for c in costs if c is not None]
        per_query = sum(costs) / len(costs) if costs else (0.0 if a.model == "rules" else None)
        keys = sorted({k for r in rs for k in (r.oracle_breakdown or {})})
        valid = [r for r in rs if r.valid]
        rep_m, rep_ci = mean_ci([r.oracle_repaired for r in rs if r.oracle_repaired is not None])
        out[a.name] = ApproachSummary(
            approach=a.name, model=a.model, kind=a.kind, n=len(rs), valid_rate=sum(r.valid for r in rs) / len(rs),
            score_mean=score_m, score_ci=score_ci, score_repaired_mean=rep_m, score_repaired_ci=rep_ci,
            breakdown_mean={k: mean_ci([(r.oracle_breakdown or {}).get(k) for r in rs if r.oracle_breakdown])[0] or 0.0 for k in keys},
            # over valid plans only: a failed generation has no findings and must not look safe
            high_findings_mean=sum(r.findings.get("high", 0) for r in valid) / len(valid) if valid else 0.0,
            findings_mean=sum(sum(r.findings.values()) for r in valid) / len(valid) if valid else 0.0,
            findings_after_repair_mean=sum(sum(r.findings_after_repair.values()) for r in valid) / len(valid) if valid else 0.0,
            rating_mean=mean_ci([r.rating for r in rs if r.rating is not None])[0],
            prompt_tokens_mean=mean_ci([r.prompt_tokens for r in rs if r.prompt_tokens is not None])[0],
            output_tokens_mean=mean_ci([r.output_tokens for r in rs if r.output_tokens is not None])[0],
            latency_mean=lat_m, latency_ci=lat_ci, cost_per_query=per_query,
            cost_per_month=per_query * queries_per_week * 52 / 12 if per_query is not None else None,
        )
    return out


def verdict(records: list[EvalRecord], summary: dict[str, ApproachSummary], simulated: bool) -> list[str]:
    """Plain words: who wins, by how much, how sure — and the seed's two questions answered."""
    every = {k: v for k, v in summary.items() if v.score_mean is not None}
    scored = {k: v for k, v in every.items() if v.kind == "product"}
    if not scored:
        rated = {k: v for k, v in summary.items() if v.rating_mean is not None}
        if not rated:
            return ["No quality measure yet: this athlete is not simulated and no plan is rated. "
                    "Rate plans with `peri rate GENERATION_ID 1-5` and run the evaluation again."]
        best = max(rated, key=lambda k: rated[k].rating_mean or 0)
        return [f"By your ratings, {best} is best ({rated[best].rating_mean:.1f}/5)."]
    ranked = sorted(scored, key=lambda k: scored[k].score_mean or 0.0, reverse=True)
    best, lines = ranked[0], []
    b = scored[best]
    measure = "oracle score" if simulated else "rating"
    lines.append(f"{best} wins with a mean {measure} of {b.score_mean:.1f}/100"
                 + (f" (95% interval ±{b.score_ci:.1f})" if b.score_ci is not None else "") + f" over {b.n} held-out weeks"
                 + (f", raw plans as given (after the same checker repair: {b.score_repaired_mean:.1f})."
                    if b.score_repaired_mean is not None else ", raw plans as given."))
    if len(ranked) > 1:
        second = ranked[1]
        lines.append(_compare(records, best, second, "ahead of"))
    for tuned, other in (("finetuned-short", "prompt-d4"), ("finetuned-short", "rules"), ("hybrid", "prompt-d3"),
                         # the same examples in the weights vs in the prompt, and both together
                         ("finetuned-short", "prompt-fewshot"), ("finetuned-fewshot", "finetuned-short")):
        if tuned in scored and other in scored:
            lines.append(_compare(records, tuned, other, "vs"))
    if "rules" in every and "rules-raw" in every:
        lines.append(_compare(records, "rules", "rules-raw", "(with the checker's repair inside) vs"))
    lines += _frame(every)
    invalid = [k for k, v in summary.items() if v.valid_rate < 1.0 and v.kind == "product"]
    if invalid:
        lines.append("Some generations were not valid plans (scored 0): " + ", ".join(
            f"{k} {summary[k].valid_rate:.0%} valid" for k in invalid) + ".")
    return lines


def _frame(summary: dict[str, ApproachSummary]) -> list[str]:
    """Where each product stands between the floor (repeat last week, 0%) and the human coach's plan (100%)."""
    floor, human = summary.get("repeat-last-week"), summary.get("human")
    if floor is None or human is None or floor.score_mean is None or human.score_mean is None:
        return []
    lines = [f"Frame (raw): repeat-last-week {floor.score_mean:.1f} (the floor), human coach {human.score_mean:.1f}"
             + (f", last week minus blamed lifts {summary['minus-blamed'].score_mean:.1f}"
                if summary.get("minus-blamed") and summary["minus-blamed"].score_mean is not None else "") + "."]
    gap = human.score_mean - floor.score_mean
    if gap < FRAME_MIN_GAP:  # no room between floor and human: a share of it would be noise (or negative)
        lines.append(f"The human plan is not {FRAME_MIN_GAP:g}+ points above the floor here, so no approach is placed "
                     "between them.")
        return lines
    def place(x: float) -> str:
        share = (x - floor.score_mean) / gap
        if share < 0:
            return f"below the floor by {floor.score_mean - x:.1f} points"
        if share > 1:
            return f"above the human plan by {x - human.score_mean:.1f} points"
        return f"{100 * share:.0f}%"

    placed = [f"{k} {place(v.score_mean)}" for k, v in summary.items() if v.kind != "baseline" and v.score_mean is not None]
    if placed:
        lines.append("Share of the way from the floor to the human plan: " + ", ".join(placed) + ".")
    return lines


def _compare(records: list[EvalRecord], a: str, b: str, word: str) -> str:
    by_week_a = {(r.week_of, r.scenario): r.oracle for r in records if r.approach == a and r.oracle is not None}
    by_week_b = {(r.week_of, r.scenario): r.oracle for r in records if r.approach == b and r.oracle is not None}
    common = sorted(set(by_week_a) & set(by_week_b))
    if not common:
        ma = mean_ci(list(by_week_a.values()))[0] or 0.0
        mb = mean_ci(list(by_week_b.values()))[0] or 0.0
        return f"{a} {word} {b}: {ma:.1f} vs {mb:.1f} (different weeks, not paired)."
    d, ci = paired_diff_ci([by_week_a[k] for k in common], [by_week_b[k] for k in common])
    assert d is not None
    if ci is None:
        sure = "one week only: no interval"
    elif abs(d) > ci:
        sure = f"a real difference: the 95% interval ±{ci:.1f} excludes zero"
    else:
        sure = f"within noise: the 95% interval ±{ci:.1f} includes no difference"
    return f"{a} {word} {b}: {d:+.1f} points on {len(common)} paired weeks ({sure})."
