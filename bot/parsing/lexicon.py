"""The fixed vocabulary of the parser: folded (lower-case, accent-free) French and English words.

Everything here is data. Words are compared after `text.fold_for_matching()`, so "Décembre",
"DECEMBRE" and "decembre" are the same key. Multi-word expressions are merged into one token
(see `PHRASES`) before anything else looks at them, which keeps the grammar and intent rules
word-based.

The word tables carry `# fmt: skip`: as data they read best packed several words to a line,
which the formatter would explode into one word per line.
"""

from __future__ import annotations

from storage.domain import StatusKind

# --- Calendar words -----------------------------------------------------------------------------

WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
}  # fmt: skip
# Three-letter French abbreviations ("tt ven", "lun-mer"), and English "mon"/"sat" (French "my",
# English "sat"): weekdays only where the scanner's context says so (see date_atoms.Scanner).
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6, "mon": 0, "sat": 5,
}  # fmt: skip
# Plural weekdays mean a recurrence ("les lundis et jeudis de décembre").
WEEKDAYS_PLURAL: dict[str, int] = {
    "lundis": 0, "mardis": 1, "mercredis": 2, "jeudis": 3, "vendredis": 4, "samedis": 5,
    "dimanches": 6, "mondays": 0, "tuesdays": 1, "wednesdays": 2, "thursdays": 3, "fridays": 4,
    "saturdays": 5, "sundays": 6,
}  # fmt: skip

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip
# Month words that are also ordinary words ("may", "sept" = seven, "mar"): months only next to a
# day number.
AMBIGUOUS_MONTHS = frozenset({"may", "sept", "sep", "mar", "jan", "jun", "jul", "aug", "dec"})

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8,
    "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10, "onze": 11, "eleven": 11,
    "douze": 12, "twelve": 12, "treize": 13, "quatorze": 14, "quinze": 15, "fifteen": 15,
    "seize": 16, "vingt": 20, "twenty": 20, "trente": 30, "thirty": 30, "quarante": 40,
    "cinquante": 50,
}  # fmt: skip
ORDINAL_WORDS: dict[str, int] = {
    "premier": 1, "premiere": 1, "first": 1, "deuxieme": 2, "second": 2, "seconde": 2,
    "troisieme": 3, "third": 3, "quatrieme": 4, "fourth": 4, "cinquieme": 5, "fifth": 5,
    "dernier": -1, "derniere": -1, "last": -1,
}  # fmt: skip

TODAY = frozenset({"aujourdhui", "auj", "ajd", "today", "tonight"})
TOMORROW = frozenset({"demain", "tomorrow", "tmrw", "tmr"})
AFTER_TOMORROW = frozenset({"apresdemain", "surlendemain"})
YESTERDAY = frozenset({"hier", "yesterday"})
BEFORE_YESTERDAY = frozenset({"avanthier"})
DAY_UNITS = frozenset({"jour", "jours", "day", "days", "journee", "journees"})
WEEK_UNITS = frozenset({"semaine", "semaines", "week", "weeks", "sem"})
MONTH_UNITS = frozenset({"mois", "month", "months"})
NEXT_WORDS = frozenset({"prochain", "prochaine", "prochains", "prochaines", "suivant", "suivante"})
# "annule tt mes résas": before a possessive, SMS "tt"/"ts" is "tout", not télétravail ("tt le
# 3", "tt les mardis" stay télétravail).
ALL_ABBREVIATIONS = frozenset({"tt", "ts", "tte", "ttes"})
DETERMINERS_AFTER_ALL = frozenset({"mes", "mon", "ma", "nos", "vos", "tes", "ses", "my"})
# SMS forms of "prochain(e)", read as such after a week, month or weekday word ("semaine pro").
NEXT_ABBREVIATIONS = frozenset({"pro", "proch", "prochn", "proch1"})
# "le week-end", "ce weekend", "this weekend": Saturday and Sunday, named explicitly.
WEEKEND_WORDS = frozenset({"weekend", "weekends", "we"})
# Parts of a week or month: "en début de semaine" (Monday-Tuesday), "fin de semaine prochaine"
# (Thursday-Friday); "début décembre", "mi-décembre", "mid-week" are too vague and asked about.
PERIOD_PARTS: dict[str, str] = {
    "debut": "start", "early": "start", "beginning": "start", "fin": "end", "end": "end",
    "late": "end", "milieu": "mid", "mi": "mid", "mid": "mid", "middle": "mid",
}  # fmt: skip
# Holidays name a period people do not all agree on ("pour Noël"): asked about.
HOLIDAYS = frozenset({
    "noel", "christmas", "xmas", "toussaint", "paques", "easter", "pentecote", "ascension",
    "reveillon", "nouvelan", "newyear", "thanksgiving",
})  # fmt: skip
THIS_WORDS = frozenset({"ce", "cet", "cette", "this"})

# Connectors of the date grammar (after phrase merging).
AND_WORDS = frozenset({"et", "and", ",", "&", "+", ";"})
# "mardi ou mercredi": a choice the user leaves open, asked about for commands that act.
OR_WORDS = frozenset({"ou", "or", "sinon", "otherwise"})
TO_WORDS = frozenset({"au", "aux", "a", "to", "-"})
UNTIL_WORDS = frozenset({"until", "till", "til", "through", "thru"})
FROM_WORDS = frozenset({"from", "des", "since", "depuis"})
RANGE_START_WORDS = frozenset({"du", "de", "entre", "between"})
FOR_WORDS = frozenset({"pour", "pendant", "for", "durant", "sur"})
EVERY_WORDS = frozenset({"every", "each", "chaque"})
EXCEPT_WORDS = frozenset(
    {"sauf", "except", "excepte", "hors", "excluding", "exclu", "insteadof"}
)  # "mardi au lieu de mercredi"
DATE_FILLERS = frozenset({"le", "la", "les", "l", "the", "on", "of", "en", "in", "ce", "du", "de",
                          "fin", "end", "mois", "month"})  # fmt: skip

# --- Parts of day and hours ---------------------------------------------------------------------

MORNING = frozenset({"matin", "matinee", "morning", "am", "mat"})
AFTERNOON = frozenset({"apresmidi", "aprem", "apm", "pm", "afternoon", "aprems", "soir", "soiree",
                       "evening", "tonight"})  # fmt: skip
# "une demi-journée" without saying which half: asked about.
HALF_DAY = frozenset({"demijournee", "halfday"})
WHOLE_DAY = frozenset({"journee", "alldayslot"})
NOON = frozenset({"midi", "noon"})

# --- Statuses -----------------------------------------------------------------------------------

_REMOTE, _LEAVE, _TRAVEL = StatusKind.REMOTE, StatusKind.LEAVE, StatusKind.TRAVEL
STATUS_WORDS: dict[str, StatusKind] = {
    "teletravail": _REMOTE, "teletravaille": _REMOTE, "teletravailler": _REMOTE,
    "teletravaillerai": _REMOTE, "tt": _REMOTE, "teletaf": _REMOTE, "remote": _REMOTE,
    "remotely": _REMOTE, "wfh": _REMOTE, "distanciel": _REMOTE, "homeoffice": _REMOTE,
    "conge": _LEAVE, "conges": _LEAVE, "vacances": _LEAVE, "absent": _LEAVE,
    "absente": _LEAVE, "absents": _LEAVE, "rtt": _LEAVE, "off": _LEAVE, "leave": _LEAVE,
    "holiday": _LEAVE, "holidays": _LEAVE, "vacation": _LEAVE, "pto": _LEAVE,
    "malade": _LEAVE, "maladie": _LEAVE, "sick": _LEAVE, "dayoff": _LEAVE, "repos": _LEAVE,
    "deplacement": _TRAVEL, "deplacements": _TRAVEL, "mission": _TRAVEL, "missions": _TRAVEL,
    "formation": _TRAVEL, "seminaire": _TRAVEL, "travel": _TRAVEL, "travelling": _TRAVEL,
    "traveling": _TRAVEL, "trip": _TRAVEL, "businesstrip": _TRAVEL, "onsite": _TRAVEL,
    "ooo": _LEAVE, "oof": _LEAVE, "recup": _LEAVE, "recuperation": _LEAVE, "arret": _LEAVE,
    "conference": _TRAVEL, "colloque": _TRAVEL, "seminar": _TRAVEL, "telework": _REMOTE,
    "teleworking": _REMOTE, "training": _TRAVEL,
}  # fmt: skip

# --- Multi-word expressions, merged into one token before anything else ------------------------
# (folded words ...) -> merged token; "" drops the words (politeness).
PHRASES: dict[tuple[str, ...], str] = {
    ("aujourd", "hui"): "aujourdhui",
    ("apres", "midi"): "apresmidi",
    ("apres", "demain"): "apresdemain",
    ("avant", "hier"): "avanthier",
    ("day", "after", "tomorrow"): "apresdemain",
    ("the", "day", "after", "tomorrow"): "apresdemain",
    ("a", "partir", "de"): "from",
    ("a", "partir", "du"): "from",
    ("a", "partir", "des"): "from",
    ("a", "compter", "de"): "from",
    ("a", "compter", "du"): "from",
    ("starting", "from"): "from",
    ("starting",): "from",
    ("jusqu", "au"): "until",
    ("jusqu", "aux"): "until",
    ("jusqu", "a"): "until",
    ("jusque",): "until",
    ("up", "to"): "until",
    ("tous", "les"): "every",
    ("toutes", "les"): "every",
    ("en", "huit"): "enhuit",
    ("toute", "la", "journee"): "journee",
    ("la", "journee"): "journee",
    ("journee", "entiere"): "journee",
    ("journee", "complete"): "journee",
    ("all", "day"): "alldayslot",
    ("full", "day"): "alldayslot",
    ("whole", "day"): "alldayslot",
    ("entire", "day"): "alldayslot",
    ("a", "m"): "am",
    ("p", "m"): "pm",
    ("working", "from", "home"): "remote",
    ("work", "from", "home"): "remote",
    ("works", "from", "home"): "remote",
    ("from", "home"): "remote",
    ("at", "home"): "remote",
    ("home", "office"): "remote",
    ("a", "la", "maison"): "remote",
    ("a", "domicile"): "remote",
    ("de", "chez", "moi"): "remote",
    ("depuis", "chez", "moi"): "remote",
    ("chez", "moi"): "remote",
    ("a", "distance"): "remote",
    ("tele", "travail"): "teletravail",
    ("day", "off"): "dayoff",
    ("days", "off"): "dayoff",
    ("jour", "off"): "dayoff",
    ("arret", "maladie"): "maladie",
    ("sick", "leave"): "maladie",
    ("business", "trip"): "businesstrip",
    ("on", "the", "road"): "businesstrip",
    ("out", "of", "office"): "leave",
    ("y", "a", "t", "il"): "yatil",
    ("y", "a", "il"): "yatil",
    ("il", "y", "a"): "yatil",
    ("y", "a"): "yatil",
    ("open", "space"): "openspace",
    ("de", "ici"): "until",
    ("d", "ici"): "until",
    ("et", "la", "suivante"): "semaineprochaine",
    ("free", "up"): "release",
    ("im", "out"): "leave",
    ("i", "am", "out"): "leave",
    ("ill", "be", "out"): "leave",
    ("i", "will", "be", "out"): "leave",
    ("client", "site"): "mission",
    ("customer", "site"): "mission",
    ("chez", "le", "client"): "mission",
    ("chez", "un", "client"): "mission",
    ("chez", "des", "clients"): "mission",
    ("chez", "client"): "mission",
    ("y", "aura", "t", "il"): "yatil",
    ("y", "aura"): "yatil",
    ("reste", "t", "il"): "restetil",
    ("il", "reste"): "restetil",
    ("est", "ce", "que"): "estceque",
    ("est", "ce", "qu"): "estceque",
    ("d", "accord"): "daccord",
    ("de", "accord"): "daccord",
    ("vas", "y"): "vasy",
    ("allez", "y"): "vasy",
    ("c", "est", "bon"): "cestbon",
    ("ce", "est", "bon"): "cestbon",
    ("ca", "marche"): "camarche",
    ("ca", "roule"): "camarche",
    ("c", "est", "parti"): "cestparti",
    ("ce", "est", "parti"): "cestparti",
    ("laisse", "tomber"): "laissetomber",
    ("laissez", "tomber"): "laissetomber",
    ("pas", "la", "peine"): "paslapeine",
    ("never", "mind"): "nevermind",
    ("forget", "it"): "forgetit",
    ("go", "ahead"): "goahead",
    ("tant", "pis"): "tantpis",
    ("s", "il", "te", "plait"): "",
    ("s", "il", "vous", "plait"): "",
    ("se", "il", "te", "plait"): "",
    ("se", "il", "vous", "plait"): "",
    ("thank", "you"): "",
    ("mode", "d", "emploi"): "help",
    ("mode", "de", "emploi"): "help",
    ("what", "can", "you", "do"): "help",
    ("how", "does", "it", "work"): "help",
    ("que", "sais", "tu", "faire"): "help",
    ("qu", "est", "ce", "que", "tu", "sais", "faire"): "help",
    ("comment", "ca", "marche"): "help",
    ("comment", "camarche"): "help",
    ("toute", "la", "semaine", "prochaine"): "semaineprochaine",
    ("toute", "la", "semaine"): "cettesemaine",
    ("all", "next", "week"): "semaineprochaine",
    ("all", "week"): "cettesemaine",
    ("the", "whole", "week"): "cettesemaine",
    ("the", "week", "after", "next"): "semainedapres",
    ("week", "after", "next"): "semainedapres",
    ("next", "week"): "semaineprochaine",
    ("la", "semaine", "prochaine"): "semaineprochaine",
    ("semaine", "prochaine"): "semaineprochaine",
    ("la", "semaine", "suivante"): "semaineprochaine",
    ("la", "semaine", "d", "apres"): "semaineprochaine",
    ("la", "semaine", "de", "apres"): "semaineprochaine",
    ("this", "week"): "cettesemaine",
    ("cette", "semaine"): "cettesemaine",
    ("le", "mois", "prochain"): "moisprochain",
    ("mois", "prochain"): "moisprochain",
    ("next", "month"): "moisprochain",
    ("ce", "mois", "ci"): "cemois",
    ("ce", "mois"): "cemois",
    ("this", "month"): "cemois",
    ("ne", "plus"): "neplus",
    ("no", "longer"): "neplus",
    ("no", "more"): "neplus",
    ("plus", "de"): "plusde",
    ("as", "usual"): "usually",
    ("d", "habitude"): "usually",
    ("de", "habitude"): "usually",
    ("en", "general"): "usually",
    ("par", "defaut"): "pardefaut",
    ("by", "default"): "pardefaut",
    ("quinze", "jours"): "quinzejours",
    # "je pose mon vendredi", "poser une journée": taking leave
    ("pose", "mon"): "conge",
    ("pose", "ma"): "conge",
    ("pose", "un", "jour"): "conge",
    ("pose", "une", "journee"): "conge",
    ("poser", "mon"): "conge",
    ("poser", "ma"): "conge",
    ("poser", "un", "jour"): "conge",
    ("poser", "une", "journee"): "conge",
    ("je", "pose"): "conge",
    ("je", "poserai"): "conge",
    ("except", "for"): "sauf",
    ("but", "not"): "sauf",
    ("huit", "jours"): "huitjours",
    ("en", "quinze"): "enquinze",
    ("week", "end"): "weekend",
    ("week", "ends"): "weekends",
    ("demi", "journee"): "demijournee",
    ("half", "day"): "halfday",
    ("half", "a", "day"): "halfday",
    ("nouvel", "an"): "nouvelan",
    ("jour", "de", "le", "an"): "nouvelan",
    ("new", "year"): "newyear",
    ("new", "years"): "newyear",
    ("new", "year", "s"): "newyear",
    ("out", "of", "the", "office"): "leave",
    ("qui", "es", "tu"): "help",
    ("qui", "etes", "vous"): "help",
    ("tu", "es", "qui"): "help",
    ("who", "are", "you"): "help",
    ("tu", "sers", "a", "quoi"): "help",
    ("a", "quoi", "tu", "sers"): "help",
    ("a", "quoi", "sers", "tu"): "help",
    ("what", "can", "i", "do"): "help",
    ("what", "do", "you", "do"): "help",
    ("au", "lieu", "de"): "insteadof",
    ("au", "lieu", "du"): "insteadof",
    ("instead", "of"): "insteadof",
    ("plutot", "que"): "insteadof",
    ("rather", "than"): "insteadof",
    ("peu", "importe"): "",
    ("n", "importe", "lequel"): "",
    ("ne", "importe", "lequel"): "",
    ("comme", "d", "hab"): "usually",
    ("comme", "de", "hab"): "usually",
    ("comme", "dhab"): "usually",
}
# SMS and chat spellings, rewritten to the words they stand for before anything else.
SMS_WORDS: dict[str, tuple[str, ...]] = {
    "ki": ("qui",), "qi": ("qui",), "koi": ("quoi",), "kwa": ("quoi",), "ya": ("y", "a"),
    "qqn": ("quelquun",), "qqun": ("quelquun",), "kelkun": ("quelquun",),
    "jai": ("je", "ai"), "chui": ("je", "suis"), "chuis": ("je", "suis"), "chu": ("je", "suis"),
    "jsuis": ("je", "suis"), "jsui": ("je", "suis"), "jss": ("je", "suis"),
    "pr": ("pour",), "ds": ("dans",), "tte": ("toute",), "ttes": ("toutes",), "ts": ("tous",),
    "dem": ("demain",), "dmain": ("demain",), "dmn": ("demain",),
    "tjrs": ("toujours",), "tjs": ("toujours",), "qd": ("quand",), "bcp": ("beaucoup",),
    "pk": ("pourquoi",), "pq": ("pourquoi",), "avc": ("avec",),
    "mtn": ("maintenant",), "rdv": ("rendezvous",), "tlm": ("tout", "le", "monde"),
    "ptet": ("peutetre",),
    "tmrw": ("tomorrow",), "tmr": ("tomorrow",), "tmrow": ("tomorrow",), "tomoz": ("tomorrow",),
    "2day": ("today",), "2moro": ("tomorrow",), "2morrow": ("tomorrow",), "u": ("you",),
    "r": ("are",), "pls": ("please",), "wanna": ("want", "to"), "gonna": ("going", "to"),
}  # fmt: skip
# English contractions, merged before French elisions are expanded ("i'm", "won't").
CONTRACTIONS: dict[tuple[str, str], str] = {
    ("i", "m"): "im", ("i", "ll"): "ill", ("i", "d"): "id", ("i", "ve"): "ive",
    ("won", "t"): "wont", ("don", "t"): "dont", ("can", "t"): "cant", ("isn", "t"): "isnt",
    ("aren", "t"): "arent", ("doesn", "t"): "doesnt", ("didn", "t"): "didnt",
    ("wouldn", "t"): "wouldnt", ("couldn", "t"): "couldnt", ("who", "s"): "whos",
    ("what", "s"): "whats", ("it", "s"): "its", ("that", "s"): "thats", ("let", "s"): "lets",
    ("where", "s"): "wheres", ("there", "s"): "theres", ("we", "re"): "were",
    ("you", "re"): "youre",
}  # fmt: skip
# French elisions: "l'", "d'", "j'", "n'", "qu'" ... become whole words.
ELISIONS: dict[str, str] = {
    "l": "le", "d": "de", "j": "je", "n": "ne", "qu": "que", "m": "me", "t": "te", "c": "ce",
    "s": "se", "jusqu": "jusqu", "lorsqu": "lorsque", "puisqu": "puisque",
}  # fmt: skip
# Dropped everywhere: they never change the meaning of a command.
POLITENESS = frozenset({
    "stp", "svp", "please", "pls", "plz", "plse", "merci", "thanks", "thx", "mrc", "bonjour",
    "salut", "hello", "hi", "hey", "coucou", "bonsoir", "cordialement", "bjr", "slt",
    "hola", "yo", "kindly",
})  # fmt: skip

# --- Intent vocabulary ---------------------------------------------------------------------------

RESERVE_VERBS = frozenset({
    "reserve", "reserver", "reservez", "reserves", "reservons", "reserverai", "reserverais",
    "book", "books", "booking", "bloque", "bloquer", "bloquez", "bloques", "inscris",
    "inscrire", "inscrivez", "inscrit", "garde", "gardez", "garder", "gardes", "resa",
    "reservation", "reserva", "rezerve",
})  # fmt: skip
BOOKING_NOUNS = frozenset({
    "reservation", "reservations", "resa", "resas", "booking", "bookings", "creneau",
    "creneaux",
})  # fmt: skip
DESK_NOUNS = frozenset({
    "bureau", "bureaux", "poste", "postes", "place", "places", "desk", "desks", "seat", "seats",
    "spot", "spots", "table", "tables",
})  # fmt: skip
# "réserve 2 places", "pour 3 personnes": what a count of more than one asks for in a booking.
# ("je serai avec deux collègues" is the sender's own booking: "avec" before the count.)
SEVERAL_DESKS_NOUNS = DESK_NOUNS | {"personnes", "people", "persons"}
# "je voudrais un poste", "il me faut un bureau", "I need a desk": a wish plus a desk noun.
WISH_WORDS = frozenset({
    "voudrais", "voudrai", "veux", "veut", "souhaite", "souhaiterais", "aimerais", "besoin",
    "faut", "cherche", "prends", "prendre", "prenez", "mets", "mettre", "need", "want",
    "would", "like", "get", "grab", "trouve", "trouver", "donne", "file", "peux", "puis",
    "pourrais", "dois",
})  # fmt: skip
# "je serai à Orléans mercredi", "I'll be in Metz": presence verbs with a place or a date.
PRESENCE_WORDS = frozenset({
    "serai", "sera", "serais", "serons", "suis", "viens", "viendrai", "viendra", "vais", "passe",
    "passerai", "travaille", "travaillerai", "bosse", "bosserai", "venir", "coming", "come",
    "ill", "be", "am", "im", "will", "working", "work", "present", "presente",
})  # fmt: skip
CANCEL_VERBS = frozenset({
    "annule", "annuler", "annulez", "annules", "annulation", "annulons", "supprime", "supprimer",
    "supprimez", "efface", "effacer", "effacez", "retire", "retirer", "retirez", "enleve",
    "enlever", "enlevez", "libere", "liberer", "liberez", "desinscris", "desinscrire",
    "decommande", "cancel", "cancels", "delete", "remove", "drop", "release", "unbook", "scrap",
    "scratch", "decommander", "decommandez",
})  # fmt: skip
NEGATIONS = frozenset({"ne", "pas", "plus", "neplus", "not", "wont", "dont", "cant", "isnt",
                       "arent", "jamais", "never", "no", "non", "plusde"})  # fmt: skip
LIST_WORDS = frozenset({
    "liste", "lister", "list", "affiche", "afficher", "montre", "montrer", "show", "voir",
    "consulter", "consulte", "planning", "agenda", "schedule", "recapitule",
})  # fmt: skip
MY_WORDS = frozenset({"mes", "my", "mon", "ma"})
WHO_WORDS = frozenset({"qui", "who", "whos"})
# "tu peux me dire qui est là demain ?", "can you tell me who is in?": the question that follows
# such a verb is read as if it opened the sentence.
TELL_ME_VERBS = frozenset({
    "dire", "dis", "dites", "savoir", "sais", "indiquer", "indique", "indiquez", "montrer",
    "montre", "montrez", "tell", "know", "show",
})  # fmt: skip
PRESENT_NOUNS = frozenset({"presents", "presentes", "presence", "presences", "attendance"})
FREE_WORDS = frozenset({
    "libre", "libres", "disponible", "disponibles", "dispo", "dispos", "disponibilite",
    "disponibilites", "complet", "complets", "free", "available", "availability", "vacant",
    "restetil", "reste", "restent", "combien", "room", "space", "left", "full", "plein",
    "pleine", "pleins",
})  # fmt: skip
OPEN_VERBS = frozenset({
    "ouvre", "ouvrir", "ouvrez", "ouvrons", "rouvre", "rouvrir", "rouvrez", "reouvre",
    "reouvrir", "open", "opens", "reopen", "ajoute", "ajouter", "ajoutez", "add", "cree",
    "creer", "creez", "create", "ouverture",
})  # fmt: skip
# "ajoute"/"add"/"crée" open desks only with a count, labels or a desk noun.
WEAK_OPEN_VERBS = frozenset({"ajoute", "ajouter", "ajoutez", "add", "cree", "creer", "creez",
                             "create"})  # fmt: skip
CLOSE_VERBS = frozenset({
    "ferme", "fermer", "fermez", "fermons", "fermeture", "fermes", "fermee", "fermees", "close",
    "closes", "closed", "closing", "closure", "shut",
})  # fmt: skip
ANNOUNCE_WORDS = frozenset({"annonce", "annoncer", "annoncez", "announce", "announcement",
                            "diffuse", "diffuser", "broadcast", "info"})  # fmt: skip
DIGEST_WORDS = frozenset({"recap", "recaps", "recapitulatif", "digest", "synthese", "summary",
                          "bilan"})  # fmt: skip
UNSUBSCRIBE_WORDS = frozenset({
    "arrete", "arreter", "arretez", "stop", "stoppe", "stopper", "desactive", "desactiver",
    "desactivez", "desabonne", "desabonner", "desabonnez", "desinscris", "supprime",
    "supprimer", "annule", "annuler", "coupe", "couper", "unsubscribe", "disable", "neplus",
    "plusde", "cancel", "remove", "off", "pause",
})  # fmt: skip
SUBSCRIBE_WORDS = frozenset({
    "abonne", "abonner", "abonnez", "active", "activer", "activez", "programme", "programmer",
    "quotidien", "quotidienne", "journalier", "daily", "subscribe", "enable", "schedule", "ici",
    "here", "every", "chaque", "matins", "mornings", "automatique", "auto", "setup",
})  # fmt: skip
LANGUAGE_WORDS: dict[str, str] = {
    "anglais": "en", "english": "en", "anglaise": "en", "en_lang": "en", "francais": "fr",
    "french": "fr", "francaise": "fr", "fr_lang": "fr",
}  # fmt: skip
LOCALE_VERBS = frozenset({
    "parle", "parler", "parlez", "reponds", "repondre", "repondez", "ecris", "ecrire",
    "ecrivez", "passe", "passer", "passez", "bascule", "basculer", "change", "changer",
    "utilise", "utiliser", "speak", "talk", "reply", "answer", "write", "switch", "use",
    "langue", "language", "moi", "me", "en", "in", "to",
})  # fmt: skip
FOLLOW_WORDS = frozenset({"suis", "suivre", "suivez", "suivons", "follow", "following", "abonne",
                          "abonner", "abonnez", "subscribe", "watch"})  # fmt: skip
UNFOLLOW_WORDS = frozenset({"unfollow", "desabonne", "desabonner", "desabonnez",
                            "unsubscribe", "unwatch"})  # fmt: skip
APPOINT_WORDS = frozenset({
    "nomme", "nommer", "nommez", "designe", "designer", "designez", "appoint", "make",
    "promote", "promeus", "responsable", "gestionnaire", "manager", "admin", "gerant",
})  # fmt: skip
SET_SITE_MARKERS = frozenset({"usually", "habituellement", "generalement", "normalement",
                              "normally", "pardefaut", "habituel", "principal", "default",
                              "base", "basee", "based", "rattache", "rattachee"})  # fmt: skip
HELP_WORDS = frozenset({"aide", "help", "aider", "commandes", "menu", "usage", "sais",
                        "instructions", "manuel"})  # fmt: skip
CONFIRM_HEADS = frozenset({
    "oui", "ok", "okay", "okey", "oki", "daccord", "vasy", "go", "confirme", "confirmer",
    "confirmez", "confirm", "confirmed", "valide", "valider", "validez", "cestbon", "parfait",
    "yes", "yep", "yeah", "yup", "sure", "ouais", "ouep", "camarche", "volontiers", "exact",
    "exactement", "absolument", "entendu", "correct", "goahead", "dac", "bien", "top",
    "certainement", "evidemment", "si", "nickel", "cestparti", "roger",
})  # fmt: skip
CONFIRM_FILLERS = frozenset({"je", "c", "ce", "est", "tout", "a", "fait", "sur", "of", "course",
                             "do", "it", "that", "thats", "right", "please", "vas", "y", "bien",
                             "allez", "super", "cool", "nickel", "!", "."})  # fmt: skip
DENY_HEADS = frozenset({
    "non", "no", "nope", "nan", "laissetomber", "paslapeine", "oublie", "oubliez", "oublions",
    "nevermind", "forgetit", "negatif", "nah", "abandonne", "abandon", "tantpis", "niet",
    "stop", "quitter", "quit", "exit",
})  # fmt: skip
DENY_FILLERS = frozenset({"merci", "pas", "du", "tout", "surtout", "finalement", "ca", "thanks",
                          "way", "not", "really", "le", "!", ".", "plus", "alors", "c", "ce",
                          "est", "bon"})  # fmt: skip

# Prepositions that introduce a place: the words after them may be a site name.
PLACE_PREPOSITIONS = frozenset({"a", "au", "aux", "in", "at", "sur", "to", "vers", "pour", "of",
                                "site", "sites", "de", "du", "dans", "chez"})  # fmt: skip
# Only after these is an unknown word reported as an unknown site ("à Marseille").
STRONG_PLACE_PREPOSITIONS = frozenset({"a", "au", "aux", "in", "at", "sur", "site", "sites", "de",
                                       "du"})  # fmt: skip
# After these, an unknown word is a place only when capitalised ("au Mans", not "au calme").
WEAK_PLACE_PREPOSITIONS = frozenset({"au", "aux", "sur"})
# What may follow "à"/"au"/"in" and is not a place.
NOT_PLACES = frozenset({
    "bureau", "bureaux", "travail", "boulot", "taf", "maison", "domicile", "distance", "home",
    "office", "work", "the", "le", "la", "les", "l", "un", "une", "ma", "mon", "mes", "ce",
    "cette", "nouveau", "partir", "compter", "quelle", "quel", "heure", "heures",
    "midi", "noon", "plus", "tout", "tous", "toute", "toutes", "moins", "peu", "pres", "cause",
    "site", "sites", "locaux", "agence", "siege", "morning", "afternoon", "evening", "least",
    "most", "all", "any", "total", "english", "french", "anglais", "francais", "person",
    "presentiel", "place", "poste", "desk", "seat", "moi", "toi", "lui", "nous", "vous", "eux",
    "elle", "elles", "qui", "quoi", "me", "you", "him", "her", "us", "them", "it",
    "this", "that", "there", "here", "ici", "labas", "case", "fact", "order", "advance",
    "avance", "jour", "jours", "semaine", "mois", "an", "annee", "year", "week", "day", "days",
    "cote", "calme", "fond", "fenetre", "droite", "gauche", "proximite", "ecart", "coin",
    "etage", "rdc", "accueil", "entree", "retard", "lheure", "temps", "vacances",
    "conference", "reunion", "rendezvous", "medecin", "dentiste", "plage", "mer", "montagne",
    "campagne", "velo", "pied", "train", "voiture", "distanciel", "teams", "zoom",
    "visio", "rappel", "client", "clients",
})  # fmt: skip

# Words that carry no content of their own: a sentence made of these, dates, sites and parts of
# the day is a command ("Metz demain matin", "et pour jeudi ?"); other words count against it
# ("quel temps fera-t-il demain ?"). See intents._mostly_understood.
FUNCTION_WORDS = frozenset({
    # French
    "je", "j", "me", "m", "moi", "nous", "on", "le", "la", "les", "l", "un", "une", "des", "du",
    "de", "d", "au", "aux", "a", "ce", "c", "cet", "cette", "ces", "mon", "ma", "mes", "notre",
    "nos", "et", "ou", "mais", "donc", "alors", "puis", "que", "qu", "qui", "quoi", "quel",
    "quelle", "pour", "par", "avec", "sur", "dans", "chez", "vers", "en", "y", "ne", "pas",
    "plus", "est", "es", "sont", "suis", "serai", "serais", "serons", "etre", "ai", "avons",
    "aussi", "encore", "deja", "bien", "bon", "ok", "oui", "non", "si", "tout", "tous", "toute",
    "toutes", "meme", "ca", "cela", "ceci", "voila", "ici", "labas", "pareil", "idem", "chose",
    "possible", "beaucoup", "peutetre", "maintenant", "comme", "juste", "vasy", "daccord", "cest",
    "estceque", "yatil", "fois", "egalement", "t", "s", "se", "site", "sites", "usually",
    "finalement", "plutot", "quand", "svp", "stp", "okay", "dispo", "go", "please", "partir",
    "seulement", "uniquement", "only", "surtout", "normalement", "prevu",
    # being at work
    "travail", "travailler", "boulot", "taf", "taffer", "bosser", "place", "locaux", "agence",
    "presentiel", "openspace", "office", "work",
    # English
    "i", "im", "ill", "id", "ive", "my", "we", "us", "our", "the", "an", "and", "or", "but",
    "to", "of", "in", "at", "for", "with", "by", "from", "is", "are", "am", "be", "been",
    "will", "would", "can", "could", "do", "does", "have", "has", "this", "that", "there",
    "here", "it", "its", "so", "then", "yes", "no", "not", "just", "also", "too", "again",
    "same", "going", "want", "need", "like", "get", "what", "about",
})  # fmt: skip
# Words about someone else (a second or third person): "tu viens demain ?", "Pierre sera à Metz".
OTHER_PERSON_WORDS = frozenset({
    "tu", "te", "toi", "vous", "il", "elle", "ils", "elles", "you", "he", "she", "they",
    "sera", "seront", "viendra", "viendront", "vient", "viennent",
})  # fmt: skip

# Ordinary words that are never corrected towards the vocabulary, nor taken for a site name.
COMMON_WORDS = frozenset({
    # French
    "je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "me", "te", "se", "moi",
    "toi", "lui", "le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "ce", "cet",
    "cette", "ces", "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre",
    "votre", "nos", "vos", "leur", "leurs", "et", "ou", "mais", "donc", "car", "ni", "or",
    "que", "qui", "quoi", "dont", "quel", "quelle", "quels", "quelles", "pour", "par", "avec",
    "sans", "sous", "sur", "dans", "chez", "vers", "entre", "pendant", "depuis", "avant",
    "apres", "tout", "tous", "toute", "toutes", "pas", "plus", "moins", "tres", "bien", "mal",
    "aussi", "encore", "deja", "toujours", "jamais", "ici", "labas", "oui", "non", "est",
    "sont", "suis", "es", "sera", "serai", "seras", "serons", "serez", "seront", "etre",
    "ete", "etais", "etait", "avoir", "ai", "as", "avons", "avez", "ont", "aura", "aurai",
    "fait", "faire", "fais", "faites", "peux", "peut", "pouvez", "pouvons", "veux", "veut",
    "voulez", "voudrais", "sois", "soit", "mets", "met", "mettre", "vais", "va", "vas", "vont",
    "allez", "aller", "viens", "vient", "venir", "venez", "dis", "dit", "dire", "sais", "sait",
    "savoir", "comment", "pourquoi", "quand", "combien", "alors", "puis", "ensuite", "enfin",
    "finalement", "quelqu", "quelque", "chose", "rien", "personne", "gens", "collegue",
    "collegues", "equipe", "service", "salle", "etage", "niveau", "batiment", "parking",
    "cantine", "travail", "boulot", "maison", "jour", "jours", "fois", "heure",
    "heures", "minute", "minutes", "moment", "temps", "bon", "bonne", "super", "cool", "merci",
    "trop", "peu", "beaucoup", "assez", "autre", "autres", "meme", "memes", "mien",
    "tien", "sien", "celui", "celle", "ceux", "cela", "ceci", "ca", "tour", "tours", "sens",
    "nice", "sort", "mois", "ans", "an", "annee", "fin", "debut", "midi", "soir",
    "nuit", "cours", "salut", "voici", "voila", "tard", "tot", "vite", "seul", "seule", "deux",
    "site", "sites", "salon", "ville", "bureau", "poste", "place", "habitude", "normal",
    "lieu", "locaux", "agence", "siege", "direction", "ministere", "prefecture", "mairie",
    "pourrais", "pourriez", "pourrait", "serait", "aurais", "dois", "doit", "faut", "fallait",
    "mise", "mis", "prise", "pris", "vu", "voir", "dispo", "marche", "mode", "emploi", "tel",
    "telle", "parce", "lorsque", "puisque", "comme", "sinon", "quoique", "selon", "via",
    # English
    "i", "you", "he", "she", "it", "we", "they", "him", "her", "us", "them", "my",
    "your", "his", "its", "our", "their", "the", "a", "and", "but", "to", "of",
    "in", "at", "for", "with", "by", "from", "is", "are", "was", "were", "be", "been",
    "am", "do", "does", "did", "have", "has", "had", "will", "would", "can", "could", "should",
    "shall", "may", "might", "must", "not", "no", "yes", "this", "that", "these", "those",
    "there", "here", "what", "where", "when", "why", "how", "which", "who", "whom", "all",
    "everything", "anything",
    "any", "some", "more", "most", "less", "very", "just", "also", "too", "so", "then", "than",
    "now", "please", "thanks", "desk", "desks", "office", "home", "work", "working", "like",
    "want", "need", "get", "got", "give", "make", "take", "find", "help", "know", "about",
    "into", "onto", "over", "under", "after", "before", "again", "still", "only", "really",
    "good", "great", "fine", "thing", "things", "someone", "anyone", "everyone", "people",
    "team", "room", "floor", "building", "time", "times", "hour", "hours", "week", "weeks",
    "month", "months", "year", "years", "day", "days", "morning", "evening", "night", "around",
    "theyre", "youre", "wont", "cant", "isnt", "im", "ill", "ive",
    "id", "whos", "whats", "thats", "lets", "going", "gonna", "wanna", "many", "much", "each",
    "every", "other", "another", "same", "such", "own",
    "usual", "usually", "seat", "spot", "plan", "plans", "sure",
})  # fmt: skip

# Words that mark English; the sentence is English when it has more of these than French ones.
ENGLISH_MARKERS = frozenset({
    "the", "is", "are", "in", "on", "at", "my", "me", "i", "im", "ill", "book", "desk", "desks",
    "who", "whos", "tomorrow", "today", "next", "week", "please", "cancel", "free", "any",
    "working", "work", "from", "home", "every", "until", "for", "of", "and", "what", "where",
    "show", "list", "help", "yes", "no", "nope", "yep", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "mondays", "tuesdays", "wednesdays",
    "thursdays", "fridays", "morning", "afternoon", "day", "days", "this", "there", "will",
    "be", "can", "you", "off", "available", "room", "office", "set", "speak", "english",
    "french", "bookings", "booking", "reservations", "leave", "holiday", "vacation", "travel",
    "to", "a", "an", "follow", "unfollow", "stop", "digest", "summary", "daily", "here", "make",
    "manager", "announce", "close", "open", "need", "want", "would", "like", "get", "remote",
    "wfh", "not", "wont", "dont", "cant", "coming", "come", "with", "after", "before", "usually",
    "based", "default", "switch", "reply", "answer", "thanks", "sure", "okay", "december",
    "january", "february", "april", "june", "july", "august", "october", "it", "do", "how",
    "does", "have", "has", "seat", "seats", "by", "up", "trip", "business", "sick", "through",
    "starting", "first", "last", "remove", "delete", "release", "anyone", "everyone", "which",
    "weeks", "month", "am", "pm", "was", "were", "than", "that", "these", "those",
})  # fmt: skip
FRENCH_MARKERS = frozenset({
    "je", "le", "la", "les", "de", "du", "des", "un", "une", "mon", "ma", "mes", "est",
    "suis", "serai", "sera", "demain", "aujourdhui", "reserve", "reserver", "annule", "qui",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lundis", "mardis",
    "mercredis", "jeudis", "vendredis", "matin", "apresmidi", "aprem", "semaine", "prochain",
    "prochaine", "bureau", "poste", "stp", "svp", "merci", "oui", "non", "et", "au", "aux",
    "en", "pour", "dans", "sur", "ce", "cette", "teletravail", "conge", "conges", "bonjour",
    "place", "places", "quel", "quelle", "ou", "moi", "me", "nous", "vous", "il", "y", "yatil",
    "tous", "toutes", "chaque", "jusqu", "until_fr", "decembre", "janvier", "fevrier", "avril",
    "juin", "juillet", "aout", "octobre", "novembre", "septembre", "parle", "anglais",
    "francais", "annonce", "recap", "ferme", "ouvre", "suivre", "nomme", "absent", "absente",
    "vacances", "deplacement", "mission", "resa", "reservation", "reservations", "quotidien",
    "ici", "arrete", "laissetomber", "daccord", "vasy", "cestbon", "ne", "pas", "plus", "neplus",
    "apresdemain", "journee", "veux", "voudrais", "libre", "libres", "dispo", "disponible",
    "vient", "viens", "presents", "tt", "site", "habitude", "usually_fr", "travaille", "liste",
    "aide", "semaines", "jours", "jour", "mois", "premier", "dernier", "midi", "heure", "avec",
    "chez", "maison", "sont", "ai", "as", "avons", "suivant", "huit", "enhuit", "quinze",
})  # fmt: skip


# Words a one-letter typo may be corrected to (only words of at least 4 letters are used).
def _vocabulary() -> frozenset[str]:
    words: set[str] = set()
    for table in (
        WEEKDAYS,
        WEEKDAYS_PLURAL,
        MONTHS,
        NUMBER_WORDS,
        ORDINAL_WORDS,
        STATUS_WORDS,
        LANGUAGE_WORDS,
    ):
        words.update(table)
    for group in (
        TODAY,
        TOMORROW,
        AFTER_TOMORROW,
        YESTERDAY,
        DAY_UNITS,
        WEEK_UNITS,
        MONTH_UNITS,
        NEXT_WORDS,
        MORNING,
        AFTERNOON,
        NOON,
        RESERVE_VERBS,
        BOOKING_NOUNS,
        DESK_NOUNS,
        CANCEL_VERBS,
        LIST_WORDS,
        PRESENT_NOUNS,
        FREE_WORDS,
        OPEN_VERBS,
        CLOSE_VERBS,
        ANNOUNCE_WORDS,
        DIGEST_WORDS,
        UNSUBSCRIBE_WORDS,
        SUBSCRIBE_WORDS,
        FOLLOW_WORDS,
        UNFOLLOW_WORDS,
        APPOINT_WORDS,
        HELP_WORDS,
        CONFIRM_HEADS,
        DENY_HEADS,
        SET_SITE_MARKERS,
        {
            "semaine",
            "semaines",
            "journee",
            "apresmidi",
            "aujourdhui",
            "apresdemain",
            "prochain",
            "prochaine",
            "matinee",
            "teletravail",
            "semaineprochaine",
        },
    ):
        words.update(group)
    for phrase in PHRASES:
        words.update(phrase)
    words.difference_update({"en_lang", "fr_lang"})
    return frozenset(w for w in words if len(w) >= 4 and w.isalpha())


# Ordinary words one edit away from a vocabulary word: never "corrected" ("main" is not "matin").
_NEAR_MISSES = frozenset({
    "main", "mains", "mari", "route", "routes", "porte", "portes", "forme", "formes", "terme",
    "oeuvre", "oeuvres", "vendre", "demi", "mise", "lune", "dome", "some", "come", "look",
    "took", "cook", "text", "says", "ways", "ever", "done", "none", "gone", "pick", "seek",
    "weak", "zoom", "hire", "hers", "tree", "fred", "lease", "mourning", "mouth", "thin",
    "what", "male", "lime", "lines", "line", "nine", "bone", "roof", "trap", "trim", "oven",
    "disk", "dads", "daisy", "dairy", "cure", "pure", "sore", "pose", "poser", "posez", "pause",
    "livre", "libres", "lire", "rire", "faire", "foire", "mardis", "murs", "mur", "jeux",
    "moi", "mot", "mots", "met", "mets", "sept", "sort", "sorte", "soin", "loin", "coin",
    "point", "joint", "juste", "jouer", "jour", "jours", "tour", "court", "cours", "pour",
    "avis", "avril", "genre", "gens", "parti", "partie", "partir", "parking", "cantine",
    "reunion", "reunions", "rappel", "salles", "table", "tables", "chaise", "ecran", "cafe",
    "merci", "demande", "demander", "demandes", "serai", "sera", "serais", "serait", "aussi",
    "ainsi", "voila", "voici", "matinal", "matins", "soirs", "nuits", "bonne", "belle",
    "close", "chose", "choses", "forment", "formation", "fermier", "dessert", "desert",
    "absence", "absences", "present", "presente", "rester", "restes", "tester", "teste",
    "mission", "annulee", "annulees", "fermes", "reservee", "reservees", "reserves", "pars",
    "part", "parts", "maris", "marre", "reset", "resets", "mere", "merde", "dimanches",
})  # fmt: skip
# 4-letter words worth correcting to; other targets have at least 5 letters, so that short
# everyday words ("come", "look", "text") are never bent into keywords ("home", "book", "next").
_SHORT_TARGETS = frozenset({"resa", "juin", "aout", "mars", "aide", "mois", "midi", "jour"})


def _known_words() -> frozenset[str]:
    words: set[str] = set(VOCABULARY | COMMON_WORDS | POLITENESS | NOT_PLACES | _NEAR_MISSES)
    for group in (
        PRESENCE_WORDS,
        WISH_WORDS,
        NEGATIONS,
        MY_WORDS,
        LOCALE_VERBS,
        CONFIRM_FILLERS,
        DENY_FILLERS,
        ENGLISH_MARKERS,
        FRENCH_MARKERS,
        PLACE_PREPOSITIONS,
        DATE_FILLERS,
        AND_WORDS,
        TO_WORDS,
        UNTIL_WORDS,
        FROM_WORDS,
        FOR_WORDS,
    ):
        words.update(group)
    return frozenset(words)


VOCABULARY = _vocabulary()
TYPO_TARGETS = frozenset(w for w in VOCABULARY if len(w) >= 5 or w in _SHORT_TARGETS)
KNOWN_WORDS = _known_words()


# =============================================================================================
# Issue 10: closed-world accounting, questions, dialogue words, people, desk features.
# (New sections only: words are data, the grammar modules hold none.)
# =============================================================================================

# --- Closed world: what a word that the grammar did not read may be -------------------------
# Words that carry a meaning of their own which no command reads: never counted as filler,
# so "près de la machine à café" or "avec un grand écran" is reported as not understood.
CONTENT_WORDS = frozenset({
    "salle", "salles", "reunion", "reunions", "meeting", "meetings",
    "parking", "casier", "casiers", "locker", "lockers", "visio", "visioconference", "visios",
    "ecran", "ecrans", "screen", "screens", "monitor", "monitors", "double", "grand", "grande",
    "petit", "petite", "calme", "quiet", "silencieux", "silencieuse", "fenetre", "fenetres",
    "window", "etage", "etages", "floor", "niveau", "rdc", "rezdechaussee", "batiment",
    "building", "aile", "zone", "cote", "pres", "near", "proche", "loin", "collegue",
    "collegues", "machine", "cafe", "coffee", "cantine", "imprimante", "printer", "pmr",
    "handicap", "accessible", "habituel", "habituelle", "chaise", "table", "lampe", "clim",
    "soleil", "bruit", "porte", "cuisine", "ascenseur", "douche", "velo", "voiture", "garage",
    "client", "clients", "rendezvous", "medecin", "dentiste", "enfant", "enfants",
    "ecole", "train", "avion", "greve", "pluie", "neige", "meteo", "chaud", "froid", "beau",
    "prise", "prises", "branchement", "clavier", "souris", "webcam", "casque", "telephone",
})  # fmt: skip
# Words with no content of their own, beyond the grammar's vocabulary and function words.
FILLER_WORDS = frozenset({
    "ducoup", "coup", "vraiment", "alors", "bah", "ben", "euh", "hum", "hmm", "bon", "voila",
    "svp", "stp", "please", "merci", "thanks", "thank", "cheers", "ok", "okay", "daccord",
    "parfait", "super", "genial", "top", "cool", "nickel", "bien", "tres", "trop", "sil",
    "plait", "te", "vous", "tu", "toi", "ton", "ta", "tes", "votre", "vos", "pourrais",
    "pourriez", "pourrait", "peux", "peut", "pouvez", "possible", "aimerais", "souhaite",
    "souhaiterais", "voudrais", "voulais", "veux", "faudrait", "faut", "besoin", "hello",
    "also", "too", "well", "as", "just", "maybe", "perhaps", "kindly", "lol", "mdr", "xd",
    "urgent", "rapidement", "vite", "encore", "toujours", "seulement", "juste", "bref",
    "aussi", "pareil", "idem", "meme", "chose", "same", "thing", "again", "instead", "rather",
    "actually", "plutot", "finalement", "enfait", "fait", "en", "sorry", "desole", "desolee",
    "pardon", "oups", "oops", "heu", "hein", "non", "oui", "si", "ah", "oh", "eh", "ha",
    "allo", "pls", "plz", "me", "moi", "nous", "on", "y", "il", "elle",
})  # fmt: skip
# Before an unknown phrase, the words that belong to it when it is quoted back to the user
# ("avec un grand écran", "près de la machine à café", "au rez-de-chaussée").
UNKNOWN_LEADS = frozenset({
    "avec", "sans", "a", "au", "aux", "en", "dans", "de", "du", "des", "la", "le", "les", "l",
    "un", "une", "d", "sur", "sous", "pour", "with", "without", "near", "in", "on", "at",
    "the", "an", "by", "next", "to", "of", "mon", "ma", "mes", "my",
})  # fmt: skip
# Between two unknown words, the words that keep them in one phrase.
UNKNOWN_BRIDGES = frozenset({
    "de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "en", "the", "of", "to",
    "an", "un", "une",
})  # fmt: skip

# --- Questions -------------------------------------------------------------------------------
# Words that make a sentence a question wherever they are.
QUESTION_WORDS = frozenset({
    "estceque", "yatil", "restetil", "combien", "reste", "restent", "yaura",
    "yauratil", "auraije", "aije", "suisje", "puisje", "peutil", "estil", "sontils", "seratil",
    "quand", "how", "many", "much", "whether", "any", "anything",
})  # fmt: skip
# A sentence starting with one of these (English auxiliaries) is a question.
QUESTION_HEADS = frozenset({
    "is", "are", "am", "do", "does", "did", "will", "would", "have", "has", "was", "were",
    "est", "sont", "reste", "ya", "yatil", "combien", "estceque", "quand", "any",
})  # fmt: skip
# Subject pronouns that, glued after a verb by a hyphen, make an inversion ("ai-je", "reste-t-il").
INVERSION_PRONOUNS = frozenset({"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"})
# Modal verbs of a polite request: "tu peux me réserver … ?", "pourriez-vous annuler … ?".
REQUEST_MODALS = frozenset({
    "peux", "pouvez", "pourrais", "pourriez", "pourrait", "peut", "voudrais", "voudriez",
    "voulez", "veux", "aimerais", "souhaite", "souhaiterais", "can", "could", "would", "will",
    "puisje", "puis", "merci",
})  # fmt: skip
REQUEST_PERSONS = frozenset({"tu", "vous", "you", "je", "j", "i", "on", "me", "moi"})
# Verbs of acting that a polite request asks for (infinitives and the bare English verbs).
ACT_VERBS = frozenset({
    "reserver", "reserve", "book", "annuler", "annule", "cancel", "mettre", "mets", "inscrire",
    "prendre", "garder", "bloquer", "liberer", "supprimer", "ouvrir", "fermer", "declarer",
    "noter", "poser", "marquer", "enregistrer", "retirer", "enlever", "decaler", "deplacer",
    "changer", "move", "put", "mark", "set", "remove", "delete", "free", "open", "close",
})  # fmt: skip

# --- Words that look like commands inside another intent --------------------------------------
# "dis-moi quand un bureau se libère", "préviens-moi si une place se libère": a wish to be told.
NOTIFY_PHRASES: tuple[tuple[str, ...], ...] = (
    ("dis", "moi", "quand"),
    ("dis", "moi", "si"),
    ("dites", "moi", "quand"),
    ("dites", "moi", "si"),
    ("previens", "moi"),
    ("prevenez", "moi"),
    ("previens", "quand"),
    ("tiens", "moi", "au", "courant"),
    ("tenez", "moi", "au", "courant"),
    ("alerte", "moi"),
    ("avertis", "moi"),
    ("let", "me", "know"),
    ("notify", "me"),
    ("tell", "me", "when"),
    ("tell", "me", "if"),
    ("ping", "me"),
    ("alert", "me"),
    ("des", "qu"),
    ("des", "que"),
    ("quand", "un", "bureau", "se"),
    ("quand", "une", "place", "se"),
    ("si", "un", "bureau", "se"),
    ("si", "une", "place", "se"),
)
# A wish verb negated: "je ne veux pas de bureau", "pas besoin de bureau", "I don't need a desk".
NEGATED_WISH_PHRASES: tuple[tuple[str, ...], ...] = (
    ("ne", "veux", "pas"),
    ("ne", "voudrais", "pas"),
    ("ne", "souhaite", "pas"),
    ("dont", "want"),
    ("do", "not", "want"),
    ("ne", "veut", "pas"),
    ("ne", "reserve", "pas"),
    ("dont", "book"),
    ("ne", "reserve", "rien"),
    ("ne", "reservez", "pas"),
    ("ne", "reservez", "rien"),
)
# Resources the bot does not book (multi-word ones first).
UNMANAGED_RESOURCES: tuple[tuple[str, ...], ...] = (
    ("salle", "de", "reunion"),
    ("salle", "de", "reunions"),
    ("salle", "de", "visio"),
    ("salle", "de", "conference"),
    ("salle", "de", "conf"),
    ("meeting", "room"),
    ("conference", "room"),
    ("place", "de", "parking"),
    ("parking", "spot"),
    ("parking", "space"),
    ("car", "park"),
    ("salle",),
    ("salles",),
    ("parking",),
    ("casier",),
    ("casiers",),
    ("locker",),
    ("lockers",),
    ("visio",),
    ("visioconference",),
    ("vehicule",),
    ("voiture",),
    ("car",),
    ("velo",),
)

# --- Dialogue: undo, corrections, follow-ups, moves ------------------------------------------
# A whole message (fillers aside) that takes back the change just made.
UNDO_PHRASES: tuple[tuple[str, ...], ...] = (
    ("annule", "ca"),
    ("annule", "cela"),
    ("annuler", "ca"),
    ("annulez", "ca"),
    ("annule", "le", "dernier"),
    ("annule", "la", "derniere"),
    ("oups",),
    ("oops",),
    ("non", "pas", "ca"),
    ("pas", "ca"),
    ("undo",),
    ("undo", "that"),
    ("undo", "it"),
    ("cancel", "that"),
    ("cancel", "this"),
    ("defais",),
    ("defaire",),
    ("defaites",),
    ("defais", "ca"),
    ("retour", "arriere"),
    ("reviens", "en", "arriere"),
    ("my", "bad"),
    ("je", "me", "suis", "trompe"),
    ("je", "me", "suis", "trompee"),
    ("erreur",),
    ("cest", "une", "erreur"),
    ("c", "est", "une", "erreur"),
    ("annule", "tout", "ca"),
    ("laisse", "tomber", "ca"),
    ("revert",),
    ("take", "it", "back"),
    ("not", "that"),
    ("oups", "annule"),
    ("oups", "annule", "ca"),
    ("whoops",),
    ("mince",),
    ("zut",),
)
UNDO_FILLERS = frozenset({"non", "no", "stp", "svp", "please", "merci", "oh", "ah", "zut",
                          "mince", "desole", "sorry", "en", "fait", "enfait", "!", ",", ".",
                          "ce", "que", "je", "viens", "de", "faire", "just", "did", "what", "i",
                          "the", "last", "one", "dernier", "derniere", "action", "change",
                          "changement"})  # fmt: skip
# At the head of a message, the words that correct the change just made: "plutôt jeudi",
# "finalement mercredi", "non, Lille", "actually Thursday", "make it Friday".
CORRECTION_WORDS = frozenset({"plutot", "finalement", "actually", "instead", "rather",
                              "enfait", "insteadof"})  # fmt: skip
CORRECTION_HEADS = frozenset({"non", "no", "nope", "nan"})
CORRECTION_FILLERS = frozenset({"non", "no", "nope", "nan", "mais", "but", "euh", "en", "fait",
                                "make", "it", "plutot", "finalement", "actually", "instead",
                                "rather", "enfait", ",", "!", ".", "-", "pour", "for", "on",
                                "le", "la", "les", "l", "a", "au", "the", "at", "in", "ce",
                                "sera", "will", "be", "cest", "c", "est", "alors",
                                "ok"})  # fmt: skip
# Words that add to the change just made: "et vendredi aussi", "pareil lundi", "also Monday".
ALSO_WORDS = frozenset({"aussi", "pareil", "idem", "egalement", "also", "too", "same",
                        "memechose", "meme"})  # fmt: skip
ALSO_PHRASES: tuple[tuple[str, ...], ...] = (
    ("meme", "chose"),
    ("la", "meme", "chose"),
    ("same", "thing"),
    ("as", "well"),
    ("de", "meme"),
    ("et", "aussi"),
    ("en", "plus"),
)
# "la semaine d'après", "the week after": the same days a week later.
WEEK_AFTER_PHRASES: tuple[tuple[str, ...], ...] = (
    ("la", "semaine", "de", "apres"),
    ("semaine", "de", "apres"),
    ("la", "semaine", "suivante"),
    ("semaine", "suivante"),
    ("the", "week", "after"),
    ("the", "following", "week"),
    ("week", "after"),
    ("following", "week"),
)
# Between the two days of a move: "de lundi à mardi", "from Monday to Tuesday".
MOVE_TO_WORDS = frozenset({"a", "au", "pour", "vers", "to", "-", "en", "sur", "contre", "into"})
MOVE_VERBS = frozenset({
    "deplace", "deplacer", "deplacez", "decale", "decaler", "decalez", "change", "changer",
    "changez", "modifie", "modifier", "modifiez", "reporte", "reporter", "reportez", "bouge",
    "bouger", "bougez", "move", "reschedule", "shift", "postpone", "switch", "passe", "passer",
})  # fmt: skip

# --- Bare answers to the bot's questions ------------------------------------------------------
# "le premier", "la deuxième", "the first one": positions among the items offered.
CHOICE_ORDINALS: dict[str, int] = {
    "premier": 1, "premiere": 1, "first": 1, "1er": 1, "1ere": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "2e": 2, "2eme": 2, "troisieme": 3, "third": 3, "3e": 3, "3eme": 3,
    "quatrieme": 4, "fourth": 4, "cinquieme": 5, "fifth": 5, "dernier": -1, "derniere": -1,
    "last": -1,
}  # fmt: skip
CHOICE_ALL = frozenset({"tous", "toutes", "all", "both", "deux", "lesdeux", "tout"})
# A cancellation of them all, without a date ("annule tout", "cancel everything").
CANCEL_ALL_WORDS = frozenset({"tout", "tous", "toutes", "all", "everything", "every"})
CHOICE_FILLERS = frozenset({"le", "la", "les", "l", "un", "une", "celui", "celle", "ceux",
                            "the", "one", "ones", "of", "them", "de", "des", "deux", "ok",
                            "stp", "svp", "please", "merci", "bureau", "poste", "desk", "lui",
                            "ci", "eux", "plutot", "prends", "je", "take", "i"})  # fmt: skip

# --- People: "où est Marc jeudi ?", "Marc est là demain ?", "where is Tom on Friday?" --------
WHERE_WORDS = frozenset({"ou", "where", "whereabouts"})
PERSON_VERBS = frozenset({"est", "sera", "vient", "viendra", "travaille", "bosse", "passe",
                          "is", "will", "be", "comes", "coming", "works", "working", "la",
                          "present", "presente", "au", "bureau", "sur", "site", "in"})  # fmt: skip
# "quelle est la couleur du cheval blanc ?", "what is the plan?": a question opened so, without
# "où"/"where", is not about where someone is; nor is a noun after one of these articles.
NOT_PERSON_OPENERS = frozenset({"quel", "quelle", "quels", "quelles", "quoi", "pourquoi",
                                "comment", "what", "which", "why", "how"})  # fmt: skip
NOT_PERSON_ARTICLES = frozenset({"la", "le", "les", "un", "une", "du", "des", "the", "a", "an"})
# Words that are never a person's name in a "where is X" question.
NOT_NAMES = frozenset({
    "est", "sera", "vient", "viendra", "il", "elle", "ce", "c", "ca", "on", "je", "tu", "vous",
    "nous", "la", "le", "les", "l", "un", "une", "mon", "ma", "mes", "is", "the", "a", "an",
    "will", "be", "in", "at", "my", "ou", "where", "qui", "who", "quand", "when",
    "bureau", "desk", "place", "site", "travaille", "bosse", "passe", "present", "presente",
    "demain", "aujourdhui", "today", "tomorrow", "matin", "aprem", "apresmidi", "de", "du",
    "des", "et", "and", "en", "au", "aux", "y", "ya", "estceque", "sont", "seront", "are",
    "vont", "va", "t", "s", "sur", "coming", "comes", "working", "works", "there", "here",
    "tom", "done", "going",
}) - {"tom"}  # fmt: skip

# --- Desk features and zones (the sites file's `features` and `zone`) -------------------------
# Phrases a person uses for a desk's feature or zone, by the canonical folded form they mean.
FEATURE_SYNONYMS: dict[str, tuple[tuple[str, ...], ...]] = {
    "double ecran": (
        ("double", "ecran"),
        ("deux", "ecrans"),
        ("2", "ecrans"),
        ("double", "screen"),
        ("two", "screens"),
        ("dual", "screen"),
        ("dual", "monitor"),
        ("grand", "ecran"),
        ("deux", "ecran"),
        ("double", "ecrans"),
    ),
    "pmr": (("pmr",), ("accessible",), ("fauteuil",), ("wheelchair",), ("handicap",)),
    "rez-de-chaussee": (
        ("rezdechaussee",),
        ("rez", "de", "chaussee"),
        ("rdc",),
        ("ground", "floor"),
    ),
    "zone calme": (
        ("zone", "calme"),
        ("calme",),
        ("quiet",),
        ("silencieux",),
        ("silencieuse",),
        ("quiet", "zone"),
    ),
    "fenetre": (("fenetre",), ("window",)),
}
FLOOR_WORDS = frozenset({"etage", "etages", "floor"})
USUAL_DESK_PHRASES: tuple[tuple[str, ...], ...] = (
    ("mon", "bureau", "habituel"),
    ("mon", "poste", "habituel"),
    ("comme", "usually"),
    ("comme", "de", "habitude"),
    ("comme", "d", "habitude"),
    ("que", "usually"),
    ("my", "usual", "desk"),
    ("as", "usual"),
    ("the", "usual"),
    ("comme", "dhabitude"),
    ("bureau", "habituel"),
    ("poste", "habituel"),
    ("usual", "desk"),
)
NEIGHBOUR_LEADS: tuple[tuple[str, ...], ...] = (
    ("a", "cote", "de"),
    ("pres", "de"),
    ("cote", "de"),
    ("proche", "de"),
    ("next", "to"),
    ("near",),
    ("close", "to"),
)
TEAM_WORDS = frozenset({"equipe", "team", "service"})
UNDO_PHRASES_WORDS = frozenset(w for phrase in UNDO_PHRASES for w in phrase)
# First names one letter away from a keyword ("Marc" is not "mars"): never corrected.
NAME_NEAR_MISSES = frozenset({"marc", "marco", "mardi_"})
KNOWN_WORDS = KNOWN_WORDS | NAME_NEAR_MISSES
# Dialogue words tell the language too ("plutôt à Nantes" is French, "actually Thursday" not).
FRENCH_MARKERS = FRENCH_MARKERS | {
    "plutot",
    "finalement",
    "aussi",
    "pareil",
    "idem",
    "oups",
    "annule",
    "ca",
    "decale",
    "deplace",
    "ou",
    "est",
    "la",
}
ENGLISH_MARKERS = ENGLISH_MARKERS | {
    "actually",
    "also",
    "undo",
    "instead",
    "oops",
    "too",
    "where",
    "move",
    "rather",
}
# Personal data (RGPD, issue 11): "mes données", "envoie-moi mes données", "supprime mes
# données", "my data", "delete my data". A data noun and nothing else that asks for something.
DATA_NOUNS = frozenset({"donnees", "donnee", "data"})
ERASE_VERBS = frozenset({
    "supprime", "supprimer", "supprimez", "efface", "effacer", "effacez", "oublie", "oublier",
    "oubliez", "delete", "erase", "remove", "forget", "wipe",
})  # fmt: skip
DATA_FILLERS = frozenset({
    "mes", "my", "toutes", "tout", "all", "personnelles", "personnels", "personal", "moi", "me",
    "les", "envoie", "envoyer", "envoyez", "send", "export", "exporte", "exporter", "voir",
    "show", "please", "stp", "svp", "plait", "plaît", "il", "te", "vous", "donne", "give",
    "of", "mine", "about", "sur", "on",
})  # fmt: skip
VOCABULARY = VOCABULARY | DATA_NOUNS | ERASE_VERBS
TYPO_TARGETS = frozenset(w for w in VOCABULARY if len(w) >= 5 or w in _SHORT_TARGETS)
KNOWN_WORDS = KNOWN_WORDS | DATA_NOUNS | ERASE_VERBS | DATA_FILLERS
# --- Statistics, calendars and weeks (issue 13; read by parsing/reports.py) -------------------
# Phrases are folded, apostrophes are spaces ("taux d'occupation" → "taux d occupation").

STATS_WORDS = frozenset({
    "stats", "stat", "statistiques", "statistique", "statistics", "occupation", "occupancy",
    "remplissage", "taux d occupation", "taux de remplissage", "occupancy rate", "fill rate",
})  # fmt: skip
STATS_LEADS = frozenset({
    "les", "le", "la", "l", "des", "mes", "donne", "donne moi", "montre", "montre moi",
    "affiche", "show", "show me", "give", "me", "the", "what", "quel", "quelles", "quels",
    "quelle", "est", "is", "please", "stp", "svp", "bonjour", "hello", "hi",
})  # fmt: skip
STATS_FILLERS = frozenset({
    "de", "du", "des", "d", "a", "au", "aux", "pour", "sur", "en", "le", "la", "les", "l",
    "of", "for", "at", "in", "on", "the", "over", "during", "s", "please", "stp", "svp",
    "site", "sites", "et", "and", "merci", "thanks", "?", "!", "par", "jour", "day",
})  # fmt: skip
ALL_SITES_PHRASES = frozenset({
    "tous les sites", "toutes les sites", "tout les sites", "l ensemble des sites", "all sites",
    "every site", "all the sites", "tous sites",
})  # fmt: skip
# Period phrase → (unit, offset): unit "week", "month" or "year"; offset 0 this one, -1 last.
PERIOD_PHRASES: dict[str, tuple[str, int]] = {
    "de la semaine": ("week", 0), "la semaine": ("week", 0), "cette semaine": ("week", 0),
    "this week": ("week", 0), "the week": ("week", 0), "semaine": ("week", 0),
    "la semaine derniere": ("week", -1), "semaine derniere": ("week", -1),
    "la semaine passee": ("week", -1), "last week": ("week", -1),
    "la semaine prochaine": ("week", 1), "semaine prochaine": ("week", 1),
    "next week": ("week", 1),
    "ce mois ci": ("month", 0), "ce mois": ("month", 0), "du mois": ("month", 0),
    "this month": ("month", 0), "le mois": ("month", 0), "mois": ("month", 0),
    "le mois dernier": ("month", -1), "mois dernier": ("month", -1),
    "le mois passe": ("month", -1), "last month": ("month", -1),
    "cette annee": ("year", 0), "this year": ("year", 0), "l annee": ("year", 0),
    "l annee derniere": ("year", -1), "annee derniere": ("year", -1), "last year": ("year", -1),
}  # fmt: skip
CALENDAR_PHRASES = frozenset({
    "mon agenda", "agenda", "lien calendrier", "lien agenda", "lien du calendrier",
    "lien de l agenda", "mon calendrier", "calendrier", "lien ical", "ical", "ics",
    "my calendar", "calendar", "calendar link", "calendar feed", "my calendar link",
    "abonnement agenda", "abonnement calendrier",
})  # fmt: skip
CALENDAR_RENEW_PHRASES = frozenset({
    "nouveau lien agenda", "nouveau lien calendrier", "nouveau lien d agenda",
    "nouveau lien de calendrier", "revoque mon lien agenda", "revoque le lien agenda",
    "revoque mon lien calendrier", "change mon lien agenda", "new calendar link",
    "new calendar feed", "revoke my calendar link", "revoke calendar link",
    "reset calendar link",
})  # fmt: skip
MY_WEEK_PHRASES: dict[str, int] = {
    "ma semaine": 0, "ma semaine prochaine": 1, "my week": 0, "my next week": 1,
    "mon planning": 0, "mon planning de la semaine": 0, "my schedule": 0,
}  # fmt: skip
TEAM_WEEK_PHRASES: dict[str, int] = {
    "planning de la semaine": 0, "planning semaine": 0, "planning de l equipe": 0,
    "planning d equipe": 0, "planning de la semaine prochaine": 1,
    "le planning de la semaine": 0, "semaine de l equipe": 0, "team week": 0,
    "team planning": 0, "team schedule": 0, "week planning": 0, "the team s week": 0,
    "team week next week": 1, "team planning next week": 1,
}  # fmt: skip
# Words that make a report request English (those shared with French, like "stats", are not).
ENGLISH_REPORT_WORDS = frozenset({
    "statistics", "occupancy", "rate", "of", "for", "all", "in", "last", "this", "week",
    "month", "my", "calendar", "link", "new", "team", "schedule", "year", "revoke", "feed",
    "next", "show", "every",
})  # fmt: skip


# -- Read by `intents.py`

HELP_MARKERS = frozenset({"aide", "help", "aider", "commandes", "menu", "manuel",
                          "instructions", "usage"})  # fmt: skip
HELP_FILLERS = frozenset({"me", "moi", "de", "d", "besoin", "ai", "je", "j", "un", "peu",
                          "the", "please", "need", "i", "some", "list", "liste", "des",
                          "les", "of", "commands", "comment", "ca", "marche", "quoi", "que",
                          "sais", "tu", "faire", "what", "can", "you", "do", "?", "!",
                          "show", "affiche", "la", "en", "ligne", "possibles", "disponibles",
                          "available", "to", "how", "use", "utiliser", "t", "te",
                          "bot", "comprends", "comprend", "pas", "rien", "dont", "understand",
                          "get", "ne"})  # fmt: skip
CONFIRM_WORDS = CONFIRM_HEADS | CONFIRM_FILLERS
ACTION_WORDS = (
    RESERVE_VERBS | CANCEL_VERBS | OPEN_VERBS | CLOSE_VERBS | DIGEST_WORDS | ANNOUNCE_WORDS
)
PRESENCE_VERBS = frozenset({
    "viens", "viendrai", "venir", "serai", "sera", "suis", "vais", "passerai", "passe",
    "pourrai", "peux", "come", "coming", "be", "make", "need", "besoin", "travaillerai",
    "vient", "serons", "viendrons", "there", "in",
})  # fmt: skip
NEGATION_BEFORE = frozenset({"ne", "not", "wont", "dont", "cant", "neplus", "never", "jamais",
                             "no", "isnt", "arent", "plusde"})  # fmt: skip
NEGATION_AFTER = frozenset({"pas", "plus", "jamais", "not"})
WHO_VERBS = frozenset({
    "est", "sera", "vient", "viendra", "sont", "seront", "va", "vont", "travaille", "bosse",
    "passe", "a", "is", "will", "comes", "coming", "s", "be", "are", "sur", "la", "en",
    "present", "presents",
})  # fmt: skip
SOMEONE_WORDS = frozenset({"quelqu", "quelquun", "someone", "anyone", "anybody", "somebody",
                           "monde", "personne"})  # fmt: skip
FOLLOW_VERBS = frozenset({"suivre", "suivez", "suivons", "follow", "following", "abonne",
                          "abonner", "abonnez", "subscribe", "watch"})  # fmt: skip
STOP_WORDS = frozenset({"arrete", "arreter", "arretez", "stop", "stoppe", "neplus", "plus",
                        "dont", "no", "cesse", "cesser"})  # fmt: skip
SITE_IS = frozenset({"est", "ce", "c", "sera", "devient", "is", "=", ":", "to", "will", "be",
                     "now", "a", "au", "at", "in", "sur", "maintenant", "desormais"})  # fmt: skip
USUAL_VERBS = frozenset({"travaille", "bosse", "suis", "work", "works", "am", "im", "be",
                         "serai", "viens", "come", "based", "base", "basee"})  # fmt: skip
LIST_PHRASES = (
    ("ou", "suis", "je"),
    ("ou", "je", "suis"),
    ("ou", "serai", "je"),
    ("ou", "je", "serai"),
    ("where", "am", "i"),
    ("where", "will", "i", "be"),
    ("what", "did", "i", "book"),
    ("que", "ai", "je", "reserve"),
    ("ai", "je", "reserve"),
    ("je", "ai", "reserve"),
    ("what", "have", "i", "booked"),
    ("reserve", "quoi"),
    ("mes", "prochaines"),
    ("my", "upcoming"),
    ("mes", "prochains"),
    ("ai", "de", "prevu"),
    ("je", "ai", "quoi"),
    ("my", "plans"),
    ("am", "i", "booked"),
    ("je", "suis", "ou"),
    ("je", "serai", "ou"),
    ("je", "bosse", "ou"),
    ("je", "vais", "ou"),
    ("what", "do", "i", "have"),
    ("what", "have", "i", "got"),
    ("estceque", "je", "ai"),
)
MOVE_WORDS = frozenset({
    "deplace", "deplacer", "deplacez", "decale", "decaler", "decalez", "change", "changer",
    "changez", "modifie", "modifier", "modifiez", "reporte", "reporter", "reportez", "bouge",
    "bouger", "echange", "echanger", "remplace", "remplacer", "move", "reschedule", "swap",
    "shift", "postpone", "modify",
})  # fmt: skip
CLAUSE_BREAKS = frozenset({"et", "and", "puis", "then", ",", ";", "ensuite", "aussi"})
BOOK_MARKERS = (
    (RESERVE_VERBS - BOOKING_NOUNS)
    | DESK_NOUNS
    | {
        "mets",
        "mettre",
        "inscris",
        "prends",
        "prendre",
        "veux",
        "voudrais",
        "besoin",
    }
)
HAVE_WORDS = frozenset({"avez", "as", "have", "has", "got", "avezvous", "auriez", "aurais",
                        "aurait", "aurez"})  # fmt: skip
# "réservations annulées", "la réunion est annulée": said about something, not a request.
CANCELLED_WORDS = frozenset({"annulee", "annulees", "cancelled", "canceled"})
# What a booking sentence is made of besides dates and sites.
BOOKING_WORDS = MORNING | AFTERNOON | WHOLE_DAY | NOON | HALF_DAY | DESK_NOUNS
NEUTRAL_WORDS = (
    FUNCTION_WORDS
    | POLITENESS
    | DATE_FILLERS
    | AND_WORDS
    | TO_WORDS
    | UNTIL_WORDS
    | FROM_WORDS
    | RANGE_START_WORDS
    | FOR_WORDS
    | EVERY_WORDS
    | OR_WORDS
    | EXCEPT_WORDS
    | CONFIRM_HEADS
    | WISH_WORDS
    | MY_WORDS
    | NEGATIONS
    | (PRESENCE_WORDS - OTHER_PERSON_WORDS)
    | {"every", "from", "until"}
) - OTHER_PERSON_WORDS
# Places after these are where the user wants to be; after "sur"/"au" maybe a meeting tool.
PLACE_LEADS = frozenset({"a", "in", "at", "chez", "to", "site", "de", "du"})
# Where the reason for a booking starts: "Metz demain, ...", "... pour voir l'équipe".
CLAUSE_OPENERS = frozenset({",", ";", ":", "-", "pour", "avec", "si", "car", "parce",
                            "puisque", "comme", "pres", "for", "with", "if", "as", "because",
                            "since", "near"})  # fmt: skip
TAKE_WORDS = frozenset({"prends", "prend", "prendrai", "pose", "poserai", "take", "taking"})
TIME_OFF = WEEKDAYS.keys() | MORNING | AFTERNOON | WHOLE_DAY | {"jour", "day", "matinee"}


# -- Read by `people.py`

# Words after which a name is whose booking it is.
PERSON_LEADS = frozenset({"de", "d", "pour", "for", "insteadof", "par"})
# "à côté de Paul", "près de Jeanne", "en face de Bob": where the sender sits, not whose booking.
BESIDE_WORDS = frozenset({"cote", "pres", "proche", "loin", "face", "autour", "voisin", "voisine"})
BEHALF_WORDS = frozenset({"behalf", "nom"})  # "on behalf of Bob", "au nom de Bob"
# Verbs whose object, when a person, is who gets booked: "mets Paul en télétravail".
PUT_VERBS = frozenset({"mets", "mettre", "mettez", "inscris", "inscrire", "inscrivez", "put",
                       "book", "register", "sign", "signup", "enroll", "note", "notez",
                       "reserve", "reserver", "reservez", "bloque", "bloquer", "bloquez",
                       "annule", "annuler", "annulez", "cancel", "desinscris", "unbook",
                       "passe", "passer", "passez"})  # fmt: skip
# Verbs that follow a name as subject: "Paul sera en télétravail", "Bob is off on Friday".
THIRD_PERSON = frozenset({"sera", "est", "vient", "viendra", "va", "travaille", "bosse",
                          "part", "prend", "is", "will", "works", "comes", "has", "needs",
                          "wants", "veut", "voudrait", "souhaite", "passe", "annule",
                          "reserve", "cancels", "books", "sont", "seront", "viennent",
                          "are"})  # fmt: skip
# Other people named without a name.
OTHER_PEOPLE = frozenset({"collegue", "collegues", "colleague", "colleagues", "chef", "cheffe",
                          "boss", "manager", "stagiaire", "stagiaires", "intern", "interns",
                          "equipe", "team", "lui", "elle", "eux", "elles", "him", "her", "them",
                          "adjoint", "adjointe", "assistant", "assistante", "voisin", "voisine",
                          "binome", "remplacant", "remplacante"})  # fmt: skip
DETERMINERS = frozenset(
    {
        "mon",
        "ma",
        "mes",
        "my",
        "un",
        "une",
        "a",
        "an",
        "notre",
        "nos",
        "our",
        "the",
        "le",
        "la",
        "les",
        "l",
        "son",
        "sa",
        "ses",
        "his",
    }
)
PERSON_PRONOUNS = frozenset({"lui", "elle", "eux", "elles", "him", "her", "them"})
HOLDER_NOUNS = BOOKING_NOUNS | DESK_NOUNS | {"planning", "agenda", "schedule"}


# -- Read by `parser.py`

# Words just before a site that set it aside: "pas à Metz", "au lieu de Metz", "not in Metz".
SET_ASIDE_WORDS = frozenset({"pas", "not", "insteadof", "sauf", "except", "non", "plutot",
                             "jamais", "never"})  # fmt: skip
SITE_LEADS = frozenset({"a", "au", "aux", "in", "at", "sur", "de", "du", "chez", "to", "on",
                        "le", "site", "sites", "la"})  # fmt: skip


# -- Read by `answers.py`

# Words that make a message a command of its own rather than an answer.
COMMAND_WORDS = (
    RESERVE_VERBS
    | CANCEL_VERBS
    | OPEN_VERBS
    | CLOSE_VERBS
    | LIST_WORDS
    | WHO_WORDS
    | FREE_WORDS
    | ANNOUNCE_WORDS
    | DIGEST_WORDS
    | MOVE_VERBS
    | frozenset(STATUS_WORDS)
) - BOOKING_NOUNS


# -- Read by `sites.py`

SAINT_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints"}
MERGED_WORDS = frozenset(PHRASES.values())
SITE_NOUNS = frozenset({"site", "sites", "locaux", "bureau", "bureaux", "agence", "antenne"})


# -- Read by the date grammar (`date_atoms.py`, `date_resolve.py`)

# Words that may sit between a part word and its week or month ("en fin de la semaine").
PART_FILLERS = frozenset({"de", "du", "la", "le", "of", "the", "this", "cette", "ce", "-"})
# Before these, an abbreviation like "mer" or "jeu" is a noun ("à la mer", "le jeu").
ARTICLES = frozenset({"la", "le", "les", "un", "une", "du", "des", "de", "ma", "mon", "ta",
                      "ton", "sa", "son", "the", "a", "an", "my", "your"})  # fmt: skip
# "dans 3 jours", "in 3 days".
IN_WORDS = frozenset({"dans", "in"})
# Merged week phrases (see `PHRASES`).
WEEK_PHRASES = frozenset({"semaineprochaine", "cettesemaine", "semainedapres"})
# Merged month phrases (see `PHRASES`).
MONTH_PHRASES = frozenset({"moisprochain", "cemois"})
# Words that set a date aside ("pas demain mais jeudi").
NOT_WORDS = frozenset({"pas", "not"})
# French "mon", English "sat": weekdays only in a list of weekdays.
LIST_ONLY_ABBREVIATIONS = frozenset({"mon", "sat"})
# What links weekdays in a list ("lun-mer", "lundi et mardi").
WEEKDAY_LINKS = frozenset({"-", ",", "et", "and", "au", "a", "to", "ou", "or"})
# "bon week-end": a wish, not a date.
WISHING_WORDS = frozenset({"bon", "bonne", "good", "nice", "great", "happy"})
# "fin de la semaine", "le reste de la semaine", "the rest of the week".
PART_OF_FILLERS = frozenset({"la", "le", "the", "toute", "reste", "rest", "de", "of"})
THIS_LEADS = frozenset({"ce", "cet", "this"})
DAY_NUMBER_LEADS = frozenset({"le", "the", ","})
# After a number, words that make it something else than a day ("au 2e étage").
NUMBERED_NOUNS = frozenset({"etage", "etages", "floor", "rang", "row", "arrondissement", "eme"})
# After a number, units that make it a count, not a day ("3 personnes", "2 heures").
COUNTED_NOUNS = frozenset(
    {"personnes", "people", "persons", "heures", "hours", "h", "minutes", "min"}
)
# "le 1er lundi du mois", "the first Monday of the month".
NTH_WEEKDAY_FILLERS = frozenset({"de", "du", "of", "en", "in", "mois", "month", "the"})
# "semaine du 7 décembre", "the week of December 7".
WEEK_OF_LEADS = frozenset({"du", "de", "of", "starting", "from", "commencant"})
WITH_WORDS = frozenset({"avec", "with"})
# "every other Monday", "every second week".
ALTERNATE_WORDS = frozenset({"other", "second", "alternate"})
DAILY_WORDS = frozenset({"quotidien", "daily"})
BUT_WORDS = frozenset({"mais", "but"})
# "ce we", "le we": "we" is a week-end.
WEEKEND_LEADS = frozenset({"ce", "le", "du", "this"})
NEXT_LEADS = frozenset({"next", "prochain"})
INDEFINITE_ARTICLES = frozenset({"a", "an"})
WEEK_OR_THIS_WEEK = frozenset({"semaine", "week", "cettesemaine"})
# "un mardi sur deux", "one Tuesday in two".
ONE_IN_TWO_LEADS = frozenset({"un", "one", "le"})
OF_WORDS = frozenset({"of", "de"})
# How French ordinals end as typed ("2e", "3ème"), matched on the raw text.
ORDINAL_SUFFIXES = ("e", "è", "eme", "ème", "°")
DAY_NUMBER_DETERMINERS = frozenset({"le", "les", "du", "au", "the", "on", "ce", "jusqu", "of"})
DAY_LIST_LINKS = frozenset({"-", "au", "a", "et", "and", ",", "to"})
THE_WORDS = frozenset({"le", "the"})
WEEK_OF_FILLERS = frozenset({"le", "the", "lundi", "monday"})
LAST_FEMININE_WORDS = frozenset({"derniere", "passee"})
WEEK_WORDS = frozenset({"semaine", "week"})
THE_FEMININE_WORDS = frozenset({"la", "the"})
# "mardi en huit", "mardi en quinze": one or two weeks after.
WEEKS_AFTER_WORDS = frozenset({"enhuit", "enquinze"})
EVENING_WORDS = frozenset({"soir", "evening"})
DAYS_WORDS = frozenset({"jours", "days"})
ENGLISH_WEEKDAY_LEADS = frozenset({"on", "every", "next", "this", "each"})
LAST_LEADS = frozenset({"last", "dernier"})
# "le 3 qui vient", "the coming ...".
COMING_VERBS = frozenset({"vient", "arrive"})
# "entre X et Y", "between X and Y": a range.
BETWEEN_WORDS = frozenset({"entre", "between"})
# Words that correct the date just named ("demain, non jeudi").
FIX_WORDS = frozenset({"non", "pardon", "oups", "sorry", "plutot", "rather", "correction"})
LAST_AFTER_WORDS = frozenset({"dernier", "passe"})
# What each merged week phrase says of its week ("semainedapres": "after").
WEEK_PHRASE_MODS = {"semaineprochaine": "next", "cettesemaine": "this"}

# -- Read by intents, people, parser, daytime, followups, reports and sites

USUALLY_WORDS = frozenset({"usually", "habituellement", "generalement", "normalement", "normally"})
SCHEDULE_NOUNS = frozenset({"planning", "agenda", "schedule"})
HELP_HEADS = frozenset({"aide", "help"})
HOW_WORDS = frozenset({"comment", "how"})
MY_OR_THE_WORDS = frozenset({"mon", "ma", "my", "le", "la"})
CLAUSE_ENDS = frozenset({",", ";", "mais", "but"})
BASED_WORDS = frozenset({"base", "basee", "based", "rattache", "rattachee"})
COUNT_OR_LIST_WORDS = frozenset({"combien", "liste", "list", "lister"})
PEOPLE_NOUNS = frozenset(
    {"personnes", "gens", "collegues", "monde", "agents", "people", "colleagues"}
)
HOW_MANY_WORDS = frozenset({"many", "how"})
ENGLISH_PEOPLE_NOUNS = frozenset({"people", "colleagues", "persons"})
IS_THERE_VERBS = frozenset({"est", "sera", "is", "will", "estceque"})
# "y a-t-il", "reste-t-il", "combien", "any": asking whether some are free.
ANY_LEFT_WORDS = frozenset({"yatil", "restetil", "combien", "estceque", "any"})
ME_WORDS = frozenset({"moi", "me", "i", "je"})
MAKE_VERBS = frozenset(
    {"fais", "faire", "envoie", "envoyer", "publie", "publier", "make", "send", "post"}
)
NOT_ANY_MORE_WORDS = frozenset({"pas", "plus"})
COMING_VERBS_FIRST_PERSON = frozenset(
    {"viens", "viendrai", "serai", "vais", "passerai", "pourrai", "peux", "suis"}
)
STOP_FOLLOW_WORDS = frozenset({"neplus", "stop", "arrete", "arreter", "arretez", "dont", "cesse"})
QUESTION_OPENERS = frozenset({"estceque", "yatil", "is", "will"})
# Searched in the joined words, spaces around.
HAVE_I_PHRASES: tuple[str, ...] = (
    " ai je ",
    " est ce que je ai ",
    " estceque je ai ",
    " do i have ",
    " have i got ",
    " j ai ",
    " je ai ",
)
UPCOMING_WORDS = frozenset({"prochaines", "prochains", "upcoming"})
MANY_WORDS = frozenset({"many", "much"})
# "je pose lundi", "taking Monday": a day off.
DAY_OFF_VERBS = frozenset({"pose", "take", "taking"})
# Between an announcement verb and its text ("annonce aux agents de Metz que ...").
ANNOUNCE_LEADS = frozenset(
    {
        "a",
        "au",
        "aux",
        "pour",
        "sur",
        "que",
        "qu",
        "to",
        "in",
        "at",
        "site",
        "sites",
        "de",
        "du",
        "le",
        "les",
        "agents",
        "that",
        "-",
        ",",
    }
)
# "to leave", "will leave": a verb, not a status.
LEAVE_AUXILIARIES = frozenset({"to", "will", "ll"})
DEFAULT_WORDS = frozenset({"pardefaut", "habituel", "principal", "default"})
WHO_HEADS = frozenset({"who", "whos"})
ANNOUNCE_TEXT_LEADS = frozenset({"que", "qu", "that", "-", ","})
EXCEPT_OR_INSTEAD_WORDS = frozenset({"sauf", "insteadof", "except"})
FOR_PERSON_LEADS = frozenset({"pour", "for", "insteadof", "of"})
OF_PERSON_LEADS = frozenset({"pour", "for", "de", "d", "of"})
# Put verbs after which any following word may be a name.
PUT_VERBS_LOOSE = frozenset({"mets", "mettre", "mettez", "inscris", "put"})
# "I am", "I'm": "am" is then no time of day.
I_WORDS = frozenset({"i", "im"})
# The sender speaking of themself ("je viens demain", "I'm coming tomorrow").
FIRST_PERSON_WORDS = frozenset({"je", "j", "jviens", "moi", "i", "im"})
NUMBER_LIST_LINKS = frozenset({",", "et", "and"})
# Words that make a report request French.
FRENCH_REPORT_MARKERS = frozenset({"de", "du", "des", "le", "la", "les", "mon", "ma", "en"})
PERIOD_LINKS = frozenset(
    {"du", "au", "from", "to", "until", "jusqu", "entre", "et", "between", "and"}
)
# Between two times: "9h-12h", "de 9h à 12h", "9 to 12".
TIME_RANGE_LINKS = frozenset({"-", "a", "au", "to", "until", "et", "and"})
BEFORE_WORDS = frozenset({"until", "before", "avant"})
HOUR_WORDS = frozenset({"heures", "heure", "h", "oclock"})
SITE_NAME_LINKS = frozenset({"de", "du", "of"})
WITHOUT_FILLERS = frozenset({"pas", "sauf", "not", "except", "sans", "without"})
SAME_WORDS = frozenset({"meme", "pareil", "idem", "same"})
WITHOUT_HEADS = frozenset({"pas", "sauf", "not", "except"})
# "la même chose la semaine d'après", "same thing the week after".
SAME_WEEK_AFTER_FILLERS = frozenset(
    {
        "chose",
        "meme",
        "semaine",
        "apres",
        "suivante",
        "week",
        "after",
        "following",
        "de",
        "la",
        "the",
        "same",
        "thing",
    }
)
# "moi aussi, même chose", "as well".
SAME_THING_FILLERS = frozenset({"chose", "meme", "well", "as", "same", "thing"})
# --- Small talk: a greeting or a thank-you alone (bot.smalltalk) ------------------------------
GREETING_WORDS = frozenset({
    "bonjour", "salut", "hello", "hi", "hey", "coucou", "bonsoir", "bjr", "slt", "yo", "hola",
    "good", "morning", "afternoon", "evening", "re", "wesh", "allo",
})  # fmt: skip
THANKS_WORDS = frozenset({
    "merci", "thanks", "thank", "thx", "mrc", "ty", "cool", "super", "parfait", "top", "nickel",
    "genial", "great", "perfect", "awesome", "bravo", "remercie", "remercions", "remerciements",
})  # fmt: skip
# A leave-taking alone: "au revoir", "bye", "ciao", "see you later", "à plus", "à bientôt",
# "à demain", "bonne journée", "bon week-end". A word of FAREWELL_WORDS makes one on its own; the
# others only after "à" or a word of FAREWELL_BON ("demain" alone is a date, "plus" alone a word).
FAREWELL_WORDS = frozenset({
    "revoir", "bye", "byebye", "ciao", "tchao", "goodbye", "cya", "aplus", "bientot", "later",
})  # fmt: skip
FAREWELL_AFTER_A = frozenset({"plus", "demain", "bientot", "lundi", "tout", "tte", "toute"})
FAREWELL_AFTER_BON = frozenset({
    "journee", "soiree", "semaine", "weekend", "week", "end", "we", "fin", "vacances", "apres",
    "midi", "apresmidi", "day", "nuit",
})  # fmt: skip
FAREWELL_BON = frozenset({"bon", "bonne", "nice", "good"})
FAREWELL_FILLERS = frozenset({"a", "au", "have", "see", "you", "l", "heure", "de"}) | FAREWELL_BON
# Words that may surround them: "bonjour à tous", "merci beaucoup", "thank you so much".
SMALLTALK_FILLERS = frozenset({
    "a", "tous", "toutes", "tout", "le", "la", "monde", "toi", "vous", "bot", "bureau", "volant",
    "there", "all", "everyone", "you", "so", "much", "very", "beaucoup", "bcp", "mille", "fois",
    "bien", "encore", "et", "ca", "va", "comment", "how", "are", "the", "c", "est", "cest",
    "bonne", "journee", "soiree", "day", "les", "amis", "again", "lot", "de", "ta", "votre",
    "aide", "help", "for", "your", "ton", "pour", "thanks", "ok", "daccord", "d", "accord",
    "je", "te", "un", "grand", "par", "avance", "nous",
})  # fmt: skip
# Those of them that make the answer English: "hi", "thanks!", "thank you so much" ("hello",
# "cool", "ok" are said in French too).
ENGLISH_SMALLTALK = frozenset({
    "hi", "hey", "good", "morning", "afternoon", "evening", "thanks", "thank", "thx",
    "ty", "great", "perfect", "awesome", "you", "so", "much", "very", "there", "all", "everyone",
    "how", "are", "for", "your", "help", "again", "a", "lot", "bye", "goodbye", "see", "later",
    "cya", "have", "nice", "day",
})  # fmt: skip
# A day named from the change just made, in a follow-up (bot.dialogue): "le lendemain aussi",
# "plutôt la veille", "the day after too".
RELATIVE_TO_CHANGE: dict[str, int] = {
    "lendemain": 1, "surlendemain": 2, "veille": -1, "avant veille": -2, "next day": 1,
    "day after": 1, "day before": -1, "following day": 1,
}  # fmt: skip
# --- Owned desks and loans (issue 12, section 3; read by parsing/owners.py) -----------------
# "attribue le bureau B-12 à @jean…", "assign desk B-12 to @jean…"; the same folded words are
# the past participle of "B-12 n'est plus attribué" ("attribue"), read with a negation.
ASSIGN_WORDS = frozenset({
    "attribue", "attribuer", "attribuez", "attribuee", "affecte", "affecter", "affectez",
    "affectee", "assign", "assigned", "assigne", "assigner", "assignez",
})  # fmt: skip
# "désattribue B-12", "unassign desk B-12", "libère l'attribution de B-12".
UNASSIGN_WORDS = frozenset({"desattribue", "desattribuer", "desaffecte", "unassign"})
# "personne", "nobody", "no one", "n'a plus de propriétaire": the desk is nobody's.
NOBODYS_WORDS = frozenset({"personne", "nobody", "proprietaire", "owner", "titulaire"})
# "je prête mon bureau", "I lend my desk", "I'm lending my desk".
LEND_WORDS = frozenset({
    "prete", "preter", "pretes", "preterai", "pretez", "lend", "lending", "lent", "loan",
})  # fmt: skip
# "je reprends mon bureau vendredi", "I take my desk back", "I reclaim my desk".
RECLAIM_WORDS = frozenset({
    "reprends", "reprend", "reprendre", "reprendrai", "recupere", "recuperer", "recupererai",
    "reclaim", "back",
})  # fmt: skip
# "qui a mon bureau mardi ?", "who has my desk on Tuesday?", "who's got my desk".
WHO_HAS_WORDS = frozenset({"a", "aura", "occupe", "prend", "has", "got", "gets", "will"})
OWNER_FILLERS = frozenset({"est", "is", "sera", "be", "i", "im", "je", "j", "take", "prends"})
VOCABULARY = VOCABULARY | ASSIGN_WORDS | UNASSIGN_WORDS | LEND_WORDS | RECLAIM_WORDS
KNOWN_WORDS = (
    KNOWN_WORDS | ASSIGN_WORDS | UNASSIGN_WORDS | LEND_WORDS | RECLAIM_WORDS | NOBODYS_WORDS
)

# --- The waitlist (issue 12): "mets-moi en liste d'attente", "préviens-moi si une place se
# libère", "je veux la prochaine place libre", "ma liste d'attente", "retire-moi de la liste
# d'attente"; "put me on the waiting list", "notify me when a desk frees up", "my waitlist".
# The line's name, as joined words after normalisation ("liste d'attente" is "liste de attente").
# Typed without the apostrophe too: "liste d attente", "liste dattente".
WAITLIST_PHRASES = (("liste", "de", "attente"), ("file", "de", "attente"), ("waiting", "list"),
                    ("wait", "list"), ("waitlist",), ("listedattente",),
                    ("liste", "d", "attente"), ("file", "d", "attente"), ("liste", "dattente"),
                    ("file", "dattente"))  # fmt: skip
WAITLIST_PHRASE_ENDS = frozenset(phrase[-1] for phrase in WAITLIST_PHRASES)
WAITLIST_NOTIFY_VERBS = frozenset({
    "previens", "prevenez", "prevenir", "avertis", "avertissez", "alerte", "alertez", "notify",
    "notifie", "notifiez", "tell", "alert", "ping",
})  # fmt: skip
# "se libère", "frees up": a desk becoming free (with FREE_WORDS, "libre", "free").
WAITLIST_FREEING_WORDS = frozenset({
    "libere", "liberera", "liberent", "libereront", "frees", "freed", "opens", "becomes",
    "comes", "up",
})  # fmt: skip
WAITLIST_LEAVE_VERBS = frozenset({
    "retire", "retirez", "retirer", "enleve", "enlevez", "enlever", "sors", "sortez", "sortir",
    "quitte", "quitter", "remove", "leave", "take", "off", "out", "desinscris", "desinscrire",
})  # fmt: skip
# What else a waitlist sentence may say: "si", "quand", "when", "if", "let me know".
WAITLIST_FILLERS = frozenset({
    "si", "quand", "des", "que", "se", "when", "if", "as", "soon", "let", "know", "once",
    "liste", "file", "attente", "waiting", "wait", "list", "waitlist", "next", "prochaine",
    "prochain", "place", "une", "un", "veux", "voudrais", "want", "would", "like", "get", "on",
    "the", "a", "me", "moi", "mets", "put", "add", "ajoute", "ajoutez", "inscris", "inscrivez",
})  # fmt: skip
WAITLIST_WORDS = frozenset(
    WAITLIST_NOTIFY_VERBS | WAITLIST_FREEING_WORDS | WAITLIST_LEAVE_VERBS | WAITLIST_FILLERS
)

# --- Check-in on arrival (issue 12): "je suis arrivé(e)", "je suis sur place", "check-in",
# "I'm here". A first-person sentence of arrival, now (no date, no question, no negation).
CHECK_IN_NOUNS = frozenset({"checkin", "pointage"})
CHECK_IN_PAIRS = frozenset({("check", "in"), ("checked", "in"), ("sur", "place"), ("on", "site")})
ARRIVED_WORDS = frozenset({"arrive", "arrivee", "arrives", "arrivees", "arrived", "pointe"})
HERE_WORDS = frozenset({"here", "la", "ici", "there"})
BE_WORDS = frozenset({"suis", "jsuis", "sui", "im", "am", "voici", "voila"})
FIRST_PERSON = frozenset({"je", "j", "jsuis", "i", "im", "ive", "me", "moi"})
CHECK_IN_FILLERS = frozenset({
    "bien", "enfin", "ca", "y", "est", "cest", "bon", "ok", "au", "bureau", "just", "now",
    "have", "the", "office", "at", "in", "on", "site", "check", "checked", "sur", "place",
    "well", "finally", "desk", "mon", "my", "maintenant", "voila", "e", "arrivee",
})  # fmt: skip
CHECK_IN_WORDS = (
    CHECK_IN_NOUNS | ARRIVED_WORDS | HERE_WORDS | BE_WORDS | FIRST_PERSON | CHECK_IN_FILLERS
)

# --- Tables the rules read together: combined once here, not again on every sentence ----------

# "libère" frees a desk; it takes no one off a waitlist.
WAITLIST_LEAVE_OR_CANCEL = (WAITLIST_LEAVE_VERBS | CANCEL_VERBS) - {"libere"}
WAITLIST_FREEING_OR_FREE = WAITLIST_FREEING_WORDS | FREE_WORDS
NEXT_OR_ENGLISH_NEXT = NEXT_WORDS | {"next"}
BOOKINGS_OR_DESKS = BOOKING_NOUNS | DESK_NOUNS
DENY_ONLY_WORDS = DENY_HEADS | DENY_FILLERS
DATA_ONLY_WORDS = DATA_NOUNS | ERASE_VERBS | DATA_FILLERS
HELP_ONLY_WORDS = HELP_MARKERS | HELP_FILLERS | {"help"}
STATUS_OR_MANY_WORDS = frozenset(STATUS_WORDS.keys() | MANY_WORDS)
RESERVE_OR_CANCEL_VERBS = RESERVE_VERBS | CANCEL_VERBS
STRONG_OPEN_VERBS = OPEN_VERBS - WEAK_OPEN_VERBS
STRONG_RESERVE_VERBS = RESERVE_VERBS - BOOKING_NOUNS
MY_OR_CANCELLED_WORDS = MY_WORDS | CANCELLED_WORDS
HAVE_OR_NO_MORE_WORDS = HAVE_WORDS | {"plusde"}
NOT_CHECKING_IN_WORDS = NEGATIONS | CANCEL_VERBS | RESERVE_VERBS
LIST_TARGETS = BOOKING_NOUNS | DESK_NOUNS | SCHEDULE_NOUNS
ACTING_VERBS = ACT_VERBS | RESERVE_VERBS | CANCEL_VERBS
WHERE_OR_PERSON_VERBS = WHERE_WORDS | PERSON_VERBS
CORRECTION_OR_WITHOUT_HEADS = CORRECTION_HEADS | WITHOUT_HEADS

# --- Phrasings found failing (issue 10, third pass) --------------------------------------------
# Verbs of getting a desk in a polite request: "je peux avoir un bureau … ?", "tu peux me
# trouver une place … ?", "puis-je avoir un poste … ?", "can I get a desk …?" (a desk named).
OBTAIN_VERBS = frozenset({
    "avoir", "obtenir", "trouver", "donner", "get", "have", "grab", "find", "give",
})  # fmt: skip
# Subjects after which a verb is in the first or second person singular: "je vien" is "je viens".
SINGULAR_SUBJECTS = frozenset({"je", "j", "tu"})
# Verbs of those persons that end in a silent letter, often left out in chat ("je vien a nantes",
# "je veu un bureau", "tu peu me réserver"): the word plus "s" or "x" is one of these.
SINGULAR_VERBS = frozenset({
    "viens", "veux", "peux", "suis", "dois", "prends", "voudrais", "pourrais", "aimerais",
    "souhaiterais", "serais",
})  # fmt: skip
SILENT_ENDINGS = ("s", "x")
# What may go with a date only set aside, in a sentence that then asks for nothing: "finalement
# pas demain", "non, pas jeudi", "bon ben pas lundi alors", "actually not tomorrow".
SET_ASIDE_FILLERS = CORRECTION_FILLERS | NOT_WORDS | CORRECTION_WORDS | frozenset({
    "bon", "ben", "bah", "ah", "oh", "alors", "donc", "hmm", "finally", "ok", "okay", "well",
})  # fmt: skip

# --- Date grammar: the single words it reads in one place (issue 9 §3, the last ones) -------
# What each merged month phrase says of its month ("jusqu'à la fin du mois prochain").
MONTH_PHRASE_MODS = {"moisprochain": "next", "cemois": "this"}
NEXT_MONTH_PHRASES = frozenset({"moisprochain"})
# "mar": Tuesday or March, as the numbers around it say ("mar 1er", "3 mar", "Mar 3").
TUESDAY_OR_MARCH = frozenset({"mar"})
# "we": a week-end in French SMS only after "ce", "le" ("ce we"); elsewhere English "we".
PRONOUN_WEEKEND_WORDS = frozenset({"we"})
WEEKEND_PLURALS = frozenset({"weekends"})
# Abbreviated months that are clear after "début", "fin" ("fin dec"), unlike "mar", "may".
MONTHS_CLEAR_AFTER_PART = frozenset({"dec"})
# Merged day counts: "dans quinze jours" (14 days), "dans huit jours" (a week).
FORTNIGHT_WORDS = frozenset({"quinzejours"})
EIGHT_DAYS_WORDS = frozenset({"huitjours"})
ENGLISH_NEXT_WORDS = frozenset({"next"})
ENGLISH_LAST_WORDS = frozenset({"last"})
# "un mardi sur deux": one in two.
ONE_IN_LINKS = frozenset({"sur"})
# "lundi qui vient": the coming Monday (with COMING_VERBS).
COMING_LEADS = frozenset({"qui"})
# "mardi en huit", "jeudi en quinze": a week, two weeks after that day.
WEEKS_LATER_LEADS = frozenset({"en"})
WEEKS_LATER_DAYS = {8: "enhuit", 15: "enquinze"}
# "les trois semaines à venir": the words after the unit.
TO_COME = ("a", "venir")
# "px": SMS "peux" ("tu px me réserver …").
SMS_WORDS = SMS_WORDS | {"px": ("peux",)}
# Elisions typed without their apostrophe, glued to the next word: "davoir" is "d'avoir" (only
# before a vowel or an h, as the elision itself; "j" is read apart: "jpeux", "jviens").
GLUED_ELISIONS = {"d": "de"}
ELIDED_BEFORE = frozenset("aeiouyh")

# A bare answer to "which site?" is read again after this word, so that a typo ("lile") or an
# unknown place is matched as it would be in a sentence ("à lile") (bot.dialogue).
ANSWER_PLACE_LEAD = "à"
# "et vendredi ?", "and on Friday?", "sinon jeudi ?", "pour Lille ?": a fragment that opens like
# this asks the bot's last question again, about another day, site or half-day (bot/dialogue.py).
SAME_QUESTION_OPENERS = frozenset({"et", "and", "sinon", "otherwise", "alors", "pour", "what",
                                   "how"})  # fmt: skip
# --- Found trying the parser as a new user (session 4) ----------------------------------------
# Between "jusqu'à" and what ends the period: "jusqu'à mes congés", "until the holidays".
BOUND_FILLERS = frozenset({"mes", "mon", "ma", "les", "la", "le", "l", "the", "my", "nos"})
# "je sreai à Metz", "je serias", "je voudrias": the verbs that make a booking without a booking
# word are corrected like the vocabulary: six letters or more, and the few shorter ones people
# write most ("bosse", "would", "passe" would take "boss", "could", "passé").
SHORT_PRESENCE_TARGETS = frozenset({"serai", "viens", "venir"})
TYPO_TARGETS = (
    TYPO_TARGETS
    | SHORT_PRESENCE_TARGETS
    | frozenset(w for w in PRESENCE_WORDS | WISH_WORDS if len(w) >= 6)
)
# Words that mean the same to the grammar: a typo one edit away from two of one group is no
# ambiguity ("reserv": "reserve" or "reserva").
SYNONYM_GROUPS = (RESERVE_VERBS, CANCEL_VERBS, BOOKING_NOUNS, DESK_NOUNS)
# A polite request said impersonally: "c'est possible de réserver …", "serait-il possible
# d'avoir un bureau …", "y a moyen d'avoir une place …", "is it possible to book …".
POSSIBLE_WORDS = frozenset({"possible", "possibilite", "envisageable", "moyen"})
POSSIBLE_LINKS = frozenset({"de", "d", "to"})
# "mon chef est malade", "ma collègue sera en congé", "my boss is off": a status said of
# someone the sender names (a possessive before one of these verbs) is not the sender's.
THIRD_PERSON_BE = frozenset({"est", "sera", "etait", "is", "will", "was"})
# A request said as a plain question to the bot: "tu me mets à Nantes jeudi ?", "vous me
# réservez un poste ?" (the person asked, "me", an acting verb).
ADDRESSEE_WORDS = frozenset({"tu", "vous"})
ME_OBJECT_WORDS = frozenset({"me", "m"})
# --- Derived tables for the parser's early exits (a word of none: that rule cannot apply) -----
UNDO_WORDS = UNDO_FILLERS | UNDO_PHRASES_WORDS
REFERENCE_TRIGGERS = (
    ALSO_WORDS  # a phrase is there only if its last word is ("de même": "meme", not "de")
    | frozenset(phrase[-1] for phrase in ALSO_PHRASES + WEEK_AFTER_PHRASES)
    | {"semaineprochaine"}
    | CORRECTION_OR_WITHOUT_HEADS
    | CORRECTION_WORDS
)
FEATURE_LAST_WORDS = frozenset(
    phrase[-1] for phrases in FEATURE_SYNONYMS.values() for phrase in phrases
)
OWNER_TRIGGERS = ASSIGN_WORDS | UNASSIGN_WORDS | {"mon", "my"}
OTHER_CLAUSE_TRIGGERS = CANCEL_VERBS | STATUS_WORDS.keys() | PRESENCE_VERBS | {"pas"}
# "réserve un bureau jeudi pour une formation": a status word after these says why a desk is
# booked, in a sentence that books one.
PURPOSE_LEADS = frozenset({"pour", "for"})
BOOKING_SIGNS = STRONG_RESERVE_VERBS | BOOKING_NOUNS | DESK_NOUNS
# "est-ce que je suis inscrit jeudi ?", "suis-je réservé demain ?": asking about one's bookings.
AM_I_BOOKED_PHRASES = (
    " je suis inscrit ", " je suis inscrite ", " je suis reserve ", " je suis reservee ",
    " suisje inscrit ", " suisje inscrite ", " suisje reserve ", " suisje reservee ",
    " am i booked ", " am i in ", " have i booked ",
)  # fmt: skip
# "mon bureau habituel" is the desk one usually takes, not a look at one's bookings.
USUAL_WORDS = frozenset({"habituel", "habituelle", "usual"})
# "mardi prochain et le suivant": "suivant" read by no rule is unknown (asked), never dropped.
FOLLOWING_WORDS = frozenset({"suivant", "suivante", "suivants", "suivantes"})
# The weekday a week after one said so ("mardi prochain et le suivant" is "mardi en huit").
WEEK_LATER_MODS: dict[str | None, str] = {None: "enhuit", "next": "enhuit", "enhuit": "enquinze"}
# Politeness and working days said in several words: "merci d'avance" is filler, "les jours
# ouvrés", "every weekday" are the working days that "tous les jours" already means.
PHRASES = PHRASES | {
    ("merci", "de", "avance"): "",
    ("merci", "par", "avance"): "",
    ("thanks", "in", "advance"): "",
    ("jours", "ouvres"): "jours",
    ("jours", "ouvrables"): "jours",
    ("jours", "travailles"): "jours",
    ("weekday",): "day",
    ("weekdays",): "days",
    ("working", "day"): "day",
    ("working", "days"): "days",
}
# "pas le matin", "not in the afternoon": what may stand between a negation and a part of day.
ARTICLES_OR_IN = frozenset({"le", "la", "l", "les", "the", "in", "en", "dans"})
# "je viendrai plus tard jeudi", "plus tôt": a comparison, no "ne ... plus" (it cancelled).
PHRASES = PHRASES | {("plus", "tard"): "plustard", ("plus", "tot"): "plustot"}
# "je veux pas de bureau demain": the wish negated without its "ne", as chat writes it.
NEGATED_WISH_PHRASES = (
    *NEGATED_WISH_PHRASES,
    ("veux", "pas", "de"), ("veux", "pas", "reserver"), ("voudrais", "pas", "de"),
    ("souhaite", "pas", "de"), ("veux", "plus", "de"), ("veux", "aucun"),
)  # fmt: skip
# "jeudi ou sinon vendredi", "jeudi, sinon vendredi": a choice, like "ou".
PHRASES = PHRASES | {("ou", "sinon"): "ou", ("sinon",): "ou", ("or", "else"): "or",
                     ("ou", "bien"): "ou", ("ou", "alors"): "ou"}  # fmt: skip
# "réserve pour quelqu'un d'autre", "book for someone else": another person, unnamed.
SOMEONE_ELSE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("quelqu", "un", "de", "autre"), ("quelqu", "un"), ("quelquun",),
    ("someone", "else"), ("somebody", "else"), ("someone",), ("somebody",),
)  # fmt: skip
# "on est 3 à venir jeudi": so many people, so many desks (a count after these).
WE_ARE = frozenset({("on", "est"), ("nous", "sommes"), ("we", "are"), ("on", "sera"),
                    ("nous", "serons"), ("we", "will")})  # fmt: skip
SEVERAL_DESKS_SIGNS = SEVERAL_DESKS_NOUNS | {"est", "sommes", "are", "sera", "serons", "will"}
# "je reviens à Metz lundi", "je retourne à Lille jeudi": coming back is being there.
PRESENCE_WORDS = PRESENCE_WORDS | {"reviens", "reviendrai", "retourne", "retournerai"}
# "annule jeudi sauf si c'est complet": a condition the bot cannot check, reported unknown.
PHRASES = PHRASES | {("sauf", "si"): "saufsi", ("unless",): "saufsi"}
CONTENT_WORDS = CONTENT_WORDS | {"saufsi"}
# Words that make a message a command of its own rather than a bare answer to the bot's
# question: "je serai à Metz mardi" after "which days?" books, it is no date for the question.
ANSWER_BREAKERS = COMMAND_WORDS | {"viens", "viendrai", "serai", "serais", "passerai", "reviens"}
# "pas la peine de me réserver vendredi", "inutile de réserver", "no need to book": nothing to
# book (they booked: the verb was read, the "no need" before it was not).
NEGATED_WISH_PHRASES = (
    *NEGATED_WISH_PHRASES,
    ("paslapeine", "de"), ("paslapeine", "d"), ("inutile", "de"), ("inutile", "d"),
    ("pas", "necessaire"),
    ("pas", "besoin", "de", "reserver"), ("no", "need"), ("not", "necessary"),
)  # fmt: skip
# "il est où Marc jeudi", "elle sera où demain", "c'est où": spoken French asks with "où" after
# the verb, often without a question mark ("ou" alone is also "or": only after these verbs).
WHERE_AFTER = frozenset({"est", "sera", "sont", "seront", "etait", "bosse", "travaille"})
WHERE_WORD = "ou"
# "… Cordialement, Jean Dupont", "Merci d'avance. Marie", "Best regards, Tom": the capitalised
# names after a closing formula that ends a message are a signature, not unknown words.
SIGN_OFF_WORDS = frozenset({"cordialement", "salutations", "merci", "avance", "remerciements",
                            "bien", "vous", "regards", "thanks", "cheers", "best"})  # fmt: skip
SIGNATURE_MAX_WORDS = 3
# "un bureau près de Karim vendredi", "un poste avec double écran jeudi": a desk noun, a day and
# one of these is a booking even with words no rule reads (the desk wishes read them later).
DESK_WISH_LEADS = frozenset({"pres", "cote", "avec", "with", "near", "next", "etage", "zone",
                             "habituel", "habitude", "usual"})  # fmt: skip
# "où est Marc jeudi", "where's Tom on Friday": a question by its first word, mark or not.
QUESTION_HEADS = QUESTION_HEADS | {"ou", "where", "wheres"}
SMS_WORDS = SMS_WORDS | {"wheres": ("where", "is")}  # "where's Tom on Friday"
# "make it Thursday", "make it the afternoon": a correction when it opens the message (not
# "I can't make it tomorrow").
CORRECTION_OPENINGS: tuple[tuple[str, ...], ...] = (("make", "it"),)
REFERENCE_TRIGGERS = REFERENCE_TRIGGERS | {"make"}
# "je pourrai pas venir demain": a presence verb is a word of its own, never "corrected" into
# the wish "pourrais" (which booked: the negation was then read on no presence verb).
TYPO_TARGETS = TYPO_TARGETS | frozenset(w for w in PRESENCE_VERBS if len(w) >= 6)
# "il me reste quoi comme résa ?", "il me reste des réservations ?": my own bookings (a booking
# noun is needed: "il reste des places ?" is a look at free desks).
HAVE_I_PHRASES = (*HAVE_I_PHRASES, " il me reste ", " me reste t il ", " me reste il ")
