"""Error messages in both languages, and the `bureau-volant parse` command-line contract."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from bot.parsing import ParseError, parse
from tests.parsing.cases import CONTRACT_KEYS, SITES, SUN

KEYS = CONTRACT_KEYS


def _error(text: str) -> ParseError:
    error = parse(text, SUN, SITES).error
    assert error is not None, text
    return error


@pytest.mark.parametrize(
    ("text", "french", "english"),
    [
        (
            "réserve à Metz le 31 novembre",
            "« 31 novembre » n’est pas une date valide. De quel jour s’agit-il ?",
            "“31 novembre” is not a valid date. Which day did you mean?",
        ),
        (
            "réserve à Metz hier",
            "Le samedi 21 novembre 2026 est déjà passé. Quel jour vouliez-vous dire ?",
            "Saturday 21 November 2026 is already past. Which day did you mean?",
        ),
        (
            "réserve à Metz lundi 8 décembre",
            "« lundi 8 décembre » : le jour de la semaine ne correspond pas à la date "
            "(c’est le mardi 8 décembre 2026). Quelle date vouliez-vous dire ?",
            "“lundi 8 décembre”: the weekday does not match the date (the next one is "
            "Tuesday 8 December 2026). Which date did you mean?",
        ),
        (
            "réserve à Metz le 23 novembre 2027",
            "Le mardi 23 novembre 2027 est à plus d’un an : je ne peux rien prévoir au-delà du "
            "lundi 22 novembre 2027. Quel jour vouliez-vous dire ?",
            "Tuesday 23 November 2027 is more than a year away: I can only plan up to "
            "Monday 22 November 2027. Which day did you mean?",
        ),
        (
            "réserve à Paris mardi",
            "« Paris » peut désigner plusieurs sites : « Paris Balard » ou « Paris Bercy ». "
            "Lequel vouliez-vous dire ?",
            "“Paris” could be several sites: “Paris Balard” or “Paris Bercy”. "
            "Which one did you mean?",
        ),
        (
            "réserve à Marseille mardi",
            "Je ne connais pas le site « Marseille ». Vouliez-vous dire « Lille » ?",
            "I do not know the site “Marseille”. Did you mean “Lille”?",
        ),
        (
            "réserve à Tombouctou mardi",
            "Je ne connais pas le site « Tombouctou ». De quel site s’agit-il ?",
            "I do not know the site “Tombouctou”. Which site did you mean?",
        ),
        ("nomme @x:serveur responsable", "De quel site s’agit-il ?", "Which site do you mean?"),
        (
            "gloubi-boulga",
            "Désolé, je n’ai pas compris. Écrivez « aide » pour voir ce que je sais faire.",
            "Sorry, I did not understand. Write “help” to see what I can do.",
        ),
        (
            "réserve Metz lundi et Lille mardi",
            "Un site à la fois, s’il vous plaît : lequel voulez-vous dire, « Metz » "
            "ou « Lille » ? "
            "Pour plusieurs sites, envoyez un message par site.",
            "One site at a time, please: which one do you mean, “Metz” or “Lille”? For several "
            "sites, send one message per site.",
        ),
        (
            "réserve Metz lundi, mardi ou jeudi",
            "Lequel voulez-vous : « lundi », « mardi » ou « jeudi » ?",
            "Which one do you want: “lundi”, “mardi” or “jeudi”?",
        ),
        (
            "réserve Metz début décembre",
            "« début décembre » : de quels jours s’agit-il exactement ?",
            "“début décembre”: which days exactly do you mean?",
        ),
        (
            "réserve Metz pour Noël",
            "« Noël » : de quels jours s’agit-il exactement ?",
            "“Noël”: which days exactly do you mean?",
        ),
        (
            "réserve Metz une demi-journée demain",
            "Quelle demi-journée voulez-vous : le matin ou l’après-midi ?",
            "Which half-day do you mean: the morning or the afternoon?",
        ),
        (
            "annule demain et réserve jeudi",
            "Une demande à la fois, s’il vous plaît : envoyez chacune dans son propre "
            "message (une par demi-journée quand les jours diffèrent).",
            "One request at a time, please: send each one in its own message (one per half-day "
            "when the days differ).",
        ),
    ],
)
def test_error_messages_are_polite_sentences_in_both_languages(
    text: str, french: str, english: str
) -> None:
    error = _error(text)
    assert error.message("fr") == french
    assert error.message("en") == english


def test_error_params_name_what_was_written() -> None:
    error = _error("réserve à Metz le 31 novembre")
    assert error.code == "invalid_date"
    assert error.params == {"text": "31 novembre"}
    assert _error("réserve à Marseille mardi").params == {"name": "Marseille"}


def test_new_errors_name_what_was_written() -> None:
    choice = _error("réserve Metz mardi ou mercredi")
    assert (choice.code, choice.params, choice.suggestions) == (
        "ambiguous_date",
        {"text": "mardi ou mercredi"},
        ("mardi", "mercredi"),
    )
    sites = _error("Metz lundi et Lille mardi")
    assert (sites.code, sites.suggestions) == ("multiple_sites", ("Metz", "Lille"))
    assert _error("réserve Metz mi-décembre").params == {"text": "mi-décembre"}


def test_a_choice_is_read_whole_by_commands_that_only_show() -> None:
    """ "ou" asks before acting (reserve, cancel, status...), but who/free show both days."""
    who = parse("qui est à Metz mardi ou mercredi ?", SUN, SITES)
    assert who.error is None and len(who.dates) == 2


def test_cli_prints_the_exact_contract(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "parse",
            "--now",
            "2026-11-22T10:00",
            "--site",
            "Metz",
            "réserve un bureau à Metz mardi matin",
        ]
    )
    assert status == 0
    line = capsys.readouterr().out
    data = json.loads(line)
    assert list(data) == KEYS
    assert data == {
        "intent": "reserve",
        "site": "Metz",
        "desk": None,
        "dates": ["2026-11-24"],
        "slot": "am",
        "status": None,
        "count": None,
        "action": None,
        "time": None,
        "text": None,
        "error": None,
        "unknown": [],
        "person": None,
    }


def test_cli_sites_with_aliases_and_french_error_messages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(
        [
            "parse",
            "--now",
            "2026-11-22T10:00",
            "--site",
            "Paris Balard=Balard,Paris-Balard",
            "--site",
            "Metz",
            "réserve à balard le 31 novembre",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["site"] == "Paris Balard"
    assert data["error"] == {
        "code": "invalid_date",
        "message": "« 31 novembre » n’est pas une date valide. De quel jour s’agit-il ?",
        "suggestions": [],
    }


def test_cli_lang_sets_the_message_language(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "parse",
            "--now",
            "2026-11-22T10:00",
            "--site",
            "Metz",
            "--lang",
            "en",
            "book a desk in Paris tomorrow",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["error"]["code"] == "unknown_site"
    assert data["error"]["message"].startswith("I do not know the site “Paris”")
    assert data["error"]["suggestions"] == []


def test_cli_reads_one_text_per_line_from_stdin_in_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["qui est à Metz demain ?", "", "annonce : Café à 10h 🎉", "télétravail vendredi"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["parse", "--now", "2026-11-25T14:00+01:00", "--site", "Metz", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(lines)
    parsed = [json.loads(line) for line in out]
    assert [p["intent"] for p in parsed] == ["who", "unknown", "announce", "status"]
    assert parsed[0]["dates"] == ["2026-11-26"]
    assert parsed[2]["text"] == "Café à 10h 🎉"
    assert "🎉" in out[2]  # ensure_ascii is off
    assert parsed[3]["dates"] == ["2026-11-27"] and parsed[3]["status"] == "remote"


def test_cli_rejects_a_malformed_now() -> None:
    with pytest.raises(SystemExit):
        main(["parse", "--now", "mardi", "--site", "Metz", "demain"])
