"""Dialects recognised by shape: generated localised copies of the REAL exports in ../shared/data (headers,
set-type words and rest-timer labels translated; one made-up language nobody ships) import with exactly the
documented set count, and so does a copy whose rows run newest-first."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from peri.log.importers import parse_file
from peri.log.importers.dialect import UNKNOWN_LANGUAGE, fold, resolve_dialect, set_type_word
from peri.log.importers.base import read_table

COUNTS = {"strong-ios.csv": 4690, "strong-android.csv": 1521, "hevy.csv": 8650, "fitnotes.csv": 1624}
FILES = {"strong-ios.csv": ("strong", ","), "strong-android.csv": ("strong", ";"), "hevy.csv": ("hevy", ","),
         "fitnotes.csv": ("fitnotes", ",")}

# Hand-written translations of each file's header, column by column (the test's own words, not the data file's).
HEADERS = {
    "strong-ios.csv": {
        "de": ["Datum", "Trainingsname", "Dauer", "Übungsname", "Satzreihenfolge", "Gewicht", "Wiederholungen",
               "Distanz", "Sekunden", "Notizen", "Trainingsnotizen", "RPE"],
        "fr": ["Date", "Nom de l'entraînement", "Durée", "Nom de l'exercice", "Ordre des séries", "Poids",
               "Répétitions", "Distance", "Secondes", "Notes", "Notes d'entraînement", "RPE"],
        "es": ["Fecha", "Nombre del entrenamiento", "Duración", "Nombre del ejercicio", "Orden de la serie", "Peso",
               "Repeticiones", "Distancia", "Segundos", "Notas", "Notas del entrenamiento", "RPE"],
        "it": ["Data", "Nome allenamento", "Durata", "Nome esercizio", "Ordine serie", "Peso", "Ripetizioni",
               "Distanza", "Secondi", "Note", "Note allenamento", "RPE"],
        "pt": ["Data", "Nome do treino", "Duração", "Nome do exercício", "Ordem da série", "Peso", "Repetições",
               "Distância", "Segundos", "Notas", "Notas do treino", "PSE"],
    },
    "strong-android.csv": {
        "de": ["Datum", "Trainingsname", "Übungsname", "Satzreihenfolge", "Gewicht", "Gewichtseinheit",
               "Wiederholungen", "RPE", "Distanz", "Distanzeinheit", "Sekunden", "Notizen", "Trainingsnotizen",
               "Trainingsdauer"],
        "fr": ["Date", "Nom de l'entraînement", "Nom de l'exercice", "Ordre des séries", "Poids", "Unité de poids",
               "Répétitions", "RPE", "Distance", "Unité de distance", "Secondes", "Notes", "Notes d'entraînement",
               "Durée de l'entraînement"],
        "es": ["Fecha", "Nombre del entrenamiento", "Nombre del ejercicio", "Orden de la serie", "Peso",
               "Unidad de peso", "Repeticiones", "RPE", "Distancia", "Unidad de distancia", "Segundos", "Notas",
               "Notas del entrenamiento", "Duración del entrenamiento"],
        "it": ["Data", "Nome allenamento", "Nome esercizio", "Ordine serie", "Peso", "Unità di peso", "Ripetizioni",
               "RPE", "Distanza", "Unità di distanza", "Secondi", "Note", "Note allenamento", "Durata allenamento"],
        "pt": ["Data", "Nome do treino", "Nome do exercício", "Ordem da série", "Peso", "Unidade de peso",
               "Repetições", "PSE", "Distância", "Unidade de distância", "Segundos", "Notas", "Notas do treino",
               "Duração do treino"],
    },
    "hevy.csv": {
        "de": ["Titel", "Startzeit", "Endzeit", "Beschreibung", "Übung", "Supersatz-ID", "Übungsnotizen", "Satzindex",
               "Satztyp", "Gewicht (kg)", "Wiederholungen", "Distanz (km)", "Dauer (Sekunden)", "RPE"],
        "fr": ["Titre", "Heure de début", "Heure de fin", "Description", "Exercice", "ID de superset",
               "Notes de l'exercice", "Index de série", "Type de série", "Poids (kg)", "Répétitions", "Distance (km)",
               "Durée (secondes)", "RPE"],
        "es": ["Título", "Hora de inicio", "Hora de fin", "Descripción", "Ejercicio", "ID de superserie",
               "Notas del ejercicio", "Índice de serie", "Tipo de serie", "Peso (kg)", "Repeticiones",
               "Distancia (km)", "Duración (segundos)", "RPE"],
        "it": ["Titolo", "Ora di inizio", "Ora di fine", "Descrizione", "Esercizio", "ID superserie", "Note esercizio",
               "Indice serie", "Tipo di serie", "Peso (kg)", "Ripetizioni", "Distanza (km)", "Durata (secondi)", "RPE"],
        "pt": ["Título", "Hora de início", "Hora de término", "Descrição", "Exercício", "ID do superset",
               "Notas do exercício", "Índice da série", "Tipo de série", "Peso (kg)", "Repetições", "Distância (km)",
               "Duração (segundos)", "PSE"],
    },
    "fitnotes.csv": {
        "de": ["Datum", "Übung", "Kategorie", "Gewicht", "Gewichtseinheit", "Wiederholungen", "Distanz",
               "Distanzeinheit", "Zeit"],
        "fr": ["Date", "Exercice", "Catégorie", "Poids", "Unité de poids", "Répétitions", "Distance",
               "Unité de distance", "Temps"],
        "es": ["Fecha", "Ejercicio", "Categoría", "Peso", "Unidad de peso", "Repeticiones", "Distancia",
               "Unidad de distancia", "Tiempo"],
        "it": ["Data", "Esercizio", "Categoria", "Peso", "Unità di peso", "Ripetizioni", "Distanza",
               "Unità di distanza", "Tempo"],
        "pt": ["Data", "Exercício", "Categoria", "Peso", "Unidade de peso", "Repetições", "Distância",
               "Unidade de distância", "Tempo"],
    },
}
LANGUAGE = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese"}
# Set-type words as a localised Hevy/Strong might write them, and rest-timer labels.
SET_WORDS = {"de": {"warmup": "Aufwärmen", "dropset": "Reduktionssatz", "failure": "Versagen", "normal": "Normal"},
             "fr": {"warmup": "Échauffement", "dropset": "Série dégressive", "failure": "Échec", "normal": "Normale"},
             "es": {"warmup": "Calentamiento", "dropset": "Serie descendente", "failure": "Fallo", "normal": "Normal"},
             "it": {"warmup": "Riscaldamento", "dropset": "Serie a scalare", "failure": "Cedimento",
                    "normal": "Normale"},
             "pt": {"warmup": "Aquecimento", "dropset": "Série descendente", "failure": "Falha", "normal": "Normal"}}
REST_WORDS = {"de": "Pausentimer", "fr": "Minuteur de repos", "es": "Temporizador de descanso",
              "it": "Timer di recupero", "pt": "Cronômetro de descanso"}


def nonsense(n: int) -> list[str]:
    """A made-up language: headers no vocabulary holds, same order."""
    syll = ["zor", "vek", "quil", "brap", "tonk", "mib", "sha", "glu", "dree", "pok", "yav", "nux", "fre", "ilk"]
    return [(syll[i % len(syll)] + syll[(i * 5 + 3) % len(syll)]).capitalize() for i in range(n)]


def rows_of(shared: Path, name: str) -> list[list[str]]:
    _, delim = FILES[name]
    with (shared / "exports" / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delim))


def write(tmp: Path, name: str, rows: list[list[str]]) -> Path:
    out = tmp / name
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=FILES[name][1]).writerows(rows)
    return out


def localise(rows: list[list[str]], name: str, header: list[str], words: dict[str, str] | None,
             rest_label: str | None) -> list[list[str]]:
    """Translate the header, Hevy's set types, and add a rest-timer row (seconds only) after each Strong set 1."""
    out = [header]
    for r in rows[1:]:
        r = list(r)
        if name == "hevy.csv" and words and len(r) == len(header):
            r[8] = words.get(r[8], r[8])
        out.append(r)
        if rest_label and name.startswith("strong") and len(r) == len(header) and r[header_index(name, "set")] == "1":
            rest = [""] * len(r)
            for i in range(len(r)):
                if i in keep_columns(name):
                    rest[i] = r[i]
            rest[header_index(name, "set")] = rest_label
            rest[header_index(name, "seconds")] = "90"
            out.append(rest)
    return out


def header_index(name: str, what: str) -> int:
    return {"strong-ios.csv": {"set": 4, "seconds": 8}, "strong-android.csv": {"set": 3, "seconds": 10}}[name][what]


def keep_columns(name: str) -> set[int]:
    # date, workout name, exercise name (and durations): the columns a rest-timer row repeats
    return {"strong-ios.csv": {0, 1, 2, 3}, "strong-android.csv": {0, 1, 2, 13}}[name]


@pytest.mark.parametrize("name", sorted(COUNTS))
@pytest.mark.parametrize("lang", sorted(LANGUAGE))
def test_localised_copy_imports_with_documented_count(shared_data: Path, tmp_path: Path, name: str, lang: str):
    rows = rows_of(shared_data, name)
    copy = localise(rows, name, HEADERS[name][lang], SET_WORDS[lang], REST_WORDS[lang])
    p = parse_file(FILES[name][0], write(tmp_path, name, copy))
    assert p.set_count == COUNTS[name]
    assert p.dialect.language == LANGUAGE[lang]
    if name == "hevy.csv":
        kinds = {w[11] for s in p.sessions for w in s.sets}
        assert kinds == {"normal", "warmup", "drop", "failure"}
    if name.startswith("strong"):
        assert sum("rest timer" in x.lower() for x in p.skipped) > 100


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_made_up_language_imports_by_shape(shared_data: Path, tmp_path: Path, name: str):
    rows = rows_of(shared_data, name)
    header = nonsense(len(rows[0]))
    fmt = FILES[name][0]
    # set types and rest labels in the made-up language too: unknown words, read by the rows' shape
    words = {"warmup": "Zibzab", "dropset": "Kruu", "failure": "Plonk", "normal": "Vess"}
    copy = localise(rows, name, header, words, "Snorf")
    # the made-up header names no unit: kg/lb must come from the loads (strong-ios has no unit anyway)
    p = parse_file(fmt, write(tmp_path, name, copy))
    assert p.set_count == COUNTS[name]
    assert p.dialect.language == UNKNOWN_LANGUAGE and p.dialect.by == "value shapes"
    if name == "hevy.csv":
        assert p.unit.unit == "kg" and p.unit.source == "inferred"
        assert any("set_type peri does not know" in w for w in p.warnings)
    if name == "strong-ios.csv":
        assert p.unit.unit == "lb"


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_newest_first_copy_imports_the_same_sessions(shared_data: Path, tmp_path: Path, name: str):
    rows = rows_of(shared_data, name)
    fmt = FILES[name][0]
    forward = parse_file(fmt, shared_data / "exports" / name)
    backward = parse_file(fmt, write(tmp_path, name, [rows[0], *reversed(rows[1:])]))
    assert backward.set_count == COUNTS[name]

    def shape(p):
        return [(s.started_at, s.name, len(s.sets)) for s in p.sessions]

    assert shape(backward) == shape(forward)
    # every set back in logged order, numbered as the original: set numbers (Strong, Hevy) or, in a file
    # without them (FitNotes), the newest-first dates tell the direction
    assert [s.sets for s in backward.sessions] == [s.sets for s in forward.sessions]
    why = [w for w in backward.warnings if "runs backwards" in w]
    assert len(why) == 1 and ("set numbers" in why[0] if name != "fitnotes.csv" else "newest-first" in why[0])
    assert not any("runs backwards" in w for w in forward.warnings)


@pytest.mark.parametrize("name", ["hevy.csv", "strong-android.csv", "strong-ios.csv"])
def test_sessions_sorted_newest_first_keep_their_sets_in_order(shared_data: Path, tmp_path: Path, name: str):
    """A spreadsheet sort by date, newest first, moves whole sessions and keeps each session's rows in order:
    the file's set numbers say so, and nothing is reversed (Hevy's own export is laid out like this)."""
    rows = rows_of(shared_data, name)
    fmt = FILES[name][0]
    forward = parse_file(fmt, shared_data / "exports" / name)
    date_col = {"hevy.csv": 1}.get(name, 0)
    key = (lambda r: forward_key(r[date_col])) if name == "hevy.csv" else (lambda r: r[date_col])
    newest = sorted(rows[1:], key=key, reverse=True)  # sorted() is stable: rows of one session keep their order
    p = parse_file(fmt, write(tmp_path, name, [rows[0], *newest]))
    assert [s.sets for s in p.sessions] == [s.sets for s in forward.sessions]
    assert not any("runs backwards" in w for w in p.warnings)


def forward_key(text: str):
    import datetime as dt

    return dt.datetime.strptime(text, "%d %b %Y, %H:%M")


def test_strong_set_order_words_in_any_spelling(tmp_path: Path):
    head = "Workout #,Date,Workout Name,Duration (sec),Exercise Name,Set Order,Weight (kg),Reps,RPE,Distance (meters),Seconds,Notes,Workout Notes\n"
    rows = [f"1,2025-03-01 07:30:00,Push,3900,Bench Press (Barbell),{m},{w},{r},,,{sec},{note},"
            for m, w, r, sec, note in [("WARM_UP", 40, 12, "", ""), ("Warm-up", 50, 8, "", ""), ("1", 80, 8, "", ""),
                                       ("DROP_SET", 60, 10, "", ""), ("FAILURE", 60, 6, "", ""),
                                       ("Aufwärmen", 40, 10, "", ""), ("Blorp", 70, 5, "", ""),
                                       ("Grr", "", "", "120", ""), ("Hmm", "", "", "", "shoulder felt off")]]
    p = parse_file("strong", tmp_path.joinpath("x.csv").open("w").write(head + "\n".join(rows) + "\n") and tmp_path / "x.csv")
    kinds = [w[11] for w in p.sessions[0].sets]
    assert kinds == ["warmup", "warmup", "normal", "drop", "failure", "warmup", "normal"]
    assert any("'Blorp' x1" in w for w in p.warnings)
    assert any("'Grr' row with seconds only" in x for x in p.skipped)
    assert p.sessions[0].extra_notes == [("Bench Press (Barbell)", "shoulder felt off")]


def test_fold_and_vocabulary():
    assert fold("Übungs_Name (kg)") == "ubungs name kg"
    assert set_type_word("WARM_UP") == set_type_word("warm-up") == set_type_word("Échauffement") == "warmup"
    assert set_type_word("Zibzab") is None


def test_english_header_is_left_alone(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("Date,Workout Name,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes\n"
                    "2017-05-01 18:00:00,Legs,Squat,1,100,5,0,0,,\n")
    t = read_table(path)
    before = list(t.header)
    d = resolve_dialect("strong", t)
    assert t.header == before and d.name == "strong-2017" and d.language == "English"


def test_durations_in_unknown_words_do_not_cost_the_sets(shared_data: Path, tmp_path: Path):
    rows = rows_of(shared_data, "strong-ios.csv")
    header = HEADERS["strong-ios.csv"]["de"]
    copy = [header] + [[c if i != 2 else c.replace("h", " Std.").replace("m", " Min.") for i, c in enumerate(r)]
                       for r in rows[1:]]
    p = parse_file("strong", write(tmp_path, "strong-ios.csv", copy))
    assert p.set_count == COUNTS["strong-ios.csv"] and p.dialect.language == "German"


def test_fitnotes_kind_and_csv_set_types_in_other_languages(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_text("Date,Exercise,Category,Weight (kg),Weight (lbs),Reps,Distance,Distance Unit,Time,Notes,Kind\n"
                    "2025-06-01,Back Squat,Legs,60,,5,,,,,Aufwärmen\n2025-06-01,Back Squat,Legs,100,,5,,,,,Versagen\n"
                    "2025-06-01,Back Squat,Legs,100,,5,,,,,Zonk\n")
    p = parse_file("fitnotes", path)
    assert [w[11] for w in p.sessions[0].sets] == ["warmup", "failure", "normal"]
    gen = tmp_path / "g.csv"
    gen.write_text("When,Lift,Load,Unit,Reps,Type\n2025-06-01,Squat,60,kg,5,Échauffement\n2025-06-01,Squat,100,kg,5,Qux\n")
    p = parse_file("csv", gen, mapping={"columns": {"date": "When", "exercise": "Lift", "weight": "Load",
                                                    "unit": "Unit", "reps": "Reps", "set_type": "Type"}})
    assert [w[11] for w in p.sessions[0].sets] == ["warmup", "normal"]
    assert any("'qux' x1" in w for w in p.warnings)


def test_set_types_spelled_as_words_in_a_real_export(shared_data: Path, tmp_path: Path):
    rows = rows_of(shared_data, "strong-android.csv")
    words = ["WARM_UP", "1", "FAILURE", "DROP_SET", "Warm-up", "Zonk"]
    copy = [rows[0]] + [[c if i != 3 else words[n % len(words)] for i, c in enumerate(r)]
                        for n, r in enumerate(rows[1:])]
    p = parse_file("strong", write(tmp_path, "strong-android.csv", copy))
    assert p.set_count == COUNTS["strong-android.csv"]  # was: 1,521 problems
    kinds = {w[11] for s in p.sessions for w in s.sets}
    assert kinds == {"warmup", "normal", "failure", "drop"}
    assert any("'Zonk'" in w and "unknown type" in w for w in p.warnings)


def test_sets_listed_last_first_are_put_back_by_their_set_numbers(tmp_path: Path):
    """Sessions oldest-first but each session's rows last-first (a reversed file re-sorted by date), no
    warm-ups: the file's own set numbers fall, so each session is put back (a file whose numbers rise is
    left alone)."""
    head = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"

    def rows(backwards: bool):
        out = []
        for d in range(1, 5):
            session = [f"2024-03-0{d} 18:00:00,A,1h,{ex},{n},{100 + 10 * n},{6 - n},0,0,,,"
                       for ex in ("Squat (Barbell)", "Bench Press (Barbell)") for n in (1, 2, 3)]
            out += session[::-1] if backwards else session
        return out

    backward = tmp_path / "b.csv"
    backward.write_text(head + "\n".join(rows(True)) + "\n")
    forward = tmp_path / "f.csv"
    forward.write_text(head + "\n".join(rows(False)) + "\n")
    b, f = parse_file("strong", backward, mapping={"unit": "kg"}), parse_file("strong", forward, mapping={"unit": "kg"})
    # squats first, and their first set the lightest, as logged: 110 kg x 5, then 120 x 4, 130 x 3
    assert [(w[0], w[5], w[6], w[2]) for w in b.sessions[0].sets[:3]] == [
        ("Squat (Barbell)", 110.0, 5, 1), ("Squat (Barbell)", 120.0, 4, 2), ("Squat (Barbell)", 130.0, 3, 3)]
    assert [s.sets for s in b.sessions] == [s.sets for s in f.sessions]
    assert any("set numbers fall" in w for w in b.warnings) and not any("backwards" in w for w in f.warnings)
