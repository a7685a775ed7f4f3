"""`peri chat`, `peri guide` and `peri journey`: Peri the guide, and the user's progress along a journey."""
from __future__ import annotations

import typer
from rich.markdown import Markdown
from rich.table import Table

from ..guide.journeys import JOURNEYS, get_journey, journey_json, journey_status, mark_done, progress_summary
from ..guide.peri import MODEL_BY_DEFAULT, MODEL_MEASURED
from .common import console, friendly, open_store, print_json

# The default (off) is peri.guide.peri.MODEL_BY_DEFAULT, decided by bench/guide.py on every held-out question.
MODEL_HELP = ("let the embedded model rephrase the grounded answer's lead (offline; only sentences the whole answer "
              f"entails are kept; {'on' if MODEL_BY_DEFAULT else 'off'} by default: {MODEL_MEASURED})")

journey_app = typer.Typer(help="Journeys Peri recommends, and your progress along them.", no_args_is_help=True)


def _peri(athlete: str | None, use_model: bool, frequency: float | None):
    from ..guide.peri import Peri

    backend = None
    if use_model:
        from ..backends.registry import get_backend

        backend = get_backend("embedded")
    store = open_store()
    if athlete:
        store.get_athlete(athlete)  # a clear error now rather than mid-answer
    return Peri(store, athlete, backend=backend, queries_per_week=frequency)


def _show(ans) -> None:
    # the grounded answer first; the model's rephrasing after it, labelled, and only its entailed sentences
    console.print(Markdown(ans.text))
    if ans.grounded_on:
        console.print(f"[dim]grounded on: {', '.join(ans.grounded_on)}[/]")
    if ans.model_text:
        console.print(f"\n[bold magenta]Peri, in short:[/] {ans.model_text}")
    if ans.model_note:
        console.print(f"[dim]{ans.model_note}[/]")


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def guide(
        question: str = typer.Argument(..., help='e.g. "should I fine-tune?"'),
        athlete: str = typer.Option(None, "--athlete", "-a"),
        model: bool = typer.Option(MODEL_BY_DEFAULT, "--model/--no-model", help=MODEL_HELP),
        frequency: float = typer.Option(None, help="queries per week, for cost questions"),
        as_json: bool = typer.Option(False, "--json"),
        after: str = typer.Option(None, "--after", help='the question asked before, which a follow-up ("and with '
                                  'Together?", "why?") is read with'),
    ) -> None:
        """Ask Peri one question. Answers come from peri's concept text and your own numbers."""
        peri = _peri(athlete, model, frequency)
        if after:
            peri.backend, backend = None, peri.backend  # the earlier question is only read, never rephrased
            peri.ask(after)
            peri.backend = backend
        ans = peri.ask(question)
        print_json(ans) if as_json else _show(ans)

    @app.command()
    @friendly
    def chat(
        athlete: str = typer.Option(None, "--athlete", "-a"),
        model: bool = typer.Option(MODEL_BY_DEFAULT, "--model/--no-model", help=MODEL_HELP),
        frequency: float = typer.Option(None, help="queries per week, for cost questions"),
    ) -> None:
        """Talk with Peri: concepts, your own prompt examples, the decision, your journey. Empty line or 'quit' ends."""
        peri = _peri(athlete, model, frequency)
        console.print("[bold magenta]Peri:[/] Hi! Ask me whether to prompt or fine-tune, for an example from your log, "
                      "or where you are on your journey.")
        while True:
            try:
                q = console.input("[bold]you>[/] ")
            except (EOFError, KeyboardInterrupt):
                break
            if q.strip().lower() in {"", "quit", "exit", "bye"}:
                break
            _show(peri.ask(q))

    @journey_app.command("list")
    def journey_list(as_json: bool = typer.Option(False, "--json")) -> None:
        """The journeys: the one-week prompt sprint, graduation to fine-tuning, the hybrid set-up."""
        if as_json:
            print_json(list(JOURNEYS.values()))
            return
        for j in JOURNEYS.values():
            console.print(f"[bold]{j.name}[/] — {j.title}: {j.why}")

    @journey_app.command("show")
    @friendly
    def journey_show(name: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """A journey's steps, each a peri command."""
        j = get_journey(name)
        if as_json:
            print_json(j)
            return
        console.print(f"[bold]{j.title}[/] — {j.why}")
        for i, s in enumerate(j.steps, 1):
            console.print(f"  {i}. {s.title}: `{s.command.format(athlete='NAME')}`")

    @journey_app.command("status")
    @friendly
    def journey_status_cmd(
        athlete: str = typer.Option(..., "--athlete", "-a"),
        journey: str = typer.Option(None, "--journey", "-j", help="one journey (default: all)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Your progress: each step done or not, with what peri saw as evidence."""
        store = open_store()
        names = [journey] if journey else list(JOURNEYS)
        result = {n: journey_status(store, athlete, n) for n in names}
        if as_json:
            print_json({n: journey_json(st) for n, st in result.items()})
            return
        for n, st in result.items():
            t = Table(title=f"{JOURNEYS[n].title} — {progress_summary(st)}", title_justify="left")
            t.add_column("")
            t.add_column("step")
            t.add_column("command")
            t.add_column("evidence")
            for s in st:
                t.add_row("✓" if s.done else "·", s.step.title, s.step.command, s.evidence or s.how_to_mark or "")
            console.print(t)

    @journey_app.command("done")
    @friendly
    def journey_done(
        step: str, athlete: str = typer.Option(..., "--athlete", "-a"), journey: str = typer.Option(..., "--journey", "-j"),
    ) -> None:
        """Mark a step done by hand (for steps peri cannot see, like reading your prompt)."""
        mark_done(open_store(), athlete, journey, step)
        console.print(f"marked {journey}:{step} done for {athlete}")

    app.add_typer(journey_app, name="journey")
