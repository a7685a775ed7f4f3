"""`peri plan`, `peri rate`, and the one-week prompt experiment (`peri prompt experiment`, `peri prompt history`).

Thin: each command parses its flags, calls `peri.generate`, prints. For simulated athletes the experiment
asks peri.evaluate for an oracle scoring callback and hands it to the library (which never sees the oracle).
"""
from __future__ import annotations

from enum import Enum
from typing import Any

import typer
from rich.table import Table

from ..errors import BackendError, ConfigError
from ..plans.schema import Scenario
from .common import console, date_option, err_console, friendly, list_option, open_store, print_json

MODEL_HELP = "embedded, gguf:PATH, ft:NAME, openai:MODEL, openai-compatible:URL#MODEL, anthropic:MODEL or rules"


def _usage_line(g: Any) -> str:
    parts = [f"generation {g.id}", g.model]
    if g.adapter:
        parts.append(f"adapter {g.adapter}")
    if g.prompt_tokens is not None:
        parts.append(f"{g.prompt_tokens} prompt + {g.output_tokens} output tokens")
    if g.latency_s is not None:
        parts.append(f"{g.latency_s:.1f} s")
        if g.output_tokens and g.latency_s > 0 and g.approach != "rules":
            parts.append(f"{g.output_tokens / g.latency_s:.0f} tok/s")
    parts.append("cost unknown" if g.cost_usd is None else f"${g.cost_usd:.5f}")
    n = len(g.meta.get("attempts", []))
    if n > 1:
        parts.append(f"{n} attempts")
    return " · ".join(parts)


def _findings_table(findings: list[dict]) -> Table:
    t = Table(title="Checker findings", title_justify="left")
    for col in ("severity", "code", "day", "exercise", "message"):
        t.add_column(col)
    style = {"high": "bold red", "medium": "yellow", "low": "cyan"}
    for f in findings:
        sev = str(f.get("severity", ""))
        t.add_row(f"[{style.get(sev, '')}]{sev}[/]", str(f.get("code", "")), str(f.get("day") or ""),
                  str(f.get("exercise") or ""), str(f.get("message", "")))
    return t


def _finding_objects(findings: list[dict]) -> list[Any]:
    try:
        from ..plans.checker import Finding
    except ImportError:
        return []
    out = []
    for f in findings:
        try:
            out.append(Finding(**f))
        except Exception:
            continue
    return out


def _generation_json(g: Any) -> dict:
    return g.model_dump(mode="json")


class ModerateStress(str, Enum):
    """`--moderate-stress`: what a constrained model plan does with a lift that moderately stresses a blamed region."""

    keep = "keep"
    demote = "demote"
    block = "block"


MODERATE_HELP = ("a lift that moderately stresses a region your log or profile blames: keep it with the rest, demote "
                 "it behind its day's safer lifts (the default: measured safer, bench/decoding.py), or block it like a "
                 "lift your notes blame (constrained model plans only)")


def plan_command(
    athlete: str = typer.Option(..., "--athlete", "-a", help="the athlete to plan for"),
    scenario: Scenario = typer.Option(Scenario.normal, "--scenario", "-s", help="which kind of week"),
    detail: int = typer.Option(3, "--detail", "-d", min=0, max=4, help="prompt detail level 0-4 (engineered style)"),
    model: str = typer.Option("embedded", "--model", "-m", help=MODEL_HELP),
    style: str = typer.Option("engineered", "--style", help="engineered (templates), short (a tuned model's input), hybrid, or fewshot (your past weeks as examples)"),
    repair: bool = typer.Option(False, "--repair", help="also record and show the checker's repaired plan"),
    show_prompt: bool = typer.Option(False, "--show-prompt", help="print the messages sent to the model"),
    event_date: str = typer.Option(None, "--event-date", help="competition date for the peaking scenario (YYYY-MM-DD)"),
    equipment: list[str] = typer.Option(None, "--equipment", "-e", help="equipment at hand (travel); repeat or comma-separate"),
    as_of: str = typer.Option(None, "--as-of", help="plan the week starting here, from history before it (YYYY-MM-DD)"),
    attempts: int = typer.Option(3, "--attempts", min=1, max=10, help="tries before bad output is reported"),
    constrain: bool = typer.Option(True, "--constrain/--no-constrain",
                                   help="decode so no day names an exercise twice and loads stay in the athlete's band"),
    moderate_stress: ModerateStress = typer.Option(ModerateStress.demote, "--moderate-stress", help=MODERATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="the plan as the schema's JSON, plus the generation record"),
) -> None:
    """Plan next week with a model (or the rule-based coach): prompt, call, parse, check, record."""
    from ..generate import PROMPT_STYLES, generate_plan, generation_plan

    if style not in PROMPT_STYLES:
        raise ConfigError(f"unknown style {style!r}", hint="use engineered, short, hybrid or fewshot")
    store = open_store()
    with console.status(f"planning with {model}…") if not as_json else _nullcontext():
        g = generate_plan(
            store, athlete, model, scenario=scenario, detail=detail, prompt_style=style, repair=repair,  # type: ignore[arg-type]
            as_of=date_option(as_of, "--as-of"), event_date=date_option(event_date, "--event-date"),
            equipment=list_option(equipment), max_attempts=attempts, score=None, constrain=constrain,
            moderate_stress=moderate_stress.value,
        )
    unsaved = g.meta.get("unsaved")
    if unsaved:
        err_console.print(f"[yellow]warning:[/] not recorded in the store ({g.meta.get('store_error')}); "
                          f"the generation is kept in {unsaved}", markup=True, highlight=False, soft_wrap=True)
    gaps = g.meta.get("log_gaps") or []
    if not g.valid:
        # a log that shows too little is the likelier cause than the model: say that first
        hint = "try again, another --model, or --style; `peri prompt history` lists it"
        raise BackendError(f"{g.model} gave no usable plan (generation {g.id} recorded): {g.error}",
                           hint=f"{gaps[0]['says']}; {gaps[0]['next']}" if gaps else hint)
    plan = generation_plan(g)
    if as_json:
        out = {"plan": g.plan, "generation": _generation_json(g)}
        if repair:
            out["repaired_plan"] = g.repaired_plan
        print_json(out)
        return
    from ..log.shown_unit import store_unit
    from ..plans.view import plan_table

    unit = store_unit(store, athlete)
    if show_prompt:
        for m in g.messages:
            console.rule(f"[bold]{m['role']}")
            console.print(m["content"], markup=False, highlight=False)
        console.rule()
    objects = _finding_objects(g.findings)
    console.print(plan_table(plan, objects, unit))
    if g.findings and len(objects) < len(g.findings):  # findings the view could not take: show them plainly
        console.print(_findings_table(g.findings))
    elif not g.findings:
        console.print("[green]checker: no findings[/]")
    if repair and g.repaired_plan:
        console.print("[bold]Repaired plan[/]")
        console.print(plan_table(generation_plan(g, repaired=True), unit=unit))
    shown = (g.meta.get("prompt") or {}).get("examples")
    if shown is not None:  # --style fewshot: which past weeks the model saw as examples
        console.print(f"[dim]few-shot: {len(shown)} of your past weeks as examples ({', '.join(shown) or 'none fitted'}); "
                      f"`peri prompt show --athlete {athlete} --fewshot` says why each[/]", highlight=False)
    warning = (g.meta.get("prompt") or {}).get("warning")
    if warning:
        console.print(f"[yellow]prompt: {warning}[/]")
    for gap in gaps:  # what this plan could not read from the log, and what to do about it
        console.print(f"note: {gap['says']}; next: {gap['next']}", style="yellow", markup=False, highlight=False)
    console.print(_usage_line(g), style="dim", highlight=False)


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def rate_command(
    generation_id: int = typer.Argument(..., help="the generation's id (`peri prompt history` lists them)"),
    rating: int = typer.Argument(..., min=1, max=5, help="1 (useless) to 5 (would train it as written)"),
    comment: str = typer.Option(None, "--comment", "-c", help="what was good or wrong about it"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Rate a generated plan 1-5; ratings are the quality measure for real athletes."""
    store = open_store()
    store.rate(generation_id, rating, comment)
    g = store.get_generation(generation_id)
    if as_json:
        print_json({"generation_id": generation_id, "rating": g.rating, "comment": comment})
    else:
        console.print(f"rated generation {generation_id}: {g.rating}/5")


def _quality_table(rows: list[dict], title: str) -> Table:
    t = Table(title=title, title_justify="left")
    for col, just in (("id", "right"), ("detail", "right"), ("model", "left"), ("prompt tok", "right"),
                      ("out tok", "right"), ("s", "right"), ("valid", "left"), ("findings h/m/l", "right"),
                      ("oracle", "right"), ("rating", "right")):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in rows:
        t.add_row(
            str(r["id"]), "-" if r["detail"] is None else str(r["detail"]), r["model"],
            "-" if r["prompt_tokens"] is None else str(r["prompt_tokens"]),
            "-" if r["output_tokens"] is None else str(r["output_tokens"]),
            "-" if r["latency_s"] is None else f"{r['latency_s']:.1f}",
            "yes" if r["valid"] else "[red]no[/]",
            f"{r['findings_high']}/{r['findings_medium']}/{r['findings_low']}" if r["valid"] else "-",
            "-" if r["oracle"] is None else f"{r['oracle']:.0f}",
            "-" if r["rating"] is None else f"{r['rating']}/5",
        )
    return t


def experiment_command(
    athlete: str = typer.Option(..., "--athlete", "-a", help="the athlete to plan for"),
    model: str = typer.Option("embedded", "--model", "-m", help=MODEL_HELP),
    scenario: Scenario = typer.Option(Scenario.normal, "--scenario", "-s", help="which kind of week"),
    levels: str = typer.Option("0,1,2,3,4", "--levels", help="detail levels to run, comma-separated"),
    as_of: str = typer.Option(None, "--as-of", help="plan the week starting here (YYYY-MM-DD)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """The one-week prompt experiment: the same request at every detail level, each answer recorded and checked.

    Rate the answers afterwards with `peri rate ID N`; `peri prompt history` shows quality against prompt tokens."""
    from rich.progress import Progress

    from ..evaluate.experiment import parse_levels, run_prompt_experiment

    details = parse_levels(levels)
    day = date_option(as_of, "--as-of")
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task(f"prompt experiment on {model}", total=len(details))
        result = run_prompt_experiment(open_store(), athlete, model, scenario=scenario, levels=details, as_of=day,
                                       progress=lambda done, total, row: progress.update(task, completed=done))
    rows = [r.model_dump() for r in result.generations]
    if as_json:
        print_json({"experiment": result.experiment, "athlete": athlete, "model": model, "generations": rows})
        return
    console.print(_quality_table(rows, f"Prompt experiment {result.experiment} · {athlete} · {scenario.value}"))
    console.print(f"rate each answer: peri rate ID 1-5 [--comment ...]; then peri prompt history --athlete {athlete}",
                  style="dim", highlight=False)


def history_command(
    athlete: str = typer.Option(..., "--athlete", "-a", help="whose generations"),
    experiment: str = typer.Option(None, "--experiment", help="only this experiment's generations"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Quality (rating, oracle score, checker findings) against prompt tokens, for every recorded generation."""
    from ..evaluate.experiment import prompt_history

    history = prompt_history(open_store(), athlete, experiment)
    rows = [r.model_dump() for r in history.generations]
    summary = [s.model_dump() for s in history.summary]
    if as_json:
        print_json({"athlete": athlete, "generations": rows, "summary": summary})
        return
    if not rows:
        console.print(f"no generations recorded for {athlete} yet: run `peri prompt experiment --athlete {athlete}`")
        return
    console.print(_quality_table(sorted(rows, key=lambda r: (r["prompt_tokens"] or 0, r["id"])),
                                 f"Generations for {athlete}, by prompt tokens"))
    t = Table(title="Quality against prompt tokens", title_justify="left")
    for col in ("group", "n", "valid", "mean prompt tok", "mean rating", "mean oracle", "high findings/plan"):
        t.add_column(col, justify="left" if col == "group" else "right")
    for s in summary:
        t.add_row(s["group"], str(s["n"]), str(s["valid"]), *("-" if s[k] is None else str(s[k]) for k in
                  ("mean_prompt_tokens", "mean_rating", "mean_oracle", "high_findings_per_plan")))
    console.print(t)


def register(app: typer.Typer) -> None:
    app.command("plan")(friendly(plan_command))
    app.command("rate")(friendly(rate_command))
    try:
        from .prompt_commands import prompt_app
    except ModuleNotFoundError as e:  # the prompt area is not built in this checkout
        if e.name != "peri.cli.prompt_commands":
            raise
        return
    prompt_app.command("experiment")(friendly(experiment_command))
    prompt_app.command("history")(friendly(history_command))
