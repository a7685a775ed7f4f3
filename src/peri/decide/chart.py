"""The cumulative-cost chart of `peri decide --plot`: one curve per path (prompting, few-shot, fine-tuned,
hybrid, tuned + few-shot), with fine-tuning's break-even against prompting and against few-shot marked."""
from __future__ import annotations

from pathlib import Path

from .cost import CostReport

# prompting family in blues, tuned family in reds/greens; the combinations dashed
STYLES = {
    "prompting": ("#1f77b4", "-"), "fewshot": ("#17becf", "-."), "finetuned": ("#d62728", "-"),
    "hybrid": ("#2ca02c", "--"), "finetuned-fewshot": ("#9467bd", ":"),
}


def cost_chart(report: CostReport, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for name, c in report.approaches.items():
        color, ls = STYLES.get(name, ("grey", ":"))
        ax.plot(range(len(c.cumulative_usd)), c.cumulative_usd, ls, color=color, label=f"{name} (${c.monthly_usd:,.2f}/month)")
    marks = [("prompting", report.break_even_week.get("finetuned")),
             ("few-shot", report.break_even_vs_fewshot.get("finetuned"))]
    for i, (against, be) in enumerate(marks):
        if be is not None and 0 < be <= report.inputs.horizon_weeks:
            ax.axvline(be, color="grey", lw=0.8, ls=":")
            ax.annotate(f"fine-tuning vs {against}: week {be:.0f}", (be, ax.get_ylim()[1] * (0.9 - 0.08 * i)),
                        fontsize=8, ha="left")
    ax.set_xlabel("week")
    ax.set_ylabel(f"cumulative cost (USD, prices of {report.price_date})")
    ax.set_title(f"{report.inputs.queries_per_week:.2g} queries/week on {report.inputs.model}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
