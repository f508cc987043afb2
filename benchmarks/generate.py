"""Deterministic labelled corpora for spindetect quality and scale benchmarks.

Everything here is generated: the word lists below were written for this
project and the texts are produced by a small sentence grammar, so no
third-party text is involved.

Quality corpus (:func:`generate_corpus`): families of near-duplicates
(``original``, ``exact``, ``light_edit``, ``spun15``/``spun30``/``spun50``),
template families (``template``: one skeleton of stock sentences and
headings, filled with different topics/keywords and page-specific free text)
and hard negatives (``same_topic``: independent articles by other "writers"
on a family's topic; ``unrelated``).  Each record is a dict
``{"id", "text", "cluster", "variant", "topic"}``; ``cluster`` is the id of
the family's original.

Scale corpus (:func:`generate_scale_corpus`): fast, vectorised, for speed
benchmarks of 100k-1M documents, with a known share of exact and lightly
edited copies.

Command line::

    python benchmarks/generate.py --n-families 50 --seed 0 -o corpus.jsonl
    python benchmarks/generate.py --scale 100000 -o scale.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "VARIANTS",
    "TOPIC_NAMES",
    "STOPWORDS",
    "SPIN_LEXICON",
    "Topic",
    "Writer",
    "Skeleton",
    "ScaleCorpus",
    "generate_corpus",
    "generate_scale_corpus",
    "make_article",
    "make_skeleton",
    "render_template",
    "template_family",
    "spin",
    "light_edit",
    "sentence_edit",
    "random_writer",
    "generic_sentence",
    "focus_topic",
    "get_topic",
    "word_shingles",
    "word_ngram_jaccard",
    "main",
]

# ===========================================================================
# Word lists (written for this project).
#
# Notation used in the lists below
# --------------------------------
# ``a|b|c``
#     A synonym group: the members are interchangeable single words (or short
#     phrases for topic nouns) of the same part of speech.  The generator picks
#     any member; the spinner swaps a member for another one of its group.
# ``~word``
#     An *awkward* member: never used by the article generator, only by the
#     spinner now and then (the "quirk" of cheap spinning tools).
# ``noun!``
#     A mass noun (no plural, takes no ``a``).
# ``verb:past`` or ``verb:past:ing``
#     Irregular or doubling verb forms; regular forms are derived by rule.
# ``noun:plural``
#     An irregular plural.
#
# ===========================================================================
# ---------------------------------------------------------------------------
# Function words.  Everything not listed here counts as a content word.
# ---------------------------------------------------------------------------
STOPWORDS = frozenset(
    """
    a an the this that these those my your our their his her its it they them
    we us you i me he she him who whom whose which what when where why how
    and or but nor so yet because although though while if unless until since
    as than then there here of in on at by for with without within about
    above below under over into onto from to up down out off through during
    before after between among against around across along behind beyond
    near per via is are was were be been being am do does did done doing
    have has had having can could will would shall should may might must
    not no nor very too also just only even still already again ever never
    all any both each every few many more most much some such other another
    own same one once enough quite rather really almost often always
    sometimes usually perhaps maybe else instead however therefore thus
    whether either neither s t don isn aren doesn didn won wouldn shouldn
    can't couldn let lets like well several first last less least nothing
    anything everything something whereas beside besides despite two three
    four five far back ought ago away later
    """.split()
)

# ---------------------------------------------------------------------------
# Generic vocabulary (shared by every topic), as synonym groups.
# ---------------------------------------------------------------------------
ADJ_GROUPS = (
    "important|crucial|essential|vital|~momentous",
    "simple|easy|straightforward|~uncomplicated",
    "useful|helpful|handy|practical|~serviceable",
    "common|frequent|widespread|usual",
    "careful|cautious|attentive|~heedful",
    "small|little|modest|compact",
    "large|big|substantial|considerable|~hefty",
    "quick|fast|rapid|speedy|~nippy",
    "difficult|hard|tricky|challenging",
    "cheap|inexpensive|affordable|~economical",
    "expensive|costly|pricey|~dear",
    "reliable|dependable|trustworthy|consistent",
    "healthy|sound|robust|~hale",
    "strong|sturdy|solid|tough",
    "good|great|fine|decent|~goodly",
    "bad|poor|weak|~lousy",
    "new|fresh|recent|~novel",
    "old|aging|ancient|~elderly",
    "clear|obvious|plain|evident",
    "serious|major|significant|~grave",
    "basic|fundamental|elementary|~rudimentary",
    "typical|standard|normal|ordinary",
    "smart|clever|sensible|wise",
    "regular|steady|~habitual",
    "proper|correct|right|appropriate",
    "extra|additional|further|~supplementary",
    "main|primary|principal|chief",
    "gentle|mild|soft|delicate",
    "popular|favourite|beloved|~fashionable",
    "busy|hectic|packed",
    "safe|secure|protected",
    "quiet|calm|peaceful|~tranquil",
    "effective|efficient|productive|~efficacious",
    "noticeable|visible|apparent|marked",
    "tiny|minor|slight|negligible",
    "entire|whole|complete|full",
)

ADV_GROUPS = (
    "quickly|rapidly|swiftly|promptly",
    "carefully|cautiously|gently|~delicately",
    "gradually|slowly|steadily|progressively",
    "normally|generally|typically|~ordinarily",
    "easily|effortlessly|readily|~facilely",
    "properly|correctly|accurately",
    "regularly|routinely|consistently",
    "simply|merely|plainly",
    "clearly|obviously|evidently",
    "quietly|calmly|patiently",
    "honestly|frankly|truly",
    "mostly|largely|mainly|primarily",
)

DEGREE_ADVERBS = ("very", "quite", "fairly", "rather", "pretty", "surprisingly",
                  "remarkably", "incredibly", "slightly", "a bit", "far more", "much less")

NOUN_GROUPS = (
    "way|method|approach|technique|~modus",
    "problem|issue|difficulty|trouble|~predicament",
    "result|outcome|effect|consequence",
    "benefit|advantage|gain|perk|~boon",
    "mistake|error|slip|blunder",
    "step|stage|phase|~juncture",
    "reason|cause|motive|~rationale",
    "goal|aim|target|objective",
    "habit|routine|practice|custom",
    "option|choice|alternative|possibility",
    "advice!|guidance!|counsel!",
    "idea|notion|concept|~conception",
    "detail|point|aspect|element",
    "tool|device|gadget|instrument",
    "rule|guideline|principle|~precept",
    "scheme|strategy|programme|blueprint",
    "change|shift|adjustment|~alteration",
    "effort|attempt|endeavour",
    "skill|ability|talent|knack",
    "risk|danger|hazard|threat",
    "price|cost|expense|charge",
    "quality|grade|calibre",
    "amount|quantity|volume|~quantum",
    "season|period|spell|~epoch",
        "friend|neighbour|colleague|acquaintance",
    "expert|specialist|professional|pro",
    "question|query|doubt",
    "experience|background|history",
    "task|job|chore|duty",
    "space|room|area|~expanse",
)

VERB_GROUPS = (
    "improve|enhance|boost|upgrade|~ameliorate",
    "help|assist|aid|support",
    "choose|select|pick|~elect",
    "reduce|lower|cut:cut:cutting|decrease|~diminish",
    "keep:kept|maintain|preserve|retain",
    "avoid|prevent|skip:skipped:skipping|dodge",
    "check|inspect|examine|review",
    "start|begin:began:beginning|launch|~commence",
    "use|employ|apply|~utilise",
    "need|require|want",
    "find:found|discover|locate|spot:spotted:spotting",
    "build:built|create|construct|make:made",
    "learn|master|study|grasp",
    "protect|shield|guard|defend",
    "save|conserve|~husband",
    "prepare|arrange|organise|~ready",
    "add|include|introduce|insert",
    "remove|eliminate|discard|~expunge",
    "follow|observe|monitor",
    "test|trial:trialled:trialling|evaluate|~appraise",
    "notice|detect|~perceive",
    "consider|weigh|ponder|~contemplate",
    "expect|anticipate|predict|foresee:foresaw",
    "measure|gauge|assess|calculate",
    "replace|swap:swapped:swapping|exchange|substitute",
    "fix|repair|mend|~remedy",
    "clean|wash|scrub:scrubbed:scrubbing|rinse",
    "increase|raise|extend|expand",
    "handle|manage|tackle|~administer",
    "store|stash|stockpile|hold:held",
    "buy:bought|purchase|get:got:getting|acquire",
    "explain|describe|outline|clarify",
    "adjust|tweak|alter|modify",
    "enjoy|appreciate|love|relish",
    "finish|conclude|~terminate",
    "share|spread|distribute|pass",
    "recommend|suggest|advise|propose",
    "plan:planned:planning|schedule|~timetable",
)

# Extra synonym groups used only by the spinner (words of fixed phrases).
EXTRA_SPIN_GROUPS = (
    "long|lengthy|extended",
    "likely|probable",
    "experienced|seasoned|veteran",
    "incredibly|extremely|exceptionally|~tremendously",
    "fairly|reasonably|moderately",
    "remarkably|strikingly|notably",
    "surprisingly|unexpectedly|astonishingly",
    "rarely|seldom|infrequently",
    "slightly|marginally|somewhat",
    "occasionally|periodically|~intermittently",
    "recently|lately|newly",
    "remember|recall|~recollect",
    "beginners|novices|newcomers|rookies",
    "people|folks|individuals",
    "enthusiasts|fans|devotees",
    "time|occasion",
    "times|occasions",
    "place|location|~locale",
    "countless|innumerable|numerous",
    "admittedly|granted",
    "college|university",
    "cold|freezing|icy",
    "winter|wintertime",
    "summer|summertime",
    "spring|springtime",
    "days|dates",
    "weeks|~sennights",
    "honest|candid|frank",
    "practice|exercise|~drill",
    "luckily|fortunately|happily",
)

MODALS = ("can", "should", "will", "may", "might", "could", "must", "would",
          "tends to", "is likely to", "has to", "ought to")

PREPOSITIONS = ("with", "for", "without", "before", "after", "during", "around",
                "near", "beside", "under", "through", "beyond", "despite", "like")

TIME_PHRASES = (
    "every morning", "after a few weeks", "in the first month", "once a week",
    "over the winter", "at the weekend", "twice a year", "before the summer",
    "each evening", "within a couple of days", "from the very start",
    "on most days", "by the end of the season", "after every use",
    "in the long run", "sooner or later", "at least once", "every so often",
    "right away", "later in the year", "during the colder months",
)

PAST_TIME = (
    "last year", "a few months ago", "when I started", "two seasons ago",
    "last spring", "at my old place", "years ago", "this past winter",
    "the first time", "back in college", "last weekend", "recently",
)

OPENERS = (
    "In my experience", "For most people", "Honestly", "Of course", "At first",
    "Over time", "In practice", "To be fair", "As a rule", "Surprisingly",
    "Not long ago", "Even so", "On the other hand", "In short", "Above all",
    "Admittedly", "Oddly enough", "With that in mind", "Either way",
    "Most of the time", "Before anything else", "Generally speaking",
    "Sooner or later", "In the end", "For beginners", "Luckily",
    "As you might expect", "Put simply", "By contrast", "For that reason",
)

CONJUNCTIONS = (
    "because", "although", "while", "so", "but", "and", "since", "unless",
    "even though", "as long as", "whereas", "until", "once", "and then",
    "which means", "if",
)

GENERIC_PEOPLE = ("people", "readers", "beginners", "owners", "families",
                  "newcomers", "enthusiasts", "users", "folks", "households")

# ---------------------------------------------------------------------------
# Topics.  names: ways to refer to the topic; people: plural actors;
# nouns: topic nouns (synonym groups allowed); adjs: topic adjectives;
# verbs: topic verbs; keywords: longer phrases for injection.
# ---------------------------------------------------------------------------
TOPICS = {
    "gardening": dict(
        names=("gardening", "vegetable gardening", "home growing"),
        people=("gardeners", "growers", "allotment holders"),
        nouns=("soil!", "compost!", "raised bed|planter", "seedling|sprout", "tomato:tomatoes",
               "watering can", "mulch!", "weed", "greenhouse|glasshouse", "trowel",
               "root", "leaf:leaves", "bean", "slug", "fertiliser|fertilizer",
               "seed", "pot|container", "sunlight!", "drainage!", "vegetable patch",
               "hosepipe|hose", "cutting", "frost!", "pest", "harvest|crop",
               "potato:potatoes", "garden|yard|plot", "shed", "spade|shovel", "herb"),
        adjs=("organic", "leafy", "waterlogged", "frost-hardy", "sunny", "shady"),
        verbs=("water|irrigate|soak", "prune|trim|clip:clipped:clipping", "sow|seed",
               "harvest|gather|reap", "transplant|relocate", "weed|hoe"),
        keywords=("companion planting", "crop rotation", "no-dig beds",
                  "drip irrigation", "soil pH", "green manure"),
    ),
    "personal finance": dict(
        names=("personal finance", "money management", "household budgeting"),
        people=("savers", "households", "investors", "earners"),
        nouns=("budget", "savings account", "debt", "credit card", "interest rate",
               "pension", "salary|wage|income", "emergency fund", "mortgage", "bill",
               "expense|outgoing", "spreadsheet", "bank", "loan", "index fund",
               "credit score", "receipt", "subscription", "tax:taxes", "payday",
               "cash!", "fee|commission", "portfolio", "statement", "allowance",
               "insurance!", "paycheck|payslip", "grocery bill", "overdraft"),
        adjs=("monthly", "fixed", "variable", "tax-free", "annual", "financial"),
        verbs=("budget|allocate", "invest|stake", "spend:spent|expend", "borrow|~loan",
               "repay:repaid|settle|~refund", "earn|make:made|net:netted:netting"),
        keywords=("compound interest", "zero-based budgeting", "debt snowball",
                  "sinking funds", "the fifty-thirty-twenty rule", "automatic transfers"),
    ),
    "cycling": dict(
        names=("cycling", "bike commuting", "road cycling"),
        people=("cyclists", "riders", "commuters"),
        nouns=("bike|bicycle|cycle", "saddle|seat", "chain", "tyre|tire", "helmet",
               "gear", "brake", "pedal", "handlebar", "puncture",
               "cycle lane|bike lane", "pump", "frame", "wheel", "light",
               "lock", "pannier", "jersey", "hill|incline|slope", "route|journey",
               "traffic!", "derailleur", "spoke", "water bottle", "cadence!",
               "inner tube", "mudguard|fender", "commute", "cleat"),
        adjs=("uphill", "downhill", "lightweight", "carbon", "rainy", "flat"),
        verbs=("ride:rode:riding|cycle|bike", "pedal:pedalled:pedalling|spin:spun:spinning",
               "brake|slow", "climb|ascend|scale", "commute|travel", "shift|switch|change"),
        keywords=("tubeless tyres", "chain lubrication", "bike fitting",
                  "interval training", "group rides", "disc brakes"),
    ),
    "home insulation": dict(
        names=("home insulation", "insulating a house", "draught proofing"),
        people=("homeowners", "tenants", "builders", "installers"),
        nouns=("loft|attic", "wall", "draught|draft", "window", "heating bill",
               "roll", "cavity", "floorboard", "radiator", "boiler",
               "condensation!", "damp!", "foam!", "mineral wool!", "vapour barrier",
               "door", "gap|crack", "thermostat", "energy bill", "roof",
               "heat loss!", "sealant", "layer", "ceiling", "pipe",
               "chimney", "glazing!", "thermal camera", "cold spot"),
        adjs=("draughty", "damp", "thermal", "airtight", "cosy", "chilly"),
        verbs=("insulate|~lag:lagged:lagging", "seal|caulk|plug:plugged:plugging", "heat|warm",
               "ventilate|air", "wrap:wrapped:wrapping|cover",
               "install|fit:fitted:fitting|mount"),
        keywords=("cavity wall insulation", "loft boards", "secondary glazing",
                  "U-values", "external wall insulation", "draught excluders"),
    ),
    "dog training": dict(
        names=("dog training", "puppy training", "teaching your dog"),
        people=("owners", "trainers", "walkers"),
        nouns=("dog|hound|pooch", "puppy|pup", "lead|leash", "treat|titbit", "collar",
               "command|cue", "clicker", "crate", "walk", "park", "toy",
               "bark", "recall!", "harness", "vet", "behaviour|behavior",
               "sit", "chew", "lesson|session", "kennel", "tail", "paw",
               "praise!", "socialisation!", "bowl", "biscuit", "fetch!"),
        adjs=("anxious", "excitable", "obedient", "playful", "stubborn", "calm"),
        verbs=("reward|treat", "praise|commend|~laud", "walk|exercise", "fetch|retrieve",
               "bark|yap:yapped:yapping|woof", "sniff|smell|nose"),
        keywords=("positive reinforcement", "crate training", "loose-lead walking",
                  "recall training", "separation anxiety", "clicker training"),
    ),
    "bread baking": dict(
        names=("bread baking", "home baking", "making bread"),
        people=("bakers", "home bakers", "beginners"),
        nouns=("dough", "flour!", "yeast!", "loaf:loaves", "oven", "crust",
               "starter", "kitchen", "knead", "tin|pan", "water!", "salt!",
               "rise", "crumb!", "banneton|proving basket", "bench scraper",
               "rye!", "sourdough!", "baking stone", "steam!", "recipe",
               "scale", "bowl", "towel", "slice", "butter!", "roll", "proof"),
        adjs=("crusty", "sticky", "wholemeal", "airy", "dense", "golden"),
        verbs=("knead|work|~pummel", "bake:baked|cook", "prove|rise:rose", "shape|form|mould",
               "score|slash|cut:cut:cutting", "mix|combine|blend"),
        keywords=("autolyse", "stretch and fold", "hydration levels",
                  "cold retard", "levain", "oven spring"),
    ),
    "running": dict(
        names=("running", "jogging", "distance running"),
        people=("runners", "joggers", "marathoners"),
        nouns=("shoe|trainer", "pace", "mile", "race", "knee", "stretch",
               "marathon", "track", "trail", "injury:injuries", "stride",
               "hydration!", "watch", "warm-up", "interval", "calf:calves",
               "hamstring", "heart rate", "lap", "sock", "blister",
               "finish line", "park run", "recovery!", "cool-down", "hill"),
        adjs=("aerobic", "sore", "long", "steady", "uphill", "breathless"),
        verbs=("run:ran:running|jog:jogged:jogging", "stretch|loosen", "sprint|dash",
               "race|compete", "train|drill|exercise", "pace|time"),
        keywords=("tempo runs", "negative splits", "base building",
                  "cadence drills", "trail shoes", "taper weeks"),
    ),
    "coffee brewing": dict(
        names=("coffee brewing", "home coffee", "making coffee"),
        people=("coffee drinkers", "baristas", "home brewers"),
        nouns=("bean", "grinder|mill", "kettle", "filter", "mug|cup", "roast",
               "espresso!", "crema!", "grind", "brew", "water!", "milk!",
               "French press|cafetiere", "scale", "aroma", "bitterness!",
               "acidity!", "portafilter", "tamper", "pour-over|dripper",
               "caffeine!", "decaf!", "froth!", "bag", "barista"),
        adjs=("bitter", "fruity", "freshly ground", "dark", "single-origin", "smooth"),
        verbs=("brew|make:made|prepare", "grind:ground|mill", "pour|decant", "steam|froth|foam",
               "roast|toast", "sip:sipped:sipping|taste|drink:drank"),
        keywords=("water temperature", "bloom time", "burr grinders",
                  "cold brew", "brew ratio", "light roasts"),
    ),
    "houseplants": dict(
        names=("houseplants", "indoor plants", "keeping plants indoors"),
        people=("plant owners", "collectors", "plant parents"),
        nouns=("plant", "pot|planter", "leaf:leaves", "windowsill|ledge", "soil!",
               "root", "succulent", "fern", "cactus:cacti", "humidity!",
               "light!", "saucer", "mister|spray bottle", "pest", "fungus gnat",
               "repotting!", "stem", "cutting", "drainage hole", "monstera",
               "orchid", "watering!", "radiator", "perlite!", "shelf:shelves"),
        adjs=("leggy", "droopy", "yellowing", "tropical", "bright", "indirect"),
        verbs=("water|soak|~irrigate", "repot:repotted:repotting|transplant", "mist|spray",
               "propagate|multiply|~breed", "rotate|turn|spin:spun:spinning", "wipe|dust|clean"),
        keywords=("bottom watering", "root rot", "grow lights",
                  "propagation stations", "humidity trays", "aroid mixes"),
    ),
    "camping": dict(
        names=("camping", "tent camping", "sleeping outdoors"),
        people=("campers", "hikers", "families"),
        nouns=("tent", "sleeping bag", "stove", "campsite|site", "rain!",
               "tarp", "lantern|torch", "backpack|rucksack", "map", "fire",
               "peg", "groundsheet", "mat", "kettle", "river", "forest|woods",
               "midge", "boots", "rope", "cooler", "firewood!", "compass",
               "weather!", "path|trail", "meal", "pole"),
        adjs=("muddy", "windy", "remote", "waterproof", "cosy", "wild"),
        verbs=("pitch|erect|raise", "hike|trek|tramp", "pack|load|bundle", "cook|heat|warm",
               "light:lit|ignite|kindle", "camp|stay|bivouac"),
        keywords=("wild camping", "leave no trace", "layering systems",
                  "tent footprints", "camp stoves", "bear canisters"),
    ),
    "photography": dict(
        names=("photography", "taking photos", "amateur photography"),
        people=("photographers", "hobbyists", "shooters"),
        nouns=("camera", "lens:lenses", "tripod", "shutter", "aperture",
               "exposure", "photo|picture|snap", "light!", "shadow", "sensor",
               "flash", "portrait", "landscape", "memory card", "battery:batteries",
               "focus!", "frame", "subject", "filter", "histogram", "edit",
               "composition!", "sunset", "studio", "zoom"),
        adjs=("sharp", "blurry", "overexposed", "wide-angle", "grainy", "vivid"),
        verbs=("shoot:shot|capture|snap:snapped:snapping", "focus|sharpen", "frame|compose",
               "zoom|magnify", "edit|retouch|process",
               "crop:cropped:cropping|trim:trimmed:trimming"),
        keywords=("the rule of thirds", "golden hour", "shutter speed",
                  "depth of field", "RAW files", "manual mode"),
    ),
    "remote work": dict(
        names=("remote work", "working from home", "home office life"),
        people=("remote workers", "freelancers", "employees", "managers"),
        nouns=("desk", "chair", "laptop", "meeting", "calendar", "inbox",
               "deadline", "video call", "headset", "screen|display", "break",
               "commute", "team", "office", "notification", "schedule",
               "backlog", "coffee!", "spare room", "ergonomics!", "boundary:boundaries",
               "to-do list", "focus!", "manager|boss", "project"),
        adjs=("remote", "asynchronous", "distracting", "ergonomic", "flexible", "focused"),
        verbs=("email|message", "focus|concentrate", "log:logged:logging|record|note",
               "collaborate|cooperate", "unplug:unplugged:unplugging|disconnect",
               "delegate|hand"),
        keywords=("time blocking", "standing desks", "async updates",
                  "deep work", "meeting-free days", "noise-cancelling headphones"),
    ),
    "sleep": dict(
        names=("sleep", "getting better sleep", "sleep hygiene"),
        people=("sleepers", "night owls", "insomniacs", "parents"),
        nouns=("bedroom", "mattress", "pillow", "alarm", "nap", "bedtime",
               "screen", "caffeine!", "routine", "night", "dream", "curtain",
               "snoring!", "duvet|quilt", "temperature", "rest!", "melatonin!",
               "insomnia!", "lamp", "sheet", "tiredness|fatigue", "body clock",
               "weekend", "shift work!"),
        adjs=("restless", "drowsy", "groggy", "dark", "cool", "refreshed"),
        verbs=("sleep:slept|slumber", "nap:napped:napping|doze|snooze",
               "wake:woke:waking|rise:rose|~awaken", "rest|relax|unwind", "yawn|stretch"),
        keywords=("sleep cycles", "blue light", "wind-down routines",
                  "blackout blinds", "sleep debt", "circadian rhythm"),
    ),
    "beekeeping": dict(
        names=("beekeeping", "keeping bees", "hobby beekeeping"),
        people=("beekeepers", "apiarists", "hobbyists"),
        nouns=("hive", "bee", "queen", "honey!", "frame", "smoker", "veil",
               "colony:colonies", "swarm", "wax!", "brood!", "super", "nectar!",
               "pollen!", "sting", "mite", "apiary", "comb", "drone", "feeder",
               "suit", "winter", "flower", "extractor"),
        adjs=("buzzing", "docile", "queenless", "sticky", "strong", "waxy"),
        verbs=("inspect|examine|check", "smoke|calm", "harvest|gather|collect",
               "feed:fed|nourish", "swarm|cluster", "extract|spin:spun:spinning|draw:drew"),
        keywords=("varroa treatment", "swarm control", "queen excluders",
                  "winter feeding", "hive inspections", "nucleus colonies"),
    ),
    "aquariums": dict(
        names=("aquariums", "fish keeping", "home aquaria"),
        people=("fishkeepers", "aquarists", "hobbyists"),
        nouns=("tank", "fish!", "filter", "heater", "gravel!", "algae!",
               "water change", "pump", "plant", "snail", "shrimp!", "lid",
               "thermometer", "test kit", "nitrate!", "ammonia!", "food!",
               "net", "decoration", "bacteria!", "glass!", "tetra", "guppy:guppies"),
        adjs=("cloudy", "tropical", "planted", "brackish", "murky", "stocked"),
        verbs=("cycle|mature", "feed:fed|nourish", "stock|populate|fill", "siphon|drain|empty",
               "scrape:scraped|scrub:scrubbed:scrubbing", "quarantine|isolate"),
        keywords=("the nitrogen cycle", "fishless cycling", "water parameters",
                  "CO2 injection", "biological filtration", "aquascaping"),
    ),
    "woodworking": dict(
        names=("woodworking", "carpentry", "making furniture"),
        people=("woodworkers", "carpenters", "makers", "hobbyists"),
        nouns=("saw", "chisel", "plank|board", "joint", "glue!", "clamp",
               "workbench|bench", "grain", "sandpaper!", "drill", "screw",
               "oak!", "pine!", "varnish!", "plane", "router", "dust!",
               "offcut", "finish", "tenon", "dovetail", "mallet", "shelf:shelves",
               "sawdust!", "template"),
        adjs=("rough", "smooth", "square", "hardwood", "knotty", "flush"),
        verbs=("saw:sawed|cut:cut:cutting", "sand|smooth|polish", "glue|bond|stick:stuck",
               "drill|bore|pierce", "plane|shave|level", "clamp|grip:gripped:gripping|secure"),
        keywords=("mortise and tenon joints", "hand planes", "wood movement",
                  "oil finishes", "sharpening stones", "dust extraction"),
    ),
    "language learning": dict(
        names=("language learning", "learning a language", "studying languages"),
        people=("learners", "students", "teachers", "tutors"),
        nouns=("word", "grammar!", "vocabulary!", "accent", "lesson|class",
               "flashcard", "textbook", "conversation", "tutor", "podcast",
               "phrase", "verb", "exam", "notebook", "mistake", "fluency!",
               "listening!", "reading!", "app", "subtitle", "dictionary:dictionaries",
               "native speaker", "streak", "tense"),
        adjs=("fluent", "foreign", "conversational", "grammatical", "spoken", "written"),
        verbs=("practise|rehearse|drill", "memorise|learn|~retain",
               "revise|review|recap:recapped:recapping", "translate|render|convert",
               "pronounce|articulate|say:said", "speak:spoke|talk|chat:chatted:chatting"),
        keywords=("spaced repetition", "language exchanges", "comprehensible input",
                  "shadowing", "pronunciation", "immersion weekends"),
    ),
    "bookkeeping": dict(
        names=("bookkeeping", "small business accounts", "keeping the books"),
        people=("owners", "sole traders", "accountants", "freelancers"),
        nouns=("invoice", "receipt", "ledger", "ledger entry", "client|customer",
               "spreadsheet", "tax return", "cash flow!", "payment", "bank statement",
               "supplier", "profit!", "expense", "accountant", "deadline",
               "software!", "category:categories", "balance", "audit", "quarter",
               "payroll!", "VAT!", "record"),
        adjs=("quarterly", "overdue", "deductible", "accurate", "outstanding", "fiscal"),
        verbs=("invoice|bill", "reconcile|match|balance", "file|submit|lodge",
               "record|log:logged:logging|enter", "chase|pursue", "categorise|classify|sort"),
        keywords=("double-entry bookkeeping", "bank reconciliation", "cash accounting",
                  "expense categories", "invoice reminders", "year-end accounts"),
    ),
    "solar panels": dict(
        names=("solar panels", "home solar", "rooftop solar"),
        people=("homeowners", "installers", "households"),
        nouns=("panel", "roof", "inverter", "battery:batteries", "meter",
               "electricity!", "sunlight!", "bill", "installer", "grid",
               "kilowatt", "cable", "bracket", "tariff", "shade!", "output!",
               "warranty:warranties", "savings!", "app", "scaffolding!", "tile",
               "winter", "array"),
        adjs=("south-facing", "efficient", "cloudy", "overcast", "monocrystalline", "renewable"),
        verbs=("generate|produce|yield", "export|sell:sold|send:sent",
               "install|fit:fitted:fitting|mount", "track|watch", "bank|stash",
               "charge|power|top:topped:topping"),
        keywords=("feed-in tariffs", "battery storage", "payback periods",
                  "microinverters", "panel orientation", "export limits"),
    ),
    "cat care": dict(
        names=("cat care", "looking after cats", "keeping a cat"),
        people=("cat owners", "owners", "vets", "breeders"),
        nouns=("cat|feline|moggy", "kitten", "litter tray|litter box", "scratching post",
               "vet", "fur!", "whisker", "claw", "toy", "food!", "bowl",
               "flea", "collar", "hairball", "window", "basket", "brush",
               "vaccination", "nap", "purr", "catnip!", "carrier"),
        adjs=("indoor", "grumpy", "curious", "fluffy", "playful", "senior"),
        verbs=("groom|brush|comb", "feed:fed|nourish", "scratch|claw", "purr|hum",
               "pounce|leap:leapt|jump", "stroke|pet:petted:petting"),
        keywords=("indoor enrichment", "flea treatment", "litter training",
                  "dental care for cats", "wet food diets", "cat flaps"),
    ),
    "home cooking": dict(
        names=("home cooking", "cooking at home", "weeknight meals"),
        people=("cooks", "home cooks", "families", "students"),
        nouns=("pan|skillet", "knife:knives", "recipe", "onion", "garlic!",
               "oven", "stock!", "sauce", "spice", "chopping board",
               "leftovers", "salt!", "pasta!", "rice!", "vegetable", "fridge",
               "freezer", "meal", "herb", "lid", "heat!", "olive oil!", "stew", "batch"),
        adjs=("savoury", "crispy", "tender", "spicy", "homemade", "quick"),
        verbs=("chop:chopped:chopping|dice|slice", "fry:fried|saute|sear", "simmer|stew|poach",
               "season|flavour|spice", "roast|bake:baked", "stir:stirred:stirring|whisk|toss"),
        keywords=("batch cooking", "meal prep", "one-pot dinners",
                  "knife skills", "freezer meals", "pantry staples"),
    ),
    "herbal remedies": dict(
        names=("herbal remedies", "natural pain relief", "herbal supplements"),
        people=("patients", "users", "herbalists", "doctors"),
        nouns=("herb", "supplement|remedy", "chronic pain!", "dose|dosage", "side effect",
               "capsule|pill", "tea", "extract|tincture", "leaf:leaves", "powder",
               "inflammation!", "joint", "receptor", "liver", "painkiller|analgesic",
               "tolerance!", "doctor|physician", "study:studies", "alkaloid", "symptom",
               "anxiety!", "headache", "label", "interaction", "plant"),
        adjs=("herbal", "natural", "chronic", "anti-inflammatory", "mild", "potent"),
        verbs=("dose|measure", "brew|steep", "relieve|ease|soothe", "swallow|take:took",
               "consult|ask", "absorb|digest"),
        keywords=("kratom", "turmeric capsules", "willow bark", "CBD oil",
                  "devil's claw", "ginger tea"),
    ),
    "hiking": dict(
        names=("hiking", "hill walking", "trekking"),
        people=("hikers", "walkers", "ramblers"),
        nouns=("boot", "trail|path", "summit|peak", "map", "rucksack|backpack",
               "blister", "sock", "ridge", "waterproof", "compass", "snack",
               "valley", "stream", "weather!", "layer", "pole", "stile",
               "mist!", "guidebook", "gradient", "descent", "shelter"),
        adjs=("steep", "rocky", "misty", "exposed", "boggy", "scenic"),
        verbs=("hike|trek|walk", "climb|ascend|scramble", "navigate|orient|~steer",
               "descend|drop:dropped:dropping", "pack|load", "rest|pause|break:broke"),
        keywords=("navigation skills", "trekking poles", "route planning",
                  "mountain weather", "blister prevention", "day packs"),
    ),
}


# ===========================================================================
# Lexicon: parsed word lists (immutable after import)
# ===========================================================================
_VOWELS = "aeiou"


def _plural(word: str) -> str:
    head, _, last = word.rpartition(" ")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        out = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in _VOWELS:
        out = last[:-1] + "ies"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def _third(verb: str) -> str:
    if verb == "have":
        return "has"
    if verb in ("do", "go"):
        return verb + "es"
    return _plural(verb)


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in _VOWELS:
        return verb[:-1] + "ied"
    return verb + "ed"


def _ing(verb: str) -> str:
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    return verb + "ing"


@dataclass(frozen=True)
class _Lexeme:
    """One word and its inflected forms.

    ``forms`` is ``(singular, plural)`` for nouns, ``(base, 3sg, past, ing)``
    for verbs and ``(word,)`` for adjectives and adverbs.
    """

    forms: tuple[str, ...]
    mass: bool = False
    awkward: bool = False


def _parse_noun(spec: str) -> _Lexeme:
    awkward = spec.startswith("~")
    spec = spec.lstrip("~")
    mass = spec.endswith("!")
    spec = spec.rstrip("!")
    if ":" in spec:
        sg, pl = spec.split(":")
    else:
        sg, pl = spec, (spec if mass else _plural(spec))
    return _Lexeme((sg, pl), mass, awkward)


def _parse_verb(spec: str) -> _Lexeme:
    awkward = spec.startswith("~")
    parts = spec.lstrip("~").split(":")
    base = parts[0]
    past = parts[1] if len(parts) > 1 else _past(base)
    ing = parts[2] if len(parts) > 2 else _ing(base)
    return _Lexeme((base, _third(base), past, ing), False, awkward)


def _parse_word(spec: str) -> _Lexeme:
    return _Lexeme((spec.lstrip("~"),), False, spec.startswith("~"))


def _groups(specs: tuple[str, ...], parse) -> tuple[tuple[_Lexeme, ...], ...]:
    return tuple(tuple(parse(m) for m in s.split("|")) for s in specs)


_ADJ = _groups(ADJ_GROUPS, _parse_word)
_ADV = _groups(ADV_GROUPS, _parse_word)
_NOUN = _groups(NOUN_GROUPS, _parse_noun)
_VERB = _groups(VERB_GROUPS, _parse_verb)


@dataclass(frozen=True)
class Topic:
    """A parsed topic vocabulary (see ``TOPICS``)."""

    name: str
    names: tuple[str, ...]
    people: tuple[str, ...]
    nouns: tuple[tuple[_Lexeme, ...], ...]
    adjs: tuple[str, ...]
    verbs: tuple[tuple[_Lexeme, ...], ...]
    keywords: tuple[str, ...]


def _parse_topic(name: str, spec: dict) -> Topic:
    return Topic(
        name=name,
        names=tuple(spec["names"]),
        people=tuple(spec["people"]),
        nouns=_groups(tuple(spec["nouns"]), _parse_noun),
        adjs=tuple(spec["adjs"]),
        verbs=_groups(tuple(spec["verbs"]), _parse_verb),
        keywords=tuple(spec["keywords"]),
    )


_TOPICS: Mapping[str, Topic] = MappingProxyType(
    {name: _parse_topic(name, spec) for name, spec in TOPICS.items()}
)
#: Names of the available topics, in a fixed order.
TOPIC_NAMES: tuple[str, ...] = tuple(TOPICS)

# A pseudo topic for stock sentences of template skeletons whose members have
# different topics: a third of the topic nouns are slots (@T = the member's
# topic name, @N1..@N3 = nouns of the member's topic), the others generic
# nouns; @K = the member's keyword, @P = the member's people.
_SLOT_TOPIC = Topic(
    name="@slots",
    names=("@T",),
    people=("@P",),
    nouns=tuple((_Lexeme((s, s), True),) for s in ("@T", "@N1", "@N2", "@N3")) + _NOUN[:8],
    adjs=(),
    verbs=(),
    keywords=("@K",),
)


def _build_spin_lexicon() -> Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Word -> (ordinary synonyms, awkward synonyms), same inflected form."""
    lex: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    all_groups = list(_ADJ) + list(_ADV) + list(_NOUN) + list(_VERB)
    for topic in _TOPICS.values():
        all_groups.extend(topic.nouns)
        all_groups.extend(topic.verbs)
    all_groups.extend(_groups(EXTRA_SPIN_GROUPS, _parse_word))
    for group in all_groups:
        if len(group) < 2:
            continue
        for i in range(len(group[0].forms)):
            for lexeme in group:
                src = lexeme.forms[i]
                if not src.isalpha() or src in lex or src in STOPWORDS:
                    continue
                normal = tuple(
                    o.forms[i] for o in group
                    if o is not lexeme and not o.awkward and o.forms[i].isalpha()
                    and o.forms[i] != src
                )
                awkward = tuple(
                    o.forms[i] for o in group
                    if o is not lexeme and o.awkward and o.forms[i].isalpha()
                    and o.forms[i] != src
                )
                if normal or awkward:
                    lex[src] = (tuple(dict.fromkeys(normal)), tuple(dict.fromkeys(awkward)))
    return MappingProxyType(lex)


#: The spinner's synonym table: word -> (synonyms, awkward synonyms).
SPIN_LEXICON = _build_spin_lexicon()

_WORD_RE = re.compile(r"\w+")
_ALPHA_RE = re.compile(r"[A-Za-z]+")


# ===========================================================================
# Small public helpers
# ===========================================================================
def word_shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """Return the set of lower-cased word ``n``-grams of ``text``.

    Words are maximal runs of ``\\w`` characters, the same token definition
    as ``spindetect.text.tokens``.
    """
    words = _WORD_RE.findall(text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return set(zip(*(words[i:] for i in range(n))))


def word_ngram_jaccard(a: str, b: str, n: int = 5) -> float:
    """Jaccard similarity of the word ``n``-gram sets of two texts."""
    sa, sb = word_shingles(a, n), word_shingles(b, n)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def get_topic(topic: str | Topic) -> Topic:
    """Return the :class:`Topic` for a topic name (or the topic itself)."""
    if isinstance(topic, Topic):
        return topic
    try:
        return _TOPICS[topic]
    except KeyError:
        raise ValueError(f"unknown topic {topic!r}; choose one of {TOPIC_NAMES}") from None


# ===========================================================================
# Writers: style parameters of one independent author
# ===========================================================================
@dataclass(frozen=True)
class Writer:
    """Style of one (imaginary) author; drawn at random by :func:`random_writer`."""

    person: str  # "I", "we", "you" or "they"
    dets: tuple[str, ...]  # preferred determiners, most likely first
    para_len: tuple[int, int]
    title_p: float
    heading_p: float
    list_p: float
    bullet: str
    heading_prefix: str
    title_case: bool
    blank_lines: bool
    opener_p: float
    compound_p: float
    question_p: float
    imperative_p: float
    clauses: tuple[int, ...]  # indices into _CLAUSES this writer uses
    list_style: str  # "imperative", "noun", "sentence"


def random_writer(rng: random.Random) -> Writer:
    """Draw an author style: sentence habits, paragraph length, layout."""
    n = len(_CLAUSES)
    k = rng.randint(n // 3, (2 * n) // 3)
    return Writer(
        person=rng.choice(("I", "we", "you", "you", "they")),
        dets=tuple(rng.sample(("the", "your", "my", "our", "their", "this"), 3)),
        para_len=rng.choice(((2, 4), (3, 5), (3, 6), (4, 6), (4, 7))),
        title_p=rng.choice((0.0, 0.5, 0.9)),
        heading_p=rng.choice((0.0, 0.15, 0.3, 0.5)),
        list_p=rng.choice((0.0, 0.1, 0.2, 0.35)),
        bullet=rng.choice(("- ", "* ", "• ", "1. ", "– ", "")),
        heading_prefix=rng.choice(("", "", "## ", "### ")),
        title_case=rng.random() < 0.5,
        blank_lines=rng.random() < 0.6,
        opener_p=rng.uniform(0.05, 0.3),
        compound_p=rng.uniform(0.1, 0.45),
        question_p=rng.uniform(0.0, 0.1),
        imperative_p=rng.uniform(0.0, 0.2),
        clauses=tuple(sorted(rng.sample(range(n), k))),
        list_style=rng.choice(("imperative", "noun", "sentence")),
    )


# ===========================================================================
# The sentence grammar
# ===========================================================================
# Placeholders (filled left to right; subjects set verb agreement):
#   {S} subject NP  {SN} topic subject  {SG} generic subject  {SP} people subject
#   {PRO} pronoun subject (writer's person)  {PROP} I/we  {GER} gerund subject
#   {sg} {pl} set agreement without text
#   {O} object NP  {ON} topic object  {OG} generic object  {ONb} bare topic noun
#   {Gs} bare generic noun singular  {Gp} plural
#   {be} {have} {do} {V3} agree with the subject; {V} base verb; {Vd} past;
#   {Ving}; {VT} topic verb base
#   {A} adjective  {AG} generic adjective  {ADV} manner adverb  {DEG} degree
#   {FREQ} frequency adverb  {MOD} modal  {PP} prepositional phrase
#   {TIME} {PAST} time phrases  {T} topic name  {K} keyword  {P} people
#   {Q} quantifier  {CONJ} conjunction
_CLAUSES: tuple[str, ...] = (
    "{S} {V3} {O}",
    "{S} {MOD} {V} {O}",
    "{S} {MOD} {ADV} {V} {O} {PP}",
    "{S} {MOD} {V} {O} {TIME}",
    "{S} {do} not {V} {O} {PP}",
    "{S} {be} {DEG} {A}",
    "{SN} {be} {DEG} {A} {PP}",
    "{S} {be} {A} and {A}",
    "{SN} {be} not as {A} as {O}",
    "{SG} {be} {A} {TIME}",
    "{S} {have} {Q} {A} {Gp}",
    "it {ITBE} {A} to {V} {O} {PP}",
    "it {ITBE} {DEG} {A} to {V} {ON}",
    "there {pl}{be} {Q} {A} {Gp} {PP}",
    "{PRO} {V3} {O} {TIME}",
    "{PRO} {FREQ} {V3} {ON} {PP}",
    "{PROP} {Vd} {O} {PAST}",
    "{PAST} {PROP} {Vd} {O} and {Vd} {O}",
    "{PROP} {PASTADV} {Vd} {ON}",
    "{GER} {V3} {O}",
    "{GER} {be} {DEG} {A}",
    "{GER} {MOD} {V} {O} {TIME}",
    "the {AG} {Gs} is to {V} {O}",
    "one {Gs} is that {S} {V3} {O}",
    "{SP} {FREQ} {V} {O} {PP}",
    "{SP} who {V} {ON} {FREQ} {V} {O}",
    "if you {V} {O}, {S} {MOD} {V} {O}",
    "when {S} {V3} {O}, {PRO} {V3} {O}",
    "{S} {V3} {O}, not {O}",
    "{S} {V3} {O} {ADV}",
    "{S} {MOD} help {O} {V} {O}",
    "{S} {MOD} make {O} {DEG} {A}",
    "{S} {V3} {O} more {ADV} than {O}",
    "the {Gs} with {ON} is that {S} {V3} {O}",
    "nothing{sg} {V3} {O} like {ON}",
    "a {AG} {Gs}{sg} {MOD} {V} {O}",
    "{K} {MOD} {V} {O} {PP}",
    "{PRO} {V3} {K} {TIME}",
    "{PRO} {MOD} {V} {K} {PP}",
    "{T} {MOD} {V} {O}",
    "{PRO} {MOD} not {V} {O} without {Ving} {ON}",
    "{SP} {V} {O} for {DEG} {A} {Gp}",
    "the {Gs} of {ON} {MOD} {V} {O}",
    "{S} {V3} both {O} and {O}",
    "{PRO} {V3} {O} {ADV} and {V3} {O}",
    "{S} {be} {A}, {A} and {A}",
    "{S} {Vd} {O} {PAST}",
    "{PROP} {Vd} {O} {PAST}, and {S} {Vd} {O}",
    "most {P} {V} {O} {TIME}",
    "{Q} {P}{pl} {Vd} {ON} {PAST}",
    "{S} {MOD} {V} {ON} {ADV} {PP}",
    "{PRO} {have} {Vd} {O} {Q} times",
    "{S} {be} {Q} {Gp} {PP}",
    "{SN} {V3} {ADV} {PP}",
    "{PRO} {be} {DEG} {A} about {ON}",
    "{SG} {be} {ADV} {A}",
    "{K} {be} {DEG} {A} for {P}",
    "{PRO} {FREQ} {V3} {ON} and {O}",
    "{ON}{pl} {MOD} {V} {O} {TIME}",
    "{S} {V3} {O} {PP} {PP}",
)

_IMPERATIVES: tuple[str, ...] = (
    "{V} {O} {PP}",
    "{V} {O} {TIME}",
    "do not {V} {O} {PP}",
    "try to {V} {ON} {ADV}",
    "always {V} {ON} before {Ving} {O}",
    "never {V} {O} {PP}",
    "{V} {ON}, then {V} {O}",
    "remember to {V} {ON} {TIME}",
    "make sure {S} {V3} {O}",
    "start by {Ving} {ON}",
)

_QUESTIONS: tuple[str, ...] = (
    "why {MODQ} {S} {V} {O}",
    "how {MODQ} {S} {V} {ON} {PP}",
    "what {MODQ} {S} {V} {TIME}",
    "{MODQC} {S} really {V} {ON}",
    "is {K} {DEG} {A}",
)

_HEADINGS: tuple[str, ...] = (
    "how to {V} {ONb}",
    "why {ON} {MOD} {V} {O}",
    "{A} {Gp} for {P}",
    "the {A} guide to {T}",
    "{T}: {A} {Gp} and {A} {Gp}",
    "{ONb} {Gp}",
    "what {P} {V} about {ONb}",
    "{Ving} {ONb}",
    "a {AG} {Gs} to {V} {ONb}",
    "{K} explained",
    "getting started with {K}",
    "{Q} {Gp} to {V} {ONb}",
    "common {Gp} with {ONb}",
    "{ONb} or {ONb}?",
    "before you {V} {ONb}",
    "{K} for {P}",
    "{Ving} {ONb} {TIME}",
    "understanding {K}: {A} {Gp}",
    "the {Gs} behind {ONb}",
    "{A} {ONb} and {A} {ONb}",
)

_LIST_LEADS: tuple[str, ...] = (
    "here {pl}{be} {Q} {A} {Gp}",
    "{PRO} {V3} the following",
    "the {A} {Gp}{pl} {be} these",
    "a few {Gp} {PRO} {V3} {TIME}",
    "keep these {Gp} in mind",
    "{PRO} {MOD} {V} these {Gp}",
)

_LIST_ITEMS = {
    "imperative": ("{V} {ONb} {TIME}", "{V} {O}", "{V} {ONb} {ADV}", "{V} {K}"),
    "noun": ("{A} {ONb}", "{ONb}", "{K}", "{A} {Gp}", "{ONb} and {ONb}"),
    "sentence": ("{SN} {MOD} {V} {O}", "{S} {V3} {O}", "{PRO} {V3} {ON}"),
}

_MODALS_Q = ("should", "would", "can", "could", "might", "will")
_MODALS_QC = ("should", "can", "could", "will", "would")
_ITBE = ("is", "was", "can be", "is often", "is always", "seems", "feels", "is usually",
         "is rarely", "becomes")
_FREQ = ("often", "rarely", "seldom", "sometimes", "always", "never", "usually",
         "occasionally", "regularly", "hardly ever")
_PASTADV = ("never", "once", "finally", "eventually", "accidentally", "first",
            "nearly", "quickly", "happily")
_QUANT = ("many", "several", "a few", "some", "plenty of", "countless", "two or three",
          "no", "dozens of", "a handful of", "three", "four", "five")
_DETS_SG = ("the", "your", "a", "this", "every", "each", "one", "their", "our", "my",
            "that", "any", "a single", "the same", "a decent")
_DETS_PL = ("the", "your", "these", "many", "most", "some", "their", "our", "my", "",
            "those", "a few", "several", "all the", "such")
_DETS_MASS = ("the", "your", "some", "this", "their", "our", "my", "", "enough",
              "more", "less", "good", "that")
_PRONOUNS = {"I": ("I", "I"), "we": ("we", "pl"), "you": ("you", "pl"), "they": ("they", "pl")}

_SLOT_RE = re.compile(r"\{(\w+)\}")

#: Slots filled by one random choice from a fixed list.
_SLOT_CHOICES = MappingProxyType({
    "DEG": DEGREE_ADVERBS, "FREQ": _FREQ, "PASTADV": _PASTADV, "MODQ": _MODALS_Q, "MODQC": _MODALS_QC,
    "ITBE": _ITBE, "TIME": TIME_PHRASES, "PAST": PAST_TIME, "Q": _QUANT,
})
#: The _Filler method that fills each other slot.
_SLOT_METHODS = MappingProxyType({
    **dict.fromkeys(("S", "SN", "SG", "SP"), "_subject_slot"),
    **dict.fromkeys(("PRO", "PROP", "sg", "pl"), "_agreement_slot"),
    **dict.fromkeys(("O", "ON", "OG", "ONb", "GER", "PP"), "_object_slot"),
    **dict.fromkeys(("Gs", "Gp", "A", "AG", "ADV"), "_word_slot"),
    **dict.fromkeys(("be", "have", "do", "V3", "V", "Vd", "Ving", "VT"), "_verb_slot"),
    "MOD": "_modal_slot",
    **dict.fromkeys(("T", "K", "P"), "_topic_slot"),
})
_AN_RE = re.compile(r"\b([Aa]) (?=(?:[aeioAEIO]|u[nm][^i]|hour|honest))")


class _Filler:
    """Fills one template; keeps the current subject's agreement."""

    def __init__(self, topic: Topic, writer: Writer, rng: random.Random,
                 keyword: str | None, keyword_p: float) -> None:
        self.topic = topic
        self.writer = writer
        self.rng = rng
        self.keyword = keyword
        self.keyword_p = keyword_p
        self.agr = "sg"

    # -- words -------------------------------------------------------------
    def _lex(self, groups) -> _Lexeme:
        group = self.rng.choice(groups)
        normal = [m for m in group if not m.awkward]
        return self.rng.choice(normal)

    def adj(self, generic_only: bool = False) -> str:
        if self.topic.adjs and not generic_only and self.rng.random() < 0.3:
            return self.rng.choice(self.topic.adjs)
        return self._lex(_ADJ).forms[0]

    def verb(self, form: int) -> str:
        if self.topic.verbs and self.rng.random() < 0.35:
            return self._lex(self.topic.verbs).forms[form]
        return self._lex(_VERB).forms[form]

    def noun_np(self, source: str, *, bare: bool = False) -> tuple[str, str]:
        rng = self.rng
        if source == "topic":
            lex = self._lex(self.topic.nouns)
        else:
            lex = self._lex(_NOUN)
        plural = (not lex.mass) and rng.random() < 0.45
        word = lex.forms[1] if plural else lex.forms[0]
        agr = "pl" if plural else "sg"
        if rng.random() < 0.3:
            word = f"{self.adj()} {word}"
        if bare:
            return word, agr
        if lex.mass:
            dets = _DETS_MASS
        elif plural:
            dets = _DETS_PL
        else:
            dets = _DETS_SG
        if rng.random() < 0.5:
            pref = [d for d in self.writer.dets if d in dets]
            det = rng.choice(pref) if pref else rng.choice(dets)
        else:
            det = rng.choice(dets)
        return (f"{det} {word}" if det else word), agr

    def keyword_text(self) -> str:
        if self.keyword and self.rng.random() < max(self.keyword_p, 0.5):
            return self.keyword
        return self.rng.choice(self.topic.keywords)

    def people(self) -> str:
        if self.rng.random() < 0.75:
            return self.rng.choice(self.topic.people)
        return self.rng.choice(GENERIC_PEOPLE)

    # -- slots -------------------------------------------------------------
    def slot(self, name: str) -> str:
        """The words of one ``{name}`` slot of a sentence template (some slots set the agreement)."""
        if name in _SLOT_CHOICES:
            return self.rng.choice(_SLOT_CHOICES[name])
        return getattr(self, _SLOT_METHODS[name])(name)  # KeyError(name) for an unknown slot

    def _subject_slot(self, name: str) -> str:
        """S (any subject), SN (topic noun), SG (generic noun), SP (people)."""
        rng = self.rng
        if name == "S":
            r = rng.random()
            name = "SN" if r < 0.5 else ("SG" if r < 0.78 else "SP")
        if name == "SP":
            self.agr = "pl"
            q = rng.choice(("many", "most", "some", "experienced", "new", "", "", "few"))
            p = self.people()
            return f"{q} {p}" if q else p
        text, self.agr = self.noun_np("topic" if name == "SN" else "generic")
        if name == "SN" and self.keyword and rng.random() < self.keyword_p * 0.5:
            text, self.agr = self.keyword_text(), "sg"
        return text

    def _agreement_slot(self, name: str) -> str:
        """PRO and PROP (the writer's pronoun), sg and pl (set the agreement, no words)."""
        if name == "PRO":
            word, self.agr = _PRONOUNS[self.writer.person]
            return word
        if name == "PROP":
            self.agr = "past"
            return "I" if self.writer.person in ("I", "you") else "we"
        self.agr = name
        return ""

    def _object_slot(self, name: str) -> str:
        """O (any object), ON (topic), OG (generic), ONb (bare topic noun), GER (gerund phrase), PP."""
        rng = self.rng
        if name == "GER":
            self.agr = "sg"
            return f"{self.verb(3)} {self.slot('ON')}"
        if name == "PP":
            return f"{rng.choice(PREPOSITIONS)} {self.slot('O')}"
        if name == "ONb":
            if self.keyword and rng.random() < self.keyword_p:
                return self.keyword_text()
            return self.noun_np("topic", bare=True)[0]
        if name == "O":
            name = "ON" if rng.random() < 0.6 else "OG"
        if name == "ON" and self.keyword and rng.random() < self.keyword_p:
            return self.keyword_text()
        return self.noun_np("topic" if name == "ON" else "generic")[0]

    def _word_slot(self, name: str) -> str:
        """Gs and Gp (a generic noun, singular or plural), A and AG (adjectives), ADV."""
        if name == "Gs":
            return self._lex(_NOUN).forms[0]
        if name == "Gp":
            lex = self._lex(_NOUN)
            while lex.mass:
                lex = self._lex(_NOUN)
            return lex.forms[1]
        if name == "ADV":
            return self._lex(_ADV).forms[0]
        return self.adj(generic_only=name == "AG")

    def _verb_slot(self, name: str) -> str:
        """be, have, do (agreeing), V3 (agreeing), V, Vd, Ving, VT (a topic verb)."""
        if name == "be":
            return {"sg": "is", "pl": "are", "I": "am"}.get(self.agr, "is")
        if name == "have":
            return "has" if self.agr == "sg" else "have"
        if name == "do":
            return "does" if self.agr == "sg" else "do"
        if name == "VT":
            lex = self._lex(self.topic.verbs) if self.topic.verbs else self._lex(_VERB)
            return lex.forms[0]
        form = {"V": 0, "Vd": 2, "Ving": 3}.get(name, 1 if self.agr == "sg" else 0)
        return self.verb(form)

    def _modal_slot(self, name: str) -> str:
        """MOD: a modal that agrees with the subject."""
        m = self.rng.choice(MODALS)
        if self.agr != "sg" and m.startswith(("is ", "has ", "tends ")):
            m = {"is likely to": "are likely to", "has to": "have to", "tends to": "tend to"}[m]
        if self.agr == "I" and m == "are likely to":
            m = "am likely to"
        return m

    def _topic_slot(self, name: str) -> str:
        """T (a topic name, singular), K (the keyword), P (people)."""
        if name == "T":
            self.agr = "sg"
            return self.rng.choice(self.topic.names)
        if name == "K":
            return self.keyword_text()
        return self.people()

    def fill(self, template: str) -> str:
        self.agr = "sg"
        text = _SLOT_RE.sub(lambda m: self.slot(m.group(1)), template)
        return " ".join(text.split())


def _finish(text: str, end: str = ".") -> str:
    text = _AN_RE.sub(lambda m: m.group(1) + "n ", text)
    return text[:1].upper() + text[1:] + end


def _sentence(f: _Filler) -> str:
    """One sentence in the writer's style."""
    rng, w = f.rng, f.writer
    r = rng.random()
    if r < w.question_p:
        return _finish(f.fill(rng.choice(_QUESTIONS)), "?")
    if r < w.question_p + w.imperative_p:
        return _finish(f.fill(rng.choice(_IMPERATIVES)), rng.choice(".....!"))
    clause = f.fill(_CLAUSES[rng.choice(w.clauses)])
    if rng.random() < w.compound_p:
        second = f.fill(_CLAUSES[rng.choice(w.clauses)])
        clause = f"{clause}{rng.choice((',', ',', ''))} {rng.choice(CONJUNCTIONS)} {second}"
    if rng.random() < w.opener_p:
        clause = f"{rng.choice(OPENERS)}, {clause}"
    return _finish(clause)


def _heading(f: _Filler, template: str | None = None) -> str:
    text = f.fill(template or f.rng.choice(_HEADINGS))
    text = _AN_RE.sub(lambda m: m.group(1) + "n ", text)
    if f.writer.title_case:
        text = " ".join(w[:1].upper() + w[1:] if len(w) > 3 or i == 0 else w
                        for i, w in enumerate(text.split(" ")))
    else:
        text = text[:1].upper() + text[1:]
    return f.writer.heading_prefix + text


def _paragraph(f: _Filler, n: int | None = None) -> str:
    lo, hi = f.writer.para_len
    n = n if n is not None else f.rng.randint(lo, hi)
    return " ".join(_sentence(f) for _ in range(n))


def _bullet(writer: Writer, i: int) -> str:
    return f"{i + 1}. " if writer.bullet == "1. " else writer.bullet


def _list_block(f: _Filler) -> str:
    rng = f.rng
    lead = _finish(f.fill(rng.choice(_LIST_LEADS)), ":")
    items = []
    for i in range(rng.randint(3, 6)):
        item = f.fill(rng.choice(_LIST_ITEMS[f.writer.list_style]))
        item = _AN_RE.sub(lambda m: m.group(1) + "n ", item)
        item = item[:1].upper() + item[1:]
        if f.writer.list_style == "sentence":
            item += "."
        items.append(_bullet(f.writer, i) + item)
    return lead + "\n" + "\n".join(items)


def _join_blocks(blocks: list[str], writer: Writer) -> str:
    return ("\n\n" if writer.blank_lines else "\n").join(blocks)


def make_article(
    topic: str | Topic,
    rng: random.Random,
    *,
    keyword: str | None = None,
    writer: Writer | None = None,
    target_bytes: int | None = None,
) -> str:
    """Write one independent article on ``topic``.

    Parameters
    ----------
    topic : str or Topic
        A name from :data:`TOPIC_NAMES`.
    rng : random.Random
        Source of randomness; the article is a pure function of its state.
    keyword : str, optional
        A phrase the article mentions now and then.
    writer : Writer, optional
        The author's style; a new random writer by default, so two calls
        give texts that differ in wording *and* layout.
    target_bytes : int, optional
        Approximate length; uniform in [2200, 3800] by default.

    Returns
    -------
    str
        A multi-paragraph article (about 2-4 KB).
    """
    t = get_topic(topic)
    w = writer or random_writer(rng)
    target = target_bytes if target_bytes is not None else rng.randint(2200, 3800)
    f = _Filler(t, w, rng, keyword, 0.12 if keyword else 0.0)
    blocks: list[str] = []
    if rng.random() < w.title_p:
        blocks.append(_heading(f))
    size = 0
    first = True
    while size < target:
        if not first and rng.random() < w.heading_p:
            blocks.append(_heading(f))
        para = _paragraph(f)
        blocks.append(para)
        size += len(para) + 2
        if not first and rng.random() < w.list_p:
            lst = _list_block(f)
            blocks.append(lst)
            size += len(lst) + 2
        first = False
    return _join_blocks(blocks, w)


def focus_topic(topic: str | Topic, rng: random.Random, *, n_nouns: int = 10) -> Topic:
    """A narrower version of ``topic``: a random subset of its noun groups.

    Articles written on a focused topic share more vocabulary than articles
    on the whole topic: two writers covering the same sub-subject (hard
    negatives for TF-IDF).
    """
    t = get_topic(topic)
    k = min(n_nouns, len(t.nouns))
    nouns = tuple(t.nouns[i] for i in sorted(rng.sample(range(len(t.nouns)), k)))
    return Topic(name=t.name, names=t.names, people=t.people, nouns=nouns, adjs=t.adjs,
                 verbs=t.verbs, keywords=t.keywords)


def generic_sentence(rng: random.Random, topic: str | Topic | None = None) -> str:
    """One sentence by a random writer, on ``topic`` or on a random topic."""
    t = get_topic(topic) if topic is not None else get_topic(rng.choice(TOPIC_NAMES))
    return _sentence(_Filler(t, random_writer(rng), rng, None, 0.0))


# ===========================================================================
# Variants of a text
# ===========================================================================
def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def spin(
    text: str,
    fraction: float,
    rng: random.Random,
    *,
    quirk_rate: float = 0.08,
    basis: str = "content",
) -> str:
    """Synonym-spin ``text`` like an article spinner.

    Content words are the words not in :data:`STOPWORDS`; eligible words are
    content words with an entry in :data:`SPIN_LEXICON`.  With
    ``basis="content"`` (default) ``round(fraction * n_content)`` eligible
    words are replaced (all eligible words if fewer; the generator's texts
    have about 55-75 % eligible content words, so 50 % is reachable); with
    ``basis="eligible"`` ``round(fraction * n_eligible)``.  The words are
    chosen at random and replaced by a synonym of the same part of speech and
    inflection.  Layout, punctuation and every stopword stay in place.  With
    probability ``quirk_rate`` a replacement uses an awkward synonym when the
    word has one.

    Parameters
    ----------
    text : str
    fraction : float
        Share of words to replace, in [0, 1].
    rng : random.Random
    quirk_rate : float, default=0.08
    basis : {"content", "eligible"}, default="content"

    Returns
    -------
    str
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be in [0, 1], got {fraction}")
    matches = list(_ALPHA_RE.finditer(text))
    content = [m for m in matches if m.group().lower() not in STOPWORDS]
    eligible = [m for m in content if m.group().lower() in SPIN_LEXICON]
    if basis not in ("content", "eligible"):
        raise ValueError(f"basis must be 'content' or 'eligible', got {basis!r}")
    base = len(content) if basis == "content" else len(eligible)
    k = min(len(eligible), round(fraction * base))
    chosen = sorted(rng.sample(range(len(eligible)), k))
    out: list[str] = []
    pos = 0
    for i in chosen:
        m = eligible[i]
        normal, awkward = SPIN_LEXICON[m.group().lower()]
        pool = awkward if (awkward and rng.random() < quirk_rate) or not normal else normal
        out.append(text[pos:m.start()])
        out.append(_match_case(rng.choice(pool), m.group()))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


_FILLERS = ("really", "also", "just", "actually", "very", "still", "often", "simply",
            "quite", "certainly", "even", "now")
_SENT_SPLIT_RE = re.compile(r"(?<=[.!?]) +(?=[A-Z])")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _structural_edit(text: str, rng: random.Random, topic: str | Topic | None) -> str:
    lines = text.split("\n")
    para_idx = [i for i, ln in enumerate(lines) if len(_SENT_SPLIT_RE.split(ln)) >= 3]
    if para_idx and rng.random() < 0.5:  # drop a sentence
        i = rng.choice(para_idx)
        sents = _SENT_SPLIT_RE.split(lines[i])
        del sents[rng.randrange(len(sents))]
        lines[i] = " ".join(sents)
    if para_idx and rng.random() < 0.5:  # add a sentence
        i = rng.choice(para_idx)
        sents = _SENT_SPLIT_RE.split(lines[i])
        sents.insert(rng.randrange(len(sents) + 1), generic_sentence(rng, topic))
        lines[i] = " ".join(sents)
    text = "\n".join(lines)
    r = rng.random()
    if r < 0.3:
        text = text.replace("\n\n", "\n")
    elif r < 0.5:
        text = re.sub(r"\n(?!\n)", "\n\n", text)
    if rng.random() < 0.3:
        text = text.replace(". ", ".  ", rng.randint(1, 5))
    if rng.random() < 0.3:
        text = "\n".join(ln + " " if ln and rng.random() < 0.3 else ln for ln in text.split("\n"))
    return text


def sentence_edit(text: str, rng: random.Random, *, topic: str | Topic | None = None) -> str:
    """Drop and add a sentence, and change white space, as a copier does.

    The structural part of :func:`light_edit` alone (no word-level edits):
    with probability 0.5 a sentence of a paragraph line of three or more
    sentences is dropped, with probability 0.5 a :func:`generic_sentence` on
    ``topic`` is inserted, then blank lines, double spaces after full stops
    and trailing spaces may change.  Used with :func:`spin` to make spun
    copies of real pages (``benchmarks/realsets.py``).
    """
    return _structural_edit(text, rng, topic)


def light_edit(
    text: str,
    rng: random.Random,
    *,
    topic: str | Topic | None = None,
    jaccard_range: tuple[float, float] = (0.55, 0.88),
) -> str:
    """Lightly edit ``text`` the way a copier touches up a page.

    A sentence may be dropped or added, white space and punctuation change,
    then word-level edits (insertions, deletions, synonym or random
    substitutions, typos) are applied one at a time until the word 5-gram
    Jaccard with the original falls to a target drawn uniformly from
    ``jaccard_range`` (so the result lands in roughly [0.5, 0.9]).

    Parameters
    ----------
    text : str
    rng : random.Random
    topic : str or Topic, optional
        Topic of an added sentence (a random one by default).
    jaccard_range : (float, float), default=(0.55, 0.88)

    Returns
    -------
    str
    """
    target = rng.uniform(*jaccard_range)
    original = word_shingles(text)
    edited = _structural_edit(text, rng, topic)
    parts = re.split(r"(\s+)", edited)
    word_idx = [i for i, p in enumerate(parts) if p and not p.isspace()]
    if not word_idx:
        return edited

    def jac() -> float:
        cur = word_shingles("".join(parts))
        return len(cur & original) / max(1, len(cur | original))

    steps = 0
    while jac() > target and steps < 10_000:
        for _ in range(3):
            i = rng.choice(word_idx)
            word = parts[i]
            op = rng.random()
            core = word.strip(".,;:!?\"'()")
            if op < 0.3:
                parts[i] = word + " " + rng.choice(_FILLERS)
            elif op < 0.5 and len(word_idx) > 10:
                parts[i] = ""
            elif op < 0.75 and core.lower() in SPIN_LEXICON:
                syn = rng.choice(SPIN_LEXICON[core.lower()][0] or SPIN_LEXICON[core.lower()][1])
                parts[i] = word.replace(core, _match_case(syn, core), 1)
            elif op < 0.9 and core.isalpha():
                parts[i] = word.replace(core, _typo(core, rng), 1)
            else:
                parts[i] = word.replace(",", "") if "," in word else word + ","
            steps += 1
    return "".join(parts)


# ===========================================================================
# Template families
# ===========================================================================
@dataclass(frozen=True)
class Skeleton:
    """A template: block layout, stock sentences and headings with slots.

    Slots in stock text: ``@T`` (topic name), ``@K`` (the member's keyword),
    ``@P`` (people).  ``blocks`` is a tuple of ``(kind, content)``:

    * ``("summary", n)``: ``n`` free sentences about the keyword;
    * ``("para", pattern)``: a paragraph; ``pattern`` items are stock
      sentences (``str``) or numbers of free sentences (``int``);
    * ``("toc", headings)``: a list of the section headings;
    * ``("heading", heading)``: a heading line;
    * ``("list", items)``: a list of stock items.
    """

    blocks: tuple[tuple[str, object], ...]
    writer: Writer


def make_skeleton(rng: random.Random, *, topic: str | Topic | None = None) -> Skeleton:
    """Draw a random template skeleton (block order, sections, stock phrases).

    Parameters
    ----------
    rng : random.Random
    topic : str or Topic, optional
        The farm's niche: stock sentences and headings then use this topic's
        words (plus an ``@K`` keyword slot now and then), like a farm that
        writes every page on one subject around a different keyword.
        Without a topic, topic words in stock text are slots filled per
        member (``@T``, ``@N1``..``@N3``), for families spanning topics.

    Returns
    -------
    Skeleton
    """
    w = random_writer(rng)
    w = replace(w, bullet=rng.choice(("- ", "* ", "• ", "1. ")), question_p=0.0,
                imperative_p=0.05)
    f = _Filler(get_topic(topic) if topic is not None else _SLOT_TOPIC, w, rng, "@K", 0.12)

    parts = _skeleton_parts(f, rng)
    blocks = _arrange_blocks(rng, parts, closing_heading=lambda: _heading(f))
    return Skeleton(blocks=tuple(blocks), writer=w)


def _skeleton_parts(f: _Filler, rng: random.Random) -> dict[str, object]:
    """The blocks a skeleton may have, drawn in a fixed order: intro, summary, table of contents,
    sections, takeaways, FAQ and conclusion (a number stands for that many free sentences)."""

    def stock() -> str:
        return _sentence(f)

    n_sections = rng.randint(2, 5)
    paras_per_section = rng.randint(1, 3 if n_sections <= 3 else 2)
    headings = tuple(_heading(f) for _ in range(n_sections))
    intro = ("para", (stock(), rng.randint(2, 4))
             + ((stock(),) if rng.random() < 0.6 else ()))
    summary = ("summary", rng.randint(2, 4))
    toc = ("toc", headings)
    toc_lead = ("para", (_finish(f.fill(rng.choice(_LIST_LEADS)), ":"),))
    sections: list[tuple[str, object]] = []
    for h in headings:
        sections.append(("heading", h))
        for _ in range(paras_per_section):
            pattern: list[object] = []
            if rng.random() < 0.4:
                pattern.append(stock())
            pattern.append(rng.randint(2, 5))
            if rng.random() < 0.15:
                pattern.append(stock())
            sections.append(("para", tuple(pattern)))
    takeaways = [("heading", _heading(f)),
                 ("list", tuple(f.fill(rng.choice(_LIST_ITEMS["noun"] + _LIST_ITEMS["imperative"]))
                                for _ in range(rng.randint(3, 5))))]
    faq: list[tuple[str, object]] = []
    for _ in range(rng.randint(2, 3)):
        faq.append(("heading", _finish(f.fill(rng.choice(_QUESTIONS)), "?")))
        faq.append(("para", (rng.randint(1, 2), stock())))
    conclusion = ("para", (stock(), rng.randint(2, 4))
                  + ((stock(),) if rng.random() < 0.5 else ()))
    return {"intro": intro, "summary": summary, "toc": toc, "toc_lead": toc_lead, "sections": sections,
            "takeaways": takeaways, "faq": faq, "conclusion": conclusion}


def _arrange_blocks(
    rng: random.Random, parts: dict[str, Any], *, closing_heading: Callable[[], str]
) -> list[tuple[str, object]]:
    """The skeleton's block order: which optional parts it keeps, and where the summary goes."""
    blocks: list[tuple[str, object]] = []
    summary = parts["summary"]
    has_summary = rng.random() < 0.6
    if has_summary and rng.random() < 0.7:
        blocks.append(summary)
    blocks.append(parts["intro"])
    if has_summary and summary not in blocks:
        blocks.append(summary)
    if rng.random() < 0.7:
        if rng.random() < 0.4:
            blocks.append(parts["toc_lead"])
        blocks.append(parts["toc"])
    blocks.extend(parts["sections"])
    if rng.random() < 0.3:
        blocks.extend(parts["faq"])
    if rng.random() < 0.35:
        blocks.extend(parts["takeaways"])
    if rng.random() < 0.3:
        blocks.append(("heading", closing_heading()))
    blocks.append(parts["conclusion"])
    return blocks


def _fill_slots(text: str, slots: Mapping[str, str]) -> str:
    return re.sub(r"@(?:T|K|P|N[123])", lambda m: slots[m.group()], text)


def render_template(
    skeleton: Skeleton,
    topic: str | Topic,
    keyword: str,
    rng: random.Random,
    *,
    topic_name: str | None = None,
) -> str:
    """Fill ``skeleton`` for one member page: slots plus page-specific free text.

    Parameters
    ----------
    skeleton : Skeleton
    topic : str or Topic
        The page's topic: free sentences and the ``@N1``..``@N3`` slots.
    keyword : str
        The page's keyword (``@K`` slots; also mentioned in free text).
    rng : random.Random
    topic_name : str, optional
        What ``@T`` becomes; the topic's first name by default.

    Returns
    -------
    str
    """
    t = get_topic(topic)
    w = skeleton.writer
    slots = {"@T": topic_name or t.names[0], "@K": keyword, "@P": t.people[0]}
    for i, group in enumerate(rng.sample(t.nouns, 3)):
        slots[f"@N{i + 1}"] = rng.choice([m for m in group if not m.awkward]).forms[0]
    f = _Filler(t, w, rng, keyword, 0.06)

    def fill(s: str) -> str:
        s = _fill_slots(s, slots)
        return s[:1].upper() + s[1:]

    blocks: list[str] = []
    for kind, content in skeleton.blocks:
        if kind == "summary":
            blocks.append(" ".join(_sentence(f) for _ in range(int(content))))
        elif kind == "para":
            out = []
            for item in content:  # type: ignore[union-attr]
                if isinstance(item, str):
                    out.append(fill(item))
                else:
                    out.extend(_sentence(f) for _ in range(item))
            blocks.append(" ".join(out))
        elif kind == "toc":
            blocks.append("\n".join(_bullet(w, i) + fill(h.lstrip("#").strip())
                                    for i, h in enumerate(content)))  # type: ignore[arg-type]
        elif kind == "heading":
            blocks.append(fill(str(content)))
        elif kind == "list":
            blocks.append("\n".join(_bullet(w, i) + fill(str(it))
                                    for i, it in enumerate(content)))  # type: ignore[arg-type]
    return _join_blocks(blocks, w)


def template_family(
    topics: Sequence[str | Topic] | str | Topic,
    rng: random.Random,
    *,
    n_members: int | None = None,
    keywords: Sequence[str] | None = None,
    skeleton: Skeleton | None = None,
) -> list[str]:
    """Pages of one template farm: one skeleton, a different keyword per page.

    Parameters
    ----------
    topics : topic or sequence of topics
        One topic for every member (the farm's niche, keywords vary), or one
        topic per member.
    rng : random.Random
    n_members : int, optional
        Default: ``len(topics)`` if a sequence is given, else 3-8 at random.
    keywords : sequence of str, optional
        One per member; by default keywords of other topics (single-topic
        family) or of each member's topic.
    skeleton : Skeleton, optional
        A new random skeleton by default.

    Returns
    -------
    list of str
    """
    if isinstance(topics, (str, Topic)):
        n = n_members if n_members is not None else rng.randint(3, 8)
        member_topics = [get_topic(topics)] * n
        single = True
    else:
        member_topics = [get_topic(t) for t in topics]
        n = n_members if n_members is not None else len(member_topics)
        member_topics = [member_topics[i % len(member_topics)] for i in range(n)]
        single = len({t.name for t in member_topics}) == 1
    sk = skeleton or make_skeleton(rng, topic=member_topics[0] if single else None)
    if keywords is None:
        if single:
            pool = [k for name in TOPIC_NAMES if name != member_topics[0].name
                    for k in _TOPICS[name].keywords]
            kws = rng.sample(pool, n)
        else:
            kws = [rng.choice(t.keywords) for t in member_topics]
    else:
        kws = list(keywords)
        if len(kws) < n:
            raise ValueError(f"need {n} keywords, got {len(kws)}")
    tname = rng.choice(member_topics[0].names)
    return [
        render_template(sk, t, kw, rng, topic_name=tname if single else rng.choice(t.names))
        for t, kw in zip(member_topics, kws)
    ]


# ===========================================================================
# The labelled corpus
# ===========================================================================
#: Every variant label :func:`generate_corpus` can emit.
VARIANTS: tuple[str, ...] = (
    "original", "exact", "light_edit", "spun15", "spun30", "spun50",
    "template", "same_topic", "unrelated",
)
_SPIN_FRACTIONS = {"spun15": 0.15, "spun30": 0.30, "spun50": 0.50}
_COPY_VARIANTS = ("exact", "light_edit", "spun15", "spun30", "spun50")


def generate_corpus(
    *,
    n_families: int = 50,
    seed: int = 0,
    variants: Sequence[str] = VARIANTS,
    template_share: float = 0.5,
    same_topic_per_family: int = 1,
    n_unrelated: int | None = None,
) -> list[dict]:
    """Generate a labelled corpus of families, hard negatives and noise.

    Families are either *copy families* (an ``original`` article and its
    ``exact`` copy, ``light_edit`` and ``spun15``/``spun30``/``spun50``
    variants) or *template families* (3-8 ``template`` pages sharing one
    skeleton; a random half use one topic with a different keyword per page,
    the other half a different topic per page).  Each family gets
    ``same_topic_per_family`` independent ``same_topic`` articles on its
    topic (hard negatives, each its own cluster: on the same focused
    vocabulary and keyword as the family's original, or on the topic and
    keyword of one template page; half of them by the same writer, i.e. with
    the same layout and sentence habits, the other half by another one), and
    ``n_unrelated``
    independent ``unrelated`` articles on random topics are added.

    Family ``f`` is drawn from its own generator seeded by ``(seed, f)``;
    template and copy families alternate in a fixed pattern.  Documents are
    shuffled and numbered ``d00000``, ``d00001``, ...  The result is a pure
    function of the arguments.

    Parameters
    ----------
    n_families : int, default=50
    seed : int, default=0
    variants : sequence of str, default=VARIANTS
        Variant kinds to include (``original`` is implied by any copy
        variant).
    template_share : float, default=0.5
        Share of template families among all families.
    same_topic_per_family : int, default=1
    n_unrelated : int, optional
        Default ``n_families // 2``.

    Returns
    -------
    list of dict
        ``{"id", "text", "cluster", "variant", "topic"}``; ``cluster`` is the
        id of the family's original (first member for template families;
        the document's own id for singletons).
    """
    want = _checked_variants(variants, n_families)
    copy_kinds = [v for v in _COPY_VARIANTS if v in want]
    has_copy = bool(copy_kinds) or "original" in want
    has_template = "template" in want
    if has_copy and has_template:
        n_template = round(n_families * template_share)
    else:
        n_template = n_families if has_template else 0
    recs = _Records()
    for fam in range(n_families):
        frng = random.Random(f"spindetect-bench/{seed}/{fam}")
        topic = frng.choice(TOPIC_NAMES)
        # interleave kinds deterministically: family ``fam`` is a template
        # family when ``fam * n_template / n_families`` crosses an integer
        is_template = (n_template > 0) and (
            (fam * n_template) // n_families != ((fam + 1) * n_template) // n_families
        )
        # (topic, focused vocabulary, keyword) that same-topic negatives share
        anchors: list[tuple[str, Topic | str, str]] = []
        writer: Writer | None = None
        if is_template:
            writer = _add_template_family(recs, frng, topic, anchors)
        elif has_copy:
            writer = _add_copy_family(recs, frng, topic, copy_kinds, anchors)
        if "same_topic" in want:
            _add_same_topic(recs, frng, topic, anchors, writer, same_topic_per_family)
    if "unrelated" in want:
        urng = random.Random(f"spindetect-bench/{seed}/unrelated")
        for _ in range(n_families // 2 if n_unrelated is None else n_unrelated):
            t = urng.choice(TOPIC_NAMES)
            recs.add(make_article(t, urng), "", "unrelated", t)
    return recs.shuffled(seed)


def _checked_variants(variants: Sequence[str], n_families: int) -> set[str]:
    """The variant names as a set, after checking them and ``n_families``."""
    if isinstance(variants, str):
        raise TypeError("variants must be a collection of variant names, not a str")
    bad = set(variants) - set(VARIANTS)
    if bad:
        raise ValueError(f"unknown variants {sorted(bad)}; choose from {VARIANTS}")
    if n_families < 0:
        raise ValueError(f"n_families must be >= 0, got {n_families}")
    return set(variants)


class _Records:
    """The records of one generated corpus, under temporary keys until they are shuffled and numbered."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, text: str, family: str, variant: str, topic: str) -> str:
        """Add a document of ``family`` (the key of its head; empty: its own); return its key."""
        key = f"k{len(self.items)}"
        self.items.append({"key": key, "text": text, "family": family or key, "variant": variant, "topic": topic})
        return key

    def shuffled(self, seed: int) -> list[dict]:
        """The records in a seeded random order, numbered ``d00000``, ``d00001``, ..."""
        recs = self.items
        order = list(range(len(recs)))
        random.Random(f"spindetect-bench/{seed}/shuffle").shuffle(order)
        key_to_id = {recs[j]["key"]: f"d{i:05d}" for i, j in enumerate(order)}
        return [
            {
                "id": key_to_id[recs[j]["key"]],
                "text": recs[j]["text"],
                "cluster": key_to_id[recs[j]["family"]],
                "variant": recs[j]["variant"],
                "topic": recs[j]["topic"],
            }
            for j in order
        ]


def _add_template_family(
    recs: _Records, frng: random.Random, topic: str, anchors: list[tuple[str, Topic | str, str]]
) -> Writer:
    """3-8 template pages on one skeleton: one topic with a keyword each, or a topic each."""
    n = frng.randint(3, 8)
    if frng.random() < 0.5:
        ts: list[str] | str = topic
        pool = [k for name in TOPIC_NAMES if name != topic for k in _TOPICS[name].keywords]
        kws = frng.sample(pool, n)
        fam_topics = [topic] * n
    else:
        ts = [topic] + [frng.choice(TOPIC_NAMES) for _ in range(n - 1)]
        fam_topics = list(ts)
        kws = [frng.choice(_TOPICS[t].keywords) for t in fam_topics]
    sk = make_skeleton(frng, topic=topic if isinstance(ts, str) else None)
    pages = template_family(ts, frng, n_members=n, keywords=kws, skeleton=sk)
    head = ""
    for page, t, kw in zip(pages, fam_topics, kws):
        k = recs.add(page, head, "template", t)
        head = head or k
        anchors.append((t, t, kw))
    return sk.writer


def _add_copy_family(
    recs: _Records,
    frng: random.Random,
    topic: str,
    copy_kinds: Sequence[str],
    anchors: list[tuple[str, Topic | str, str]],
) -> Writer:
    """An original article and its copies of each of ``copy_kinds``."""
    focus = focus_topic(topic, frng)
    keyword = frng.choice(focus.keywords)
    anchors.append((topic, focus, keyword))
    writer = random_writer(frng)
    original = make_article(focus, frng, keyword=keyword, writer=writer)
    head = recs.add(original, "", "original", topic)
    for v in copy_kinds:
        if v == "exact":
            recs.add(original, head, v, topic)
        elif v == "light_edit":
            recs.add(light_edit(original, frng, topic=topic), head, v, topic)
        else:
            recs.add(spin(original, _SPIN_FRACTIONS[v], frng), head, v, topic)
    return writer


def _add_same_topic(
    recs: _Records,
    frng: random.Random,
    topic: str,
    anchors: list[tuple[str, Topic | str, str]],
    writer: Writer | None,
    count: int,
) -> None:
    """``count`` hard negatives on the family's topic, vocabulary and keyword, half by its writer."""
    if not anchors:
        writer = random_writer(frng)
        anchors.append((topic, focus_topic(topic, frng), frng.choice(_TOPICS[topic].keywords)))
    for _ in range(count):
        name, vocab, kw = frng.choice(anchors)
        # half the time the same author (same layout habits, same
        # sentence preferences), otherwise another writer
        same_writer = writer if frng.random() < 0.5 else None
        recs.add(make_article(vocab, frng, keyword=kw, writer=same_writer), "", "same_topic", name)


# ===========================================================================
# The scale corpus (fast, vectorised)
# ===========================================================================
_PHRASE_WORDS = 8
_N_PHRASES = 1 << 18


def _scale_phrases() -> tuple[tuple[str, ...], int]:
    """Phrase pool for scale corpora: (phrases, number of plain phrases).

    Words are every word of the lexicon and topic lists plus about 20 000
    synthetic syllable words, drawn with a Zipf-like law into 2**18 phrases
    of 8 words (some ending a sentence).  The pool is followed by paragraph
    ending copies (``phrase.`` + newline) of the plain phrases.  Two
    independent 3.7 KB documents share a phrase with probability about 2 %.
    """
    words: list[str] = sorted(STOPWORDS)
    for groups in (_ADJ, _ADV, _NOUN, _VERB):
        words.extend(f for g in groups for lex in g for f in lex.forms)
    for t in _TOPICS.values():
        words.extend(f for g in t.nouns for lex in g for f in lex.forms)
        words.extend(f for g in t.verbs for lex in g for f in lex.forms)
    words = sorted({w for w in words if " " not in w and w.isascii()})
    syll = ("ba be bi bo bu ca ce co da de di do fa fe fi ga ge go ha he hi ka ke ko la le li lo "
            "ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi "
            "wa we za zo").split()
    rng = np.random.default_rng(12345)
    n_syn = 24_000
    parts = rng.integers(0, len(syll), size=(n_syn, 3)).tolist()
    lens = rng.integers(2, 4, size=n_syn).tolist()
    synth = sorted({"".join(syll[j] for j in row[:k]) for row, k in zip(parts, lens)} - set(words))
    vocab = words + synth
    rng.shuffle(vocab)
    toks = (len(vocab) * rng.random((_N_PHRASES, _PHRASE_WORDS)) ** 2.2).astype(np.int64)
    ends = rng.random(_N_PHRASES) < 0.3
    phrases = [" ".join(itemgetter(*row)(vocab)) for row in toks.tolist()]
    phrases = [p + "." if e else p for p, e in zip(phrases, ends.tolist())]
    return tuple(phrases) + tuple(p.rstrip(".") + ".\n" for p in phrases), len(phrases)


@dataclass(frozen=True)
class ScaleCorpus:
    """A lazily generated scale corpus with gold near-duplicate clusters.

    Iterating yields ``(id, text)`` pairs, batch by batch, always the same
    texts for the same parameters.  ``labels[i]`` is the id of document
    ``i``'s cluster representative (its own id unless it is a copy).

    Attributes
    ----------
    ids : tuple of str
    labels : tuple of str
        Gold cluster of each document: the id of the document it copies, or
        its own id.
    kinds : numpy.ndarray of int8
        0 = independent, 1 = exact copy, 2 = lightly edited copy.
    """

    n: int
    seed: int
    dup_rate: float
    doc_bytes: int
    batch_size: int
    ids: tuple[str, ...]
    labels: tuple[str, ...]
    kinds: np.ndarray
    sources: np.ndarray  # index of the copied document, -1 for originals

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for batch in self.batches():
            yield from batch

    def texts(self) -> Iterator[str]:
        """Iterate over the texts only."""
        for batch in self.batches():
            for _, text in batch:
                yield text

    def batches(self) -> Iterator[list[tuple[str, str]]]:
        """Yield lists of ``(id, text)``, ``batch_size`` documents at a time."""
        pool, v = _scale_phrases()
        mean_len = sum(len(p) for p in pool[:v]) / v + 1.0
        n_ph = max(1, round(self.doc_bytes / mean_len))
        for b0 in range(0, self.n, self.batch_size):
            b1 = min(self.n, b0 + self.batch_size)
            rng = np.random.default_rng([self.seed, b0])
            m = b1 - b0
            toks = rng.integers(0, v, size=(m, n_ph))
            kinds = self.kinds[b0:b1]
            src = self.sources[b0:b1] - b0
            copy = np.flatnonzero(kinds > 0)
            toks[copy] = toks[src[copy]]
            edit = np.flatnonzero(kinds == 2)
            if len(edit):
                # 2-7 % of the phrases replaced (at least one).
                rates = rng.uniform(0.02, 0.07, size=(len(edit), 1))
                mask = rng.random((len(edit), n_ph)) < rates
                mask[np.arange(len(edit)), rng.integers(0, n_ph, size=len(edit))] = True
                sub = toks[edit]
                sub[mask] = rng.integers(0, v, size=int(mask.sum()))
                toks[edit] = sub
            toks[:, 7:-1:8] += v  # a paragraph break every 8 phrases
            ids = self.ids
            yield [(ids[b0 + j], " ".join(itemgetter(*row)(pool)))
                   for j, row in enumerate(toks.tolist())]


def generate_scale_corpus(
    n: int,
    *,
    seed: int = 0,
    dup_rate: float = 0.1,
    doc_bytes: int = 3700,
    batch_size: int = 4096,
) -> ScaleCorpus:
    """A large corpus of random-word documents with known near-duplicates.

    A share ``dup_rate`` of the documents are copies of another document of
    the same batch (random positions; ids do not reveal copies):
    half exact copies, half lightly edited copies (2-7 % of their 8-word
    phrases replaced, at least one; word 5-gram Jaccard about 0.6-0.95).  Texts are random
    words from the generator's lexicon and synthetic syllable words, drawn
    as 8-word phrases from a fixed pool of 2**18 phrases: not readable
    English, this corpus is for speed and scale, not quality.  Texts are
    generated lazily, batch by batch (about 25k documents/s on one core,
    after a one-second set-up), so a 1M-document corpus never needs to sit
    in memory.

    Parameters
    ----------
    n : int
        Number of documents.
    seed : int, default=0
    dup_rate : float, default=0.1
        Share of documents that are copies, in [0, 1).
    doc_bytes : int, default=3700
        Approximate document length in bytes.
    batch_size : int, default=4096
        Documents generated at a time; copies are drawn within a batch.

    Returns
    -------
    ScaleCorpus
        Iterate for ``(id, text)``; ``labels`` holds the gold clusters.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if not 0.0 <= dup_rate < 1.0:
        raise ValueError(f"dup_rate must be in [0, 1), got {dup_rate}")
    if doc_bytes < 16:
        raise ValueError(f"doc_bytes must be >= 16, got {doc_bytes}")
    rng = np.random.default_rng([seed, 7919])
    width = max(7, len(str(n - 1)) if n else 1)
    ids = tuple(f"s{i:0{width}d}" for i in range(n))
    kinds = np.zeros(n, np.int8)
    sources = np.full(n, -1, np.int64)
    for b0 in range(0, n, batch_size):
        b1 = min(n, b0 + batch_size)
        m = b1 - b0
        n_dup = int(round(dup_rate * m))
        if m < 2 or n_dup == 0:
            continue
        n_dup = min(n_dup, m - 1)
        # originals first in the batch, copies point to a random original
        perm = rng.permutation(m)
        dup_pos = np.sort(perm[:n_dup])
        orig_pos = np.setdiff1d(np.arange(m), dup_pos)
        sources[b0 + dup_pos] = b0 + rng.choice(orig_pos, size=n_dup)
        kinds[b0 + dup_pos] = rng.integers(1, 3, size=n_dup)
    labels = tuple(ids[s] if s >= 0 else ids[i] for i, s in enumerate(sources.tolist()))
    kinds.setflags(write=False)
    sources.setflags(write=False)
    return ScaleCorpus(n=n, seed=seed, dup_rate=dup_rate, doc_bytes=doc_bytes,
                       batch_size=batch_size, ids=ids, labels=labels, kinds=kinds,
                       sources=sources)


# ===========================================================================
# Command line
# ===========================================================================
def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="generate.py",
        description="Write a labelled benchmark corpus as JSONL "
        "(id, text, cluster, variant, topic).",
    )
    p.add_argument("--n-families", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--variants", default=",".join(VARIANTS),
                   help="comma-separated variant kinds (default: all)")
    p.add_argument("--scale", type=int, default=None, metavar="N",
                   help="write a scale corpus of N documents instead "
                   "(id, text, cluster, variant)")
    p.add_argument("--dup-rate", type=float, default=0.1)
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parse_args(argv)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    bad = sorted(set(variants) - set(VARIANTS))
    if bad:
        print(f"generate.py: error: unknown variants {', '.join(bad)}; "
              f"choose from {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        if args.scale is not None:
            corpus = generate_scale_corpus(args.scale, seed=args.seed, dup_rate=args.dup_rate)
            names = ("original", "exact", "light_edit")
            for i, (doc_id, text) in enumerate(corpus):
                rec = {"id": doc_id, "text": text, "cluster": corpus.labels[i],
                       "variant": names[int(corpus.kinds[i])]}
                out.write(json.dumps(rec) + "\n")
            n = len(corpus)
        else:
            docs = generate_corpus(n_families=args.n_families, seed=args.seed,
                                   variants=variants)
            for rec in docs:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n = len(docs)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"wrote {n} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
