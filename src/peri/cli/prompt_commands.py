"""`peri prompt`: look at the engineered prompt and its token budget without calling a model.

`prompt_app` is shared: the prompt experiment commands (`experiment`, `history`) are added to it by
their own module, so keep its name.
"""
from __future__ import annotations


import typer
from rich.table import Table
from rich.text import Text

from ..plans.schema import Scenario
from .common import console, date_option, err_console, friendly, list_option, open_store, print_json

SHOW_DROPPED = 10  # left-out items listed in the text view

prompt_app = typer.Typer(
    help="The prompt-engineering path: show the engineered prompt and its token budget.",
    no_args_is_help=True,
)


@prompt_app.command("show")
@friendly
def show(
    athlete: str = typer.Option(..., "--athlete", "-a", help="the athlete whose log the prompt is built from"),
    scenario: Scenario = typer.Option(Scenario.normal, "--scenario", "-s", help="which week to ask for"),
    detail: int = typer.Option(3, "--detail", "-d", min=0, max=4,
                               help="0 bare request, 1 +profile, 2 +last week, 3 +constraints and notes, 4 +recent weeks"),
    model: str = typer.Option("embedded", "--model", "-m",
                              help="whose tokenizer counts: embedded, gguf:PATH, ft:NAME, openai:MODEL, anthropic:MODEL"),
    budget: int = typer.Option(3000, "--budget", min=1, help="token budget for the context-setting sections"),
    event_date: str = typer.Option(None, "--event-date", help="competition date for the peaking scenario (YYYY-MM-DD)"),
    equipment: list[str] = typer.Option(None, "--equipment", "-e",
                                        help="equipment at hand for the travel scenario (repeat or comma-separate)"),
    output_format: str = typer.Option("text", "--format", help="the plan format the prompt asks for: text or json"),
    as_of: str = typer.Option(None, "--as-of", help="plan the week starting here, from history before it (YYYY-MM-DD)"),
    short: bool = typer.Option(False, "--short", help="show the tuned model's short prompt instead"),
    fewshot: bool = typer.Option(False, "--fewshot",
                                 help="show the few-shot prompt: your past weeks as examples before the short request"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Print the engineered prompt with a per-section token table (and the over-budget warning)."""
    from ..guide.journeys import record_step
    from ..prompt_view import prompt_view

    kind = "fewshot" if fewshot else "short" if short else "engineered"
    with open_store() as store:
        view = prompt_view(store, athlete, kind=kind, scenario=scenario, detail=detail, model=model, budget=budget,
                           event_date=date_option(event_date, "--event-date"), equipment=list_option(equipment),
                           output_format=output_format, as_of=date_option(as_of, "--as-of"))  # type: ignore[arg-type]
        if kind == "engineered":
            record_step(store, athlete, "see-prompt")  # journey evidence: the person has seen their prompt
    for w in view.warnings:
        err_console.print(f"[yellow]warning:[/] {w}", markup=True, highlight=False, soft_wrap=True)
    if as_json:
        print_json(view.fewshot or view.built or {"messages": view.messages, "total_tokens": view.total_tokens,
                                                  "tokenizer": view.tokenizer, "exact": view.exact})
        return
    if view.fewshot is not None:
        _print_fewshot(view.fewshot)
        return
    if view.built is None:
        _print_messages(view.messages)
        console.print(f"{view.total_tokens} tokens with the chat framing ({_label(view.tokenizer, view.exact)})",
                      highlight=False)
        return
    built = view.built
    _print_messages(built.messages)
    table = Table(title=f"tokens by section ({_label(built.tokenizer, built.exact)})", title_justify="left")
    table.add_column("section")
    table.add_column("kind")
    table.add_column("tokens", justify="right")
    for s in built.sections:
        table.add_row(s.name, s.kind, str(s.tokens))
    table.add_section()
    table.add_row("context", "", f"{built.context_tokens} / {built.budget}")
    table.add_row("whole request", "with chat framing", str(built.total_tokens))
    console.print(table)
    if built.warning:
        console.print(Text(f"warning: {built.warning}", style="yellow"))
    for d in built.dropped[:SHOW_DROPPED]:
        console.print(Text(f"  left out: {d}", style="dim"))
    if len(built.dropped) > SHOW_DROPPED:
        console.print(Text(f"  ... and {len(built.dropped) - SHOW_DROPPED} more (all of them with --json)", style="dim"))


def _print_fewshot(fs: object) -> None:
    """The few-shot prompt, then its token table with the examples as their own section and why each was chosen."""
    _print_messages(fs.messages)  # type: ignore[attr-defined]
    table = Table(title=f"tokens by section ({_label(fs.tokenizer, fs.exact)})", title_justify="left")  # type: ignore[attr-defined]
    for col, just in (("section", "left"), ("kind", "left"), ("tokens", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for s in fs.sections:  # type: ignore[attr-defined]
        table.add_row(s.name, s.kind, str(s.tokens))
    table.add_section()
    table.add_row("examples", "", f"{fs.example_tokens} / {fs.budget}")  # type: ignore[attr-defined]
    table.add_row("whole request", "with chat framing", str(fs.total_tokens))  # type: ignore[attr-defined]
    console.print(table)
    for ex in fs.examples:  # type: ignore[attr-defined]
        console.print(Text(f"  example: week of {ex.week_start} ({ex.tokens} tokens): {ex.why}"), soft_wrap=True)
    console.print(Text(f"{len(fs.examples)} of {fs.candidates} eligible past weeks fit the budget", style="dim"))  # type: ignore[attr-defined]
    for d in fs.excluded[:SHOW_DROPPED]:  # type: ignore[attr-defined]
        console.print(Text(f"  never shown: {d}", style="dim"), soft_wrap=True)


def _label(name: str, exact: bool) -> str:
    return name if exact else f"{name}, not exact"


def _print_messages(messages: list[dict[str, str]]) -> None:
    # Text() and soft_wrap: the prompt prints exactly as sent (copyable, no markup, no re-wrapping),
    # so note text like "[bold]" shows as written
    for m in messages:
        console.rule(m["role"], align="left")
        console.print(Text(m["content"]), soft_wrap=True)
    console.rule()


def register(app: typer.Typer) -> None:
    """Add `peri prompt ...` to the main app."""
    app.add_typer(prompt_app, name="prompt")
