"""The last step of `parse()`: what the keyword rules alone cannot settle (issue 10).

- a question never acts: a booking asked about becomes a look at free desks, a cancellation or
  a status asked about a look at one's bookings, unless it is a polite request to act;
- command words inside another intent do not count ("dis-moi quand un bureau se libère", "je ne
  veux pas de bureau"); resources other than desks are refused ("une salle de réunion");
- undo, corrections, follow-ups and moves are marked for `bot.dialogue`;
- "où est Marc jeudi ?" is intent `who` with the person;
- every word left is accounted for: `unknown` lists what no rule read.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.parsing import lexicon, questions
from bot.parsing.coverage import ACCOUNTED, account
from bot.parsing.daytime import find_slot
from bot.parsing.followups import find_move, is_undo, reference
from bot.parsing.model import Intent, ParsedCommand, ParseError
from bot.parsing.model import revised as replace  # dataclasses.replace, faster
from bot.parsing.text import Token, TokenKind
from storage.domain import Slot

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_MXID = TokenKind.MXID
_NUM = TokenKind.NUM
_ORD = TokenKind.ORD
_PUNCT = TokenKind.PUNCT
_SITE = TokenKind.SITE
_WORD = TokenKind.WORD


# What a question about an acting command is read as instead.
_AS_QUESTION = {
    Intent.RESERVE: Intent.FREE,
    Intent.OPEN: Intent.FREE,
    Intent.CLOSE: Intent.FREE,
    Intent.CANCEL: Intent.LIST,
    Intent.STATUS: Intent.LIST,
}
_PEOPLE_INTENTS = frozenset({Intent.WHO, Intent.UNKNOWN, Intent.RESERVE, Intent.FREE,
                             Intent.LIST, Intent.STATUS, Intent.CANCEL})  # fmt: skip
# The intents each step applies to (sets built once: a tuple of `Intent.X` costs a metaclass
# look-up per member on every call).
_MAY_MOVE = frozenset({Intent.UNKNOWN, Intent.CANCEL, Intent.RESERVE, Intent.LIST})
_MAY_NOTIFY = frozenset({Intent.CANCEL, Intent.RESERVE, Intent.FREE})
_MAY_NEGATE_WISH = frozenset({Intent.RESERVE, Intent.CANCEL, Intent.UNKNOWN})
_ASKS_ABOUT_PEOPLE = frozenset({Intent.WHO, Intent.UNKNOWN})
_ABOUT_DESKS = frozenset({Intent.RESERVE, Intent.FREE})
_MAY_SET_DATES_ASIDE = frozenset({Intent.RESERVE, Intent.UNKNOWN})
_TAKES_DAY_COUNTS = frozenset({Intent.RESERVE, Intent.STATUS})


def refine(
    cmd: ParsedCommand,
    tokens: list[Token],
    text: str,
    covered: frozenset[int],
    now: datetime,
    horizon_days: int,
    dates: tuple[date, ...] = (),
) -> ParsedCommand:
    """`cmd` as the keyword rules read it, settled against the whole sentence (`dates`: all
    the dates the sentence names, whatever the intent)."""
    lang = cmd.lang
    norms = {t.norm for t in tokens}  # the cheap "is any of these words here?" tests below
    wanted_days = _day_count(tokens) if not norms.isdisjoint(lexicon.DAY_UNITS) else None
    if wanted_days is not None and len(cmd.dates) > wanted_days and cmd.error is None:
        # "réserve 2 jours la semaine prochaine": which two? Asked, never stretched.
        cmd = replace(cmd, dates=(), error=ParseError("vague_date", {"text": text.strip()}))
    elif (
        wanted_days is not None
        and not cmd.dates
        and cmd.error is None
        and cmd.intent in _TAKES_DAY_COUNTS
    ):  # "réserve à Metz pour 2 jours": from which day? Asked, never one day booked.
        cmd = replace(cmd, error=ParseError("vague_date", {"text": text.strip()}))
    counted = _counted(tokens) if not norms.isdisjoint(lexicon.WEEKDAYS_PLURAL) else None
    if counted is not None and cmd.dates:
        count, weekday = counted
        days = tuple(d for d in cmd.dates if d.weekday() == weekday)[:count]
        if len(days) == count:
            cmd = replace(cmd, dates=days)
        else:
            cmd = replace(cmd, dates=(), error=ParseError("vague_date", {"text": text}))
    if is_undo(tokens):
        return ParsedCommand(Intent.UNDO, lang=lang)
    if cmd.intent in _MAY_MOVE:
        move = find_move(tokens, text, now, horizon_days, lang)
        if move is not None:
            site = next((t.site for t in tokens if t.kind == _SITE), None)
            return ParsedCommand(
                Intent.MOVE,
                site=site,
                dates=move[0],
                to_dates=move[1],
                slot=_move_slot(tokens),
                lang=lang,
            )
    asked = questions.asks(tokens)
    polite = asked and questions.polite_request(tokens)
    ref, used = reference(tokens, covered)
    intent = cmd.intent
    if intent in _MAY_SET_DATES_ASIDE and dates and _only_sets_dates_aside(tokens, covered):
        # "finalement pas demain", "non, pas jeudi": nothing to book (a follow-up may still
        # take that day out of the change just made)
        return ParsedCommand(Intent.UNKNOWN, error=ParseError("nothing_asked"), ref=ref, lang=lang)
    if intent in _MAY_NOTIFY and questions.notify_wish(tokens):
        # "dis-moi quand un bureau se libère": the waitlist (issue 12).
        return replace(cmd, intent=Intent.WAITLIST_JOIN, desk=None, asks=False)
    if (
        intent in _MAY_NEGATE_WISH
        and questions.negated_wish(tokens)
        and not any(t.norm in lexicon.MY_WORDS for t in tokens)
    ):
        return ParsedCommand(Intent.UNKNOWN, error=ParseError("nothing_asked"), lang=lang)
    person, _person_used = _person(tokens, covered, asked)
    if (
        person is not None
        and intent in _PEOPLE_INTENTS
        and (asked or intent in _ASKS_ABOUT_PEOPLE)
    ):
        return replace(
            cmd,
            intent=Intent.WHO,
            person=person,
            error=_date_error(cmd),
            desk=None,
            slot=None,
            status=None,
            asks=True,
            dates=cmd.dates or dates,
        )
    if asked and not polite and intent in _AS_QUESTION:
        error = cmd.error if cmd.error and cmd.error.code != "ambiguous_date" else None
        cmd = replace(
            cmd,
            intent=_AS_QUESTION[intent],
            error=error,
            slot=cmd.slot if intent is Intent.RESERVE else None,
            desk=None,
            status=None,
        )
    if cmd.intent in _ABOUT_DESKS and cmd.error is None:
        resource = questions.unmanaged_resource(tokens)
        if resource:
            cmd = replace(cmd, error=ParseError("not_a_desk", {"name": resource}))
    elif (
        cmd.intent is Intent.UNKNOWN
        and (asked or not norms.isdisjoint(lexicon.WISH_WORDS))
        and (resource := questions.unmanaged_resource(tokens))
    ):
        # "je voudrais une salle de réunion mardi", "une place de parking demain ?": no verb
        # the grammar knows, but what is asked for is plain, and not ours to book
        cmd = replace(
            cmd, intent=Intent.RESERVE, error=ParseError("not_a_desk", {"name": resource})
        )
    if (
        cmd.intent is Intent.RESERVE
        and cmd.error is None
        and not norms.isdisjoint(lexicon.SEVERAL_DESKS_SIGNS)
        and (many := _desk_count(tokens))
    ):
        # "réserve 2 places", "un bureau pour 3 personnes": one desk each, never one silently.
        cmd = replace(cmd, error=ParseError("several_desks", {"count": str(many)}))
    features: tuple[str, ...] = ()
    usual = False
    near: str | None = None
    if cmd.intent in _ABOUT_DESKS:
        features, feature_used = desk_wishes(tokens)
        usual_span = questions.phrase_span(tokens, lexicon.USUAL_DESK_PHRASES)
        usual = usual_span is not None
        if usual and ref == "also":
            ref = None  # "le même bureau que d'habitude": the habit, not the last change
        used = used | feature_used | set(usual_span or ())
        near, near_used = _neighbour(tokens)
        used = used | near_used | _lead_to_feature(tokens, feature_used)
    used = used | _inside_labels(tokens, text, (cmd.desk, *cmd.desks))
    coverage = account(tokens, text, covered, cmd.intent, frozenset(used), cmd.status)
    every = cmd.intent is Intent.CANCEL and not cmd.dates and _says_every(tokens)
    if every and not norms.isdisjoint(lexicon.EXCEPT_WORDS) and cmd.error is None:
        # "annule tout sauf jeudi": all but some days, which the dates do not say; asked
        cmd = replace(cmd, error=ParseError("vague_date", {"text": text.strip()}))
        every = False
    return replace(
        cmd,
        unknown=coverage.words,
        unknown_phrases=coverage.phrases,
        ref=ref,
        asks=asked and not polite,
        features=features,
        usual=usual,
        near=near if cmd.intent is Intent.RESERVE else None,
        every=every,
    )


def _says_every(tokens: list[Token]) -> bool:
    """ "annule tout", "annule toutes mes résas", "cancel everything": every upcoming booking."""
    return any(t.norm in lexicon.CANCEL_ALL_WORDS for t in tokens)


def desk_wishes(tokens: list[Token]) -> tuple[tuple[str, ...], set[int]]:
    """ "avec double écran", "poste PMR", "au 2e étage", "au rez-de-chaussée", "zone calme":
    the features and zones asked for (canonical folded forms), with the tokens that said so."""
    found: list[str] = []
    used: set[int] = set()
    named = not lexicon.FEATURE_LAST_WORDS.isdisjoint(questions.word_norms(tokens))
    for canonical, phrases in lexicon.FEATURE_SYNONYMS.items() if named else ():
        span = questions.phrase_span(tokens, phrases)
        if span is not None:
            found.append(canonical)
            used.update(span)
    for k, token in enumerate(tokens):
        if token.norm in lexicon.FLOOR_WORDS and k > 0:
            before = tokens[k - 1]
            number = (
                before.value[0]
                if before.kind in (_ORD, _NUM) and before.value
                else lexicon.ORDINAL_WORDS.get(before.norm)
            )
            if number:
                found.append(f"{number} etage")
                used.update({k - 1, k})
    return tuple(dict.fromkeys(found)), used


def _only_sets_dates_aside(tokens: list[Token], covered: frozenset[int]) -> bool:
    """Every date the sentence names follows a "pas"/"not", and nothing else is said but
    correction words: "finalement pas demain", "non, pas jeudi", "actually not tomorrow" (and
    not "demain, pas jeudi" nor "pas demain mais jeudi", which name a day)."""
    negated = dated = False
    for k, token in enumerate(tokens):
        norm = token.norm
        if token.kind == _PUNCT:
            continue
        if norm in lexicon.BUT_WORDS:
            return False
        if norm in lexicon.NOT_WORDS:
            negated = True
        elif token.kind == _WORD and norm in lexicon.SET_ASIDE_FILLERS:
            continue
        elif k in covered and negated:
            dated = True
        else:
            return False
    return dated


def _date_error(cmd: ParsedCommand) -> ParseError | None:
    if cmd.error is not None and cmd.error.code in (
        "invalid_date",
        "past_date",
        "date_mismatch",
        "beyond_horizon",
        "bad_range",
        "vague_date",
    ):
        return cmd.error
    return None


def _person(
    tokens: list[Token], covered: frozenset[int], asked: bool
) -> tuple[str | None, set[int]]:
    """ "où est Marc jeudi ?", "Marc est là demain ?", "est-ce que Léa vient lundi ?",
    "where is Tom on Friday?", "@marc:x.fr est là ?": the person as written."""
    for k, token in enumerate(tokens):
        if token.kind == _MXID:
            return token.raw, {k}
    if not asked:
        return None, set()
    norms = {t.norm for t in tokens}
    if not norms & lexicon.WHERE_OR_PERSON_VERBS:
        return None, set()
    if norms & lexicon.WHO_WORDS:
        return None, set()  # "qui est à Metz ?": everyone, not one person
    where = bool(norms & lexicon.WHERE_WORDS)
    words = [t for t in tokens if t.kind == _WORD]
    if not where and words and words[0].norm in lexicon.NOT_PERSON_OPENERS:
        return None, set()  # "quelle est la couleur du cheval blanc ?"
    names = [
        k for k, t in enumerate(tokens)
        if k not in covered and t.kind == _WORD and t.word not in lexicon.NOT_NAMES
        and (t.norm not in ACCOUNTED or (t.raw[:1].isupper() and k > 0 and " " not in t.word))
        and t.word not in lexicon.CONTENT_WORDS and len(t.word) >= 2
        and (where or not k or tokens[k - 1].norm not in lexicon.NOT_PERSON_ARTICLES)
    ]  # fmt: skip
    for picked in _runs(names):
        if any(_named_mid_sentence(tokens, k) for k in picked) or _next_to_person_verb(
            tokens, picked[0], picked[-1], where
        ):
            return " ".join(tokens[k].raw for k in picked), set(picked)
    return None, set()


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive indices grouped: [1, 2, 5] -> [[1, 2], [5]]."""
    runs: list[list[int]] = []
    for k in indices:
        if runs and runs[-1][-1] + 1 == k:
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs


def _named_mid_sentence(tokens: list[Token], k: int) -> bool:
    """A capitalised word inside the sentence ("est-ce que Karim sera là ?")."""
    return k > 0 and tokens[k].raw[:1].isupper()


def _next_to_person_verb(tokens: list[Token], first: int, last: int, where: bool) -> bool:
    """Words next to "est", "vient", "où", "is"... ("où est marc", "Marc est là ?", "is tom
    in?"), not an inverted verb ("Auriez-vous un bureau ?"), a noun ("y a moyen d'avoir un
    bureau ?") nor what is said of a subject ("la cantine est ouverte jeudi ?")."""
    if last + 1 < len(tokens) and tokens[last + 1].joined:
        return False
    after = tokens[last + 1].norm if last + 1 < len(tokens) else ""
    if after in lexicon.WHERE_OR_PERSON_VERBS:
        return True  # the subject: "marc est là ?"
    before = tokens[first - 1].norm if first else ""
    # after the verb: "où est marc", or the verb opening the question ("is tom in?")
    return before in lexicon.WHERE_OR_PERSON_VERBS and (where or first == 1)


def _move_slot(tokens: list[Token]) -> Slot | None:
    """The half-day a move goes to: the one said after "à" when there is one ("de mardi
    matin à l'après-midi"), else the one said anywhere ("décale mardi matin à jeudi")."""
    for k, token in enumerate(tokens):
        if k and token.norm in lexicon.MOVE_TO_WORDS:
            after = find_slot(tokens[k + 1 :])
            if after is not None:
                return after
    return find_slot(tokens)


def _counted(tokens: list[Token]) -> tuple[int, int] | None:
    """ "les trois prochains mardis", "the next 3 Tuesdays": (3, weekday 1)."""
    for k, token in enumerate(tokens):
        count = (
            token.value[0]
            if token.kind == _NUM and token.value
            else (lexicon.NUMBER_WORDS.get(token.norm))
        )
        if not count or count < 2:
            continue
        window = tokens[max(0, k - 1) : k + 3]
        if not any(t.norm in lexicon.NEXT_WORDS or t.norm == "next" for t in window):
            continue
        for t in window:
            if t.norm in lexicon.WEEKDAYS_PLURAL:
                return count, lexicon.WEEKDAYS_PLURAL[t.norm]
    return None


def _day_count(tokens: list[Token]) -> int | None:
    """ "2 jours", "trois jours", "two days": how many days are asked for, or None."""
    for k, token in enumerate(tokens[:-1]):
        if tokens[k + 1].norm not in lexicon.DAY_UNITS:
            continue
        if token.kind == _NUM and token.value:
            return token.value[0]
        if token.norm in lexicon.NUMBER_WORDS:
            return lexicon.NUMBER_WORDS[token.norm]
    return None


def _desk_count(tokens: list[Token]) -> int | None:
    """ "2 places", "deux bureaux", "pour 3 personnes", "two desks": more than one desk asked
    for (a count before a desk noun or a word for people), or None."""
    for k, token in enumerate(tokens[:-1]):
        if tokens[k + 1].norm not in lexicon.SEVERAL_DESKS_NOUNS and not (
            k >= 2 and (tokens[k - 2].norm, tokens[k - 1].norm) in lexicon.WE_ARE
        ):  # "2 places", "pour 3 personnes", "on est 3 à venir"
            continue
        if k > 0 and tokens[k - 1].norm in lexicon.WITH_WORDS:  # "avec 2 personnes"
            continue
        if token.kind == _NUM and token.value:
            count = token.value[0]
        else:
            count = lexicon.NUMBER_WORDS.get(token.norm, 0)
        if count > 1:
            return count
    return None


def _neighbour(tokens: list[Token]) -> tuple[str | None, set[int]]:
    """ "près de Karim", "à côté de @karim:x.fr", "près de mon équipe", "next to Tom"."""
    span = questions.phrase_span(tokens, lexicon.NEIGHBOUR_LEADS)
    if span is None:
        return None, set()
    k = span[-1] + 1
    rest = tokens[k : k + 3]
    if rest and rest[0].kind == _MXID:
        return rest[0].raw, {*span, k}
    if len(rest) >= 2 and rest[0].norm in lexicon.MY_WORDS and rest[1].norm in lexicon.TEAM_WORDS:
        return "@team", {*span, k, k + 1}
    names = []
    for j, token in enumerate(rest):
        if token.kind == _WORD and token.raw[:1].isupper() and token.word not in lexicon.NOT_NAMES:
            names.append(k + j)
        else:
            break
    if not names:
        return None, set()
    return " ".join(tokens[j].raw for j in names), {*span, *names}


def _lead_to_feature(tokens: list[Token], feature_used: set[int]) -> set[int]:
    """ "près de la fenêtre", "à côté de la fenêtre": the words leading to a feature."""
    span = questions.phrase_span(tokens, lexicon.NEIGHBOUR_LEADS) if feature_used else None
    if span is None:
        return set()
    k = span[-1] + 1
    while k < len(tokens) and tokens[k].norm in lexicon.NOT_PERSON_ARTICLES:
        k += 1
    return set(range(span[0], k)) if k in feature_used else set()


def _inside_labels(tokens: list[Token], text: str, labels: tuple[str | None, ...]) -> set[int]:
    """The tokens that are part of a desk label as written ("<b>B-1</b>" reads as three)."""
    inside: set[int] = set()
    for label in labels:
        start = text.find(label) if label else -1
        if start < 0 or label is None:
            continue
        end = start + len(label)
        inside.update(k for k, t in enumerate(tokens) if start <= t.start and t.end <= end)
    return inside
