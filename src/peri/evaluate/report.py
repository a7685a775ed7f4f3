"""The evaluation report: PNG charts (matplotlib) and one self-contained HTML file (charts inlined).

Plain words first (the verdict), then the table, then the charts: quality against prompt tokens (where
prompting flattens, where the tuned model sits), safety findings, latency, and cost per month.
"""
from __future__ import annotations

import base64
import html
from pathlib import Path

from .harness import EvalResults

COLORS = {"rules": "#7f7f7f", "finetuned-short": "#d62728", "hybrid": "#2ca02c"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _color(name: str) -> str:
    if name.startswith("prompt-d"):
        return "#1f77b4"
    return COLORS.get(name, "#9467bd")


def chart_quality_vs_tokens(res: EvalResults, path: Path) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=110)
    s = res.summary
    measure = "oracle score (0-100)" if res.simulated else "rating"
    levels = [s[f"prompt-d{d}"] for d in range(5) if f"prompt-d{d}" in s and s[f"prompt-d{d}"].score_mean is not None]
    if levels:
        xs = [v.prompt_tokens_mean or 0 for v in levels]
        ys = [v.score_mean for v in levels]
        errs = [v.score_ci or 0 for v in levels]
        ax.errorbar(xs, ys, yerr=errs, fmt="-o", color="#1f77b4", capsize=3, label=f"base model, detail 0-4 ({levels[0].model})")
        for v, x, y in zip(levels, xs, ys, strict=True):
            ax.annotate(v.approach.replace("prompt-", ""), (x, y), textcoords="offset points", xytext=(4, 6), fontsize=8)
    for name, v in s.items():
        if name.startswith("prompt-d") or v.score_mean is None:
            continue
        ax.errorbar([v.prompt_tokens_mean or 0], [v.score_mean], yerr=[v.score_ci or 0], fmt="s", color=_color(name),
                    capsize=3, markersize=8, label=name)
    ax.set_xlabel("prompt tokens per query (mean)")
    ax.set_ylabel(measure)
    if res.simulated:
        ax.set_ylim(0, 100)  # the score's range; a wide interval must not suggest negative quality
    ax.set_title(f"Quality against prompt length — {res.athlete}, {len(res.held_out_weeks)} held-out weeks")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _bar(res: EvalResults, path: Path, values: dict[str, float], title: str, ylabel: str, errs: dict[str, float] | None = None) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)
    names = list(values)
    ax.bar(names, [values[n] for n in names], color=[_color(n) for n in names],
           yerr=[(errs or {}).get(n, 0) for n in names] if errs else None, capsize=3)
    for i, n in enumerate(names):
        ax.annotate(f"{values[n]:.3g}", (i, values[n]), ha="center", va="bottom", fontsize=8)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def write_report(res: EvalResults, out_dir: Path) -> Path:
    """Write charts and report.html into out_dir; return the HTML path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    s = res.summary
    charts = {
        "quality_vs_tokens.png": chart_quality_vs_tokens(res, out_dir / "quality_vs_tokens.png"),
        "safety.png": _bar(res, out_dir / "safety.png",
                           {k: v.high_findings_mean for k, v in s.items()},
                           "High-severity checker findings per plan (before repair)", "findings per plan"),
        "latency.png": _bar(res, out_dir / "latency.png",
                            {k: v.latency_mean or 0.0 for k, v in s.items()},
                            "Latency per plan", "seconds", {k: v.latency_ci or 0.0 for k, v in s.items()}),
        "cost.png": _bar(res, out_dir / "cost.png",
                         {k: v.cost_per_month or 0.0 for k, v in s.items()},
                         f"Cost per month at {res.config.queries_per_week:g} queries/week "
                         "(hosted price, or electricity for local models)", "USD per month"),
    }
    (out_dir / "results.json").write_text(res.model_dump_json(indent=2))
    path = out_dir / "report.html"
    path.write_text(render_html(res, charts))
    return path


def _fmt(x: float | None, spec: str = ".1f") -> str:
    return "–" if x is None else format(x, spec)


def render_html(res: EvalResults, charts: dict[str, Path]) -> str:
    e = html.escape
    rows = []
    for name, v in res.summary.items():
        score = _fmt(v.score_mean) + (f" ± {v.score_ci:.1f}" if v.score_ci is not None else "")
        rows.append(
            "<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in (
                name, v.model, v.n, f"{v.valid_rate:.0%}", score,
                _fmt(v.score_repaired_mean) + (f" ± {v.score_repaired_ci:.1f}" if v.score_repaired_ci is not None else ""),
                _fmt(v.high_findings_mean, ".2f"), _fmt(v.findings_after_repair_mean, ".2f"), _fmt(v.rating_mean),
                _fmt(v.prompt_tokens_mean, ".0f"), _fmt(v.output_tokens_mean, ".0f"), _fmt(v.latency_mean, ".2f"),
                _fmt(v.cost_per_month, ".4f"),
            )) + "</tr>"
        )
    imgs = "".join(
        f'<figure><img alt="{e(n)}" src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">'
        f"<figcaption>{e(n)}</figcaption></figure>"
        for n, p in charts.items()
    )
    verdict = "".join(f"<li>{e(v)}</li>" for v in res.verdict)
    warnings = "".join(f"<li>{e(w)}</li>" for w in res.warnings)
    measure = "oracle score against the simulated athlete's hidden traits" if res.simulated else "your ratings"
    weeks = ", ".join(w.isoformat() for w in res.held_out_weeks)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>peri evaluation — {e(res.athlete)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; width: 100%; }}
td, th {{ border: 1px solid #ccc; padding: 4px 6px; text-align: right; }}
td:first-child, th:first-child, td:nth-child(2) {{ text-align: left; }}
th {{ background: #f3f3f3; }}
.verdict {{ background: #f6fbff; border-left: 4px solid #1f77b4; padding: 0.5em 1em; }}
figure {{ margin: 1.5em 0; }} img {{ max-width: 100%; }}
.warn {{ color: #8a5a00; }}
</style></head><body>
<h1>Prompting vs fine-tuning for {e(res.athlete)}</h1>
<div class="verdict"><h2>In plain words</h2><ul>{verdict}</ul></div>
{f'<ul class="warn">{warnings}</ul>' if warnings else ''}
<p>Quality is the {e(measure)}; held-out weeks: {e(weeks)} (later than every training week{f", training cutoff {res.training_cutoff}" if res.training_cutoff else ""}).
Findings come from peri's plan checker, which knows only your profile, the exercise catalog and your notes.</p>
<p>Every approach, the rule coach included, is scored twice: raw (the plan as the approach gave it) and after
the same checker repair, in adjacent columns. The verdict ranks by the <b>{'raw' if res.headline == 'raw' else 'repaired'}</b> score.
<code>rules-raw</code> is the coach without the checker's repair inside it; <code>repeat-last-week</code> (the floor),
<code>minus-blamed</code> (last week without the lifts the notes blame) and <code>human</code> (a human coach's plan,
loads from the log) are baselines.</p>
<table><thead><tr><th>approach</th><th>model</th><th>n</th><th>valid</th><th>raw score (95% CI)</th><th>after repair (95% CI)</th>
<th>high findings</th><th>findings after repair</th><th>rating</th><th>prompt tok</th><th>output tok</th><th>latency s</th><th>$ / month</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
{imgs}
<p><small>Generated by peri. Every generation is in the store (`peri prompt history`); records: results.json.</small></p>
</body></html>
"""


def evidence_html(claims: list, n_athletes: int) -> str:
    """The Evidence section: one row per claim, its effect with the 95 % interval and how many it held for."""
    e = html.escape
    rows = []
    for c in claims:
        if c.status != "measured":
            cells = (c.claim, c.comparison, "not measured", "", "", c.note)
        else:
            ci = "–" if c.ci_low is None else f"{c.ci_low:+.1f} … {c.ci_high:+.1f}"
            cells = (c.claim, c.comparison, f"{c.effect:+.1f}", ci, f"{c.held} of {c.athletes}", c.note)
        rows.append("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in cells) + "</tr>")
    return (f"<h2>Evidence</h2><p>Each effect is the mean over athletes of the athlete's own paired difference "
            f"(same held-out weeks), with Student's t 95 % interval across the {n_athletes} athletes; "
            "'held for' counts the athletes whose difference points the claimed way.</p>"
            "<table><thead><tr><th>claim</th><th>comparison</th><th>effect</th><th>95% interval</th><th>held for</th>"
            f"<th>note</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def write_cohort_report(cohort, out_dir: Path, command: str = "") -> Path:
    """cohort.json, evidence.md and report.html (per-approach table, then the Evidence section)."""
    from .evidence import evidence_markdown

    e = html.escape
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "cohort.json").write_text(cohort.model_dump_json(indent=2))
    n = len(cohort.athletes)
    (out_dir / "evidence.md").write_text(evidence_markdown(cohort.evidence, n) + (f"\n\nCommand: `{command}`\n" if command else "\n"))
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in (
            r.approach, r.athletes, _fmt(r.score_mean) + (f" ± {r.score_ci:.1f}" if r.score_ci else ""), r.wins,
            _fmt(r.high_findings_mean, ".2f"), _fmt(r.prompt_tokens_mean, ".0f"), _fmt(r.latency_mean, ".2f"))) + "</tr>"
        for r in cohort.rows.values())
    status = "" if cohort.complete else (f"<p class='warn'>Incomplete: {len(cohort.pending)} athlete(s) not finished "
                                         "(time limit); run the same command again to continue.</p>")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>peri cohort — {n} simulated athletes</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.85em; width: 100%; }}
td, th {{ border: 1px solid #ccc; padding: 4px 6px; text-align: right; }}
td:first-child, th:first-child, td:nth-child(2) {{ text-align: left; }}
th {{ background: #f3f3f3; }} .warn {{ color: #8a5a00; }}
</style></head><body>
<h1>{n} simulated athletes</h1>{status}
<ul>{''.join(f'<li>{e(v)}</li>' for v in cohort.verdict)}</ul>
<table><thead><tr><th>approach</th><th>athletes</th><th>score (95% CI across athletes)</th><th>wins</th><th>high findings</th>
<th>prompt tok</th><th>latency s</th></tr></thead><tbody>{rows}</tbody></table>
{evidence_html(cohort.evidence, n)}
{f'<p><small>Command: <code>{e(command)}</code></small></p>' if command else ''}
</body></html>
"""
    path = out_dir / "report.html"
    path.write_text(page)
    return path
