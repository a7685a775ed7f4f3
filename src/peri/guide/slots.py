"""What a question says about the person asking it: how often they ask, whether their focus changes with the
season, whether they are still exploring, follow a non-standard methodology, are changing goals, and which
provider they mean. These slots reach the decision (`peri.decide.run.run_decision`) unchanged.

Frequency is parsed from the wording's parts (a count, a period, exceptions), not from a list of phrases:
"once a quarter" is 1 per 13 weeks, "3x a week" 3, "every day but Sunday" 6, "twice a month" 2 per 52/12
weeks, "every three months" 1 per 13 weeks.
"""
from __future__ import annotations

import re

from pydantic import BaseModel

WEEKS = {"day": 1 / 7, "week": 1.0, "fortnight": 2.0, "month": 52 / 12, "quarter": 13.0, "year": 52.0}
NUMBERS = {"once": 1, "twice": 2, "thrice": 3, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
           "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
           "few": 3, "other": 2, "single": 1, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "twenty": 20, "thirty": 30, "dozen": 12}
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}  # "every second week" = every 2 weeks
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# number phrases a person writes out, rewritten to digits before the patterns read the text (longest first)
NUMBER_PHRASES = [(r"\bhalf an? dozen\b", "6"), (r"\ban? dozen\b", "12"), (r"\ban? couple (?:of\s+)?", "2 "),
                  (r"\bcouple of\s+", "2 "), (r"\ban? few\s+", "3 "), (r"\bonce\b", "1 times"), (r"\btwice\b", "2 times"),
                  (r"\bthrice\b", "3 times"), (r"\bone time\b", "1 times"), (r"\bevery (" + "|".join(ORDINALS) + r")\b",
                                                                       lambda m: f"every {ORDINALS[m.group(1)]}"),
                  (r"\bevery (\d+)(?:st|nd|rd|th)\b", r"every \1"),
                  # "every 2nd Sunday", "every second Monday": one day in every 2 weeks
                  (r"\bevery (\d+) (?:" + "|".join(DAYS) + r")s?\b", r"every \1 weeks")]
ADVERBS = {"daily": 7.0, "nightly": 7.0, "weekly": 1.0, "fortnightly": 0.5, "biweekly": 0.5, "monthly": 12 / 52,
           "bimonthly": 6 / 52, "quarterly": 1 / 13, "yearly": 1 / 52, "annually": 1 / 52}
PROVIDERS = [  # (pattern, slot value): the first that matches wins
    # "sonnet", "haiku" and "opus" are ordinary words ("write me a haiku"): Claude's only with a version or a model word
    (r"\b(claude|anthropic)\b|\b(sonnet|haiku|opus)\s*(\d|model|api)", "anthropic"),
    (r"\b(ollama|vllm|lm ?studio|openai[- ]compatible)\b", "openai-compatible"),  # servers speaking OpenAI's API
    (r"\b(openai|chat ?gpt|gpt[- ]?[0-9a-z.]*)\b", "openai"),
    (r"\b(gguf|llama\.?cpp|hugging ?face model|downloaded model)\b", "gguf"),
    # a model file the person fetched themselves ("a llama model I downloaded", "downloaded the Qwen weights")
    (r"\b(?:model|weights|file)\s+(?:that\s+)?i(?:'ve|\s+have)?\s+(?:downloaded|pulled|grabbed)\b|"
     r"\bdownloaded\s+(?:a\s+|the\s+|my\s+)?(?:[\w.-]+\s+){0,2}(?:model|weights)\b", "gguf"),
    (r"\bto?ge?the?r ?(\.|)ai\b|\b(on|use|using|via|through|at|with|try|does|for|to|into) together\b|"
     # Together's key, account or API ("where do I put my together key", "api key not working together")
     r"\btogether\s+(?:api|key|account|endpoint|token|dashboard|credits?)\b|\b(?:api|key)\b[^.?!]{0,25}?\btogether\W*$", "together"),
    (r"\bfireworks\b", "fireworks"),
    # Google's apps (Sheets, Docs, Drive, Fit) are where a file or a log lives, not a model provider
    (r"\b(vertex|gemini)\b|\bgoogle\b(?!\s+(?:sheets?|docs?|drive|forms?|fit|calendar|account|search|play)\b)", "google"),
    (r"\b(bedrock|aws)\b", "bedrock"),
    (r"\bmistral\b", "mistral"),
]
# provider names as people mistype them ("chatgtp", "antropic", "fireworsk"): one edit away (two for long names),
# same first letter; names that are ordinary words ("together") or one edit from one ("claude"/"clause") are left out
FUZZY_PROVIDERS = {"chatgpt": "openai", "openai": "openai", "anthropic": "anthropic", "fireworks": "fireworks",
                   "gemini": "google", "mistral": "mistral", "bedrock": "bedrock"}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(NUMBERS) + r")"
_PERIOD = r"(day|week|fortnight|month|quarter|year)s?"
_TIMES = re.compile(r"\b" + _NUM + r"\s*(?:x|times?|sessions?|plans?|queries|questions|days?)?\s*(?:a|an|per|each|every|in(?:\s+the)?|/)\s*"
                    r"(?:(a|one|" + r"\d+(?:\.\d+)?|" + "|".join(k for k in NUMBERS if k not in {"a", "an", "other", "once", "twice", "thrice", "few", "couple", "single"})
                    + r")\s+)?" + _PERIOD)
_TIMES_ADVERB = re.compile(r"\b" + _NUM + r"\s*(?:x|times?)\s+(?:a\s+)?(" + "|".join(["daily", "nightly", "weekly", "fortnightly", "biweekly",
                           "monthly", "bimonthly", "quarterly", "yearly", "annually"]) + r")\b")
_N_ADVERB = re.compile(r"\b" + _NUM + r"\s+(" + "|".join(["daily", "weekly", "fortnightly", "monthly", "quarterly", "yearly"])
                       + r")\s+(?:sessions?|workouts?|plans?|queries|questions|training days?|gym days?)\b")
_EVERY = re.compile(r"\b(?:every|each|once every|once each)\s+(?:" + _NUM + r"\s+)?(other\s+)?" + _PERIOD)
_EXCEPT = re.compile(r"\b(?:every|each)\s+day\s+(?:but|except|apart from|other than|save)\s+((?:(?:" + "|".join(DAYS)
                     + r")s?(?:\s*(?:,|and|or|&)\s*)?)+)")
_DAYLIST = re.compile(r"\b(?:every|on|each)\s+((?:(?:" + "|".join(DAYS) + r")s?(?:\s*(?:,|and|&|\+)\s*)?)+)")
_NOT_QUERIES = re.compile(r"\bretrain\w*\s+(?:it\s+|the model\s+)?(?:every|each|once)\s+(?:\w+\s+)?\w+|"
                          r"\b(?:daily|weekly|monthly|quarterly|yearly|annual)\s+(?:bill|cost|costs|price|fee|spend|budget|"
                          r"subscription|total)\b|"
                          r"\b(?:spend|spending|pay|paying|cost|costs|bill|billed|charged?)\b(?![^.?!]{0,30}?\b\d+\s*(?:x\s*)?(?:plans?|queries|questions|requests?)\b)[^.?!]{0,30}?\b(?:each|every|per|a|an)\s+"
                          r"(?:day|week|month|quarter|year)\b|"
                          r"\b(?:daily|weekly|monthly)\s+(?:examples?|logs?|data|notes?|entries|records|volume|tonnage|"
                          r"stats|statistics|sets|reps|totals?|summary|summaries|averages?|progress|numbers|mileage|steps|"
                          r"calories|chart|graph|breakdown|load)\b|"
                          r"\bdaily undulating\b|"  # a method's name, not a frequency
                          # what the training does daily ("daily maxes on the competition lifts"), not asking
                          r"\b(?:daily|weekly)\s+(?:heavy\s+)?(?:max(?:es)?|singles|top sets?|doubles|triples)\b|"
                          # a competition calendar ("two meets a year", "two completely different phases every year")
                          r"\b(?:meets?|comps?|competitions?|shows?|races?|peaks?|phases?|seasons?|marathons?|events?|"
                          r"contests?)\b[^.?!,;]{0,25}?\b(?:a|an|per|each|every)\s+year\b|"
                          # a plan or tier bought by the month is a price, not a cadence ("a monthly plan I have to buy")
                          r"\b(?:daily|weekly|monthly|yearly|annual)\s+(?:plan|tier|package|membership|licen[cs]e)s?\b"
                          r"(?=[^.?!]*\b(?:buy|pay|purchase|subscri\w*|price|cost)\w*)|"
                          r"\b(?:buy|pay for|purchase|subscribe to)\b[^.?!]{0,30}?\b(?:daily|weekly|monthly|yearly|annual)\s+"
                          r"(?:plan|tier|package|membership|licen[cs]e)s?\b|"
                          # what the training changes on ("rotating the main lift every week", "swap exercises each month")
                          r"\b(?:rotat\w*|swap\w*|switch\w*|vary|varies|varying|cycl\w*|chang\w*)\s+(?:\w+\s+){0,4}?(?:every|each)\s+"
                          r"(?:\d+\s+|other\s+)?(?:day|week|fortnight|month|block|cycle|session)s?\b|"
                          # what someone else sends ("my coach sends me a sheet every 4 weeks")
                          r"\b(?:coach|trainer|he|she|they)\s+(?:\w+\s+)?(?:sends?|emails?|gives?|writes?|updates?|makes?|mails?)\b"
                          r"[^.?!]{0,40}?\b(?:every|each|once)\s+(?:\w+\s+)?(?:day|week|fortnight|month|quarter|year)s?\b|"
                          # a cadence inside the training itself ("undulating within each week", "waves across every block")
                          r"\b(?:within|inside|across|during|throughout)\s+(?:each|every|the|a)\s+(?:\w+\s+)?(?:day|week|month|block|cycle|session)s?\b|"
                          # how often something else happens: competing, meets, races, deloads ("competing twice a year")
                          r"\b(?:compet\w*|meets?|races?|contests?|tournaments?|deloads?|deloading)\s+(?:\w+\s+){0,2}?"
                          r"(?:once|twice|thrice|\w+\s+times?|every|each)\s+(?:\w+\s+)?(?:a|an|per|every|each)?\s*"
                          r"(?:day|week|fortnight|month|quarter|season|year)s?\b")
# how often someone TRAINS is not how often they ask for a plan ("I lift four days a week, should I tune?"), unless
# they say they want one for each session ("I lift five days a week and want a plan for each session")
_TRAINING_CADENCE = re.compile(
    r"\b(?:lift|lifts|lifting|train|trains|training|work out|works out|working out|workouts?|gym|sessions?|logged|logging|"
    r"log|logs)\b(?:(?!\b(?:plan|plans|ask|asking|query|queries|want|need|get|request)\b)[^.?!,;]){0,25}?"
    r"\b" + _NUM + r"\s*(?:x|times?|days?|sessions?|workouts?)?\s*(?:a|an|per|each|every|/)\s*week\b|"
    r"\b" + _NUM + r"\s*(?:x\s*)?(?:sessions?|workouts?|training days?|gym days?|lifting days?|days? (?:in|at) the gym)\s*"
    r"(?:a|an|per|each|every|/)\s*week\b|"
    r"\b" + _NUM + r"\s+weekly\s+(?:sessions?|workouts?|training days?|gym days?)\b|"
    # a length of time, then how often: sessions of that length ("only 30 min three times a week", "an hour 4x/week")
    r"\b(?:\d+|an?|half an?)\s*(?:-\s*)?(?:min|mins|minutes?|hours?|hrs?|h)\b[^.?!,;]{0,6}?\b" + _NUM
    + r"\s*(?:x|times?|days?|sessions?)?\s*(?:a|an|per|each|every|/)\s*week\b")
# the weekdays someone trains on are not the days they ask for a plan ("I train Mondays and Thursdays", "max effort
# lower on Mondays", "Mondays and Fridays are my gym days"); a day list with asking or planning in its clause still is
_DAY_NAMES = r"(?:(?:" + "|".join(DAYS) + r")s?(?:\s*(?:,|and|&|\+|or)\s*)?)+"
_TRAINING_DAYLIST = re.compile(
    r"\b(?:lift|lifts|lifting|train|trains|training|work out|works out|working out|workouts?|gym|sessions?|effort|"
    r"squat\w*|bench\w*|deadlift\w*|press\w*|upper|lower|legs|push|pull|conditioning|cardio|classes)\b"
    r"(?:(?!\b(?:plan|plans|planning|ask|asks|asking|query|queries|request\w*|want|need)\b)[^.?!;]){0,30}?\b"
    r"(?:on\s+|every\s+|each\s+)?" + _DAY_NAMES + r"|"
    r"\b(?:on\s+|every\s+|each\s+)?" + _DAY_NAMES + r"\s*(?:are|is)?\s*(?:my\s+|when i\s+|i\s+)?(?:go\s+to\s+the\s+)?"
    r"(?:gym|training|train|lift|lifting|leg|legs|upper|lower|squat\w*|bench\w*|deadlift\w*|work out|session)\b")
_ASKS_ON_DAYS = re.compile(r"\b(?:plan|plans|planning|ask|asks|asking|query|queries|request\w*)\b")
_PER_SESSION = re.compile(r"\b(?:for|before|after|at)\s+(?:each|every)\s+(?:one\s+)?(?:of\s+(?:my|the|those|these)\s+(?:\w+\s+){0,2}?)?"
                          r"(?:session|workout|training day|gym day|day i train)s?\b|"
                          r"\bper (?:session|workout)\b|\beach time i (?:train|lift)\b")
# abbreviations of a period ("4 times a yr", "2x/wk")
_PERIOD_ABBREV = [(re.compile(r"\byrs?\b"), "year"), (re.compile(r"\bwks?\b"), "week"), (re.compile(r"\bm(?:o?n)?ths?\b"), "month")]
# the words of a frequency, for reading them through a typo ("evry week", "twcie a month"); other words a typo
# could reach that are words in their own right are never changed
FREQUENCY_WORDS = ("every", "week", "weeks", "weekly", "month", "months", "monthly", "twice", "daily", "times",
                   "fortnight", "quarter", "year", "years", "yearly", "once", "each", "day", "days")
NOT_TYPOS = {"ever", "very", "mouth", "dear", "date", "data", "dais", "ones", "dayz", "yeah", "wee", "tims", "time"}
_CARDINAL = r"(\d+(?:\.\d+)?|" + "|".join(k for k, v in NUMBERS.items() if k not in {"a", "an", "other", "few", "couple", "single"}
                                          and k not in {"once", "twice", "thrice"}) + r")"
# a range of counts before a cadence ("3 or 4 times a week", "1 times or 2 times a week" once "once or twice" is
# rewritten): its middle
_RANGE = re.compile(r"\b" + _CARDINAL + r"(?:\s*times)?\s*(?:or|to|-|–)\s*" + _CARDINAL
                    + r"\b(?=\s*(?:x\b|times?\b|a\b|an\b|per\b|every\b|each\b|in\b|/|sessions?\b|plans?\b|days?\b))")
_PLURAL_DAYS = re.compile(r"\b(" + "|".join(DAYS) + r")s\b")  # "Mondays and Thursdays": a recurrence without "every"
_WEEKDAYS = re.compile(r"\b(?:every|each|on)\s+weekdays?\b|\bweekdays only\b")
_SEASON = re.compile(r"\b(seasons?|seasonal(ly)?|off-?season|in-?season|pre-?season|summer|winter|spring|autumn|"
                     r"competition (phase|season|prep)|meet prep|time of (the )?year)\b|"
                     # a year built around competitions: the focus follows the calendar ("two meets a year", "I peak
                     # for two meets a year", "16-week blocks ending in a peak")
                     r"\b(?:\w+|\d+)\s+(?:meets|comps|competitions|shows|contests|peaks)\s+(?:a|per|each|every)\s+year\b|"
                     r"\bpeak(?:s|ing)?\s+(?:for|before|twice|two|three)\b|\bending in a peak\b")
# a season as a point in time ("my coach left last spring") says nothing about a focus that follows the seasons
_SEASON_AS_DATE = re.compile(r"\b(?:last|this|next|since|until|till|by|early|late|this past)\s+(?:spring|summer|autumn|fall|winter|season)\b|"
                             # a thing done then ("the model I tuned in spring")
                             r"\b(?:tuned|trained|built|made|bought|started|finished|did|ran)\b[^.?!,]{0,20}?\bin\s+(?:the\s+)?"
                             r"(?:spring|summer|autumn|fall|winter)\b|"
                             # an event told in the past ("I had surgery in the summer", "hurt it over the winter")
                             r"\b(?:had|took|was|were|did|got|went|broke|hurt|injured|tore|started|stopped|quit)\b[^.?!,]{0,40}?"
                             r"\b(?:in|during|over)\s+the\s+(?:spring|summer|autumn|fall|winter)\b")
_EXPLORING = re.compile(r"\b(exploring|experimenting|testing the waters|dip(?:ping)? (?:my |a )?toes?(?: in)?|(?:just\s+)?(?:messing|playing|fooling|mucking|poking|tinkering)\s+(?:around|about)|tinkering|still (figuring|trying|working out|learning|testing|deciding)|"
                        r"trying (out )?(different|new|various|things|stuff)|trying (stuff|things) out|figuring out|not sure (yet )?what (\w+ ){0,3}works?|"
                        r"haven'?t settled|hop(ping)? between|keep switching|switch(ing)? program(me)?s? (often|a lot)|jump(ing)? between|finding my feet|try(ing)? (something|somewhat) (else|new|different)|(keep|kept) (changing|trying)|(still )?(figuring|working) out what i like|(not (really )?sure|unsure|don'?t (really )?know|no idea)\s+(yet\s+)?what (i )?(really )?(want|like|enjoy|to (do|focus on|train for|aim for))|haven'?t found (a|my|the|one) (program|programme|routine|split|style))\b")
_METHOD_NAMED = re.compile(r"\b((?<!block )(?<!linear )periodi[sz]ation|(?<!block )(?<!linear )periodi[sz]ed|conjugate|undulating|dup|westside|max[- ]effort|dynamic[- ]effort|"
                           r"sheiko|bulgarian|wave loading|rpe waves?|block scheme|waves? of (intensity|volume|load|loading|rpe)|(intensity|volume|load) waves?)\b")
# a published, mainstream program (5/3/1, the Texas method, block or linear periodisation) is a standard any model
# knows; it is one's own methodology only when changed ("5/3/1 with my own tweaks", "a modified texas method")
_STANDARD_PROGRAM = r"(?:5/3/1|531|texas method|(?:block|linear) periodi[sz](?:ation|ed)|block training|starting strength|stronglifts)"
_METHOD_CHANGED = re.compile(r"\b" + _STANDARD_PROGRAM + r"\b[^.?!]{0,30}?\b(?:my own|own tweaks?|tweak\w*|modif\w*|custom\w*|"
                             r"twist\w*|hack\w*|adapted|changed|nobody else)\b|"
                             r"\b(?:my own|tweaked|modified|customi[sz]ed|adapted|own version of|own take on|twist on)\s+(?:\w+\s+){0,2}?"
                             + _STANDARD_PROGRAM)
# "my own scheme" is a methodology of one's own; "my own programs" is only someone who writes their programs
_METHOD_OWN = re.compile(r"\bmy own\b(?:\W+\w+){0,2}?\W+(scheme|system|method(ology)?|waves?|loading|template|periodi[sz]ation)\b")
_METHOD_DESCRIBED = re.compile(r"\b(scheme|system|method(ology)?|program(me)?|programming|periodi[sz]ation|approach|split)\s+"
                               r"(is|are|seems?)\s+(really\s+|very\s+|quite\s+|pretty\s+|a bit\s+)?(weird|odd|unusual|"
                               r"non-?standard|custom|unique|unconventional|complex|complicated)\b")
_METHOD_QUALIFIED = re.compile(r"\b(weird|odd|unusual|non-?standard|custom|unique|idiosyncratic|unconventional|"
                               r"nobody else|complex|complicated)\b(?:\W+\w+){0,4}?\W+(scheme|system|method(ology)?|"
                               r"program(me)?|split|waves?|loading|approach|template|periodi[sz]ation)")
# a system of one's own told by how it was made or how it runs ("a wave I made up myself", "my own mix of RPE
# autoregulation", "heavy-light-medium over three weeks")
_METHOD_MADE = re.compile(r"\b(scheme|system|method(ology)?|waves?|program(me)?|pattern|split|loading|periodi[sz]ation|template|"
                          r"mix|cycle|setup)\s+(?:that\s+)?i\s+(?:\w+\s+)?(made up|invented|designed|built|came up with|devised|"
                          r"worked out|put together|created)\b|\bmy own mix\b|\bautoregulat\w*|"
                          r"\b(heavy|light|medium|volume)\s*[-/,]\s*(heavy|light|medium|volume)\s*[-/,]\s*(heavy|light|medium|volume)\b")
_TRIED = re.compile(r"\b(?:tried|trying|tested|testing|dabbled in|had a go at|did a stint of)\b[^.?!;]*")
_APPROACH_WORDS = (r"(?:prompt\w*|fine-?\s?tun\w*|finetun\w*|tun(?:e|ed|ing)|few-?\s?shot|hybrid|rules?|embedded|openai|anthropic|"
                   r"claude|chat ?gpt|gpt\S*|local\w*|hosted|ollama|gguf|llama\S*|an?\s+(?:tuned\s+)?model|the\s+(?:tuned\s+)?model)\b")
# the app, file or machine someone moves between is not a goal ("switching from Strong to Hevy", "from my pc to a mac")
_TOOL_WORDS = (r"(?:strong|hevy|fitnotes|jefit|fitbod|excel|google|sheets?|spreadsheets?|paper|notebooks?|apps?|phones?|laptops?|"
               r"computers?|pcs?|macs?|macbook|iphone|android|ipad|windows|linux|claude|anthropic|together|fireworks|"
               r"gemini|mistral|vllm|ollama|another|a new|the new|a different)\b")
GOALS = ["powerlifting", "hypertrophy", "bodybuilding", "strength", "size", "endurance", "weightlifting", "olympic lifting",
         "crossfit", "fat loss", "cutting", "a cut", "bulking", "a bulk", "running", "a marathon", "marathon training",
         "strongman", "conditioning", "power", "muscle", "athletics", "a sport", "general fitness", "mobility"]
_GOAL_CHANGE = re.compile(r"\bgoals?\s+(have\s+|has\s+)?(just\s+|recently\s+|now\s+)?(changed?|changing|shift(ed|s|ing)?|moved?|"
                          r"switch(ed|es|ing)?|swap(ped|s)?|flip(ped|s)?|pivot(ed|s)?)\b|"
                          r"\bchang(e|es|ed|ing)\s+(my\s+|of\s+)?(goals?|focus)\b|\bgoal change\b|\bnew goal\b|"
                          # from one thing to another, unless the things are peri's own approaches or models ("switch from
                          # prompting to a tuned model" is the graduation, not a new goal)
                          r"\b(switch|mov|chang|go|transition|shift)\w*\s+(?:over\s+)?from\s+(?!" + _APPROACH_WORDS + r"|" + _TOOL_WORDS
                          + r")[\w-]+\s+to\s+(?!" + _TOOL_WORDS + r")[\w-]+|"
                          r"\b(?:switch|mov|chang|transition|shift|pivot)\w*\s+(?:over\s+|back\s+)?(?:to|into)\s+(?:doing\s+|more\s+|an?\s+|the\s+)?"
                          r"(?:" + "|".join(GOALS) + r")\b|"
                          r"\b(?:new|different)\s+(?:focus|target|aim|objective)\b|\bfocus(?:ing)?\s+on\s+[\w-]+\s+(?:now\s+)?instead\b|"
                          # a goal named as the thing changed ("changed my objective", "my aim has changed")
                          r"\bchang(?:e|es|ed|ing)\s+(?:my\s+|of\s+|the\s+)?(?:objectives?|aims?|targets?)\b|"
                          r"\b(?:objectives?|aims?)\s+(?:have\s+|has\s+|is\s+)?(?:changed|changing|shifted|different)\b|"
                          # "changed my training from powerlifting to bodybuilding": a goal on either side of the change
                          r"\b(?:switch|mov|chang|transition|shift)\w*\s+(?:[\w-]+\s+){1,2}?from\s+(?:" + "|".join(GOALS) + r")\b|"
                          # from a kind of training, in several words, to a goal ("from bodybuilding-style training to powerlifting")
                          r"\b(?:switch|mov|chang|transition|shift|went|go|going)\w*\s+(?:over\s+)?from\s+[\w/-]+(?:\s+[\w/-]+){0,3}?\s+to\s+"
                          r"(?:doing\s+|more\s+|an?\s+|the\s+)?(?:" + "|".join(GOALS) + r")\b|"
                          # leaving a sport behind ("retired from competing", "done with powerlifting")
                          r"\b(?:retired|retiring|stopped|quit|quitting|done with|finished with|no longer|gave up|giving up)\s+"
                          r"(?:from\s+)?(?:compet\w*|" + "|".join(GOALS) + r")")


def names_a_system(text: str) -> bool:
    """Whether `text` names a training system, one's own or a published one ("can it do 5/3/1", "my conjugate
    setup"): whether peri can follow it is the methodology question, complex or not."""
    q = text.lower()
    return bool(re.search(r"\b" + _STANDARD_PROGRAM + r"\b", q) or _METHOD_NAMED.search(q))


class Slots(BaseModel):
    """What the question said about the asker; None/False when it said nothing."""

    queries_per_week: float | None = None
    seasonal: bool = False
    exploring: bool = False
    complex_methodology: bool = False
    goal_change: bool = False
    provider: str | None = None

    def situation(self) -> dict:
        """The slots as inputs to `run_decision` (only the ones the question set)."""
        out: dict = {}
        if self.queries_per_week is not None:
            out["queries_per_week"] = self.queries_per_week
        if self.seasonal:
            out["seasonal_focus"] = True
        if self.exploring:
            out["exploring"] = True
        if self.complex_methodology:
            out["complex_methodology"] = True
        return out


def _count(word: str | None) -> float:
    if word is None:
        return 1.0
    return float(word) if word[0].isdigit() else float(NUMBERS[word])


# a count of plans or questions said outright ("so 6 plans a week"), and a clause about asking or planning
_COUNTED_ASKS = re.compile(r"\b(?:\d+(?:\.\d+)?|" + "|".join(k for k in NUMBERS if k not in {"a", "an", "other", "few", "couple"})
                           + r")\s*(?:x\s*)?(?:new\s+)?(?:plans?|queries|questions|requests?|programs?)\s+(?:a|an|per|each|every|/)\b")
_ASKING = re.compile(r"\b(?:ask|asks|asking|asked|plan|plans|planning|query|queries|request\w*|want a|need a|get a new|new (?:plan|block|program))\b")
_DAYS_A_WEEK = re.compile(r"\b(?:\d+|" + "|".join(NUMBERS) + r")\s*(?:-\s*)?days?\s*(?:a|an|per|each|every|/)\s*week\b")
_CLAUSE = re.compile(r"[.?!;,()\n]")


def frequency(text: str) -> float | None:
    """Queries a week named by the wording, or None when it names none.

    A message of several clauses is read for the one that counts plans or questions outright ("so 6 plans a
    week"), then for one about asking or planning ("I'd ask for a plan every other week"), before the whole: the
    cadence of the training told around it ("45, I train at 5:30am, 4x/week, Strong app") is not how often they ask."""
    # a list of weekdays is one cadence, not clauses ("plan every Monday, Wednesday and Friday")
    joined = re.sub(r"\b(" + "|".join(DAYS) + r")(s?)\s*,\s*(?=(?:" + "|".join(DAYS) + r"))", r"\1\2 and ", text.lower())
    clauses = [c for c in _CLAUSE.split(joined) if c.strip()]
    if len(clauses) > 1:
        for wanted in (_COUNTED_ASKS, _ASKING):
            for c in clauses:
                if wanted.search(c):
                    f = _frequency(c)
                    if f is not None:
                        return f
        # "29, powerbuilding, 5 days a week, Strong": days a week among facts about the training are training days
        kept = [c for c in clauses if _ASKING.search(c) or not _DAYS_A_WEEK.search(c)]
        if len(kept) < len(clauses):
            return _frequency(", ".join(kept))
    return _frequency(text)


def _frequency(text: str) -> float | None:
    """Queries a week named by one wording, or None (`frequency`).

    A cadence that belongs to something else — retraining ("retrain every month") or a bill ("the monthly
    bill") — is not how often the person asks, so it is removed first."""
    q = " " + re.sub(r"[’']", "'", text.lower()) + " "
    for pattern, word in _PERIOD_ABBREV:
        q = pattern.sub(word, q)
    q = re.sub(r"[a-z]{4,}", _fix_frequency_word, q)
    q = _NOT_QUERIES.sub(" ", q)
    if not _PER_SESSION.search(q):
        q = _TRAINING_CADENCE.sub(" ", q)
        # (an exception, "every day but Sunday", is a cadence of its own: kept for `_EXCEPT`)
        q = _TRAINING_DAYLIST.sub(lambda m: m.group(0) if _ASKS_ON_DAYS.search(m.group(0)) or _EXCEPT.search(m.group(0))
                                  else " ", q)
    for pattern, digits in NUMBER_PHRASES:  # "twice" → "2 times", "a dozen" → "12", "every second" → "every 2"
        q = re.sub(pattern, digits, q)
    q = _RANGE.sub(lambda m: f"{(_count(m.group(1)) + _count(m.group(2))) / 2:g}", q)  # "3 or 4 times" → "3.5 times"
    m = _EXCEPT.search(q)
    if m:
        skipped = {d for d in DAYS if d in m.group(1)}
        return float(7 - len(skipped))
    if _WEEKDAYS.search(q):
        return 5.0
    m = _DAYLIST.search(q)
    if m:  # "every Monday, Wednesday and Friday": one a named day
        return float(len({d for d in DAYS if d in m.group(1)}))
    m = _TIMES.search(q)
    if m:  # "3 times every 2 weeks": 3 / (2 × 1 week)
        return _count(m.group(1)) / (_count(m.group(2)) * WEEKS[m.group(3)])
    m = _TIMES_ADVERB.search(q)
    if m:  # "2 times daily": twice the adverb's rate
        return _count(m.group(1)) * ADVERBS[m.group(2)]
    m = _N_ADVERB.search(q)
    if m:  # "my 4 weekly sessions" (a plan before each): 4 at the adverb's rate
        return _count(m.group(1)) * ADVERBS[m.group(2)]
    m = _EVERY.search(q)
    if m:
        n = 2.0 if m.group(2) else _count(m.group(1))
        return 1.0 / (n * WEEKS[m.group(3)])
    m = re.search(r"\b(" + "|".join(ADVERBS) + r")\b", q)
    if m:
        return ADVERBS[m.group(1)]
    if re.search(r"\bon weekends?\b|\bevery weekend\b", q):
        return 2.0
    plural = set(_PLURAL_DAYS.findall(q))
    if plural:
        return float(len(plural))
    return None


def _fix_frequency_word(m: re.Match) -> str:
    """A word one edit from exactly one frequency word (same first letter), read as that word."""
    w = m.group(0)
    if w in FREQUENCY_WORDS or w in NOT_TYPOS:
        return w
    near = {f for f in FREQUENCY_WORDS if f[0] == w[0] and abs(len(f) - len(w)) <= 1 and edit_distance(w, f) == 1}
    return near.pop() if len(near) == 1 else w


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from `a` to `b` (optimal string alignment)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def fuzzy_provider(text: str) -> str | None:
    """The provider a mistyped name stands for, or None."""
    for w in re.findall(r"[a-z]{5,}", text.lower()):
        for name, value in FUZZY_PROVIDERS.items():
            if w[0] == name[0] and edit_distance(w, name) <= (2 if len(name) >= 8 else 1):
                return value
    return None


# a chatbot named as where a plan came from ("I got my program from ChatGPT", "Claude wrote me a split", "a routine
# chatgpt made"): the plan's author, whose plan `peri check` reads, not a provider the person wants peri to use
_CHATBOT = r"(?:chat ?gpt|chatgtp|gpt(?:[- ]?[0-9][0-9a-z.]*)?|claude|gemini|copilot|grok|deepseek|perplexity|(?:an?|the|some)\s+(?:ai|chatbot|bot|llm))"
_PLAN_WORD = r"(?:plans?|programs?|programmes?|routines?|splits?|workouts?|blocks?|schedules?|sessions?|cycles?|mesocycles?|templates?)"
_AUTHORED = (r"(?:wrote|written|made|gave|given|generated|created|built|designed|spat out|spit out|came up with|put together|"
             r"suggested|recommended|produced|drafted|cooked up|planned)")
_AUTHORED_BY = re.compile(
    r"\b(?:from|off|by|via|out of|courtesy of)\s+" + _CHATBOT + r"\b|"
    r"\b" + _CHATBOT + r"(?:'s|s)?\s+(?!to\b|for\b)(?:\w+\s+){0,2}?" + _PLAN_WORD + r"\b|"
    r"\b" + _CHATBOT + r"\s+(?:just\s+|has\s+|had\s+|already\s+)?" + _AUTHORED + r"\b|"
    r"\b(?:had|got|asked|made|let|used)\s+" + _CHATBOT + r"\s+(?:to\s+)?(?:write|make|build|create|generate|design|draft|plan|"
    r"put together|come up with|give)\b|"
    r"\b" + _PLAN_WORD + r"\s+(?:that\s+|which\s+|i\s+got\s+from\s+)?" + _CHATBOT + r"\s+(?:\w+\s+)?" + _AUTHORED + r"\b",
    re.I)


def authored_by_chatbot(text: str) -> bool:
    """Whether `text` names a chatbot as where a plan came from (`_AUTHORED_BY`), not as a model to use."""
    return bool(_AUTHORED_BY.search(text)) and bool(re.search(r"\b" + _PLAN_WORD + r"\b|\bwrote me\b|\bmade me\b|\bgave me\b",
                                                               text, re.I))


def parse_slots(text: str) -> Slots:
    """All slots of one question."""
    q = text.lower()
    if authored_by_chatbot(q):
        # the plan's author is no provider: "ChatGPT" named as where a programme came from is left out of the provider
        q = re.sub(r"\b" + _CHATBOT + r"\b", " a chatbot ", q)
    # the provider named first: "is Together cheaper than OpenAI" is about Together
    named = [(m.start(), i, value) for i, (pat, value) in enumerate(PROVIDERS) if (m := re.search(pat, q))]
    m = re.search(r"(?<!^)\bTogether\b", text.strip())
    if m and not any(v == "together" for _, _, v in named):
        named.append((m.start() + len(text) - len(text.lstrip()), len(PROVIDERS), "together"))
    provider = min(named)[2] if named else None
    if provider is None:
        provider = fuzzy_provider(q)
    exploring = bool(_EXPLORING.search(q))
    # programs someone is trying out are not the methodology they follow ("tried 5/3/1, then a PPL, now ...")
    mq = _TRIED.sub(" ", q) if exploring else q
    return Slots(
        queries_per_week=frequency(text), seasonal=bool(_SEASON.search(_SEASON_AS_DATE.sub(" ", q))), exploring=exploring,
        complex_methodology=bool(_METHOD_NAMED.search(mq) or _METHOD_CHANGED.search(mq) or _METHOD_QUALIFIED.search(mq) or _METHOD_OWN.search(mq)
                                 or _METHOD_DESCRIBED.search(mq) or _METHOD_MADE.search(mq)),
        goal_change=bool(_GOAL_CHANGE.search(q)), provider=provider,
    )
