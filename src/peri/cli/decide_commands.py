"""`peri decide`: the cost model, break-even and recommendation, from flags, a YAML file or an interview."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import typer
import yaml

from ..decide.cost import usage_of, usd, weeks_label
from ..decide.run import run_decision
from ..errors import ConfigError, InvalidInput
from .common import console, err_console, friendly, open_store, print_json

QUESTIONS: list[tuple[str, str, Any]] = [
    ("queries_per_week", "How many plans or questions a week will you ask?", 1.0),
    ("model", "Which hosted model would you use (price table name)?", "gpt-4o-mini"),
    ("retrain_every_weeks", "Retrain with new weeks every how many weeks (0 = never)?", 12.0),
]
# Asked at a terminal whenever not given: with money alone the token savings are tiny, so without these two
# the answer is almost always "prompting" for a reason the person never saw.
TIME_QUESTIONS: list[tuple[str, str, float]] = [
    ("hour_value", "What is an hour of your time worth, in USD (0 = count money only)?", 0.0),
    ("minutes_saved_per_query", "Minutes a short prompt would save you per query (typing, pasting context)?", 0.0),
]
FLAGS = ("exploring", "seasonal_focus", "complex_methodology", "cost_sensitive", "needs_instant")


def today() -> dt.date:
    """The decision date: which hosted offers are open (tests replace this to decide on another day)."""
    return dt.date.today()


def stdin_is_terminal() -> bool:
    """Whether a person is at a terminal to answer questions (tests replace this)."""
    return sys.stdin.isatty()


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def decide(
        athlete: str = typer.Option(None, "--athlete", "-a", help="use this athlete's measured or estimated numbers"),
        queries_per_week: float = typer.Option(None, help="queries per week (7 = daily, 0.077 = quarterly)"),
        model: str = typer.Option(None, help="hosted model in the price table"),
        tune_model: str = typer.Option(None, "--tune-model", help="hosted model to fine-tune (default: --model, or the "
                                       "cheapest one a provider tunes and serves per token on the day)"),
        prior_usage: bool = typer.Option(None, "--prior-usage/--no-prior-usage",
                                         help="your organisation meets the provider's prior-usage rule (OpenAI: "
                                              "fine-tuned inference in the past 60 days)"),
        hour_value: float = typer.Option(None, help="USD per hour of your time (0 = money only)"),
        minutes_saved: float = typer.Option(None, help="minutes a short prompt saves you per query"),
        retrain_every: float = typer.Option(None, help="retrain every N weeks (0 = never)"),
        examples: int = typer.Option(None, help="fine-tuning examples"),
        epochs: int = typer.Option(None, help="training epochs (default: OpenAI's rule)"),
        horizon: int = typer.Option(None, help="weeks to look ahead"),
        exploring: bool = typer.Option(None, "--exploring/--not-exploring"),
        seasonal: bool = typer.Option(None, "--seasonal/--not-seasonal", help="focus changes with the season"),
        complex_method: bool = typer.Option(None, "--complex/--standard", help="a consistent non-standard methodology"),
        cost_sensitive: bool = typer.Option(None, "--cost-sensitive/--not-cost-sensitive"),
        instant: bool = typer.Option(None, "--instant/--not-instant", help="needs instant answers"),
        config: Path = typer.Option(None, "--config", help="YAML file with any of the inputs"),
        plot: Path = typer.Option(None, "--plot", help="write the cumulative-cost chart (PNG)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Compare the monthly and cumulative cost of prompting, few-shot (your past weeks as examples), fine-tuning
        and the two combinations (hybrid; tuned + few-shot); find the break-even
        week; recommend a path with its reasons. Asks questions when run without flags at a terminal."""
        values: dict[str, Any] = {}
        if plot:
            from ..paths import check_writable

            check_writable(plot, flag="--plot", image=True)
        if config:
            if not config.exists():
                raise ConfigError("config file not found", place=str(config))
            try:
                from ..paths import read_text_file

                loaded = yaml.safe_load(read_text_file(config, what="config file", max_bytes=1024 * 1024)) or {}
                if not isinstance(loaded, dict):
                    raise ConfigError("the config file must be a mapping of input: value", place=str(config))
                values.update(loaded)
            except yaml.YAMLError as e:
                raise ConfigError(f"not valid YAML: {e}", place=str(config)) from None
            except RecursionError:
                raise ConfigError("not a config: nested too deeply", place=str(config)) from None
        flags = {
            "queries_per_week": queries_per_week, "model": model, "tune_model": tune_model, "prior_usage": prior_usage,
            "hour_value": hour_value,
            "minutes_saved_per_query": minutes_saved, "retrain_every_weeks": retrain_every,
            "dataset_examples": examples, "epochs": epochs, "horizon_weeks": horizon, "exploring": exploring,
            "seasonal_focus": seasonal, "complex_methodology": complex_method, "cost_sensitive": cost_sensitive,
            "needs_instant": instant,
        }
        given = {k: v for k, v in flags.items() if v is not None}
        values.update(given)
        interactive = not as_json and stdin_is_terminal()
        if not given and not config and interactive:
            for key, question, default in QUESTIONS:
                values[key] = type(default)(typer.prompt(question, default=default))
            for key in FLAGS:
                values[key] = typer.confirm(f"{key.replace('_', ' ').capitalize()}?", default=False)
        if interactive:
            for key, question, default in TIME_QUESTIONS:
                if key not in values:
                    values[key] = typer.prompt(question, default=default, type=float)
        try:
            result = run_decision(values, athlete, open_store() if athlete else None, today=today())
        except InvalidInput as e:  # a usage error: one line, exit 2 like a bad flag
            err_console.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        from ..guide.journeys import record_step

        if athlete:
            record_step(open_store(), athlete, "decide")
        if plot:
            from ..decide.chart import cost_chart

            cost_chart(result["costs_model"], plot)
        if as_json:
            out = {k: v for k, v in result.items() if not k.endswith("_model")}
            print_json(out)
            return
        _print(result)
        if plot:
            console.print(f"chart: {plot}")


def cost_table(rows: list[tuple[str, ...]], horizon_weeks: int) -> str:
    """The cost rows as plain aligned text, every cell whole. A rich table cut cells to fit 80 columns: both
    "finetuned" and "finetuned-fewshot" became "finetun…", two rows nobody could tell apart."""
    heads = [("", "approach"), ("tokens", "in/out"), ("set-up", "$"), ("a query", "$"), ("a month", "$"),
             (f"{horizon_weeks} weeks", "$"), ("break", "even")]
    widths = [max(len(h[0]), len(h[1]), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line([h[0] for h in heads]), line([h[1] for h in heads]), rule, *(line(r) for r in rows)])


def _print(result: dict[str, Any]) -> None:
    costs = result["costs_model"]
    rec = result["recommendation_model"]
    rows = []
    for name, c in costs.approaches.items():
        u = usage_of(costs.inputs, name)
        be = "-" if name == "prompting" else weeks_label(costs.break_even_week.get(name), costs.inputs.horizon_weeks)
        rows.append((name, f"{u.prompt_tokens:.0f}/{u.output_tokens:.0f}", f"{c.setup_usd:,.2f}", f"{c.per_query_usd:.5f}",
                     usd(c.monthly_usd)[1:], usd(c.cumulative_usd[-1])[1:], be))
    console.print(f"[bold]Cost per approach[/] ({costs.inputs.queries_per_week:.3g} {'query' if costs.inputs.queries_per_week == 1 else 'queries'} a week, {costs.inputs.model}, "
                  f"prices of {costs.price_date})", highlight=False)
    console.print(cost_table(rows, costs.inputs.horizon_weeks), markup=False, highlight=False, soft_wrap=True)
    console.print(f"[dim]token counts: {costs.inputs.prompting.source}; few-shot: {costs.inputs.fewshot.source}; "
                  f"training: {costs.inputs.training_source}[/]")
    be_fs = costs.break_even_vs_fewshot.get("finetuned")
    console.print(f"examples in the weights vs in the prompt: fine-tuning pays its set-up back against few-shot "
                  f"{weeks_label(be_fs, costs.inputs.horizon_weeks)}", highlight=False)
    console.print(f"[dim]prices: {'; '.join(costs.price_sources)}[/]")
    for n in costs.notes:
        console.print(f"[yellow]note:[/] {n}")
    if costs.time_only:
        console.print(f"[yellow]note:[/] {costs.time_only.text}")
    grad = result.get("graduation")
    if grad:
        console.print(f"[bold]Graduation trigger:[/] {grad['text']}", highlight=False, soft_wrap=True)
    console.print(f"\n[bold]Recommendation: {rec.path}[/] — {rec.headline}")
    for w in rec.warnings:
        console.print(f"  [yellow]warning:[/] {w}")
    for r in rec.reasons:
        console.print(f"  • [{'green' if r.favours == rec.path else 'dim'}]{r.criterion}[/] → {r.favours}: {r.text}")
    if rec.quality_note:
        console.print(f"  {rec.quality_note}")
    console.print(f"Suggested journey: [bold]{rec.journey}[/] (`peri journey show {rec.journey}`)")
