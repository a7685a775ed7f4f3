"""One person's data, whole: what peri holds about an athlete, a copy of all of it, and erasing all of it.

peri keeps a person's training (health data) on their own machine, in the store and in PERI_HOME beside it:
the log, notes, profile, imports, plans and ratings in the database; the dataset build and the evaluation
results in per-athlete folders; the adapters tuned on that dataset; and, for a simulated athlete, the oracle's
hidden traits. Deleting the PERI_HOME folder removes everyone's; a coach with clients, a couple sharing one
install or a person who wants to leave needs it per athlete, and a copy to take elsewhere first.

A tuned model is this person's data too (its weights were fitted to their log): a local adapter is found by
its dataset hash (the registry records it), a hosted one by the athlete its job was run for. Erasing removes
the local files and the registry entries; what a hosted provider keeps is theirs to delete, so the result
names each such job.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ..artefacts import BUILD_FILE, dataset_dir
from ..errors import ConfigError, PeriError
from ..paths import adapters_dir, home_subdir, inside, name_slug, oracle_dir, peri_home
from .store import Store

EXPORT_FORMAT = "peri-athlete-export"
EXPORT_VERSION = 1
# the tables that hold an athlete's rows, with the SQL counting them (ratings through their plans; sets are
# counted by `Store.count_sets`, their one owner)
_COUNTS = {
    "sessions": "SELECT COUNT(*) FROM sessions WHERE athlete_id = ?",
    "annotations": "SELECT COUNT(*) FROM annotations WHERE athlete_id = ?",
    "imports": "SELECT COUNT(*) FROM imports WHERE athlete_id = ?",
    "generations": "SELECT COUNT(*) FROM generations WHERE athlete_id = ?",
    "ratings": "SELECT COUNT(*) FROM ratings WHERE generation_id IN (SELECT id FROM generations WHERE athlete_id = ?)",
    "journey": "SELECT COUNT(*) FROM journey WHERE athlete_id = ?",
    "batch_items": "SELECT COUNT(*) FROM batch_items WHERE athlete_id = ?",
}


class TunedModel(BaseModel):
    name: str
    kind: str
    files: str | None = None  # a local adapter's folder
    hosted_job: str | None = None  # a hosted fine-tune: the provider keeps its own copy


class Footprint(BaseModel):
    """Everything peri holds about one athlete: rows per table, folders and files under PERI_HOME, tuned models."""

    athlete: str
    rows: dict[str, int]
    folders: list[str] = Field(default_factory=list)  # absolute paths that exist
    models: list[TunedModel] = Field(default_factory=list)

    def lines(self) -> list[str]:
        """The footprint as a person reads it."""
        rows = ", ".join(f"{n} {t}" for t, n in self.rows.items() if n) or "no rows"
        out = [f"{self.athlete}: {rows}"]
        out += [f"folder {f}" for f in self.folders]
        for m in self.models:
            where = f"files {m.files}" if m.files else f"hosted job {m.hosted_job}" if m.hosted_job else "registry entry"
            out.append(f"tuned model ft:{m.name} ({m.kind}; {where})")
        return out


def _folders(name: str, home: Path) -> list[Path]:
    """The athlete's folders under PERI_HOME that exist: dataset build, evaluation, the oracle's traits file."""
    found = [dataset_dir(name, home), home_subdir("eval", name, home),
             oracle_dir(home) / f"{name_slug(name, always_hash=True)}.json"]
    return [p for p in found if p.exists()]


def _dataset_hashes(name: str, home: Path) -> set[str]:
    """Dataset hashes of the athlete's build (a tuned local model records the hash it was trained on)."""
    f = dataset_dir(name, home) / BUILD_FILE
    try:
        return {str(json.loads(f.read_text(encoding="utf-8")).get("dataset_hash"))}
    except (OSError, ValueError, AttributeError):
        return set()


def _models(store: Store, name: str, home: Path) -> list[TunedModel]:
    hashes = _dataset_hashes(name, home)
    out = []
    for m in store.list_models():
        meta = m.meta or {}
        if meta.get("athlete") == name:  # a hosted job run for this athlete
            out.append(TunedModel(name=m.name, kind=m.kind, hosted_job=meta.get("job_id")))
        elif meta.get("dataset_sha256") and meta.get("dataset_sha256") in hashes:  # tuned here on their dataset
            folder = Path(m.path) if m.path else None
            files = str(folder) if folder is not None and folder.exists() and _under(folder, adapters_dir(home)) else None
            out.append(TunedModel(name=m.name, kind=m.kind, files=files))
    return out


def _under(path: Path, root: Path) -> bool:
    try:
        inside(path, root)
    except (PeriError, OSError, RuntimeError):  # outside PERI_HOME, or a path that does not resolve: not ours
        return False
    return path.resolve() != root.resolve()


def footprint(store: Store, name: str, home: Path | None = None) -> Footprint:
    """What peri holds about `name` (NotFound when there is no such athlete)."""
    home = home or peri_home()
    a = store.get_athlete(name)
    rows = {t: int(store.conn.execute(q, (a.id,)).fetchone()[0]) for t, q in _COUNTS.items()}
    rows = {"sessions": rows.pop("sessions"), "sets": store.count_sets(a.id), **rows}  # the order a person reads
    return Footprint(athlete=name, rows=rows, folders=[str(p) for p in _folders(name, home)],
                     models=_models(store, name, home))


def export_athlete(store: Store, name: str, out: Path, home: Path | None = None) -> Footprint:
    """Write everything peri holds about `name` to the ZIP file `out`: `athlete.json` (profile, sessions with
    their sets, notes, imports, plans and ratings, journey, tuned models' registry entries) and the athlete's
    folders under `files/` (a simulated athlete's hidden traits stay out). Refuses to overwrite a file. Returns the footprint that was written."""
    home = home or peri_home()
    out = Path(out)
    if out.exists():
        raise ConfigError(f"{out} already exists", place=str(out), hint="name a new file; nothing was overwritten")
    fp = footprint(store, name, home)
    a = store.get_athlete(name)
    models = {m.name for m in fp.models}
    record: dict[str, Any] = {
        "format": EXPORT_FORMAT, "version": EXPORT_VERSION,
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "athlete": a.model_dump(mode="json"),
        "sessions": [s.model_dump(mode="json") for s in store.sessions(a.id)],
        "annotations": [n.model_dump(mode="json") for n in store.annotations(a.id)],
        "imports": store.imports(a.id),
        "generations": [g.model_dump(mode="json") for g in store.generations(a.id)],
        "journey": store.steps_done(a.id),
        "models": [m.model_dump(mode="json") for m in store.list_models() if m.name in models],
        "footprint": fp.model_dump(mode="json"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")  # a killed export leaves no half file under the asked name
    try:
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("athlete.json", json.dumps(record, indent=1, default=str, ensure_ascii=False))
            for folder in map(Path, fp.folders):
                if folder.parent == oracle_dir(home):
                    continue  # a simulated athlete's hidden traits reach the oracle only, never a copy
                files = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
                for f in files:
                    z.write(f, "files/" + f.relative_to(home).as_posix())
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    return fp


class Erased(BaseModel):
    """What erasing removed, and what is left for the person to do elsewhere."""

    footprint: Footprint
    left: list[str] = Field(default_factory=list)  # files that could not be removed, each with why
    elsewhere: list[str] = Field(default_factory=list)  # hosted copies only their provider can delete


def erase_athlete(store: Store, name: str, home: Path | None = None, *, confirm: str) -> Erased:
    """Delete everything peri holds about `name`: their rows (one transaction; sets, notes, imports, plans,
    ratings and journey go with the athlete), the registry entries and local files of models tuned on their
    data, and their folders under PERI_HOME. `confirm` must repeat the name, so that no call erases a person
    by accident. The database goes first: a file that then cannot be removed is listed, never hidden."""
    if confirm != name:
        raise ConfigError(f"erasing {name!r} needs its name repeated to confirm", place="confirm",
                          hint="nothing was deleted")
    home = home or peri_home()
    fp = footprint(store, name, home)
    with store.transaction() as c:
        a = store.get_athlete(name)
        for m in fp.models:
            c.execute("DELETE FROM models WHERE name = ?", (m.name,))
        c.execute("DELETE FROM athletes WHERE id = ?", (a.id,))
    left, elsewhere = [], []
    for m in fp.models:
        if m.hosted_job:
            elsewhere.append(f"ft:{m.name}: a {m.kind} fine-tune (job {m.hosted_job}) kept by {m.kind}: delete it there")
    for target in [Path(m.files) for m in fp.models if m.files] + [Path(f) for f in fp.folders]:
        try:
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        except OSError as e:
            left.append(f"{target}: {e.strerror or e}")
    return Erased(footprint=fp, left=left, elsewhere=elsewhere)
