"""`peri catalog ...` (search, show, match, alias, unmapped) and `peri stats`.

Thin calls into peri.log.catalog, peri.log.name_mapping and peri.log.stats.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from ..errors import NotFound
from ..log.catalog import Catalog, ExerciseEntry, default_catalog
from .common import console, err_console, friendly, open_store, print_json


def _resolve(catalog: Catalog, id_or_name: str) -> ExerciseEntry:
    """An id, an exact catalog name, or a logged name the matcher maps."""
    try:
        return catalog.get(id_or_name)
    except NotFound:
        pass
    hit = catalog.by_name(id_or_name) or catalog.match(id_or_name).entry
    if hit is None:
        raise NotFound(f"no catalog exercise matches {id_or_name!r}", hint="`peri catalog search TEXT` lists candidates")
    return hit


def _fmt_change(v: float | None) -> str:
    if v is None:
        return "[dim]-[/]"
    colour = "green" if v > 0 else "red" if v < 0 else "dim"
    return f"[{colour}]{v:+.0%}[/]"


def register(app: typer.Typer) -> None:
    catalog_app = typer.Typer(help="The exercise catalog: search it, inspect tags, map logged names.", no_args_is_help=True)
    app.add_typer(catalog_app, name="catalog")

    @catalog_app.command("search")
    @friendly
    def search(
        text: str = typer.Argument(..., help="words to look for, e.g. 'romanian deadlift'"),
        limit: int = typer.Option(10, "--limit", "-n", min=1, max=100),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Find catalog exercises by name, with their movement pattern, spinal load and joints."""
        hits = default_catalog().search(text, limit=limit)
        if as_json:
            print_json([{"score": s, **e.model_dump()} for e, s in hits])
            return
        t = Table(title=f"catalog: {text}")
        for col in ("score", "id", "name", "equipment", "pattern", "spinal", "joints"):
            t.add_column(col)
        for e, s in hits:
            t.add_row(f"{s:.0f}", e.id, e.name, e.equipment or "-", e.pattern, e.spinal_load, ", ".join(e.joints))
        console.print(t)

    @catalog_app.command("show")
    @friendly
    def show(
        id_or_name: str = typer.Argument(..., help="catalog id, catalog name or a logged name"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """One exercise with all its tags and its close variants."""
        cat = default_catalog()
        e = _resolve(cat, id_or_name)
        variants = [v.id for v in cat.variants(e, limit=8)]
        if as_json:
            print_json({**e.model_dump(), "variants": variants})
            return
        t = Table(show_header=False, title=e.name)
        t.add_column(style="bold")
        t.add_column()
        for k, v in e.model_dump().items():
            t.add_row(k, ", ".join(v) if isinstance(v, list) else str(v))
        t.add_row("variants", ", ".join(variants) or "-")
        console.print(t)

    @catalog_app.command("alias")
    @friendly
    def alias(
        name: str = typer.Argument(..., help="the exercise name as your app logs it"),
        exercise_id: str = typer.Argument(..., help="the catalog id it means (see `peri catalog search`)"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Map a logged name to a catalog exercise, for every athlete, and re-map sets already stored."""
        from ..log.name_mapping import add_alias

        with open_store() as store:
            result = add_alias(store, default_catalog(), name, exercise_id)
        if as_json:
            print_json(result)
        else:
            console.print(f"[green]alias[/] {name!r} -> {result.exercise_id} ({result.exercise}); "
                          f"{result.sets_remapped} stored sets re-mapped")

    @catalog_app.command("match")
    @friendly
    def match(
        name: str = typer.Argument(..., help="an exercise name as logged, e.g. 'DB Incline Press'"),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """How a logged name maps to the catalog, and why: the parse of its words, the method, the score, candidates."""
        from ..log.name_mapping import explain

        with open_store() as store:
            aliases = store.aliases()
        ex = explain(default_catalog(), name, aliases)
        if as_json:
            print_json(ex)
            return
        r = ex.result
        head = f"[green]{r.entry.id}[/] ({r.entry.name})" if r.entry else "[yellow]unmapped[/]"
        console.print(f"{name!r} -> {head}  method={r.method} score={r.score:g}")
        ev = r.evidence
        if ev is not None:
            if ev.parsed is not None:
                p = ev.parsed
                console.print(
                    f"  words: {' '.join(p.words) or '-'}\n  movement: {p.movement or '-'} {p.movement_words or ''}"
                    f"{'  competing: ' + ', '.join(p.competing_movements) if p.competing_movements else ''}\n"
                    f"  equipment: {p.equipment or '-'} (named: {', '.join(p.equipment_stated) or 'none'})\n"
                    f"  modifiers: {', '.join(p.modifiers) or '-'}  ignored: {' '.join(p.ignored) or '-'}"
                    f"  unknown: {' '.join(p.unknown) or '-'}"
                    + (f"\n  typos corrected: {', '.join(f'{a}->{b}' for a, b in p.corrections.items())}" if p.corrections else "")
                )
            if ev.alias_key:
                src = f" (written from {', '.join(ev.alias_sources)})" if ev.alias_sources else ""
                console.print(f"  key: {ev.alias_key!r}{src}")
            if ev.note:
                console.print(f"  why: {ev.note}")
        if ex.candidates:
            console.print("  closest catalog names: " + ", ".join(f"{c.id} ({c.score:.0f})" for c in ex.candidates))

    @catalog_app.command("unmapped")
    @friendly
    def unmapped(
        athlete: str = typer.Option(..., "--athlete", "-a"),
        as_json: bool = typer.Option(False, "--json"),
        suggest_: bool = typer.Option(False, "--suggest", help="propose a mapping for each name, with its evidence"),
        accept_at: float = typer.Option(
            None, "--accept", min=0, max=100, help="with --suggest: accept every proposal scoring at least this"
        ),
        interactive: bool = typer.Option(False, "--interactive", "-i", help="with --suggest: ask about each proposal"),
    ) -> None:
        """Logged exercise names with no catalog entry, with set counts and the closest candidate.

        With --suggest, each name gets a proposal and the reason for it; --accept SCORE or
        --interactive turns accepted proposals into your aliases and re-maps the stored sets.
        """
        from ..log.name_mapping import accept, suggest, unmapped

        cat = default_catalog()
        with open_store() as store:
            a = store.get_athlete(athlete)
            found = unmapped(store, a.id, cat)
            total, counts = found.sets_total, Counter(found.counts)
            if suggest_ or accept_at is not None or interactive:
                props = suggest(cat, counts, store.aliases(), shapes=found.shapes)
                chosen = [p for p in props if p.exercise_id is not None and (
                    (accept_at is not None and p.score >= accept_at) or (interactive and not as_json and typer.confirm(
                        f"{p.name!r} ({p.sets} sets) -> {p.exercise_id} ({p.exercise_name}), "
                        f"{p.method} {p.score:.0f}: {p.reason}. Accept?", default=False)))]
                remapped = accept(store, a.id, chosen)
                result = {"athlete": athlete, "sets_total": total, "sets_unmapped": found.sets_unmapped,
                          "suggestions": [p.model_dump() for p in props],
                          "accepted": [p.name for p in chosen], "sets_remapped": remapped}
                if as_json:
                    print_json(result)
                    return
                if not props:
                    console.print(f"every logged exercise of {athlete} is mapped ({total} sets)")
                    return
                t = Table(title=f"proposals for the unmapped exercises of {athlete}")
                for col in ("name", "sets", "proposal", "method", "score", "why"):
                    t.add_column(col)
                for p in props:
                    t.add_row(p.name, str(p.sets), p.exercise_id or "-", p.method, f"{p.score:.0f}", p.reason)
                console.print(t)
                if chosen:
                    console.print(f"[green]accepted[/] {len(chosen)} proposal(s) as your aliases; {remapped} stored sets re-mapped")
                else:
                    console.print("accept with --accept SCORE, --interactive, or one at a time: peri catalog alias \"NAME\" EXERCISE_ID")
                return
        rows = [r.model_dump() for r in found.names]
        if as_json:
            print_json({"athlete": athlete, "sets_total": total, "sets_unmapped": found.sets_unmapped, "names": rows})
            return
        if not rows:
            console.print(f"every logged exercise of {athlete} is mapped ({total} sets)")
            return
        t = Table(title=f"unmapped exercises of {athlete}: {found.sets_unmapped} of {total} sets")
        for col in ("name", "sets", "closest catalog entry (check before aliasing)"):
            t.add_column(col)
        for r in rows:
            cell = f"{r['suggestion']} ({r['suggestion_score']:.0f})" if r["suggestion"] else "-"
            if r["not_exercise"]:
                cell = f"not a strength exercise ({r['not_exercise'].split(':')[0]})"
            t.add_row(r["name"], str(r["sets"]), cell)
        console.print(t)
        console.print("map one with: peri catalog alias \"NAME\" EXERCISE_ID")

    @app.command("stats")
    @friendly
    def stats(
        athlete: str = typer.Option(..., "--athlete", "-a"),
        weeks: int = typer.Option(None, "--weeks", "-w", min=1, help="only the last N weeks"),
        as_json: bool = typer.Option(False, "--json"),
        plot: Path = typer.Option(None, "--plot", help="also draw the trends into this PNG"),
    ) -> None:
        """Per-week sessions, hard sets, reps, tonnage, average RPE and top e1RMs, with week-over-week change."""
        from ..log.stats import stats_plot, top_lifts, weekly_stats
        from ..paths import check_writable

        if plot:
            check_writable(plot, flag="--plot", image=True)
        with open_store() as store:
            a = store.get_athlete(athlete)
            sessions = store.sessions(a.id)
        from ..log.context import plausible_sessions
        from ..log.shown_unit import in_unit, shown_unit

        unit = shown_unit(a, sessions=sessions)

        sessions, left_out = plausible_sessions(sessions)
        for w in left_out:
            err_console.print(f"[yellow]warning:[/] {w}", markup=True, highlight=False, soft_wrap=True)
        result = weekly_stats(sessions, default_catalog(), weeks=weeks)
        if plot:
            stats_plot(result, plot, title=f"{athlete}: training trends", unit=unit)
        if as_json:
            print_json(result)
            return
        if not result:
            console.print(f"no sessions logged for {athlete} yet: import an export with "
                          f"`peri import auto FILE -a {athlete}`", markup=False, highlight=False)
            return
        t = Table(title=f"{athlete}: weekly stats (Δ = change on the week before)")
        t.add_column("week")
        for col in ("sessions", "Δ", "hard sets", "Δ", "reps", "Δ", f"tonnage {unit}", "Δ", "avg RPE"):
            t.add_column(col, justify="right")
        for w in result:
            ch = w.change
            t.add_row(
                w.week_start.isoformat(), str(w.sessions), _fmt_change(ch.get("sessions")), str(w.hard_sets),
                _fmt_change(ch.get("hard_sets")), str(w.reps), _fmt_change(ch.get("reps")), f"{in_unit(w.tonnage_kg, unit):,.0f}",
                _fmt_change(ch.get("tonnage_kg")), f"{w.avg_rpe:.1f}" if w.avg_rpe is not None else "-",
            )
        console.print(t)
        lifts = top_lifts(result, n=4)
        if lifts:
            e = Table(title=f"estimated 1RM ({unit}), heaviest regular lifts")
            e.add_column("week")
            for lift in lifts:
                e.add_column(lift, justify="right")
            for w in result:
                e.add_row(w.week_start.isoformat(), *[f"{in_unit(w.e1rm[x], unit):.1f}" if x in w.e1rm else "-" for x in lifts])
            console.print(e)
        last = result[-1]
        if last.sets_per_muscle:
            muscles = ", ".join(f"{m} {v:g}" for m, v in last.sets_per_muscle.items())
            console.print(f"hard sets per muscle, week of {last.week_start}: {muscles}")
        if plot:
            console.print(f"plot written to {plot}")
