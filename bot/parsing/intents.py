"""Which command a text is: keyword rules over normalised tokens, tried in a fixed order.

The order settles overlaps: a cancel verb beats the booking noun in "annule ma résa"; "qui"
first beats a status word in "qui est en télétravail ?"; a status word beats the presence verb
in "je serai en congé"; a negation turns a status into a cancel ("je ne suis plus en congé").
Site tokens (kind "site"/"place") have already replaced the site names.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from bot.parsing import lexicon, questions
from bot.parsing.model import Intent
from bot.parsing.owners import classify_owner
from bot.parsing.text import Token, TokenKind
from storage.domain import DigestAction, StatusKind

# Token kinds as module constants: reading `TokenKind.X` goes through the enum's metaclass
# (about 100 ns a time, and the hot loops read them per token).
_KIND_DATE = TokenKind.DATE
_KIND_LABEL = TokenKind.LABEL
_KIND_MXID = TokenKind.MXID
_KIND_NUM = TokenKind.NUM
_KIND_ORD = TokenKind.ORD
_KIND_PLACE = TokenKind.PLACE
_KIND_PUNCT = TokenKind.PUNCT
_KIND_SITE = TokenKind.SITE
_KIND_TIME = TokenKind.TIME
_KIND_WORD = TokenKind.WORD

_PUNCT = frozenset({"?", "!", ".", ",", ";", ":", "-", "&", "+"})


@dataclass(frozen=True)
class Classification:
    """The intent and what the keyword rules already found (status, action, language...)."""

    intent: Intent
    status: StatusKind | None = None
    action: DigestAction | None = None
    text: str | None = None
    announce_from: int | None = None  # token index where an announcement's text begins
    several: bool = False  # two commands in one message ("annule mardi et réserve mercredi")


# What a message asking for two changes (or to move a booking, "change ma résa") is first read
# as; it is then asked about instead.
_ACTING = frozenset({Intent.RESERVE, Intent.CANCEL, Intent.STATUS, Intent.LIST, Intent.UNKNOWN})


def classify(
    tokens: list[Token],
    has_dates: bool,
    covered: frozenset[int] = frozenset(),
    date_error: bool = False,
) -> Classification:
    """The intent of a normalised token list (`has_dates`: the text names a date; `covered`:
    indices of the tokens the date grammar read; `date_error`: a date was named but is wrong).
    Two commands in one message, or a request to move a booking (a cancel and a booking), come
    back as `unknown` with `several` set."""
    found = _classify(tokens, has_dates, covered, date_error)
    if found.intent in _ACTING and (_moves(tokens, has_dates) or _several_commands(tokens)):
        return Classification(Intent.UNKNOWN, several=True)
    return found


def _waitlist(norms: list[str], words: set[str], names_slot: bool) -> Intent | None:
    """The waitlist (issue 12): joining it, seeing one's places, leaving it; None otherwise."""
    named = bool(words & lexicon.WAITLIST_PHRASE_ENDS) and any(
        tuple(norms[k : k + len(phrase)]) == phrase
        for phrase in lexicon.WAITLIST_PHRASES
        for k in range(len(norms))
    )
    if named and words & lexicon.WAITLIST_LEAVE_OR_CANCEL:
        return Intent.WAITLIST_LEAVE
    if named and not names_slot and not words & lexicon.PUT_VERBS_LOOSE:
        return Intent.WAITLIST_SHOW  # "ma liste d'attente", "my waitlist"
    if named:
        return Intent.WAITLIST_JOIN
    freeing = words & lexicon.WAITLIST_FREEING_OR_FREE
    if words & lexicon.WAITLIST_NOTIFY_VERBS and freeing:
        return Intent.WAITLIST_JOIN  # "préviens-moi si une place se libère"
    if words & lexicon.NEXT_OR_ENGLISH_NEXT and words & lexicon.DESK_NOUNS and freeing:
        return Intent.WAITLIST_JOIN  # "la prochaine place libre"
    return None


def _moves(tokens: list[Token], has_dates: bool) -> bool:
    """ "déplace ma résa de mardi à mercredi", "change my Friday booking to Thursday"."""
    words = {t.norm for t in tokens}
    return bool(words & lexicon.MOVE_WORDS) and bool(
        has_dates or words & lexicon.BOOKINGS_OR_DESKS
    )


def _several_commands(tokens: list[Token]) -> bool:
    """ "annule demain et réserve jeudi", "télétravail lundi et Metz mardi": a clause that books
    and another that cancels or sets a status. A clause that only adds a date ("lundi et mardi")
    asks nothing."""
    if lexicon.OTHER_CLAUSE_TRIGGERS.isdisjoint([t.norm for t in tokens]):
        return False  # nothing that cancels or sets a status: one command (most messages)
    kinds: list[str] = []
    clause: list[Token] = []
    for token in [*tokens, Token(_KIND_PUNCT, ";", ";", "", 0, 0)]:
        if token.norm not in lexicon.CLAUSE_BREAKS:
            clause.append(token)
            continue
        norms = [t.norm for t in clause]
        words = set(norms)
        kind = ""
        if words & lexicon.CANCEL_VERBS or (norms and _negated_presence(norms)):
            kind = "cancel"
        elif any(n in lexicon.STATUS_WORDS for n in norms):
            # "pas de télétravail lundi, je serai à Lille": a status taken back and a booking
            kind = "cancel" if words & lexicon.NEGATIONS else "status"
        elif (words & lexicon.BOOK_MARKERS or any(t.kind == _KIND_SITE for t in clause)) and not (
            words & lexicon.NEGATIONS or words & lexicon.EXCEPT_OR_INSTEAD_WORDS
        ):
            kind = "reserve"
        if kind and kind not in kinds:
            kinds.append(kind)
        clause = []
    # Not coming and being remote agree ("je ne viens pas lundi, je suis en télétravail");
    # booking and not coming, or booking and being away, do not.
    return "reserve" in kinds and len(kinds) > 1


def _classify(
    tokens: list[Token], has_dates: bool, covered: frozenset[int], date_error: bool
) -> Classification:
    content = [t for t in tokens if t.norm not in _PUNCT]
    norms = [t.norm for t in content]
    words = set(norms)
    all_norms = [t.norm for t in tokens]
    has_site = any(t.kind in (_KIND_SITE, _KIND_PLACE) for t in tokens)
    if not content:
        if "?" in all_norms:
            return Classification(Intent.HELP)
        return Classification(Intent.UNKNOWN)
    first = norms[0]

    # Confirm / deny: the whole message is a yes or a no.
    if words <= lexicon.CONFIRM_WORDS and words & lexicon.CONFIRM_HEADS:
        return Classification(Intent.CONFIRM)
    if words <= lexicon.DENY_ONLY_WORDS and words & lexicon.DENY_HEADS:
        return Classification(Intent.DENY)

    # Personal data: "mes données", "supprime mes données" (and nothing else).
    if words & lexicon.DATA_NOUNS and words <= lexicon.DATA_ONLY_WORDS:
        erase = bool(words & lexicon.ERASE_VERBS)
        return Classification(Intent.ERASE_DATA if erase else Intent.MY_DATA)

    waitlist = _waitlist(norms, words, has_dates or has_site)
    if waitlist is not None:
        return Classification(waitlist)
    # Check-in on arrival: "je suis arrivée", "je suis sur place", "check-in", "I'm here".
    if _checks_in(norms, words, all_norms, has_dates):
        return Classification(Intent.CHECK_IN)

    # Help: a help word and nothing that asks for something else.
    if (words & lexicon.HELP_MARKERS or "help" in words) and words <= lexicon.HELP_ONLY_WORDS:
        return Classification(Intent.HELP)
    if first in lexicon.HELP_HEADS and not (words & lexicon.ACTION_WORDS) and not has_dates:
        return Classification(Intent.HELP)
    # "comment je réserve ?", "how do I cancel?": a question about the bot, not a command.
    if (
        first in lexicon.HOW_WORDS
        and not has_dates
        and not has_site
        and not words & lexicon.STATUS_OR_MANY_WORDS
    ):
        return Classification(Intent.HELP)

    # Owned desks: assign, lend one's own, take it back, who has it (issue 12).
    owned = classify_owner(tokens)
    if owned is not None:
        return Classification(owned[0], text=owned[1])

    # Appoint: a Matrix id and a role or appointing verb.
    if any(t.kind == _KIND_MXID for t in tokens) and words & lexicon.APPOINT_WORDS:
        mxid = next(t.raw for t in tokens if t.kind == _KIND_MXID)
        return Classification(Intent.APPOINT, text=mxid)

    # Announce: the message starts with the announce word.
    start = _announce_start(content, tokens)
    if start is not None:
        return Classification(Intent.ANNOUNCE, announce_from=start)

    # Language of the replies.
    languages = [lexicon.LANGUAGE_WORDS[n] for n in norms if n in lexicon.LANGUAGE_WORDS]
    if (
        languages
        and (len(norms) <= 3 or words & lexicon.LOCALE_VERBS)
        and not (words & lexicon.RESERVE_OR_CANCEL_VERBS)
        and not has_dates
    ):
        return Classification(Intent.SET_LOCALE, text=languages[-1])

    # Digest: subscribe, unsubscribe or preview.
    if words & lexicon.DIGEST_WORDS:
        if words & lexicon.UNSUBSCRIBE_WORDS or _negated_anywhere(norms):
            return Classification(Intent.DIGEST, action=DigestAction.UNSUBSCRIBE)
        if words & lexicon.SUBSCRIBE_WORDS or any(t.kind == _KIND_TIME for t in tokens):
            return Classification(Intent.DIGEST, action=DigestAction.SUBSCRIBE)
        return Classification(Intent.DIGEST, action=DigestAction.PREVIEW)

    status_index = _status_index(all_norms)

    # Follow / unfollow a site's announcements.
    if status_index is None and not has_dates and (has_site or "site" in words):
        follows = (
            words & lexicon.FOLLOW_VERBS or first == "suis"
        )  # imperative "suis", not "je suis"
        if words & lexicon.UNFOLLOW_WORDS or (
            (follows or "suis" in words) and words & lexicon.STOP_WORDS and _follow_negated(norms)
        ):
            return Classification(Intent.UNFOLLOW)
        if follows and not words & lexicon.RESERVE_VERBS:
            return Classification(Intent.FOLLOW)

    # Default site.
    if _sets_site(norms, words, tokens) and not words & lexicon.RESERVE_OR_CANCEL_VERBS:
        return Classification(Intent.SET_SITE)

    # Site managers: open and close.
    if words & lexicon.STRONG_OPEN_VERBS or (
        words & lexicon.WEAK_OPEN_VERBS
        and (words & lexicon.DESK_NOUNS or any(t.kind == _KIND_LABEL for t in tokens))
    ):
        if not words & lexicon.CANCEL_VERBS:
            return Classification(Intent.OPEN)
    if words & lexicon.CLOSE_VERBS and not words & lexicon.CANCEL_VERBS:
        if not has_site and _unexplained(tokens, covered, lexicon.CLOSE_VERBS):
            return Classification(Intent.UNKNOWN)  # "le parking est fermé demain"
        if "?" in all_norms and words & lexicon.IS_THERE_VERBS:
            # "Metz est fermé demain ?" asks about availability; it closes nothing
            return Classification(Intent.FREE)
        return Classification(Intent.CLOSE)

    # Who is there.
    if _asks_who(norms, words, all_norms):
        return Classification(Intent.WHO)

    # Statuses, and their cancellation.
    if status_index is not None:
        status = lexicon.STATUS_WORDS[all_norms[status_index]]
        if words & lexicon.CANCEL_VERBS or _negated_before(all_norms, status_index):
            return Classification(Intent.CANCEL, status=status)
        return Classification(Intent.STATUS, status=status)

    if words & lexicon.CANCEL_VERBS or _negated_presence(norms):
        return Classification(Intent.CANCEL)

    if (
        _lists(norms, words)
        or _asks_own_booking(norms, words, all_norms)
        or _asks_if_booked(norms, all_norms)
    ):
        return Classification(Intent.LIST)

    strong_reserve = bool(words & lexicon.STRONG_RESERVE_VERBS) or (
        words & lexicon.BOOKING_NOUNS and not words & lexicon.MY_OR_CANCELLED_WORDS
    )
    wish = bool(words & lexicon.DESK_NOUNS) and bool(
        words & lexicon.WISH_WORDS
        # "y a moyen d'avoir un bureau … ?", "c'est possible d'avoir une place … ?"
        or (words & lexicon.POSSIBLE_WORDS and questions.polite_request(tokens))
    )
    if words & lexicon.FREE_WORDS and not strong_reserve:
        asks = "?" in all_norms or words & lexicon.ANY_LEFT_WORDS
        if not wish or asks:
            return Classification(Intent.FREE)
    if "yatil" in words and words & lexicon.DESK_NOUNS and not (strong_reserve or wish):
        return Classification(Intent.FREE)
    if (
        "?" in all_norms
        and words & lexicon.DESK_NOUNS
        and words & lexicon.HAVE_OR_NO_MORE_WORDS
        and not (strong_reserve or wish)
        and not words & lexicon.ME_WORDS
    ):  # "vous avez de la place à Lille jeudi ?", "plus de place à Metz demain ?"
        return Classification(Intent.FREE)
    if _takes_time_off(tokens):  # "je prends mon vendredi", "je prends ma journée demain"
        return Classification(Intent.STATUS, status=StatusKind.LEAVE)
    if strong_reserve or wish:
        return Classification(Intent.RESERVE)
    # Without a booking verb, a date or a site makes a booking when the rest of the sentence
    # is about it too: "je serai à Metz mardi", "le bureau B-204 demain", "Metz mardi matin",
    # but not "quel temps fera-t-il demain ?" nor "Pierre sera à Metz mardi".
    understood = _mostly_understood(tokens, covered, date_error)
    if _present_myself(tokens) and (has_site or has_dates):
        if understood:
            return Classification(Intent.RESERVE)
        if "?" in all_norms:  # "je peux venir mercredi avec un collègue ?": is there room?
            return Classification(Intent.FREE)
    if (
        (words & lexicon.DESK_NOUNS or any(t.kind == _KIND_LABEL for t in tokens))
        and (has_site or has_dates)
        and (understood or not words.isdisjoint(lexicon.DESK_WISH_LEADS))
    ):
        return Classification(Intent.RESERVE)
    if has_dates and understood:
        return Classification(Intent.RESERVE)  # "Metz mardi matin", "demain aprèm"
    return Classification(Intent.UNKNOWN)


def _checks_in(norms: list[str], words: set[str], all_norms: list[str], has_dates: bool) -> bool:
    """A first-person sentence of arrival, about now: a check-in word ("check-in", "pointage"),
    or "arrivé(e)" / "sur place" / "là" / "here" with "je" / "I" -- not a question, not
    negated, no date ("je serai sur place mardi" books), no other command verb."""
    if has_dates or "?" in all_norms:
        return False
    if words & lexicon.NOT_CHECKING_IN_WORDS:
        return False
    pairs = set(pairwise(norms))
    if words & lexicon.CHECK_IN_NOUNS or pairs & {("check", "in"), ("checked", "in")}:
        return True
    if not words & lexicon.FIRST_PERSON:
        return False
    if words & lexicon.ARRIVED_WORDS:
        return True
    if pairs & lexicon.CHECK_IN_PAIRS:
        return True
    return any(a in lexicon.BE_WORDS and b in lexicon.HERE_WORDS for a, b in pairs)


def _unexplained(
    tokens: list[Token], covered: frozenset[int], neutral: frozenset[str] = frozenset()
) -> list[str]:
    """Content words no rule of the grammar read (nor an unknown place after "sur")."""
    out: list[str] = []
    for index, token in enumerate(tokens):
        if index in covered:
            continue
        if token.kind == _KIND_PLACE:
            lead = tokens[index - 1].norm if index else ""
            if lead not in lexicon.PLACE_LEADS:
                out.append(token.norm)
            continue
        if token.kind != _KIND_WORD:
            continue
        norm = token.norm
        if norm in lexicon.NEUTRAL_WORDS or norm in lexicon.BOOKING_WORDS or norm in neutral:
            continue
        if norm in lexicon.WEEKDAYS or norm in lexicon.MONTHS:
            continue
        out.append(norm)
    return out


def _mostly_understood(tokens: list[Token], covered: frozenset[int], date_error: bool) -> bool:
    """Whether the words no rule read are fewer than half the weight of those read: dates and
    parts of the day count one a word, a known site two (it is the strongest sign of a booking),
    an unknown place after "à" one. "Metz demain pour la réunion" passes (1 unread word for 3);
    "pot de départ vendredi à Metz" (2 for 3) and "réunion sur Teams demain" (2 for 1) do not.
    A message that opens with a site (or "je viens") and a date and nothing else is a command
    whatever reason follows: "Metz demain, j'ai une réunion là-bas", "Lille jeudi pour voir
    l'équipe", "je viens demain avec un collègue" (the rest is then reported unknown)."""
    if _weighted(tokens, covered, date_error):
        return True
    end = next(
        (k for k, t in enumerate(tokens) if k and t.norm in lexicon.CLAUSE_OPENERS), len(tokens)
    )
    if end == len(tokens):
        return False
    opening = tokens[:end]
    return (
        (any(t.kind == _KIND_SITE for t in opening) or _present_myself(opening))
        and any(
            k in covered and t.norm not in lexicon.NEUTRAL_WORDS for k, t in enumerate(opening)
        )
        and not _unexplained(opening, covered)
    )


def _weighted(tokens: list[Token], covered: frozenset[int], date_error: bool) -> bool:
    weight = 1 if date_error else 0
    for index, token in enumerate(tokens):
        if token.kind == _KIND_SITE:
            weight += 2
        elif token.kind == _KIND_PLACE:
            lead = tokens[index - 1].norm if index else ""
            weight += lead in lexicon.PLACE_LEADS
        elif token.kind in (
            _KIND_TIME,
            _KIND_LABEL,
            _KIND_DATE,
            _KIND_NUM,
            _KIND_ORD,
        ):
            weight += 1
        elif index in covered and token.norm not in lexicon.NEUTRAL_WORDS:  # not "de", "au", "et"
            weight += 1
        elif token.norm in lexicon.BOOKING_WORDS:
            weight += 1
    return 2 * len(_unexplained(tokens, covered)) < weight


def _takes_time_off(tokens: list[Token]) -> bool:
    """ "je prends mon vendredi", "je pose ma journée", "I'm taking Friday" -- time off,
    unlike "je prends le bureau B-204" or "je prends une place vendredi"."""
    for index, token in enumerate(tokens[:-1]):
        if token.norm not in lexicon.TAKE_WORDS:
            continue
        nxt = tokens[index + 1]
        if nxt.norm in lexicon.MY_OR_THE_WORDS:
            nxt = tokens[index + 2] if index + 2 < len(tokens) else nxt
            if nxt.norm in lexicon.TIME_OFF:
                return True
        elif nxt.norm in lexicon.WEEKDAYS and token.norm in lexicon.DAY_OFF_VERBS:
            return True  # "je pose vendredi", "taking Friday"
    return False


def _present_myself(tokens: list[Token]) -> bool:
    """ "je serai à Metz", "I'll be in Lille" -- not "tu viens ?" nor "Pierre sera là"."""
    for index, token in enumerate(tokens):
        if token.norm not in lexicon.PRESENCE_WORDS or token.norm in lexicon.OTHER_PERSON_WORDS:
            continue
        before = tokens[max(0, index - 2) : index]
        if any(t.norm in lexicon.OTHER_PERSON_WORDS for t in before):
            continue
        if any(
            t.kind == _KIND_WORD and t.raw[:1].isupper() and t.word not in lexicon.KNOWN_WORDS
            for t in before
        ):
            continue  # "Paul will be in Metz"
        return True
    return False


def _announce_start(content: list[Token], tokens: list[Token]) -> int | None:
    """Index (in `tokens`) where the announced text begins, when the message is an announce."""
    head = [t.norm for t in content[:3]]
    if not head:
        return None
    if head[0] in lexicon.ANNOUNCE_WORDS:
        pass
    elif head[0] in lexicon.MAKE_VERBS and lexicon.ANNOUNCE_WORDS & set(head[1:]):
        pass
    else:
        return None
    for index, token in enumerate(tokens):
        if token.norm == ":":
            return index + 1
    # No colon: the text follows the keyword, after "à <site>", "que".
    index = next(i for i, t in enumerate(tokens) if t.norm in lexicon.ANNOUNCE_WORDS) + 1
    while index < len(tokens) and (
        tokens[index].kind in (_KIND_SITE, _KIND_PLACE)
        or (
            tokens[index].norm in lexicon.ANNOUNCE_LEADS
            and index + 1 < len(tokens)
            and (
                tokens[index + 1].kind in (_KIND_SITE, _KIND_PLACE)
                or tokens[index].norm in lexicon.ANNOUNCE_TEXT_LEADS
            )
        )
    ):
        index += 1
    return index


def _status_index(norms: list[str]) -> int | None:
    for index, norm in enumerate(norms):
        if norm in lexicon.STATUS_WORDS:
            if norm == "off" and index > 0 and norms[index - 1] in ("day",):
                continue
            if norm == "leave" and index > 0 and norms[index - 1] in lexicon.LEAVE_AUXILIARIES:
                continue  # "I have to leave"
            if _bounds_a_period(norms, index):
                continue  # "réserve Metz jusqu'aux vacances": a date bound, not a status
            if _someone_elses(norms, index):
                continue  # "mon chef est malade, je serai en télétravail demain"
            if _a_purpose(norms, index):
                continue  # "réserve un bureau jeudi pour une formation": why, not a status
            return index
    return None


def _bounds_a_period(norms: list[str], index: int) -> bool:
    """Whether the word at `index` ends a period ("jusqu'à mes congés", "until my leave")."""
    k = index - 1
    while k >= 0 and norms[k] in lexicon.BOUND_FILLERS:
        k -= 1
    return k >= 0 and k >= index - 2 and norms[k] in lexicon.UNTIL_WORDS


def _someone_elses(norms: list[str], index: int) -> bool:
    """Whether the status word at `index` is said of someone the sender names ("mon chef est
    malade", "ma collègue sera en congé", "my boss is off"), not of the sender."""
    for k in range(index - 1, max(-1, index - 4), -1):
        if norms[k] in lexicon.CLAUSE_ENDS:
            return False
        if norms[k] in lexicon.THIRD_PERSON_BE:
            return any(norms[j] in lexicon.MY_WORDS for j in range(max(0, k - 3), k))
    return False


def _a_purpose(norms: list[str], index: int) -> bool:
    """Whether the status word at `index` says why a desk is booked ("réserve un bureau pour
    une formation", "book a desk for a seminar")."""
    k = index - 1
    if k >= 0 and norms[k] in lexicon.ARTICLES:
        k -= 1
    if k < 0 or norms[k] not in lexicon.PURPOSE_LEADS:
        return False
    return not lexicon.BOOKING_SIGNS.isdisjoint(norms)


def _negated_before(norms: list[str], index: int) -> bool:
    """A negation shortly before the word at `index` ("ne suis pas en congé", "not remote")."""
    for k in range(index - 1, max(-1, index - 6), -1):
        norm = norms[k]
        if norm in lexicon.CLAUSE_ENDS:
            return False
        if norm in lexicon.NEGATION_BEFORE or norm in lexicon.NEGATION_AFTER:
            return True
    return False


def _negated_anywhere(norms: list[str]) -> bool:
    return "neplus" in norms or "plusde" in norms or ("ne" in norms and "plus" in norms)


def _negated_presence(norms: list[str]) -> bool:
    """ "je ne viens plus", "je ne serai pas là", "I won't come", "n'ai plus besoin"."""
    if norms[:2] == ["pas", "la"]:  # "pas là demain"
        return True
    for index, norm in enumerate(norms):
        if norm not in lexicon.PRESENCE_VERBS:
            continue
        before = norms[max(0, index - 3) : index]
        after = norms[index + 1 : index + 3]
        if (set(before) & lexicon.NEGATION_BEFORE) or (
            "ne" in before and set(after) & lexicon.NEGATION_AFTER
        ):
            return True
        if set(after) & lexicon.NOT_ANY_MORE_WORDS and norm in lexicon.COMING_VERBS_FIRST_PERSON:
            return True  # "je viens pas", "je serai pas là"
        if norm == "besoin" and before[-1:] in (["pas"], ["plus"], ["neplus"]):
            return True  # "finalement pas besoin de bureau", "plus besoin de place"
    return False


def _follow_negated(norms: list[str]) -> bool:
    return bool(
        set(norms) & lexicon.STOP_FOLLOW_WORDS
        or ("ne" in norms and "plus" in norms)
        or ("suis" in norms and "plus" in norms)
    )


def _sets_site(norms: list[str], words: set[str], tokens: list[Token]) -> bool:
    has_site = any(t.kind in (_KIND_SITE, _KIND_PLACE) for t in tokens)
    for index, norm in enumerate(norms if "site" in words else ()):
        if norm != "site":
            continue
        before = norms[max(0, index - 2) : index]
        after = norms[index + 1 : index + 4]
        mine = "mon" in before or "my" in before
        if (
            mine
            or "default" in before
            or "pardefaut" in after
            or after[:1] in (["habituel"], ["principal"])
        ):
            if set(after) & lexicon.SITE_IS or not after or has_site:
                return True
            if mine and after[0] in lexicon.DEFAULT_WORDS:
                return True
    if words & lexicon.USUALLY_WORDS:
        return bool(words & lexicon.USUAL_VERBS) and has_site
    if words & lexicon.BASED_WORDS and has_site:
        return True
    return False


def _asks_who(norms: list[str], words: set[str], all_norms: list[str]) -> bool:
    # "tu peux me dire qui ...": the question starts after the verb that asks to be told.
    start = next((k + 1 for k, n in enumerate(norms[:6]) if n in lexicon.TELL_ME_VERBS), 0)
    for index in range(start, min(len(norms), start + 4)):
        norm = norms[index]
        if (
            norm in lexicon.WHO_WORDS
            and index
            and (norms[index - 1] in lexicon.WEEKDAYS or norms[index - 1] in lexicon.WEEK_UNITS)
        ):
            continue  # "jeudi qui vient", "la semaine qui vient"
        if norm in lexicon.WHO_WORDS:
            nxt = norms[index + 1] if index + 1 < len(norms) else ""
            if index == start or nxt in lexicon.WHO_VERBS or norm in lexicon.WHO_HEADS:
                return True
            if index > 0 and norms[index - 1] == "yatil":  # "y a qui demain ?"
                return True
    if words & lexicon.PRESENT_NOUNS and not words & lexicon.RESERVE_VERBS:
        return True
    if words & lexicon.COUNT_OR_LIST_WORDS and words & lexicon.PEOPLE_NOUNS:
        return True  # "combien de personnes à Metz demain ?", "liste des gens à Metz demain"
    if (
        words & lexicon.HOW_MANY_WORDS >= lexicon.HOW_MANY_WORDS
        and words & lexicon.ENGLISH_PEOPLE_NOUNS
    ):
        return True
    if words & lexicon.SOMEONE_WORDS and not words & lexicon.RESERVE_VERBS:
        return "?" in all_norms or norms[0] in lexicon.QUESTION_OPENERS
    return False


def _asks_own_booking(norms: list[str], words: set[str], all_norms: list[str]) -> bool:
    """ "Ai-je une réservation demain ?", "do I have a booking tomorrow?"."""
    if "?" not in all_norms:
        return False
    if not words & lexicon.BOOKING_NOUNS and not (
        words & lexicon.DESK_NOUNS and words.isdisjoint(lexicon.WISH_WORDS)
    ):  # "j'ai bien un bureau demain ?" asks too, "j'ai besoin d'un bureau ?" does not
        return False
    joined = " " + " ".join(norms) + " "
    return any(p in joined for p in lexicon.HAVE_I_PHRASES)


def _asks_if_booked(norms: list[str], all_norms: list[str]) -> bool:
    """ "est-ce que je suis inscrit jeudi ?", "suis-je réservé demain ?", "am I booked?"."""
    if "?" not in all_norms:
        return False
    joined = " " + " ".join(norms) + " "
    return any(p in joined for p in lexicon.AM_I_BOOKED_PHRASES)


# The listing phrases as text, padded with spaces, compared with the padded sentence.
_LIST_PHRASES = tuple(" " + " ".join(phrase) + " " for phrase in lexicon.LIST_PHRASES)
_LIST_PHRASE_ENDS = frozenset(phrase[-1] for phrase in lexicon.LIST_PHRASES)


def _lists(norms: list[str], words: set[str]) -> bool:
    targets = lexicon.LIST_TARGETS
    # "mes résas" lists them, but "je garde mon bureau jeudi" books it
    booking = words & lexicon.STRONG_RESERVE_VERBS
    for index, norm in enumerate([] if booking else norms):
        if norm in lexicon.MY_WORDS or norm in lexicon.UPCOMING_WORDS:
            if not lexicon.USUAL_WORDS.isdisjoint(norms[index + 1 : index + 4]):
                continue  # "mon bureau habituel à Lille mardi": that desk, booked
            if set(norms[index + 1 : index + 3]) & targets:
                return True
    if (
        words & lexicon.LIST_WORDS
        and (words & targets or len(norms) <= 2)
        and words.isdisjoint(lexicon.FREE_WORDS)  # "montre-moi les bureaux libres": free ones
    ):
        return True
    if words & lexicon.SCHEDULE_NOUNS and len(norms) <= 4:
        return True
    if _LIST_PHRASE_ENDS.isdisjoint(words):
        return False  # a phrase is there only if its last word is
    joined = " " + " ".join(norms) + " "
    return any(phrase in joined for phrase in _LIST_PHRASES)
