"""Which question is being asked: an intent classifier trained, when first used, on the paraphrases in
`peri/data/guide_intents.yaml`, with BM25 over the concept cards (`knowledge.bm25`) as a second opinion.

The classifier is scikit-learn's multinomial logistic regression over two TF-IDF views of the question:
- peri's tokens (`knowledge.words`: content words with synonyms mapped and light stemming), their adjacent
  pairs, the slots the question fills and whether it asks for a definition;
- character 3–5-grams inside words, which meet a spelling, an inflection or a compound the paraphrases never
  used ("periodisation"/"periodised", "finetuning", "uploaded") halfway.
Words no in-scope paraphrase and no concept card uses become one shared "unknown" token; the off-topic
paraphrases are made mostly of it, and in-scope paraphrases lend it their one-off words, so "what's the
weather tomorrow?" is declined because nothing in it is peri's vocabulary, not because "weather" is listed.
Trained in well under a second from data; no model is downloaded or loaded at run time.

The labels, where two could be argued (settled 2026-12-02; the paraphrases and every rule below follow them):
- `methodology`: whether peri can follow MY training system (conjugate, Westside, undulating waves, my coach's blocks)
  and which path captures it - a scheme told and asked about, not the verdict asked in so many words (`decide`).
- `concept`: explaining an idea - what a thing is or how peri does it (RPE, the checker, the oracle and held-out
  evaluation, whether a tuned model only memorises, importing, a plan from elsewhere checked with `peri check`).
- `privacy`: where the data is, what leaves the machine, and taking it out or back: export, delete (one person's
  data on a shared machine too), undo an import.
- `providers`: which model runs where - hosted or local, and running offline with no internet (the embedded model).
- `retrain`: a tuned model refreshed because what it learned no longer fits - a goal change, a new block, an injury,
  surgery or a long layoff; not the examples in the prompt, which follow the log by themselves.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel

from .knowledge import _raw, bm25, card_words, correct, sections, vocabulary, words
from .slots import authored_by_chatbot, names_a_system, parse_slots

__all__ = ["OUT_OF_SCOPE", "SHAPE_CARDS", "asks_data_action", "shape_card", "IntentClassifier", "Route", "card_intent", "card_vocabulary", "classifier", "features", "route"]

UNKNOWN = "<unk>"
OUT_OF_SCOPE = "out_of_scope"
MIN_COUNT = 2  # in-scope occurrences below which a word also stands for the unknown in training
# Inverse regularisation strength: paraphrase sets are small and clean, so a weak prior fits them without
# memorising (chosen by leave-one-out on the paraphrases and the tunable bench half, never the held-out one)
C = 10.0
CHAR_WEIGHT = 0.5  # the character view is a helper: it must not outvote peri's own words
# BM25 score of the best card above which a question is in scope whatever the classifier says: above every
# off-topic paraphrase's best card score in the training data (max 3.1 when set at 18 cards; 4.84 at 22, the four
# cards added on 2026-12-01 raising the idf of "change" in "how do I change a tyre"), below most in-scope ones
IN_SCOPE_BM25 = 5.0
# how much surer of off-topic than of any in-scope intent the classifier may be and the card overlap above still bring
# a question in scope (2026-12-02: every bench question the overlap rightly brought in was under 1.6, except a
# two-word fragment; "recommend a decent pair of lifting shoes" was 1.86, "write an email to my gym" 2.67)
OFF_TOPIC_MARGIN = 1.7
FRAGMENT_WORDS = 3
CARD_WEIGHT = 0.35  # log-odds boost per BM25 point above the runner-up for the intent of the best card
# Posterior below which the best in-scope intent is not trusted and the question is declined instead of
# answered as something it may not be ("is it ok to lift with a fever?" once came out as the decision at
# 0.15: a health question sharing one verb with peri's paraphrases). Below the lowest confidence of any
# correctly routed bench question (0.42 on the tunable half, 0.21 over every set).
MIN_CONFIDENCE = 0.2
CARD_ONLY_WEIGHT = 2.0  # log-odds a word only a card uses adds to that card's intent
VOTED_CARD_SHARE = 0.75  # the share of the best card's score the voted card needs to be the one answered


class Route(BaseModel):
    intent: str
    confidence: float  # the posterior for `intent` after the card's vote
    card: str | None = None  # the best concept card (BM25), when one matched
    scores: dict[str, float] = {}  # log-odds against the best intent


_DEFINITION = re.compile(r"^\s*(what('s| is| are| does .* (mean|do|involve))|how does .* work|explain|define|tell me about|"
                         r"describe)\b", re.I)
# intents that answer the asker's own situation, which a request to explain a thing is not
_SITUATION_INTENTS = frozenset({"decide", "retrain", "methodology"})
# asking what a thing is in so many words (narrower than _DEFINITION: "what is best for me?" asks a verdict)
_EXPLAIN = re.compile(r"^\W*(?:(?:can|could|would) you\s+|please\s+)?(?:explain|define|describe|tell me about|what does \S+(?: \S+)? mean|"
                      r"how does \S+(?: \S+)? work)\b", re.I)
_NORMALISE = re.compile(r"[^a-z0-9]+")


def features(question: str, vocab: frozenset[str] | set[str] | None = None) -> list[str]:
    """Content words, adjacent pairs, the slots the question fills and whether it asks for a definition; with
    `vocab` (words as typed), a mistyped word is first read as the known word one edit away (`knowledge.correct`)."""
    w = words(question if vocab is None else correct(question, vocab))
    slots = parse_slots(question)
    extra = [f"slot:{k}" for k, v in slots.model_dump().items() if v not in (None, False)]
    if _DEFINITION.search(question):
        extra.append("form:definition")
    return w + [f"{a}_{b}" for a, b in zip(w, w[1:])] + extra


def _char_text(question: str) -> str:
    """The question as the character view sees it: lower case, one space between words, fine-tune joined."""
    t = question.lower().replace("fine-tun", "finetun").replace("fine tun", "finetun")
    return _NORMALISE.sub(" ", t).strip()


@lru_cache(maxsize=1)
def card_vocabulary() -> frozenset[str]:
    """Every content word of the concept cards and of the words people use for them (`knowledge.card_words`):
    peri's own vocabulary, known even when no paraphrase uses it. (The card words were indexed for BM25 only, so
    "peft" or "subscription" found its card and still counted as an unknown word that declined the question.)"""
    extra = " ".join(w for ws in card_words().values() for w in ws)
    return frozenset(w for s in sections() for w in words(s.title + " " + s.text)) | frozenset(words(extra))


@lru_cache(maxsize=1)
def index_words() -> frozenset[str]:
    """The words people use for each card (`knowledge.card_words`), as peri's tokens."""
    return frozenset(words(" ".join(w for ws in card_words().values() for w in ws)))


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files("peri.data").joinpath("guide_intents.yaml").read_text())


def _identity(tokens: list[str]) -> list[str]:
    return tokens


class IntentClassifier:
    """TF-IDF (peri's tokens + character n-grams) → logistic regression, with an explicit unknown token."""

    def __init__(self, examples: dict[str, list[str]]):
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        in_scope = Counter(f for intent, qs in examples.items() if intent != OUT_OF_SCOPE for q in qs for f in features(q))
        self.vocab = set(in_scope) | card_vocabulary()
        self.typed = vocabulary([q for qs in examples.values() for q in qs])  # words as typed, for spelling
        docs: list[list[str]] = []
        texts: list[str] = []
        labels: list[str] = []
        for intent, qs in examples.items():
            for q in qs:
                toks = self._known(q, fix=False)  # training text is spelled as meant: nothing to correct
                if intent != OUT_OF_SCOPE:
                    # a word seen once in-scope is as good as unknown: counting it so teaches in-scope classes a
                    # little of what an unknown word looks like, so one odd word does not push a real question out
                    toks += [UNKNOWN for f in features(q) if "_" not in f and ":" not in f and in_scope[f] < MIN_COUNT]
                docs.append(toks)
                texts.append(_char_text(q))
                labels.append(intent)
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)
        x = hstack([self.words.fit_transform(docs), CHAR_WEIGHT * self.chars.fit_transform(texts)]).tocsr()
        self.model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        self.model.fit(x, labels)
        self.classes: list[str] = [str(c) for c in self.model.classes_]

    def _known(self, question: str, fix: bool = True) -> list[str]:
        """Known features (mistyped words read as the known word one edit away, with `fix`); an unknown word
        becomes UNKNOWN, an unknown pair is dropped."""
        return [f if f in self.vocab or f.startswith(("slot:", "form:")) else UNKNOWN
                for f in features(question, self.typed if fix else None) if f in self.vocab or "_" not in f]

    def card_only(self, question: str) -> list[str]:
        """The question's words known from the concept cards alone: no paraphrase uses them, so the classifier
        has no weight for them."""
        fitted = self.words.vocabulary_
        index = index_words()
        return [w for w in words(correct(question, self.typed)) if w in index and w not in fitted]

    def _matrix(self, questions: list[str]) -> Any:
        from scipy.sparse import hstack

        docs = [self._known(q) or [UNKNOWN] for q in questions]
        return hstack([self.words.transform(docs), CHAR_WEIGHT * self.chars.transform([_char_text(q) for q in questions])]).tocsr()

    def log_scores(self, question: str) -> dict[str, float]:
        """Log posterior of every intent."""
        logp = self.model.predict_log_proba(self._matrix([question]))[0]
        return {c: float(v) for c, v in zip(self.classes, logp, strict=True)}


@lru_cache(maxsize=1)
def classifier() -> IntentClassifier:
    return IntentClassifier(_data()["intents"])


def card_intent(title: str) -> str:
    return _data()["cards"].get(title, "concept")


# a short follow-up that leans on the previous answer and names nothing itself: "and for me?" asks for the
# person's own verdict, "how do I do that then?" for the step to take
_FOLLOW_UP_ME = re.compile(r"^\W*(?:(?:and|so|ok|okay|but|what|how)\W+)*(?:about|for|in)\s+(?:me|mine|myself|my case)\W*(?:then|now)?\W*$", re.I)
_FOLLOW_UP_HOW = re.compile(r"^\W*(?:(?:and|so|ok|okay|right|but)\W+)*how (?:do|would|can|should|shall) (?:i|we) (?:do|start|begin|go about) "
                            r"(?:that|this|it)\W*(?:then|now|exactly)?\W*$", re.I)


# a follow-up that asks only for the verdict ("so should I or not?", "wait, which one do you recommend?"): every
# content word is a filler or a verdict word, and a verdict is asked; it leans on the previous answer like "and for me?"
_VERDICT_ASKED = re.compile(r"\b(?:should i|shall i|do i|would you|do you recommend|which one|which is better|which (?:way|path|option)|"
                            r"your (?:verdict|call|pick|advice)|yes or no|worth it|recommend\w*)\b", re.I)
_VERDICT_WORDS = frozenset(words("wait well hmm hm okay ok yeah yes one just really actually honestly then now right sure "
                                 "recommend recommendation verdict call pick advice advise suggest suggestion choose go "
                                 "better option way path worth bother already else") )


def asks_only_verdict(question: str) -> bool:
    """Whether `question` asks for the verdict and names nothing else (at most eight words)."""
    if len(question.split()) > 8 or not _VERDICT_ASKED.search(question):
        return False
    return all(w in _VERDICT_WORDS for w in words(question))


def answers_follow_up(question: str) -> bool:
    """Whether `question` is a follow-up the router answers by its own shape, whatever came before ("and for me?" asks
    the person's verdict, "how do I do that then?" the next step, "so should I or not?" the verdict)."""
    return bool(_FOLLOW_UP_ME.search(question) or _FOLLOW_UP_HOW.search(question) or asks_only_verdict(question))


# peri named in so many words: the question is about peri, so an unsure route is still answered, not declined
_NAMES_PERI = re.compile(r"\bperi\b", re.I)


# the verdict asked in so many words ("..., should I fine-tune?"): with a methodology described, the decision (which
# weighs that methodology) answers it, not the card about methodologies
_ASKS_VERDICT = re.compile(r"\b(?:should i|shall i|(?:whether|if) i should|is it worth|worth it|would you|do you recommend|do i need to|"
                           r"why (?:would|should|do) (?:i|we|anyone|someone))\b[^.?!]{0,25}?"
                           r"\b(?:fine-?\s?tun\w*|tun(?:e|ing)\b|train (?:a|my own) model|custom model)|"
                           r"\b(?:tune or prompt|prompt or tune|fine-?\s?tune or prompt|prompt or fine-?\s?tune)\b|"
                           r"\b(?:fine-?\s?tune|tune|prompt|train a model)\s+or\s+not\b|"
                           # "can't I just keep using a chatbot with a good prompt?": prompting alone, asked as the verdict
                           r"\b(?:can'?t|cannot|couldn'?t|why not|why can'?t) (?:i|we) just\b[^.?!]{0,40}?\b(?:prompt\w*|chat ?gpt|chatbot)\b", re.I)
# how far behind the best intent the decision may be and still be taken when the verdict is asked in so many words
VERDICT_MARGIN = 0.5


# asking to see, take away or delete one's own data ("how do I wipe everything", "can I download my log"): the card
# that says how, not only where the data is kept
YOUR_DATA = "Your data: seeing, exporting, deleting"
DATA_ACTION = re.compile(r"\b(?:see|view|look at|inspect|access|read|check|export\w*|download\w*|back(?:ing)? ?up|backups?|copy|"
                          r"take|move|moving|transfer\w*|migrat\w*|bring|delet\w*|remov\w*|eras\w*|wip\w+|purg\w*|clear\w*|"
                          r"get rid of|forget|reset)\b[^.?!]{0,30}\b(?:my|all|the|everything|every|what|her|his|their|one|"
                          r"someone'?s|\w+'s)\b[^.?!]{0,25}"
                          r"\b(?:data|log|logs|history|stuff|info\w*|records?|everything|account|files?|workouts?|athlete|profile)\b|"
                          r"\b(?:get|take|pull)\b[^.?!]{0,20}\b(?:data|log|logs|history|stuff|everything)\s+out\b|"
                          r"\b(?:see|view|look at|inspect|access|export\w*|download\w*|copy|delet\w*|remov\w*|eras\w*|wip\w+|"
                          r"purg\w*|clear\w*)\s+(?:it\s+)?(?:all|everything)\b", re.I)
_INTO_PERI = re.compile(r"\b(?:into|in to)\s+(?:it|peri|this|the app|the tool)\b|\b(?:get|load|bring)\s+(?:it|them)\s+in\b", re.I)


# running with no internet ("run it offline", "works without wifi?", "airplane mode ok?"): which model runs where; the
# embedded model leads whichever intent answers it (providers, or privacy when it asks what leaves)
OFFLINE = re.compile(r"\b(?:offline|off-line|off the grid|air-?plane mode|flight mode|on (?:a|the) (?:plane|flight)|no (?:internet|wifi|wi-fi|connection|network|signal)|"
                     r"(?:without|zero) (?:an? |the |any )?(?:internet|wifi|wi-fi|connection|network|signal|reception|coverage)|no (?:reception|coverage)|w/o (?:internet|wifi|wi-fi))\b", re.I)


def runs_offline(question: str) -> bool:
    """Whether `question` asks about running peri with no internet ("can I run it offline", "works w/o internet?")."""
    return bool(OFFLINE.search(question))


# what leaves the machine asked with the offline question ("is my data sent anywhere if I'm offline"): privacy's
_DATA_LEAVES = re.compile(r"\b(?:data|log|logs|notes|history|send\w*|sent|upload\w*|leav\w+|shar\w+|privacy|private|stor\w+|keep\w*|kept|"
                          r"servers?|cloud|compan\w+|anywhere|someone|anyone|safe|secure)\b", re.I)
# a session logged twice or to delete ("remove one bad session from Tuesday", "imported the same file twice"):
# taking data back, the privacy answer, led by `peri import delete-session` and `peri import undo`
DELETE_SESSION = re.compile(r"\b(?:remov\w*|delet\w*|get rid of|drop|undo\w*|erase\w*|wipe)\b[^.?!]{0,30}?\b(?:sessions?|workouts?)\b|"
                            r"\b(?:duplicated?|duplicates|doubled?|double-?counted|two copies)\b[^.?!]{0,30}?\b(?:sessions?|workouts?|"
                            r"entries|imports?|files?|sets)\b|\b(?:sessions?|workouts?)\b[^.?!]{0,20}?\b(?:twice|duplicated|doubled)\b|"
                            r"\b(?:imported|loaded|uploaded|logged|added)\b[^.?!]{0,30}?\btwice\b", re.I)
# can peri (or a tuned model) follow a system told in the message ("does peri get that", "could a tuned model pick up
# how I autoregulate", "can it do 5/3/1 or will it mess it up"): with a methodology in the slots, the methodology
CAN_FOLLOW = re.compile(r"\b(?:can|could|will|would|does|do|is)\b[^.?!]{0,30}?\b(?:peri|it|model|fine-?\s?tune|tuned|adapter|this|you|"
                        r"route|path|one)\b[^.?!]{0,25}?\b(?:get|gets|follow|handle|learn|learns|pick up|capture|cope|understand|"
                        r"plan in|plan around|program|do|manage|work with|deal with|mess|keep up|grasp|copy|replicate)\b", re.I)
# a device named with training asked ("my laptop is a 2019 MacBook Air, can I fine-tune on that", "only an iPad, can I
# still do the fine-tune part"): fine-tuning on one's own computer, the local command
_DEVICE = re.compile(r"\b(?:laptop|macbook\w*|mac|imac|mac mini|pc|desktop|computer|ipad|tablet|chromebook|phone|iphone|android|"
                     r"raspberry|netbook|gpu|graphics card|ram|\d+\s?gb)\b", re.I)
_TRAIN_HERE = re.compile(r"\b(?:can|could|will|would|is it possible|able)\b[^.?!]{0,30}?\b(?:fine-?\s?tun\w*|finetun\w*|tun(?:e|ing)|"
                         r"train(?:ing)?(?: the| a| my)?(?: model| adapter)?)\b", re.I)


# a thing named that one card explains ("what does peri do with my RIR", "isn't the tuned model just memorising"): that
# card, whatever the words around it (notes, a tuned model) lean to; not when a system of one's own is told (RPE waves)
# or the verdict asked
NAMED_CARDS = (("RPE and RIR", re.compile(r"\b(?:rpe|rir|reps in reserve|perceived exertion|effort (?:ratings?|scores?))\b|"
                                          r"(?<![\w@])@\s?(?:[5-9]|10)(?:\.5)?\b", re.I)),
               ("Memorising and held-out weeks", re.compile(r"\b(?:memori[sz]\w*|overfit\w*|regurgitat\w*|parrot\w*|recit(?:e|es|ing)|"
                                                            r"just cop(?:y|ies|ying)|only cop(?:y|ies|ying))\b", re.I)))
# creative writing asked ("write me a poem about squats", "compose a song for leg day"): no part of peri, whatever gym
# words it shares with a card
CREATIVE = re.compile(r"\b(?:write|compose|make up|tell|give)\b[^.?!]{0,15}?\b(?:poems?|songs?|stor(?:y|ies)|raps?|limericks?|"
                      r"haikus?|jokes?|essays?|lyrics|sonnets?|verses?)\b", re.I)
# an opinion of the person asked ("what do you think of me", "do you even like me"): not what peri holds, not peri's
OPINION_OF_ME = re.compile(r"\bwhat do (?:you|u) (?:really |honestly )?think (?:of|about) me\b|\bdo (?:you|u) (?:even |actually |really )?"
                           r"(?:like|love|hate|respect) me\b|\bam i (?:a )?(?:good|bad|nice|decent|lazy|ugly|attractive|smart|stupid|"
                           r"boring|weird) (?:person|guy|girl|man|woman|human|friend)\b", re.I)


def trains_on_device(question: str) -> bool:
    """Whether `question` asks if fine-tuning runs on a device it names (not whether it is worth it)."""
    return bool(_DEVICE.search(question) and _TRAIN_HERE.search(question))


# taking back an imported file ("undo the import", "wrong file, take it back", "roll back yesterday's upload"): the
# privacy answer (export, delete, undo), whose lead is `peri import undo`
UNDO_IMPORT = re.compile(r"\b(?:undo\w*|un-do|take back|took back|roll(?:ing)? ?back|revert\w*|reverse)\b[^.?!]{0,30}?"
                         r"\b(?:imports?|imported|importing|files?|uploads?|uploaded|export|csv|load(?:ed)?)\b|"
                         r"\b(?:imports?|imported|files?|uploads?|uploaded)\b[^.?!]{0,30}?\b(?:undo\w*|take (?:it |that )?back|roll(?:ed)? back|revert\w*)\b|"
                         r"\b(?:remov\w*|delet\w*|get rid of)\s+(?:an?|the|that|this|my|last|one)\s+(?:\w+\s+)?(?:imports?|uploads?)\b|"
                         r"\bwrong (?:file|export|csv|upload|import)\b", re.I)
# one person's data deleted where others' stays ("my wife and I share a laptop, she wants her data gone"): said
# of a person other than the asker, or "only mine"; privacy whatever words of sharing an install came with it
SOMEONE_ELSE = re.compile(r"\b(?:she|he|they|her|his|their|hers|theirs|my (?:wife|husband|partner|girlfriend|boyfriend|"
                           r"sister|brother|son|daughter|kid|mum|mom|dad|father|mother|friend|flatmate|roommate|housemate|"
                           r"client|athlete)|only (?:mine|my)|just (?:mine|my|hers|his))\b", re.I)
_GONE = re.compile(r"\b(?:delet\w*|remov\w*|eras\w*|wip(?:e|es|ed|ing)|purg\w*|get rid of|gone|clear\w*|scrub\w*)\b", re.I)


def deletes_someones_data(question: str) -> bool:
    """Whether `question` asks to delete one person's data (`_GONE` with someone named, `SOMEONE_ELSE`), not an import."""
    return bool(_GONE.search(question) and SOMEONE_ELSE.search(question) and not UNDO_IMPORT.search(question)
                and re.search(r"\b(?:data|log|logs|history|stuff|info\w*|records?|everything|account|athlete|profile|"
                              r"workouts?|things|it all|all of it|details)\b", question, re.I))


def asks_data_action(question: str) -> bool:
    """Whether `question` asks to see, take or delete one's data (`DATA_ACTION`), read through its typos too
    ("delete evrything")."""
    if _INTO_PERI.search(question):
        return False  # brought into peri: importing
    if DATA_ACTION.search(question):
        return True
    typed = getattr(classifier(), "typed", None)
    return bool(typed) and bool(DATA_ACTION.search(correct(question, typed)))


# asking to see one's training numbers ("how do I see my weekly volume", "where do I chart my e1rm"): the stats card,
# not the privacy of the data they are computed from; progress on a journey is not this
YOUR_STATS = "Your stats"
SEE_STATS = re.compile(r"\b(?:see|view|look at|show|chart|plot|graph|track|check|follow)\b[^.?!]{0,30}\b(?:volume|tonnage|e1rms?|1rms?|"
                       r"one rep max|trends?|progress|stats|statistics|prs?|personal records?|maxes)\b(?![^.?!]*\b(?:journey|step|sprint)\b)",
                       re.I)
# asking to see one's own prompt or training pairs ("where in the web app do I see my prompt", "can I see the pairs it
# would learn from"): the examples answer shows them; a prompt experiment, few-shot examples or the prompt's history are not this
SEE_PROMPT = re.compile(r"\b(?:see|view|show|read|look at|inspect|check|find)\b[^.?!]{0,30}\b(?:my|the|its|what)\s+(?:\w+\s+){0,3}?"
                        r"(?:prompts?|training pairs|pairs|training examples|training data)\b"
                        r"(?![^.?!]*\b(?:experiment|sprint|detail levels?|history|few-?\s?shot|template)\b)", re.I)
# asking to run or set up the comparison of prompting and a tuned model on one's own log ("side by side prompt vs tuned",
# "run the comparison on my data and tell me which path wins"): the experiment, not an explanation of either
RUNS_COMPARISON = re.compile(r"^(?=[^.?!]*\b(?:side[- ]by[- ]side|head[- ]to[- ]head|run (?:the |a |that )?comparison|do (?:the |a )?comparison|pit)\b)"
                             r"(?=[^.?!]*(?:\bprompt\w*\b[^.?!]*\b(?:tun\w*|fine-?\s?tun\w*|custom model)|"
                             r"\b(?:tun\w*|fine-?\s?tun\w*)\b[^.?!]*\bprompt\w*|\bwhich (?:path|approach|one) wins\b|"
                             r"\bmy (?:data|log|weeks)\b))|"
                             r"\bprompt\w*\s+(?:vs\.?|versus|against)\s+(?:the\s+)?(?:tuned|fine-?\s?tuned)\b[^.?!]*\b(?:test|run|how)\b|"
                             # peri's comparison named as a thing ("how do I run the comparison thing")
                             r"\b(?:run|start|do|open|use)\s+(?:the|that|this|your)\s+(?:side[- ]by[- ]side\s+)?comparison(?:\s+(?:thing|page|test|bit|tool))?\W*$",
                             re.I)
# plans of a tuned model and of prompting compared without knowing which is which ("compare two plans without knowing
# which one came from the tuned model"): the experiment on one's own weeks, whose answer names the Blind comparison page;
# two plans compared blind with no path named is judging a plan (concept)
BLIND_TUNED = re.compile(r"^(?=.*\b(?:blind\w*|without knowing which|not knowing which|hid\w* which|which (?:one|plan) came from)\b)"
                         r"(?=.*\b(?:tuned|fine-?\s?tun\w*|finetun\w*|prompt\w*|models?|approach\w*|paths?)\b)", re.I | re.S)
# proof asked that one path beats the other on the asker's own data ("show me actual numbers that tuning beats prompting",
# "how would I know the fine-tuned one is actually better on my own log"): the experiment on their own weeks; proof in
# general ("prove tuning beats prompting") is how peri measures quality, a concept
PROOF_ASKED = re.compile(r"^(?=.*\b(?:my own|my log|my data|my weeks|my numbers|own numbers|actual numbers|real numbers|for me|"
                         r"on me)\b)(?=.*\b(?:show me|prove|proof|evidence|numbers|how (?:would|do|can|will) (?:i|we|you) (?:know|tell|"
                         r"be sure|check|verify)|how do i know)\b[^.?!]{0,60}?\b(?:tun\w*|fine-?\s?tun\w*|finetun\w*|prompt\w*|"
                         r"custom model)\b[^.?!]{0,40}?\b(?:beats?|better|wins?|outperform\w*|worse|improv\w*)\b)", re.I | re.S)
# one's own weeks put in the prompt ("does putting my recent weeks into the prompt work better"): few-shot examples
WEEKS_IN_PROMPT = re.compile(r"\b(?:put\w*|add\w*|includ\w*|past(?:e|ing)|feed\w*|stick\w*|drop\w*)\s+(?:in\s+)?(?:my\s+|the\s+|some\s+)?"
                             r"(?:own\s+)?(?:recent\s+|past\s+|last\s+|old\s+|previous\s+|logged\s+)?(?:few\s+)?(?:weeks?|sessions?|workouts?|logs?|"
                             r"examples?|history)\s+(?:in|into|to|inside)\s+(?:the\s+|my\s+|a\s+)?prompts?\b", re.I)
# whether the log one has is enough to tune on ("is 18 months of that enough for the fine-tuning route", "7 years of
# sessions, is that enough to teach a model"): how many examples
ENOUGH_TO_TUNE = re.compile(r"^(?=.*\benough\b)(?=.*\b(?:fine-?\s?tun\w*|finetun\w*|tun(?:e|ing)\b|teach (?:a|the) model|"
                            r"train (?:a|the|my own) model|custom model|tuned model)\b)(?=.*\b(?:months?|years?|weeks?|sessions?|"
                            r"workouts?|logs?|data|history|examples?|that|this)\b[^.?!]{0,30}\benough\b)", re.I | re.S)
STATS_CONFIDENCE = 0.6  # how sure the classifier must be of another intent for such a question not to be the stats
# how sure the classifier must be of another intent for a question of that shape not to be the data question
DATA_ACTION_CONFIDENCE = 0.5
# a file brought INTO peri ("I exported my log from Strong") is importing, not taking one's data out
IMPORTING_CARDS = frozenset({"Importing your log", "Units, undo and exercise names"})


# Needs told by their shape, each answered by its card (src/peri/guide/concepts.md) whatever words carry it
# (2026-12-02, helper guide6). Each shape's card leads a concept answer; where the classifier is sure of an intent
# that also answers the need (a goal change is `retrain`, moving one's data is `privacy`), that intent stays and its
# answer adds the card (`shape_card`, peri.guide.peri).
SWITCHING = "Switching without starting over"
SELLING = "Is peri selling something"
KNOWS_YOU = "What peri knows about you"
NO_APP = "Logging without an app"
TRAINING_DAYS = "Training days and schedule"
# losing or redoing what was built, said of a change ("do I have to start over?", "is my adapter useless if I switch",
# "new laptop next week, will my stuff be gone"): a phrase that says it alone, or a loss and a change in one message
START_OVER = re.compile(r"\b(?:start(?:ing)?|begin(?:ning)?)\s+(?:all\s+)?(?:over|afresh|from\s+(?:scratch|zero|nothing))\b|"
                        r"\bfrom (?:scratch|zero)\b|\bsquare one\b|\bback to (?:zero|the start)\b|\ball over again\b", re.I)
LOSS = re.compile(r"\b(?:lose|loses|lost|losing|wast\w*|throw\w* away|thrown out|gone|wiped|useless|obsolete|worthless|"
                  r"carr(?:y|ies) over|carried over|transfer(?:s|red)? over|still (?:work|valid|usable|good|count|be there)\w*|"
                  r"(?:start|begin)(?:ing)?\s+again|redo|re-?do|redone|redoing|re-doing|rebuild|re-?build|rebuilt|set (?:it |everything )?up again|do (?:it|everything|all) again)\b",
                  re.I)
CHANGE = re.compile(r"\b(?:switch\w*|swap\w*|chang\w*|mov(?:e|ed|es|ing)\b|migrat\w*|replac\w*|upgrad\w*|new|newer|better|"
                    r"another|different|instead|comes? out|go(?:ing)? (?:from|over) to|moved on|layoff|lay-off|time off|"
                    r"back from|comeback|block|mesocycle)\b", re.I)


# a move between peri's own paths ("switching to prompting", "go from prompts to a tuned model")
_APPROACH_SWITCH = re.compile(r"\b(?:switch|mov|go|chang|graduat|transition|upgrad)\w*\s+(?:\w+\s+)?(?:back\s+)?(?:to|from|over to)\s+"
                              r"(?:an?\s+|the\s+|my\s+)?(?:prompt\w*|fine-?\s?tun\w*|finetun\w*|tun(?:e|ed|ing)\b|hybrid|few-?\s?shot|"
                              r"examples)", re.I)
# peri's own things named: a need told by its shape is about peri even among words it does not know
_PERIS_THINGS = re.compile(r"\b(?:peri|fine-?\s?tun\w*|finetun\w*|tun(?:e|ed|ing)|prompt\w*|models?|adapters?|datasets?|api|"
                           r"recommend\w*|advice|verdict|my log|my data|my training)\b", re.I)
_WEEKDAY_WORDS = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?\b", re.I)


CONTEXT_SHAPE_WORDS = 6  # a question this short that points back ("can I still use it?") leans on what was told before it
# an injury, an operation or time off: what a tuned model learned may no longer fit (both patterns below)
_TIME_OUT = (r"injur\w*|surgery|operation|post-?op|rehab\w*|time off|weeks off|months off|layoff|lay-off|comeback|"
             r"coming back")
# what a switch is of: a model or provider is the providers answer, a tuned model refreshed after a new block, time off
# or an injury the retraining one (a goal change is found by the slots)
_SWITCH_MODEL = re.compile(r"\b(?:base model|bigger model|larger model|smaller model|newer model|new model|better model|"
                           r"another model|different model|other model|models|provider|providers|openai|anthropic|claude|"
                           r"together|fireworks|gpt\S*|llama\S*|qwen\S*|mistral|gemini|ollama|gguf)\b", re.I)
_SWITCH_RETRAIN = re.compile(r"\b(?:new (?:training )?block|next block|each block|every block|mesocycle|" + _TIME_OUT +
                             r"|tune (?:it )?again|retrain\w*|re-?tune|refresh\w*)\b", re.I)


# an injury, an operation or time off told with a tuned model asked about ("I had shoulder surgery in spring, is my tuned
# model still any good?"): what the model learned no longer fits, so retraining; not the decision unless asked in so many words
_RETURN = re.compile(r"\b(?:" + _TIME_OUT + r"|surgeries|operated|back from|returning|hurt myself|torn|tore)\b", re.I)
_TUNED_MODEL = re.compile(r"\b(?:tuned|fine-?\s?tuned?|finetuned?|fine-?\s?tune|adapter|custom model|trained model|"
                          r"tuned coach)\b", re.I)
# what says the model may no longer fit ("still any good", "stale", "refresh", "before my injury"); "will the tuned model
# plan around my injury" has none of it: that is the injuries card
_STALE = re.compile(r"\b(?:still|stale|outdated|out of date|old|refresh\w*|redo\w*|re-?do\w*|retrain\w*|re-?tun\w*|updat\w*|again|"
                    r"useless|obsolete|wasted|valid|pre-?injury|before (?:my|the|i))\b", re.I)


def switched_intent(question: str) -> str | None:
    """The intent a switch asked about belongs to: `retrain` for a goal change, a new block, time off or an injury,
    `providers` for a model or provider; None for an app, a computer or a switch not named (the card answers it)."""
    if parse_slots(question).goal_change or _SWITCH_RETRAIN.search(question):
        return "retrain"
    if _SWITCH_MODEL.search(question):
        return "providers"
    return None


def starts_over(asked: str, context: str = "") -> bool:
    """Whether `asked` asks if a change means starting over (the change may be told in `context`)."""
    return bool(START_OVER.search(asked) or (LOSS.search(asked) and CHANGE.search(context or asked)))


# a sales motive suspected ("u just want me to pay openai", "are you on commission", "who pays you to say that")
SALES_MOTIVE = re.compile(r"\b(?:sell(?:s|ing)?\s+(?:me|us|people|this|it|something|hosted|subscriptions?)|sales\w*|upsell\w*|"
                          r"commissions?|kickbacks?|(?:give|gives|giving|get|gets|getting|take|takes|taking)\s+(?:you\s+|peri\s+|u\s+)?a cut|affiliat\w*|sponsor\w*|shill\w*|paid (?:by|off)|pays? (?:you|peri|them)|"
                          r"(?:you|peri|they|u)\s+(?:\w+\s+)?(?:earn|profit|make money|get paid|get a cut)\w*|"
                          r"ulterior|hidden agenda|conflict of interest|in bed with|partnered with|"
                          r"(?:work(?:s|ing)? for|owned by|funded by|backed by)\s+(?:openai|anthropic|together|fireworks|google|"
                          r"big tech|a provider|the providers?))\b|"
                          r"\b(?:want|wants|trying|try|tries|push\w*|get|gets|steer\w*|nudg\w*|herd\w*|funnel\w*)\s+"
                          r"(?:\w+\s+){0,2}?(?:me|us|people|users?|everyone|u)\s+(?:\w+\s+){0,2}?(?:to\s+)?"
                          r"(?:pay\w*|buy\w*|spend\w*|subscrib\w*|sign(?:ing)? up|upgrad\w*|use (?:openai|anthropic|a paid|hosted|the paid))\b", re.I)
# what peri holds about the asker ("what does peri know about me", "what have you got on me", "what did you work out
# from my log"): the card and the person's own profile, counts and notes
KNOWS_ME = re.compile(r"\b(?:you|peri|it|u|this app|the app|this thing|the ai|the system)\b[^.?!]{0,20}?\b(?:know|knows|knew|have|has|got|hold|holds|keep|keeps|store|stores|stored|saved|collect\w*|"
                      r"gather\w*|track\w*|remember\w*|learn\w*|worked out|figured out|infer\w*|deriv\w*|assum\w*|"
                      r"record\w*|see|sees)\b[^.?!]{0,25}\b(?:about|on|of)\s+(?:me|myself|u)\b(?!\s+(?:to|and)\b)|"
                      r"\bwhat (?:do|does|did) (?:you|peri|it|u) (?:know|have|assume) (?:of|about) me\b|"
                      r"\b(?:stored|kept|saved|held|collected|recorded|known|logged|gathered)\s+(?:about|on)\s+me\b|"
                      r"\b(?:my|the) (?:athlete )?profile\b[^.?!]{0,30}\b(?:say|says|show|shows|contain\w*|hold\w*|look like|"
                      r"see|view|check|wrong|right|correct)\b|"
                      r"\b(?:show|see|view|check)\s+(?:me\s+)?my\s+(?:athlete\s+)?profile\b", re.I)
# what is held asked in so many words: the card about what peri knows answers it even when the classifier is unsure
_HELD = re.compile(r"\b(?:data|info\w*|details|profile|records?|stor\w+|kept|keep|keeps|saved|collect\w*|log|logs|history|notes)\b", re.I)
# a log kept without an app ("I only log on paper", "my workouts are in a notebook", "what columns does my sheet need")
NO_APP_LOG = re.compile(r"\b(?:paper|notebook|note ?book|notepad|handwritten|hand-?written|by hand|pen and paper|journal|"
                        r"written down|write (?:it|them|everything|my \w+) down|no app|without an app|don'?t use an app|"
                        r"not use an app|never used an app|no tracking app|(?:spreadsheet|csv|excel|sheet) template|"
                        r"template (?:for|to) (?:fill|log|logging|my log)|fill in a template)\b|"
                        r"\b(?:template|blank sheet|blank log)\b[^.?!]{0,20}\b(?:fill|log|track|record|type|download|copy|use)\w*|"
                        r"\b(?:fill\w*|download\w*)\b[^.?!]{0,20}\btemplate\b|"
                        r"\b(?:which|what) columns\b|\bcolumns?\s+(?:do(?:es)?|should|must)\s+(?:i|my|it|the)\b|"
                        r"\b(?:minimum|least|bare minimum)\b[^.?!]{0,20}\b(?:log|logged|logging|record|columns?|fields?|file)\b"
                        r"(?![^.?!]*\b(?:fine-?\s?tun\w*|tun(?:e|ing)|examples?|weeks?|dataset)\b)", re.I)
# training days told or asked ("I train Mondays and Thursdays", "I can only make the gym twice a week now, how do I
# tell peri", "how do I set how many days I train"); asking or planning on those days is a frequency, not this
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?"
TRAINING_DAYS_SAID = re.compile(
    r"\b(?:train|trains|training|lift|lifts|lifting|gym|work out|workouts?|sessions?)\b"
    r"(?:(?!\b(?:plan|plans|planning|ask|asking|query|queries|request\w*)\b)[^.?!;]){0,25}?\b(?:on\s+)?"
    r"" + _WEEKDAY + r"(?:\s*(?:,|and|&|\+|or|/)?\s*" + _WEEKDAY + r")+\b|"
    r"\b" + _WEEKDAY + r"(?:\s*(?:,|and|&|\+|/)?\s*" + _WEEKDAY + r")+\s+(?:are|is)\s+(?:my\s+)?(?:gym|training|lifting|leg|upper|lower)\b|"
    r"\b(?:my|the)\s+(?:gym|training|lifting|rest)\s+days\b|"
    r"\b(?:how many|number of|which)\s+days\b[^.?!]{0,20}\b(?:i\s+)?(?:train|lift|work out|go|gym)\w*\b|"
    r"\b(?:days|times)\s+(?:a|per)\s+week\s+i\s+(?:train|lift|work out|can train)\b|"
    r"\b(?:can|could)\s+only\s+(?:\w+\s+){0,3}?(?:train|lift|gym|make it|get to the gym|go)\b[^.?!]{0,25}\b(?:once|twice|\w+\s+(?:times|days))\s+a\s+week\b",
    re.I)
# no terminal, no code ("I don't code at all", "without typing commands", "what's a terminal"): the web app's card
WEB_APP = "The web app"
NO_TERMINAL = re.compile(r"\b(?:don'?t|do not|can'?t|cannot|never)\s+(?:\w+\s+){0,2}?(?:code|coding|program|use (?:a|the) terminal|"
                         r"use the command line|type commands)\b|\bwithout (?:typing |using |any )?(?:commands|a terminal|the terminal|"
                         r"the command line|code|coding)\b|\bno terminal\b|\bnot (?:a |very )?(?:techie|technical|tech-savvy|computer person)\b|"
                         r"\b(?:what|wat)(?:'s| is) a terminal\b|\bdon'?t know what a terminal is\b", re.I)
# intents whose answer already serves the shape's need, kept when the classifier is this sure of them
SHAPE_KEEPS = {SWITCHING: frozenset({"retrain", "privacy", "providers"}), SELLING: frozenset({"cost"}),
               KNOWS_YOU: frozenset({"privacy", "examples"}), NO_APP: frozenset(), TRAINING_DAYS: frozenset({"decide", "methodology"}),
               WEB_APP: frozenset({"providers", "next", "privacy", "examples", "experiment", "decide", "cost", "fewshot",
                                   "example_count", "retrain", "methodology"})}
SHAPE_KEEP_CONFIDENCE = 0.5
SHAPE_CARDS = frozenset(SHAPE_KEEPS)


_POINTS_BACK = re.compile(r"\b(?:it|that|this|them|those|these)\b", re.I)


def asked_part(text: str) -> str:
    """The part of a message that asks: its questions, else its last sentence (what came before is context)."""
    from .parts import message_parts

    parts = message_parts(text)
    asked = [p.text for p in parts if p.question]
    return " ".join(asked) if asked else (parts[-1].text if parts else text)


def shape_card(question: str, context: str = "") -> str | None:
    """The card a need told by its shape names (`SWITCHING`, `SELLING`, `KNOWS_YOU`, `NO_APP`, `TRAINING_DAYS`), or None;
    `context` is the whole message `question` was asked in."""
    if starts_over(question, context) and not _APPROACH_SWITCH.search(context or question):
        # (moving between peri's own paths is the graduation or the verdict, not a change of tools)
        return SWITCHING
    if SALES_MOTIVE.search(question):
        return SELLING
    if KNOWS_ME.search(question):
        return KNOWS_YOU
    if NO_APP_LOG.search(question):
        return NO_APP
    if TRAINING_DAYS_SAID.search(question):
        return TRAINING_DAYS
    if NO_TERMINAL.search(question) or NO_TERMINAL.search(context):
        return WEB_APP
    return None


# a file brought INTO peri said loosely ("I keep my log in a google sheet, how do I get it in"): importing, not privacy
_BRING_IN = re.compile(r"\b(?:get|bring|load|put|pull|feed|move|copy)\s+(?:it|them|this|that|(?:my|the|all my|all the)\s+(?:\w+\s+){0,2}?\w+)\s+(?:in|into)\b"
                       r"(?!\s+(?:the\s+|a\s+)?(?:cloud|server|openai|anthropic|together|fireworks))", re.I)


# deleting is never importing, whatever card the words of an import around it found ("she uses Hevy ... can she delete
# her stuff later")
DELETES = re.compile(r"\b(?:delet\w*|remov\w*|eras\w*|wip(?:e|es|ed|ing)|purg\w*|get rid of)\b", re.I)


# an amount of something asked, not its price ("how much sleep do I need", "how many eggs should I eat")
_QUANTITY = re.compile(r"\bhow (?:much|many) (?!money\b|cash\b|dollars?\b|euros?\b|pounds\b|bucks\b)[a-z]+ (?:(?:do|does|should|must|can|"
                       r"will|would) (?:i|you|we|one|people|a person|my body)|is (?:too|enough|ok|okay|safe|healthy|normal))\b(?![^.?!]*\b(?:pay|spend|cost|charge|bill)\w*)", re.I)


# the price asked in so many words: the fragment ends on it, or opens with it ("price of ...", "how much does ... cost")
_PRICE_ASKED = re.compile(r"\b(?:price|prices|pricing|priced|cost|costs|fee|fees|charges?|bill)\W*$|"
                          r"^\W*(?:what(?:'s| is| are)?\s+(?:the\s+)?)?(?:price|prices|pricing|cost|costs)\s+(?:of|for)\b|"
                          r"\bhow much (?:does|do|would|will|is|are)\b[^.?!]{0,40}\b(?:cost|charge|bill)\b|"
                          r"\bhow (?:expensive|pricey|costly|cheap)\b|"
                          r"\bwhat (?:will|would|does|do)\b[^.?!]{0,30}\b(?:charge|cost|bill)\b", re.I)
# intents whose subject a price may be about (a provider, a model, local training): the cost answers the price
PRICED_BY_COST = frozenset({"providers", "concept", "example_count", "retrain", "fewshot"})
PRICE_MARGIN = 4.0  # how far behind the cost may be and the price asked still decide


@lru_cache(maxsize=1)
def priced_things() -> frozenset[str]:
    """Words that make a question about money peri's (`data/guide_words.yaml`, `priced_things`), stemmed."""
    data = yaml.safe_load(resources.files("peri.data").joinpath("guide_words.yaml").read_text())
    # plural and singular both ("figures" stems to "figur", "figure" to itself)
    return frozenset(w for x in data["priced_things"] for form in (str(x), f"{x}s") for w in _raw(form))


def prices_something_else(question: str, clf: IntentClassifier) -> bool:
    """A price asked of something that is not peri's ("bitcoin price", "what does creatine cost", "how much sleep
    do I need"): a word peri does not know, and nothing a peri cost could be about."""
    if UNKNOWN not in clf._known(question) and not _QUANTITY.search(question) or parse_slots(question).provider is not None:
        return False  # (a provider or its model named, "cost daily use gpt4o mini", is peri's price)
    # the words as typed, everyday words read as peri's ("raspberry pi" is a computer); not the spelling-corrected
    # ones: "bread" is one edit from "break" (even), which would make a loaf's price peri's
    asked = _raw(question) | set(words(question))
    typed = getattr(clf, "typed", None)
    if typed:  # a word mistyped ("how mch does fintuning cost", "pirce") still names what is priced
        fixed = re.sub(r"[a-z]{5,}", lambda m: _one_typo(m.group(0), typed), question.lower())
        asked |= _raw(fixed) | set(words(fixed))
    return not asked & priced_things()


@lru_cache(maxsize=1)
def _senses() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """peri's senses (`data/guide_words.yaml`, `peri_senses`): its words and its everyday ones, stemmed as a question's
    are, and its phrases."""
    data = yaml.safe_load(resources.files("peri.data").joinpath("guide_words.yaml").read_text())["peri_senses"]
    def stems(xs: list) -> frozenset[str]:
        return frozenset(w for x in xs for w in _raw(str(x)) | set(words(str(x))))

    everyday = stems(data["everyday"])
    single = stems([x for sense, ws in data.items() if sense not in ("phrases", "everyday") for x in ws]) - everyday
    phrases = re.compile(r"\b(?:" + "|".join(re.escape(str(p)) for p in data["phrases"]) + r")\b", re.I)
    return single, everyday, phrases


# periods as people shorten them ("wk", "2 mths", "yr"), read in full before the senses are looked for
_SPELLED = {"wk": "week", "wks": "weeks", "mth": "month", "mths": "months", "yr": "year", "yrs": "years"}
_TEXT_SPEAK = re.compile(r"\b(?:" + "|".join(_SPELLED) + r")\b", re.I)


def _one_typo(question: str, typed: frozenset[str]) -> str:
    """`question` with each mistyped word read as the known word one edit away (`knowledge.correct`), and no further:
    a real word two edits from one of peri's is another word ("interest" is not "internet")."""
    from .slots import edit_distance

    def fix(m: re.Match) -> str:
        w = m.group(0)
        c = correct(w, typed)
        return c if edit_distance(w, c) <= 1 else w

    return re.sub(r"[a-z]+", fix, question.lower())


def has_peri_sense(question: str, typed: frozenset[str] | None = None) -> bool:
    """Whether `question` touches one of peri's senses (its models and prompts, lifting and plans, the log and its data,
    money, peri itself), read through its typos too ("privat", "fintune"); a word whose everyday sense is another's
    ("import", "example", "train") counts only beside another of peri's words."""
    single, everyday, phrases = _senses()
    question = _TEXT_SPEAK.sub(lambda m: _SPELLED[m.group(0).lower()], question)  # "break evn wk for me?": a week
    for t in [question] + ([_one_typo(question, typed)] if typed else []):
        found = _raw(t) | set(words(t))
        if phrases.search(t) or found & single or len(found & everyday) >= 2:
            return True
    return False


# a question pointing at something ("is it worth it", "what's the point of this"): peri, or what it just said
_POINTS_AT = re.compile(r"\b(?:it|this|that|these|those)\b|^\W*(?:sounds|seems|looks|feels) like\b", re.I)


def no_peri_sense(question: str, clf: IntentClassifier) -> bool:
    """A question with no sense of peri's, that points at nothing and uses a word peri does not know ("give me the main
    point of stoicism"): someone else's question, whatever common words ("point", "main", "change") it shares with a
    card's text. peri named is peri's."""
    known = getattr(clf, "_known", None)  # (a stand-in classifier without a vocabulary knows every word)
    return known is not None and UNKNOWN in known(question) and not _POINTS_AT.search(question) \
        and not _NAMES_PERI.search(question) and not has_peri_sense(question, getattr(clf, "typed", None))


# a currency sign standing for money, not before an amount ("$$ weekly plans", "how many €")
_MONEY_SIGN = re.compile(r"[$€£]+(?!\s*\d)")


# "together" is an ordinary word ("we train together") unless the slot reader found Together AI in it
_TOGETHER = re.compile(r"\btogether\b", re.I)


def _take(scores: dict[str, float], top: str, intent: str) -> tuple[str, float, float, float]:
    """`intent` answers the question whatever the classifier said: its score set just above `top`'s. Returns the new
    top, the score the posteriors are normalised against, their normaliser, and the confidence a question read from
    its shape carries (as sure as a kept intent must be)."""
    scores[intent] = scores[top] + 0.01
    z = scores[intent]
    norm = sum(math.exp(v - z) for v in scores.values())
    return intent, z, norm, max(1.0 / norm, SHAPE_KEEP_CONFIDENCE)


def route(question: str) -> Route:
    """The intent of `question`, its confidence, and the best concept card."""
    if _TOGETHER.search(question) and parse_slots(question).provider != "together":
        question = _TOGETHER.sub(" ", question)
    question = _MONEY_SIGN.sub(" cost ", question)  # "$$ for a plan every week?": money asked with a sign
    if _FOLLOW_UP_ME.search(question):
        return Route(intent="decide", confidence=1.0)
    if _FOLLOW_UP_HOW.search(question):
        return Route(intent="next", confidence=1.0)
    if asks_only_verdict(question):
        return Route(intent="decide", confidence=1.0)
    clf = classifier()
    scores = clf.log_scores(question)
    typed = getattr(clf, "typed", None)
    corrected = correct(question, typed) if typed else None
    # a mistyped card name ("hybird") still names its card
    hits = bm25(question, corrected) if corrected and corrected != question.lower() else bm25(question)
    card = hits[0].section.title if hits and hits[0].score >= 1.0 else None
    voted = None  # the card that words only it uses named
    if card is not None and scores:
        margin = hits[0].score - (hits[1].score if len(hits) > 1 else 0.0)
        scores[card_intent(card)] += CARD_WEIGHT * margin
        only = clf.card_only(question)
        if only and 3 * len(only) >= len(words(question)):
            # words only a card uses ("browser", "dad", "e1rm") are evidence the classifier never saw: they vote
            # for the card they name, each as much as a paraphrase word would
            named = bm25(" ".join(only))
            if named and named[0].score >= 1.0:
                scores[card_intent(named[0].section.title)] += CARD_ONLY_WEIGHT * len(only)
                # it names the answer's card only when the whole question nearly agrees ("safety" alone names
                # Measuring quality, "how are plans checked for safety" the checker)
                whole = next(h.score for h in hits if h.section.title == named[0].section.title)
                if whole >= VOTED_CARD_SHARE * hits[0].score:
                    voted = named[0].section.title
    if card is None and corrected and corrected != question.lower():
        # no card for the words as typed: the card of the words meant ("wat does the chekcer do"); after the scores,
        # so a corrected word never moves the intent through the card's vote
        alt = bm25(corrected)
        card = alt[0].section.title if alt and alt[0].score >= 1.0 else None
    top = max(scores, key=lambda c: scores[c])
    if voted is not None and card_intent(voted) == top:
        card = voted  # the card the deciding words name is the one the answer stands on
    explain = _EXPLAIN.search(question) and not _ASKS_VERDICT.search(question)
    if explain:
        # the thing to explain is the card the question names by its title ("explain fine-tuning ... like I'm new"
        # names Fine-tuning, though "new" scores When goals change higher)
        asked = _raw(question)
        card = next((h.section.title for h in hits if _raw(h.section.title) <= asked), card)
    if top in _SITUATION_INTENTS and card is not None and explain and card_intent(card) != top:
        # "explain fine-tuning like I'm five" asks what a thing is, not what to do in one's own situation (the
        # decision, a goal change, a methodology): the card that explains it
        scores[card_intent(card)] = scores[top] + 0.01
        top = card_intent(card)
    if top != "decide" and "decide" in scores and _ASKS_VERDICT.search(question) and \
            (top == "methodology" or scores["decide"] >= scores[top] - VERDICT_MARGIN):
        # the verdict asked in so many words ("..., tune or not?"): the decision, when the classifier nearly says so
        scores["decide"] = scores[top] + 0.01
        top = "decide"
    if top == OUT_OF_SCOPE and hits and hits[0].score >= IN_SCOPE_BM25:
        # strong overlap with peri's own cards outweighs a vocabulary the paraphrases happen not to share, unless
        # the classifier is far surer of off-topic in a whole sentence ("help me write an email to my gym" shares
        # "write" and "gym" with Planning a week; a fragment such as "web version?" is all card words)
        best = max((c for c in scores if c != OUT_OF_SCOPE), key=lambda c: scores[c])
        if scores[OUT_OF_SCOPE] - scores[best] < OFF_TOPIC_MARGIN or len(question.split()) <= FRAGMENT_WORDS:
            top = best
    if top != OUT_OF_SCOPE and no_peri_sense(question, clf):
        # nothing of peri's in it and a word peri does not know ("give me the main point of stoicism"): someone else's
        # question, whatever common words it shares with a card; the rules below that read a need of peri's by its
        # shape ("can I use it on a plane") still bring it back
        scores[OUT_OF_SCOPE] = max(scores.values()) + 0.01
        top, card = OUT_OF_SCOPE, None
    z = max(scores.values())
    norm = sum(math.exp(v - z) for v in scores.values())
    confidence = math.exp(scores[top] - z) / norm
    if top == "cost" and prices_something_else(question, clf):
        top = OUT_OF_SCOPE
    elif top in PRICED_BY_COST and _PRICE_ASKED.search(question) and scores["cost"] >= scores[top] - PRICE_MARGIN:
        # "gpt-4o-mini finetune price": the provider or the model is what is priced, the price is what is asked
        scores["cost"] = scores[top] + 0.01
        top = "cost"
    shaped = False  # the intent was read from the question's shape, not the classifier: not declined as unsure
    if top in ("concept", "privacy", "decide", "next", OUT_OF_SCOPE) and (PROOF_ASKED.search(question) or BLIND_TUNED.search(question)) \
            or top in ("concept", "privacy", "next") and (RUNS_COMPARISON.search(question) or RUNS_COMPARISON.search(corrected or "")):
        scores["experiment"] = scores[top] + 0.01
        top, z = "experiment", scores[top] + 0.01
        norm = sum(math.exp(v - z) for v in scores.values())
        confidence, shaped = max(1.0 / norm, SHAPE_KEEP_CONFIDENCE), True
    if SEE_PROMPT.search(question) and top != "examples" and (top == "concept" or confidence < STATS_CONFIDENCE):
        scores["examples"] = scores[top] + 0.01
        top, z = "examples", scores[top] + 0.01
        norm = sum(math.exp(v - z) for v in scores.values())
        confidence, shaped = max(1.0 / norm, SHAPE_KEEP_CONFIDENCE), True
    if SEE_STATS.search(question) and (top == "concept" or confidence < STATS_CONFIDENCE):
        if top != "concept":
            scores["concept"] = scores[top] + 0.01
            top, z = "concept", scores[top] + 0.01
            norm = sum(math.exp(v - z) for v in scores.values())
            confidence, shaped = 1.0 / norm, True
        card, shaped = YOUR_STATS, True  # asked to see one's numbers by its shape: not declined as unsure
    asked = asked_part(question)
    shape = shape_card(asked, question)
    if shape is None and (top == OUT_OF_SCOPE or confidence < SHAPE_KEEP_CONFIDENCE) and _POINTS_BACK.search(asked) and \
            len(asked.split()) <= CONTEXT_SHAPE_WORDS:
        shape = shape_card(question)  # told as context, asked about by pointing back ("I only log on paper. Can I still use it?")
    if shape is not None and top == OUT_OF_SCOPE and UNKNOWN in clf._known(_WEEKDAY_WORDS.sub(" ", question)) and \
            not _PERIS_THINGS.search(question) and parse_slots(question).provider is None:
        shape = None  # words peri does not know, none of its own ("I write poems in a notebook"): someone else's need
    if shape == KNOWS_YOU and top == OUT_OF_SCOPE and not _PERIS_THINGS.search(question) and not _HELD.search(question):
        shape = None  # "what do you know about me, am I a good person?": an opinion of the person, not what peri holds
    if shape is not None:
        # a switch kept as retraining only when a goal changed ("if I change models" is no goal change)
        keep = top in SHAPE_KEEPS[shape] and (switched_intent(question) == "retrain" if top == "retrain" else
                                              confidence >= SHAPE_KEEP_CONFIDENCE or shape == WEB_APP)
        switched = switched_intent(question) if shape == SWITCHING else None
        if shape == KNOWS_YOU and asks_data_action(question):
            switched = "privacy"  # "can I look at everything you keep about me": seeing it is the data card's how
        if switched is not None and not keep:
            # what is switched names the intent that answers it (a model: providers; a block, an injury: retraining);
            # the card that says what carries over is added to its answer (peri.guide.peri)
            if top != switched:
                scores[switched] = scores[top] + 0.01
                top, z = switched, scores[top] + 0.01
                norm = sum(math.exp(v - z) for v in scores.values())
            confidence, shaped, keep = max(1.0 / norm, SHAPE_KEEP_CONFIDENCE), True, True
        # "I train Mondays and Thursdays, should I tune?" asks the verdict: the days are told on the way
        if not keep and not (shape == TRAINING_DAYS and _ASKS_VERDICT.search(question)):
            if top != "concept":
                scores["concept"] = scores[top] + 0.01
                top, z = "concept", scores[top] + 0.01
                norm = sum(math.exp(v - z) for v in scores.values())
                confidence = 1.0 / norm
            # read from the need's shape, not the classifier's spread: as sure as a kept intent must be
            card, shaped, confidence = shape, True, max(confidence, SHAPE_KEEP_CONFIDENCE)
    if top != "privacy" and confidence < DATA_ACTION_CONFIDENCE and asks_data_action(question) and \
            (card not in IMPORTING_CARDS or DELETES.search(question)):
        # "can I download my training history": seeing, taking or deleting one's own data, said in words the
        # paraphrases lack; the privacy intent answers it with the card that says how (peri.guide.peri)
        scores["privacy"] = scores[top] + 0.01
        top, card, z = "privacy", YOUR_DATA, scores[top] + 0.01
        norm = sum(math.exp(v - z) for v in scores.values())
        confidence, shaped = 1.0 / norm, True
    named_card = next((title for title, pattern in NAMED_CARDS if pattern.search(question)), None)
    if named_card is not None and top not in ("methodology", "retrain") and \
            not parse_slots(question).complex_methodology and not _ASKS_VERDICT.search(question):
        if top != "concept":
            top, z, norm, confidence = _take(scores, top, "concept")
            shaped = True
        card = named_card
    if (OPINION_OF_ME.search(question) or CREATIVE.search(question)) and not _PERIS_THINGS.search(question):
        top, card, shaped = OUT_OF_SCOPE, None, True
        confidence = math.exp(scores[top] - z) / norm
    if top in ("decide", "concept", "next", "fewshot", "providers", "example_count", OUT_OF_SCOPE) and \
            _RETURN.search(question) and _TUNED_MODEL.search(question) and _STALE.search(question) and not _ASKS_VERDICT.search(question):
        (top, z, norm, confidence), card, shaped = _take(scores, top, "retrain"), "When goals change", True
    if top != "providers" and runs_offline(question) and not _DATA_LEAVES.search(question):
        # "can I use it on a plane, no signal": which model runs with no internet - the embedded one (providers)
        (top, z, norm, confidence), card, shaped = _take(scores, top, "providers"), "Backends and providers", True
    if top != "methodology" and CAN_FOLLOW.search(question) and \
            (parse_slots(question).complex_methodology or names_a_system(question)) and \
            not _ASKS_VERDICT.search(question) and top != "retrain":
        # a system told and "can peri follow that?" asked: whether it can, and which path captures it
        (top, z, norm, confidence), card, shaped = _take(scores, top, "methodology"), "Non-standard methodology", True
    if top in ("decide", "concept", OUT_OF_SCOPE, "next", "cost") and trains_on_device(question) and not _PRICE_ASKED.search(question):
        # "only have an iPad, can I still do the fine-tune part?": whether it runs there, not whether it is worth it
        (top, z, norm, confidence), card, shaped = _take(scores, top, "providers"), "Fine-tuning on your computer", True
    if top != "privacy" and (UNDO_IMPORT.search(question) or DELETE_SESSION.search(question) or deletes_someones_data(question)):
        # taking back an import or deleting one person's data is the privacy answer (export, delete, undo), however
        # sure the classifier is of the importing or several-athletes words around it
        (top, z, norm, confidence), card, shaped = _take(scores, top, "privacy"), YOUR_DATA, True
    if top in ("providers", "privacy", "cost", "decide") and authored_by_chatbot(question):
        # "I got my program from ChatGPT, can peri check it?": the chatbot wrote the plan; checking it is the checker
        (top, z, norm, confidence), card, shaped = _take(scores, top, "concept"), "Judging a plan", True
    if top in ("privacy", "concept") and (card in IMPORTING_CARDS or _INTO_PERI.search(question)) and \
            _BRING_IN.search(question) and not asks_data_action(question) and not UNDO_IMPORT.search(question) and \
            not DELETE_SESSION.search(question):
        card = card if card in IMPORTING_CARDS else "Importing your log"
        scores["concept"] = scores[top] + 0.01
        top, z = "concept", scores[top] + 0.01
        norm = sum(math.exp(v - z) for v in scores.values())
        confidence, shaped = max(1.0 / norm, SHAPE_KEEP_CONFIDENCE), True
    if top in ("decide", "concept", "next", "retrain", OUT_OF_SCOPE) and ENOUGH_TO_TUNE.search(question):
        # "I have 7 years of sessions, is that enough to teach a model how I train?": how many examples it takes
        (top, z, norm, confidence), card, shaped = _take(scores, top, "example_count"), "How many examples", True
    if top in ("decide", "concept", "experiment", "examples", "methodology", OUT_OF_SCOPE) and WEEKS_IN_PROMPT.search(question):
        # one's own weeks put in the prompt, whatever it is compared with: the examples-in-the-prompt answer
        (top, z, norm, confidence), card, shaped = _take(scores, top, "fewshot"), "Examples in the prompt", True
    if top != OUT_OF_SCOPE and not shaped and confidence < MIN_CONFIDENCE and not (hits and hits[0].score >= IN_SCOPE_BM25) \
            and not _NAMES_PERI.search(question):
        top = OUT_OF_SCOPE  # spread over several intents: an answer to the wrong question misleads more than none
        confidence = math.exp(scores[top] - z) / norm
    return Route(intent=top, confidence=confidence, card=card, scores={c: round(v - z, 2) for c, v in scores.items()})
