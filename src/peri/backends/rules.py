"""The rule-based coach behind the backend interface, so its plans travel the same path as a model's.

It reads the athlete's history (`req.rule_inputs`), not the prompt, and answers with the plan's compact
text form. It costs no tokens and no dollars; latency is measured like any other backend's.
"""
from __future__ import annotations

import time
from typing import Any

from ..errors import BackendError
from .base import GenerationRequest, GenerationResult


class RulesBackend:
    """`peri.plans.coach.rule_plan` as a backend. `catalog` defaults to the shipped one."""

    name = "rules"
    supports_json_schema = False
    needs_context = True
    adapter: str | None = None

    def __init__(self, catalog: Any = None):
        self._catalog = catalog

    @property
    def catalog(self) -> Any:
        if self._catalog is None:
            from ..log.catalog import default_catalog

            self._catalog = default_catalog()
        return self._catalog

    def generate(self, req: GenerationRequest) -> GenerationResult:
        from ..plans.coach import rule_plan
        from ..plans.schema import Scenario
        from ..plans.text import plan_to_text

        inputs = req.rule_inputs
        if inputs is None or inputs.context is None:
            raise BackendError("the rules backend plans from the athlete's log", hint="pass rule_inputs with the AthleteContext")
        t0 = time.perf_counter()
        plan = rule_plan(
            inputs.context, self.catalog, Scenario(inputs.scenario), equipment=inputs.equipment, event_date=inputs.event_date
        )
        text = plan_to_text(plan)
        return GenerationResult(
            text=text, prompt_tokens=0, output_tokens=0, latency_s=time.perf_counter() - t0, cost_usd=0.0,
            model=self.name, finish_reason="stop",
        )
