"""Free-text notes as people write them: short, lower-case, a typo now and then, sometimes another language.

The simulator decides *that* something happened (a lift aggravated a region, a week was too much,
a variation felt great); this module only words it. Every choice goes through the injected `rng`,
so a seed always writes the same notes. A few templates ("lower back didn't like this", "knee tight
after squats") are deliberately vague: real complaints do not always use a word a parser knows.
"""
from __future__ import annotations

import random

# How lifters name their lifts in notes ("the squats", "RDLs"), by catalog id; else the catalog name.
NICKNAMES: dict[str, list[str]] = {
    "Barbell_Squat": ["squats", "squat", "back squats"],
    "Barbell_Full_Squat": ["squats", "deep squats"],
    "Front_Barbell_Squat": ["front squats", "fronts"],
    "Box_Squat": ["box squats"],
    "Barbell_Deadlift": ["deadlifts", "deads", "DLs"],
    "Sumo_Deadlift": ["sumo", "sumo pulls"],
    "Trap_Bar_Deadlift": ["trap bar deadlifts", "trap bar"],
    "Romanian_Deadlift": ["RDLs", "rdl", "romanians"],
    "Stiff-Legged_Dumbbell_Deadlift": ["DB RDLs", "dumbbell RDLs"],
    "Good_Morning": ["good mornings"],
    "Bent_Over_Barbell_Row": ["rows", "BB rows", "barbell rows"],
    "T-Bar_Row_with_Handle": ["t-bar rows"],
    "Barbell_Bench_Press_-_Medium_Grip": ["bench", "bench press"],
    "Bench_Press_-_Powerlifting": ["bench", "comp bench"],
    "Close-Grip_Barbell_Bench_Press": ["close grip bench", "CGBP"],
    "Barbell_Incline_Bench_Press_-_Medium_Grip": ["incline bench"],
    "Incline_Dumbbell_Press": ["incline DB press", "incline dumbbell press", "incline DBs"],
    "Dumbbell_Bench_Press": ["DB bench", "dumbbell bench"],
    "Dumbbell_Bench_Press_with_Neutral_Grip": ["neutral grip DB press", "neutral grip dumbbell bench"],
    "Standing_Military_Press": ["OHP", "overhead press"],
    "Seated_Barbell_Military_Press": ["seated OHP", "seated press"],
    "Dumbbell_Shoulder_Press": ["DB shoulder press", "shoulder press"],
    "Arnold_Dumbbell_Press": ["arnolds", "arnold press"],
    "Upright_Barbell_Row": ["upright rows"],
    "Wide-Grip_Pulldown_Behind_The_Neck": ["behind the neck pulldowns", "BTN pulldowns"],
    "Dips_-_Chest_Version": ["dips"],
    "Dips_-_Triceps_Version": ["dips"],
    "EZ-Bar_Skullcrusher": ["skullcrushers", "skulls"],
    "Lying_Triceps_Press": ["skull crushers", "lying tricep press"],
    "Barbell_Curl": ["curls", "BB curls"],
    "Dumbbell_Lunges": ["lunges"],
    "Barbell_Lunge": ["lunges", "barbell lunges"],
    "Split_Squat_with_Dumbbells": ["split squats", "bulgarians"],
    "Leg_Extensions": ["leg extensions", "leg ext"],
    "Goblet_Squat": ["goblet squats", "goblets"],
    "Leg_Press": ["leg press"],
    "Hack_Squat": ["hack squats", "hacks"],
    "Barbell_Hip_Thrust": ["hip thrusts"],
    "Pullups": ["pull ups", "pullups"],
    "Chin-Up": ["chin ups", "chins"],
    "Wide-Grip_Lat_Pulldown": ["pulldowns", "lat pulldown"],
    "Seated_Cable_Rows": ["cable rows", "seated rows"],
    "Face_Pull": ["face pulls"],
    "Cable_Crossover": ["cable flyes", "crossovers"],
    "Side_Lateral_Raise": ["laterals", "lateral raises"],
    "Cable_Seated_Lateral_Raise": ["cable laterals"],
    "Pin_Presses": ["pin press", "pin presses"],
    "Thigh_Adductor": ["adductor machine", "adductors"],
    "Machine_Bench_Press": ["machine press", "chest press"],
    "Leverage_Chest_Press": ["chest press machine", "chest press"],
    "Triceps_Pushdown_-_Rope_Attachment": ["rope pushdowns"],
    "Rowing_Stationary": ["rowing", "the rower"],
}

REGION_WORDS: dict[str, dict[str, list[str]]] = {
    "en": {
        "lower_back": ["lower back", "low back", "lower back"],
        "shoulder": ["shoulder", "right shoulder", "shoulder"],
        "knee": ["knee", "knees", "left knee"],
        "elbow": ["elbow", "elbows", "inner elbow"],
        "hip": ["hip", "left hip", "hip"],
        "wrist": ["wrist", "wrists"],
        "neck": ["neck"],
        "ankle": ["ankle"],
        "upper_back": ["upper back"],
    },
    "de": {"lower_back": ["unteren Rücken"], "shoulder": ["Schulter"], "knee": ["Knie"], "elbow": ["Ellbogen"],
           "hip": ["Hüfte"], "wrist": ["Handgelenk"], "neck": ["Nacken"], "ankle": ["Knöchel"], "upper_back": ["oberen Rücken"]},
    "es": {"lower_back": ["zona lumbar"], "shoulder": ["hombro"], "knee": ["rodilla"], "elbow": ["codo"], "hip": ["cadera"],
           "wrist": ["muñeca"], "neck": ["cuello"], "ankle": ["tobillo"], "upper_back": ["espalda alta"]},
    "fr": {"lower_back": ["bas du dos"], "shoulder": ["épaule"], "knee": ["genou"], "elbow": ["coude"], "hip": ["hanche"],
           "wrist": ["poignet"], "neck": ["nuque"], "ankle": ["cheville"], "upper_back": ["haut du dos"]},
    "hr": {"lower_back": ["donja leđa", "križa"], "shoulder": ["rame"], "knee": ["koljeno"], "elbow": ["lakat"],
           "hip": ["kuk"], "wrist": ["zapešće"], "neck": ["vrat"], "ankle": ["gležanj"], "upper_back": ["gornja leđa"]},
    "pt": {"lower_back": ["lombar"], "shoulder": ["ombro"], "knee": ["joelho"], "elbow": ["cotovelo"], "hip": ["quadril"],
           "wrist": ["pulso"], "neck": ["pescoço"], "ankle": ["tornozelo"], "upper_back": ["parte superior das costas"]},
    "it": {"lower_back": ["zona lombare"], "shoulder": ["spalla"], "knee": ["ginocchio"], "elbow": ["gomito"],
           "hip": ["anca"], "wrist": ["polso"], "neck": ["collo"], "ankle": ["caviglia"], "upper_back": ["parte alta della schiena"]},
}

# {ex}: how the lifter calls the lift; {region}: the body part in the note's language.
PAIN_ON_SET: dict[str, list[str]] = {
    "en": [
        "{region} tweaked again", "{region} didn't like this", "pain in {region} on the last set",
        "{region} tight and achy, stopped there", "{region} hurting again", "{region} pain, cut it short",
        "careful, {region} aching", "{region} flared up", "{region} sore again after this",
    ],
    "de": ["{region} tut wieder weh", "Schmerzen im {region}", "{region} tut weh"],
    "es": ["me duele el {region}", "dolor en {region} otra vez", "molestia en {region}"],
    "fr": ["douleur au {region}", "mal au {region} encore"],
    "hr": ["boli me {region}", "{region} opet boli"],
    "pt": ["dor no {region}", "{region} doeu de novo"],
    "it": ["dolore al {region}", "fa male il {region} di nuovo"],
}
PAIN_IN_SESSION: dict[str, list[str]] = {
    "en": [
        "the {ex} tweaked my {region} again", "{region} tight after {ex}", "{ex} aggravated my {region}, need to watch it",
        "{region} pain during {ex} :(", "tweaked {region} on {ex}", "{region} sore after {ex}, not great",
        "{ex} hurt my {region} again",
    ],
    "de": ["{region} tut wieder weh nach {ex}", "Schmerzen im {region} bei {ex}"],
    "es": ["me duele el {region} después de {ex}", "{ex}: dolor en {region} otra vez"],
    "fr": ["douleur au {region} sur {ex}", "{ex} m'ont fait mal au {region}"],
    "hr": ["boli me {region} nakon {ex}", "{ex} - {region} opet boli"],
    "pt": ["dor no {region} depois do {ex}"],
    "it": ["dolore al {region} dopo {ex}"],
}
FELT_GREAT: dict[str, list[str]] = {
    "en": ["{ex} felt great", "{ex} felt really strong today", "loving {ex}, felt great", "{ex} moved well",
           "felt strong on {ex}"],
    "de": ["{ex} lief super, fühlte mich stark"], "es": ["{ex} muy fuerte hoy"], "fr": ["{ex} super, en forme"],
    "hr": ["{ex} odlično, lagano"], "pt": ["{ex} ótimo hoje"], "it": ["{ex} ottimo oggi"],
}
WRECKED: dict[str, list[str]] = {
    "en": [
        "way too much volume this week, wrecked", "absolutely wrecked, still sore from the last session",
        "cooked. too many sets this week", "so tired, volume is too high right now", "wrecked. need to cut sets",
        "legs destroyed, way too much this week",
    ],
    "de": ["komplett kaputt diese Woche, zu viel Volumen"], "es": ["demasiado volumen esta semana, reventado"],
    "fr": ["trop de volume cette semaine, épuisé"], "hr": ["previše volumena ovaj tjedan, umoran"],
    "pt": ["volume demais essa semana, destruído"], "it": ["troppo volume questa settimana, distrutto"],
}
WORKED: dict[str, list[str]] = {
    "en": ["this progression worked", "up {gain} on {ex} this block, this progression worked",
           "{ex} up {gain} since the last deload, program is working", "new PR on {ex}!"],
    "de": ["{ex} +{gain} in diesem Block, hat funktioniert"], "es": ["{ex} +{gain} este bloque, funcionó"],
    "fr": ["{ex} +{gain} ce bloc, ça fonctionne"], "hr": ["{ex} +{gain} ovaj blok, napredak"],
    "pt": ["{ex} +{gain} neste bloco, funcionou"], "it": ["{ex} +{gain} in questo blocco, ha funzionato"],
}
GENERIC_SESSION = [
    "good session", "tired, slept badly", "short on time", "gym packed, had to wait for the rack", "felt flat today",
    "quick one before work", "solid", "late session", "bit of a cold, took it easy", "",
]
RPE_NOTES = ["RPE {rpe} on the last set", "last set @{rpe}", "rpe {rpe}", "RPE: {rpe}", "{rir} RIR", "{rir} in the tank"]
DELOAD_NOTES = ["deload week", "deload, keeping it light", "deload week - half the sets", "easy week (deload)"]
TRAVEL_NOTES = ["travelling, hotel gym", "hotel gym, only dumbbells up to 30kg", "on the road, hotel gym",
                "work trip - hotel gym, machines and DBs"]
PEAK_NOTES = ["meet prep, {n} out", "peaking - {n} to the meet", "{n} out, top sets felt fast"]
VOLUME_BLOCK_NOTES = ["starting a higher volume block", "adding a set to everything for a few weeks", "volume block"]
SWAP_NOTES = ["switched {old} for {new}", "swapping {old} for {new} for a while", "trying {new} instead of {old}"]
SICK_NOTES = ["first session back after being sick", "back after a week off", "back from holiday, felt rusty"]


def nickname(exercise_id: str, catalog_name: str, rng: random.Random) -> str:
    names = NICKNAMES.get(exercise_id)
    return rng.choice(names) if names else catalog_name.lower()


def typo(text: str, rng: random.Random) -> str:
    """Swap two adjacent letters in one longer word, the commonest slip on a phone keyboard."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


class NoteWriter:
    """Words the simulator's events; `languages[0]` is the lifter's usual language, the rest occasional."""

    def __init__(self, rng: random.Random, languages: list[str], *, foreign_rate: float = 0.12, typo_rate: float = 0.08):
        self.rng = rng
        self.languages = languages or ["en"]
        self.foreign_rate = foreign_rate
        self.typo_rate = typo_rate

    def _lang(self) -> str:
        if len(self.languages) > 1 and self.rng.random() < self.foreign_rate:
            return self.rng.choice(self.languages[1:])
        return self.languages[0]

    def _finish(self, text: str) -> str:
        if self.rng.random() < self.typo_rate:
            text = typo(text, self.rng)
        return text

    def _pick(self, table: dict[str, list[str]], lang: str) -> str:
        return self.rng.choice(table.get(lang) or table["en"])

    def _region(self, region: str, lang: str) -> str:
        words = REGION_WORDS.get(lang, REGION_WORDS["en"]).get(region) or REGION_WORDS["en"].get(region) or [region]
        return self.rng.choice(words)

    def pain_on_set(self, region: str) -> str:
        lang = self._lang()
        return self._finish(self._pick(PAIN_ON_SET, lang).format(region=self._region(region, lang)))

    def pain_in_session(self, region: str, ex: str) -> str:
        lang = self._lang()
        return self._finish(self._pick(PAIN_IN_SESSION, lang).format(region=self._region(region, lang), ex=ex))

    def felt_great(self, ex: str) -> str:
        lang = self._lang()
        return self._finish(self._pick(FELT_GREAT, lang).format(ex=ex))

    def wrecked(self) -> str:
        return self._finish(self._pick(WRECKED, self._lang()))

    def worked(self, ex: str, gain: str) -> str:
        return self._finish(self._pick(WORKED, self._lang()).format(ex=ex, gain=gain))

    def rpe(self, rpe: float) -> str:
        template = self.rng.choice(RPE_NOTES)
        value = f"{rpe:g}"
        return template.format(rpe=value, rir=f"{max(0.0, 10 - rpe):g}")

    def generic(self) -> str:
        return self._finish(self.rng.choice(GENERIC_SESSION))

    def deload(self) -> str:
        return self.rng.choice(DELOAD_NOTES)

    def travel(self) -> str:
        return self.rng.choice(TRAVEL_NOTES)

    def peak(self, weeks_out: int) -> str:
        return self.rng.choice(PEAK_NOTES).format(n=f"{weeks_out} week" + ("s" if weeks_out != 1 else ""))

    def volume_block(self) -> str:
        return self.rng.choice(VOLUME_BLOCK_NOTES)

    def swap(self, old: str, new: str) -> str:
        return self._finish(self.rng.choice(SWAP_NOTES).format(old=old, new=new))

    def back_after_break(self) -> str:
        return self.rng.choice(SICK_NOTES)
