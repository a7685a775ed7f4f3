"""The oracle's own model of which movement loads which tissue (`data/tissue_load.yaml`).

This is a second safety model, written from biomechanics/physiotherapy loading studies (cited in the
data file) and kept apart from peri's coach tags (`peri/data/exercise_tags.yaml`) and the checker's
stress tables on purpose: if the oracle judged safety with the checker's rulebook, the rule coach
would be "safe" by construction. Nothing here reads a catalog entry's pattern, spinal load or joints;
an exercise is known by its public catalog id and its name's words only.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

TISSUE_FILE = Path(__file__).with_name("data") / "tissue_load.yaml"


class WordRule(BaseModel):
    """Every word in `all` occurs in the lower-case name: the rule's loads apply."""

    all: list[str] = Field(min_length=1)
    load: dict[str, int]


class TissueModel(BaseModel):
    tissues: list[str]
    exercises: dict[str, dict[str, int]]
    words: list[WordRule]

    def loads(self, exercise_id: str | None, name: str | None) -> dict[str, int]:
        """Tissue -> 0-3 for one exercise: its id's row when listed, else the movement words of its name."""
        if exercise_id and exercise_id in self.exercises:
            return dict(self.exercises[exercise_id])
        text = (name or exercise_id or "").lower().replace("_", " ")
        out: dict[str, int] = {}
        for rule in self.words:
            if all(w in text for w in rule.all):
                for t, v in rule.load.items():
                    out[t] = max(out.get(t, 0), v)
        return out


@lru_cache(maxsize=1)
def tissue_model() -> TissueModel:
    """The shipped tissue model, read once per process."""
    import yaml

    data = yaml.safe_load(TISSUE_FILE.read_text(encoding="utf-8"))
    model = TissueModel.model_validate(data)
    bad = {t for row in [*model.exercises.values(), *(r.load for r in model.words)] for t in row} - set(model.tissues)
    if bad or any(not 0 <= v <= 3 for row in model.exercises.values() for v in row.values()):
        raise ValueError(f"{TISSUE_FILE}: unknown tissues {sorted(bad)} or values outside 0-3")
    return model
