"""Table-driven parser tests: phrasing -> the exact JSON of the command-line contract.

`now` is Sunday 22 November 2026 10:00 (SUN) or Wednesday 25 November 2026 14:00 (WED), Paris.
Calendar: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27, Sat 28 Nov; Tue 1, Thu 3, Fri 4, Mon 7,
Tue 8 Dec; Fri 1 Jan 2027.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.parsing import parse
from tests.parsing.cases import SITES, SUN, WED, comparable, days, expect

NOV_23_27 = days("23/11", "27/11")
NOV30_DEC4 = days("30/11", "4/12")
DEC = days("1/12", "31/12")

CASES: list[tuple[Any, str, dict[str, Any]]] = [
    # --- reserve: the many ways to say it --------------------------------------------------------
    (
        SUN,
        "réserve un bureau à Metz mardi matin",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "réserver un poste à Nantes demain",
        expect("reserve", site="Nantes", dates=["23/11"], slot="day"),
    ),
    (SUN, "résa Lille jeudi aprèm", expect("reserve", site="Lille", dates=["26/11"], slot="pm")),
    (
        SUN,
        "je voudrais un poste à Orléans mercredi",
        expect("reserve", site="Orléans", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "je serai à Orléans mercredi",
        expect("reserve", site="Orléans", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "bloque-moi un bureau à Metz vendredi",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "Bloque moi le bureau B-204 à Metz le 3 décembre",
        expect("reserve", site="Metz", desk="B-204", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "réserve le poste M-12 à Lille lundi après-midi",
        expect("reserve", site="Lille", desk="M-12", dates=["23/11"], slot="pm"),
    ),
    (
        SUN,
        "il me faut un bureau à Nantes demain matin",
        expect("reserve", site="Nantes", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "j'ai besoin d'une place à Metz mardi",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (SUN, "je viens à Metz mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (
        SUN,
        "je voudrais réserver à Metz jeudi",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "peux-tu me réserver un bureau à Lille demain ?",
        expect("reserve", site="Lille", dates=["23/11"], slot="day"),
    ),
    (SUN, "Metz mardi matin", expect("reserve", site="Metz", dates=["24/11"], slot="am")),
    (SUN, "demain aprèm à Nantes", expect("reserve", site="Nantes", dates=["23/11"], slot="pm")),
    (
        SUN,
        "je serai à Metz tous les mardis",
        expect(
            "reserve",
            site="Metz",
            slot="day",
            dates=["24/11", "1/12", "8/12", "15/12", "22/12", "29/12", "5/1/27", "12/1/27"],
        ),
    ),
    (
        SUN,
        "réserve le bureau 12 à Metz mardi",
        expect("reserve", site="Metz", desk="12", dates=["24/11"], slot="day"),
    ),
    (SUN, "réserve un bureau", expect("reserve", slot="day")),
    # --- dates: relative days --------------------------------------------------------------------
    (
        SUN,
        "réserve à Metz aujourd'hui",
        expect("reserve", site="Metz", dates=["22/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz aujourdhui",
        expect("reserve", site="Metz", dates=["22/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz après-demain",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz apres demain",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans 3 jours",
        expect("reserve", site="Metz", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans trois jours",
        expect("reserve", site="Metz", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans deux semaines",
        expect("reserve", site="Metz", dates=["6/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans 2 semaines",
        expect("reserve", site="Metz", dates=["6/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans une semaine",
        expect("reserve", site="Metz", dates=["29/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz dans quinze jours",
        expect("reserve", site="Metz", dates=["6/12"], slot="day"),
    ),
    # --- dates: weekdays -------------------------------------------------------------------------
    (SUN, "réserve à Metz mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "réserve à Metz ce mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (
        SUN,
        "réserve à Metz mardi prochain",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mardi en huit",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mercredi qui vient",
        expect("reserve", site="Metz", dates=["25/11"], slot="day"),
    ),
    (SUN, "réserve à Metz samedi", expect("reserve", site="Metz", dates=["28/11"], slot="day")),
    (
        SUN,
        "réserve à Metz ce dimanche",
        expect("reserve", site="Metz", dates=["22/11"], slot="day"),
    ),
    (SUN, "réserve à Metz dimanche", expect("reserve", site="Metz", dates=["29/11"], slot="day")),
    (SUN, "réserve à Metz lundi 30", expect("reserve", site="Metz", dates=["30/11"], slot="day")),
    (SUN, "réserve à Metz le lundi 7", expect("reserve", site="Metz", dates=["7/12"], slot="day")),
    (SUN, "réserve à Metz jeudi 26", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (
        SUN,
        "réserve à Metz vendredi 27 novembre",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le lundi 30 novembre",
        expect("reserve", site="Metz", dates=["30/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz lundi prochain matin",
        expect("reserve", site="Metz", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz le lundi 31",  # the next Monday 31st is in May: asked, not booked
        expect("reserve", site="Metz", slot="day", error="date_mismatch"),
    ),
    # --- dates: day numbers ----------------------------------------------------------------------
    (SUN, "réserve à Metz le 3", expect("reserve", site="Metz", dates=["3/12"], slot="day")),
    (
        SUN,
        "réserve à Metz le 3 décembre",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (SUN, "réserve à Metz le 3 déc.", expect("reserve", site="Metz", dates=["3/12"], slot="day")),
    (SUN, "réserve à Metz 3 déc", expect("reserve", site="Metz", dates=["3/12"], slot="day")),
    (SUN, "réserve à Metz le 3/12", expect("reserve", site="Metz", dates=["3/12"], slot="day")),
    (
        SUN,
        "réserve à Metz le 03/12/2026",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 3 déc. 2026",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 12/01/2027",
        expect("reserve", site="Metz", dates=["12/1/27"], slot="day"),
    ),
    (SUN, "réserve à Metz le 1er", expect("reserve", site="Metz", dates=["1/12"], slot="day")),
    (
        SUN,
        "réserve à Metz le 1er décembre",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le premier décembre",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 22 novembre",
        expect("reserve", site="Metz", dates=["22/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 5 janvier",
        expect("reserve", site="Metz", dates=["5/1/27"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 3 decmbre",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le premier lundi de décembre",
        expect("reserve", site="Metz", dates=["7/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 1er lundi de décembre",
        expect("reserve", site="Metz", dates=["7/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le dernier vendredi de décembre",
        expect("reserve", site="Metz", dates=["25/12"], slot="day"),
    ),
    # --- dates: ranges and lists -----------------------------------------------------------------
    (
        SUN,
        "réserve Metz du lundi au mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz entre lundi et mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz lundi-mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz du vendredi au lundi",
        expect("reserve", site="Metz", dates=["27/11", "30/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Lille de mardi à vendredi la semaine prochaine",
        expect("reserve", site="Lille", dates=["24/11", "25/11", "26/11", "27/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz du 28 décembre au 8 janvier",
        expect("reserve", site="Metz", dates=days("28/12", "8/1/27"), slot="day"),
    ),
    (
        SUN,
        "réserve à Metz du 30 novembre au 4 décembre",
        expect("reserve", site="Metz", dates=NOV30_DEC4, slot="day"),
    ),
    (
        SUN,
        "réserve à Metz du vendredi 4 au mardi 8 décembre",
        expect("reserve", site="Metz", dates=["4/12", "7/12", "8/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Nantes lundi et mardi",
        expect("reserve", site="Nantes", dates=["23/11", "24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz les 1er, 2 et 4 décembre",
        expect("reserve", site="Metz", dates=["1/12", "2/12", "4/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mardi, mercredi et vendredi",
        expect("reserve", site="Metz", dates=["24/11", "25/11", "27/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mardi et mercredi matin",
        expect("reserve", site="Metz", dates=["24/11", "25/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz à partir de lundi pour 3 jours",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz pour 3 jours à partir de lundi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz à partir de jeudi pour 3 jours",
        expect("reserve", site="Metz", dates=["26/11", "27/11", "30/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz jusqu'à mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    # --- dates: weeks ----------------------------------------------------------------------------
    (
        SUN,
        "réserve à Metz la semaine prochaine",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "réserve à Metz toute la semaine prochaine",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "réserve à Metz cette semaine",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "réserve à Metz la semaine du 7 décembre",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (
        SUN,
        "réserve à Metz la semaine 50",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (
        SUN,
        "réserve à Metz tous les jours la semaine prochaine",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    # --- dates: recurrences ----------------------------------------------------------------------
    (
        SUN,
        "réserve à Metz tous les mardis jusqu'au 15 décembre",
        expect("reserve", site="Metz", dates=["24/11", "1/12", "8/12", "15/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz chaque lundi en décembre",
        expect("reserve", site="Metz", dates=["7/12", "14/12", "21/12", "28/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz les lundis et jeudis de décembre",
        expect("reserve", site="Metz", dates=days("1/12", "31/12", (0, 3)), slot="day"),
    ),
    (
        SUN,
        "réserve à Metz tous les mardis",
        expect(
            "reserve",
            site="Metz",
            slot="day",
            dates=["24/11", "1/12", "8/12", "15/12", "22/12", "29/12", "5/1/27", "12/1/27"],
        ),
    ),
    (
        SUN,
        "réserve à Metz tous les mardis et jeudis jusqu'à fin décembre",
        expect("reserve", site="Metz", dates=days("23/11", "31/12", (1, 3)), slot="day"),
    ),
    (
        SUN,
        "réserve à Metz tous les jours jusqu'au 4 décembre",
        expect("reserve", site="Metz", dates=days("23/11", "4/12"), slot="day"),
    ),
    # --- parts of day ----------------------------------------------------------------------------
    (
        SUN,
        "réserve à Metz mardi de 9h à 12h",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz mardi 9h-12h",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz mardi de 14h à 18h",
        expect("reserve", site="Metz", dates=["24/11"], slot="pm"),
    ),
    (
        SUN,
        "réserve à Metz mardi de 9h à 17h",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mardi toute la journée",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz mardi en matinée",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz mardi au matin",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "réserve à Metz mardi après midi",
        expect("reserve", site="Metz", dates=["24/11"], slot="pm"),
    ),
    (
        SUN,
        "réserve à Metz mardi aprem",
        expect("reserve", site="Metz", dates=["24/11"], slot="pm"),
    ),
    (
        SUN,
        "réserve à Metz mardi l'aprèm",
        expect("reserve", site="Metz", dates=["24/11"], slot="pm"),
    ),
    (
        SUN,
        "réserve à Metz mardi matin et après-midi",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz demain dès 14h",
        expect("reserve", site="Metz", dates=["23/11"], slot="pm"),
    ),
    (
        SUN,
        "réserve à Metz demain jusqu'à midi",
        expect("reserve", site="Metz", dates=["23/11"], slot="am"),
    ),
    # --- sites -----------------------------------------------------------------------------------
    (
        SUN,
        "réserve à Paris Balard mardi",
        expect("reserve", site="Paris Balard", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Balard mardi",
        expect("reserve", site="Paris Balard", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à paris-balard mardi",
        expect("reserve", site="Paris Balard", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à st etienne mardi",
        expect("reserve", site="Saint-Étienne", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Saint Etienne mardi",
        expect("reserve", site="Saint-Étienne", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à orleans mardi",
        expect("reserve", site="Orléans", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "RÉSERVE À ORLÉANS MARDI",
        expect("reserve", site="Orléans", dates=["24/11"], slot="day"),
    ),
    (SUN, "réserve à Mets mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "réserve Mets mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (
        SUN,
        "réserve à Nantess mardi",
        expect("reserve", site="Nantes", dates=["24/11"], slot="day"),
    ),
    (SUN, "réserve à Lile mardi", expect("reserve", site="Lille", dates=["24/11"], slot="day")),
    (
        SUN,
        "réserve à Part-Dieu mardi",
        expect("reserve", site="Lyon Part-Dieu", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Lyon mardi",
        expect("reserve", site="Lyon Part-Dieu", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz Lizé mardi",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Paris mardi",
        expect(
            "reserve",
            dates=["24/11"],
            slot="day",
            error=("ambiguous_site", ["Paris Balard", "Paris Bercy"]),
        ),
    ),
    (
        SUN,
        "réserve à Marseille mardi",
        expect("reserve", dates=["24/11"], slot="day", error=("unknown_site", ["Lille"])),
    ),
    (
        SUN,
        "réserve à Tombouctou mardi",
        expect("reserve", dates=["24/11"], slot="day", error=("unknown_site", [])),
    ),
    # --- typos, caps, accents, emoji, politeness ------------------------------------------------
    (SUN, "réserve à Metz mardu", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "réserve à Metz demian", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    (
        SUN,
        "reserve a metz lundu matin",
        expect("reserve", site="Metz", dates=["23/11"], slot="am"),
    ),
    (SUN, "résrve à Metz jeudi", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (SUN, "réserve à Metz vendredu", expect("reserve", site="Metz", dates=["27/11"], slot="day")),
    (SUN, "réserve à Metz mecredi", expect("reserve", site="Metz", dates=["25/11"], slot="day")),
    (SUN, "réserve à Metz mardi matn", expect("reserve", site="Metz", dates=["24/11"], slot="am")),
    (
        SUN,
        "RESERVE A METZ MARDI MATIN",
        expect("reserve", site="Metz", dates=["24/11"], slot="am"),
    ),
    (
        SUN,
        "reserve un bureau a orleans apres-demain",
        expect("reserve", site="Orléans", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "🙏 réserve un bureau à Metz demain 😊",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "Réserve stp un bureau à Metz mardi, merci !",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "Bonjour, pourriez-vous me réserver un poste à Lille jeudi s'il vous plaît ?",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "merci de me réserver un poste à Nantes jeudi matin svp",
        expect("reserve", site="Nantes", dates=["26/11"], slot="am"),
    ),
    (SUN, "réserve’ à Metz demain", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    # --- cancel ----------------------------------------------------------------------------------
    (SUN, "annule ma résa de vendredi", expect("cancel", dates=["27/11"])),
    (SUN, "anule ma résa de vendredi", expect("cancel", dates=["27/11"])),
    (SUN, "annule ma réservation à Metz mardi", expect("cancel", site="Metz", dates=["24/11"])),
    (SUN, "supprime ma réservation de demain", expect("cancel", dates=["23/11"])),
    (SUN, "je ne viens plus vendredi", expect("cancel", dates=["27/11"])),
    (SUN, "je ne viendrai pas mardi", expect("cancel", dates=["24/11"])),
    (SUN, "je ne serai pas là jeudi", expect("cancel", dates=["26/11"])),
    (SUN, "finalement je ne viens pas demain", expect("cancel", dates=["23/11"])),
    (SUN, "je n'ai plus besoin de mon bureau mardi", expect("cancel", dates=["24/11"])),
    (SUN, "annule mardi matin", expect("cancel", dates=["24/11"], slot="am")),
    (SUN, "libère mon bureau de mercredi", expect("cancel", dates=["25/11"])),
    (SUN, "annule ma résa du bureau B-204 lundi", expect("cancel", desk="B-204", dates=["23/11"])),
    (SUN, "annule tout la semaine prochaine", expect("cancel", dates=NOV_23_27)),
    (SUN, "annule", expect("cancel")),
    # --- statuses and their cancellation ---------------------------------------------------------
    (SUN, "télétravail vendredi", expect("status", status="remote", dates=["27/11"], slot="day")),
    (
        SUN,
        "je suis en télétravail demain",
        expect("status", status="remote", dates=["23/11"], slot="day"),
    ),
    (SUN, "tt mardi", expect("status", status="remote", dates=["24/11"], slot="day")),
    (SUN, "télétravil vendredi", expect("status", status="remote", dates=["27/11"], slot="day")),
    (
        SUN,
        "je bosse de chez moi mercredi",
        expect("status", status="remote", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "je serai en télétravail mardi après-midi",
        expect("status", status="remote", dates=["24/11"], slot="pm"),
    ),
    (
        SUN,
        "télétravail tous les vendredis",
        expect(
            "status",
            status="remote",
            slot="day",
            dates=["27/11", "4/12", "11/12", "18/12", "25/12", "1/1/27", "8/1/27", "15/1/27"],
        ),
    ),
    (
        SUN,
        "en congé du 28 décembre au 8 janvier",
        expect("status", status="leave", dates=days("28/12", "8/1/27"), slot="day"),
    ),
    (SUN, "je suis en conge lundi", expect("status", status="leave", dates=["23/11"], slot="day")),
    (SUN, "absent lundi", expect("status", status="leave", dates=["23/11"], slot="day")),
    (
        SUN,
        "absente toute la semaine prochaine",
        expect("status", status="leave", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "congés la semaine du 21 décembre",
        expect("status", status="leave", dates=days("21/12", "25/12"), slot="day"),
    ),
    (SUN, "RTT lundi", expect("status", status="leave", dates=["23/11"], slot="day")),
    (SUN, "je suis malade demain", expect("status", status="leave", dates=["23/11"], slot="day")),
    (SUN, "en congé", expect("status", status="leave", slot="day")),
    (
        SUN,
        "en mission mardi et mercredi",
        expect("status", status="travel", dates=["24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "en déplacement jeudi matin",
        expect("status", status="travel", dates=["26/11"], slot="am"),
    ),
    (
        SUN,
        "je suis en formation vendredi",
        expect("status", status="travel", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "en mission à Toulouse jeudi",
        expect("status", status="travel", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "annule mon télétravail de vendredi",
        expect("cancel", status="remote", dates=["27/11"]),
    ),
    (
        SUN,
        "finalement je ne suis pas en congé lundi",
        expect("cancel", status="leave", dates=["23/11"]),
    ),
    (
        SUN,
        "je ne serai pas en télétravail jeudi",
        expect("cancel", status="remote", dates=["26/11"]),
    ),
    (SUN, "plus de télétravail vendredi", expect("cancel", status="remote", dates=["27/11"])),
    (
        SUN,
        "je ne suis plus en déplacement mercredi",
        expect("cancel", status="travel", dates=["25/11"]),
    ),
    (
        SUN,
        "je ne viens pas lundi, je suis en télétravail",
        expect("status", status="remote", dates=["23/11"], slot="day"),
    ),
    # --- who -------------------------------------------------------------------------------------
    (SUN, "qui est là demain ?", expect("who", dates=["23/11"])),
    (SUN, "qui est là ?", expect("who")),
    (SUN, "qui vient au bureau à Metz mardi", expect("who", site="Metz", dates=["24/11"])),
    (SUN, "qui est à Metz demain", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "qui sera à Lille la semaine prochaine ?", expect("who", site="Lille", dates=NOV_23_27)),
    (SUN, "qui est en télétravail demain ?", expect("who", dates=["23/11"])),
    (SUN, "liste des présents à Metz", expect("who", site="Metz")),
    (SUN, "qui vient jeudi ?", expect("who", dates=["26/11"])),
    (SUN, "y a qui à Nantes lundi ?", expect("who", site="Nantes", dates=["23/11"])),
    (SUN, "dis-moi qui est à Metz aujourd'hui", expect("who", site="Metz", dates=["22/11"])),
    (SUN, "qui est la demian a Metz", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "QUI EST À METZ MARDI", expect("who", site="Metz", dates=["24/11"])),
    # --- free ------------------------------------------------------------------------------------
    (
        SUN,
        "y a-t-il de la place à Nantes jeudi ?",
        expect("free", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "reste-t-il des places à Metz demain ?",
        expect("free", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "il reste des bureaux libres à Lille mardi ?",
        expect("free", site="Lille", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "des places dispo à Metz vendredi ?",
        expect("free", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "c'est complet à Nantes jeudi ?",
        expect("free", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "combien de places libres à Metz lundi matin",
        expect("free", site="Metz", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "est-ce qu'il y a de la place à Lille demain après-midi ?",
        expect("free", site="Lille", dates=["23/11"], slot="pm"),
    ),
    (
        SUN,
        "des bureaux disponibles à Metz la semaine prochaine ?",
        expect("free", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    # --- list ------------------------------------------------------------------------------------
    (SUN, "mes réservations", expect("list")),
    (SUN, "mes résas de la semaine prochaine", expect("list", dates=NOV_23_27)),
    (SUN, "où suis-je la semaine prochaine ?", expect("list", dates=NOV_23_27)),
    (SUN, "liste mes réservations", expect("list")),
    (SUN, "qu'est-ce que j'ai réservé ?", expect("list")),
    (SUN, "mon planning", expect("list")),
    (SUN, "mes bureaux de décembre", expect("list", dates=DEC)),
    (SUN, "mes prochaines réservations", expect("list")),
    # --- open / close ----------------------------------------------------------------------------
    (
        SUN,
        "ouvre 10 places à Metz à partir de lundi",
        expect("open", site="Metz", count=10, dates=["23/11"]),
    ),
    (
        SUN,
        "ouvre les bureaux B-201, B-202 et B-203 à Lille",
        expect("open", site="Lille", desk="B-201, B-202, B-203"),
    ),
    (SUN, "ajoute 5 postes à Nantes", expect("open", site="Nantes", count=5)),
    (
        SUN,
        "ouvre dix places à Orléans le 1er décembre",
        expect("open", site="Orléans", count=10, dates=["1/12"]),
    ),
    (SUN, "ouvre le site de Metz", expect("open", site="Metz")),
    (
        SUN,
        "ouvre 4 places à Metz du 1er au 4 décembre",
        expect("open", site="Metz", count=4, dates=["1/12"]),
    ),
    (SUN, "ferme Metz le 24 décembre", expect("close", site="Metz", dates=["24/12"])),
    (SUN, "fermeture du site de Lille vendredi", expect("close", site="Lille", dates=["27/11"])),
    (
        SUN,
        "ferme Nantes du 24 au 31 décembre",
        expect("close", site="Nantes", dates=days("24/12", "31/12")),
    ),
    (SUN, "le site de Metz sera fermé lundi", expect("close", site="Metz", dates=["23/11"])),
    (SUN, "Metz est fermé demain ?", expect("free", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "is Metz closed on Friday?", expect("free", site="Metz", dates=["27/11"], slot="day")),
    (
        SUN,
        "ferme Paris lundi",
        expect(
            "close", dates=["23/11"], error=("ambiguous_site", ["Paris Balard", "Paris Bercy"])
        ),
    ),
    # --- announce --------------------------------------------------------------------------------
    (
        SUN,
        "annonce : Le parking de Metz sera fermé lundi !",
        expect("announce", text="Le parking de Metz sera fermé lundi !"),
    ),
    (
        SUN,
        "annonce à Metz : pot de départ vendredi à 16h",
        expect("announce", site="Metz", text="pot de départ vendredi à 16h"),
    ),
    (
        SUN,
        "Annonce pour Lille : la cantine est fermée",
        expect("announce", site="Lille", text="la cantine est fermée"),
    ),
    (SUN, "annonce:   Réunion générale  ", expect("announce", text="Réunion générale")),
    (
        SUN,
        "annonce le parking est fermé demain",
        expect("announce", text="le parking est fermé demain"),
    ),
    (
        SUN,
        "ANNONCE : Journée Portes Ouvertes à Marseille 🎉",
        expect("announce", text="Journée Portes Ouvertes à Marseille 🎉"),
    ),
    # --- digest ----------------------------------------------------------------------------------
    (SUN, "récap", expect("digest", action="preview")),
    (SUN, "recap", expect("digest", action="preview")),
    (SUN, "récap de demain", expect("digest", action="preview", dates=["23/11"])),
    (
        SUN,
        "récap de Metz demain",
        expect("digest", action="preview", site="Metz", dates=["23/11"]),
    ),
    (SUN, "récap de la semaine prochaine", expect("digest", action="preview", dates=NOV_23_27)),
    (SUN, "récap quotidien ici à 8h30", expect("digest", action="subscribe", time="08:30")),
    (
        SUN,
        "envoie le récap ici tous les jours à 9h",
        expect("digest", action="subscribe", time="09:00"),
    ),
    (SUN, "abonne ce salon au récap à 8h", expect("digest", action="subscribe", time="08:00")),
    (SUN, "récap chaque matin à 7h45", expect("digest", action="subscribe", time="07:45")),
    (SUN, "récap quotidien ici", expect("digest", action="subscribe")),
    (SUN, "arrête le récap", expect("digest", action="unsubscribe")),
    (SUN, "plus de récap", expect("digest", action="unsubscribe")),
    (SUN, "désactive le récap quotidien", expect("digest", action="unsubscribe")),
    # --- default site ----------------------------------------------------------------------------
    (SUN, "mon site c'est Metz", expect("set_site", site="Metz")),
    (SUN, "mon site par défaut est Nantes", expect("set_site", site="Nantes")),
    (SUN, "je travaille à Lille d'habitude", expect("set_site", site="Lille")),
    (SUN, "mon site : Orléans", expect("set_site", site="Orléans")),
    (SUN, "d'habitude je suis à Metz", expect("set_site", site="Metz")),
    (SUN, "mon site c'est Tombouctou", expect("set_site", error=("unknown_site", []))),
    (SUN, "mon site par défaut", expect("set_site", error="missing_site")),
    # --- language --------------------------------------------------------------------------------
    (SUN, "parle-moi en anglais", expect("set_locale", text="en")),
    (SUN, "en anglais stp", expect("set_locale", text="en")),
    (SUN, "réponds en français", expect("set_locale", text="fr")),
    (SUN, "anglais", expect("set_locale", text="en")),
    # --- confirm / deny --------------------------------------------------------------------------
    (SUN, "oui", expect("confirm")),
    (SUN, "ok", expect("confirm")),
    (SUN, "OK merci", expect("confirm")),
    (SUN, "vas-y", expect("confirm")),
    (SUN, "confirme", expect("confirm")),
    (SUN, "je confirme", expect("confirm")),
    (SUN, "oui stp", expect("confirm")),
    (SUN, "d'accord", expect("confirm")),
    (SUN, "c'est bon", expect("confirm")),
    (SUN, "👍", expect("confirm")),
    (SUN, "non", expect("deny")),
    (SUN, "laisse tomber", expect("deny")),
    (SUN, "non merci", expect("deny")),
    (SUN, "pas la peine", expect("deny")),
    (SUN, "👎", expect("deny")),
    # --- follow / unfollow / appoint -------------------------------------------------------------
    (SUN, "suis le site de Metz", expect("follow", site="Metz")),
    (SUN, "suivre Nantes", expect("follow", site="Nantes")),
    (SUN, "abonne ce salon au site de Metz", expect("follow", site="Metz")),
    (SUN, "ne suis plus le site de Metz", expect("unfollow", site="Metz")),
    (SUN, "arrête de suivre Lille", expect("unfollow", site="Lille")),
    (SUN, "désabonne ce salon de Metz", expect("unfollow", site="Metz")),
    (
        SUN,
        "nomme @jeanne.martin:agent.interieur.tchap.gouv.fr responsable de Metz",
        expect("appoint", site="Metz", text="@jeanne.martin:agent.interieur.tchap.gouv.fr"),
    ),
    (
        SUN,
        "désigne @paul:tchap.gouv.fr gestionnaire du site de Lille",
        expect("appoint", site="Lille", text="@paul:tchap.gouv.fr"),
    ),
    (
        SUN,
        "nomme @x:serveur responsable",
        expect("appoint", text="@x:serveur", error="missing_site"),
    ),
    # --- help / unknown --------------------------------------------------------------------------
    (SUN, "aide", expect("help")),
    (SUN, "help", expect("help")),
    (SUN, "?", expect("help")),
    (SUN, "comment ça marche ?", expect("help")),
    (SUN, "que sais-tu faire ?", expect("help")),
    (SUN, "j'ai besoin d'aide", expect("help")),
    (SUN, "", expect("unknown", error="not_understood")),
    (SUN, "bla bla", expect("unknown", error="not_understood")),
    (SUN, "quel temps fait-il ?", expect("unknown", error="not_understood")),
    (SUN, "merci", expect("unknown", error="not_understood")),
    # --- impossible dates: errors that ask ------------------------------------------------------
    (
        SUN,
        "réserve à Metz le 31 novembre",
        expect("reserve", site="Metz", slot="day", error="invalid_date"),
    ),
    (
        SUN,
        "réserve à Metz le 30 février",
        expect("reserve", site="Metz", slot="day", error="invalid_date"),
    ),
    (
        SUN,
        "réserve à Metz le 29/02/2027",
        expect("reserve", site="Metz", slot="day", error="invalid_date"),
    ),
    (SUN, "réserve à Metz hier", expect("reserve", site="Metz", slot="day", error="past_date")),
    (
        SUN,
        "réserve à Metz avant-hier",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (
        SUN,
        "réserve à Metz lundi dernier",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (
        SUN,
        "réserve à Metz le 20 novembre",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (
        SUN,
        "réserve à Metz le 20/11/2026",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (
        SUN,
        "réserve à Metz lundi 8 décembre",
        expect("reserve", site="Metz", slot="day", error="date_mismatch"),
    ),
    (
        SUN,
        "réserve à Metz mardi 3 décembre 2026",
        expect("reserve", site="Metz", slot="day", error="date_mismatch"),
    ),
    (
        SUN,
        "réserve à Metz le 23 novembre 2027",
        expect("reserve", site="Metz", slot="day", error="beyond_horizon"),
    ),
    (
        SUN,
        "réserve à Metz du 8 au 4 décembre",
        expect("reserve", site="Metz", slot="day", error="bad_range"),
    ),
    (SUN, "annule ma résa du 31 novembre", expect("cancel", error="invalid_date")),
    # --- more real phrasings ------------------------------------------------------------------
    (
        SUN,
        "Salut ! Tu peux me garder une place à Nantes pour jeudi ?",
        expect("reserve", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "est-ce qu'il reste un poste à Metz vendredi après-midi ?",
        expect("free", site="Metz", dates=["27/11"], slot="pm"),
    ),
    (
        SUN,
        "any desks left in Lille on Monday?",
        expect("free", site="Lille", dates=["23/11"], slot="day"),
    ),
    (SUN, "quelqu'un à Metz demain ?", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "je pose mon vendredi", expect("status", status="leave", dates=["27/11"], slot="day")),
    (
        SUN,
        "je serai en congé la semaine du 21",
        expect("status", status="leave", dates=days("21/12", "25/12"), slot="day"),
    ),
    (
        SUN,
        "en télétravail les lundis et vendredis",
        expect("status", status="remote", dates=days("22/11", "16/1/27", (0, 4)), slot="day"),
    ),
    (
        SUN,
        "tt tous les mercredis jusqu'à fin janvier",
        expect("status", status="remote", dates=days("22/11", "31/1/27", (2,)), slot="day"),
    ),
    (
        SUN,
        "I'm out of office tomorrow",
        expect("status", status="leave", dates=["23/11"], slot="day"),
    ),
    (SUN, "qu'est-ce que j'ai de prévu cette semaine ?", expect("list", dates=NOV_23_27)),
    (SUN, "récap de la semaine", expect("digest", action="preview", dates=NOV_23_27)),
    (
        SUN,
        "envoie-moi le récap tous les matins à 9h",
        expect("digest", action="subscribe", time="09:00"),
    ),
    (SUN, "ne m'envoie plus le récap", expect("digest", action="unsubscribe")),
    (
        SUN,
        "je suis à Metz la semaine prochaine sauf mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "26/11", "27/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz du lundi au vendredi sauf mercredi",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "26/11", "27/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz tous les lundis sauf le 21 décembre",
        expect(
            "reserve",
            site="Metz",
            slot="day",
            dates=["23/11", "30/11", "7/12", "14/12", "28/12", "4/1/27", "11/1/27"],
        ),
    ),
    (
        SUN,
        "réserve à Metz dans un mois",
        expect("reserve", site="Metz", dates=["22/12"], slot="day"),
    ),
    (
        SUN,
        "réservation Metz 3-5 décembre",
        expect("reserve", site="Metz", dates=["3/12", "4/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz 3 et 4 décembre",
        expect("reserve", site="Metz", dates=["3/12", "4/12"], slot="day"),
    ),
    (
        SUN,
        "réserve à Metz le 7.12.2026",
        expect("reserve", site="Metz", dates=["7/12"], slot="day"),
    ),
    (SUN, "réserve à Metz 2026-12-07", expect("reserve", site="Metz", dates=["7/12"], slot="day")),
    (SUN, "pas là demain", expect("cancel", dates=["23/11"])),
    (SUN, "I can't make it tomorrow", expect("cancel", dates=["23/11"])),
    (
        SUN,
        "Metz sera fermé du 24 au 26 décembre",
        expect("close", site="Metz", dates=["24/12", "25/12"]),
    ),
    (
        SUN,
        "ouvre 3 bureaux supplémentaires à Metz lundi",
        expect("open", site="Metz", count=3, dates=["23/11"]),
    ),
    (SUN, "set my default site to Nantes", expect("set_site", site="Nantes")),
    (SUN, "switch to English", expect("set_locale", text="en")),
    (SUN, "who's working from home today?", expect("who", dates=["22/11"])),
    (
        SUN,
        "book Metz Dec 7-11",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (
        SUN,
        "I'll be in Lille Monday through Wednesday",
        expect("reserve", site="Lille", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (SUN, "Ai-je une réservation demain ?", expect("list", dates=["23/11"])),
    (SUN, "do I have a booking tomorrow?", expect("list", dates=["23/11"])),
    (SUN, "combien de personnes à Metz demain ?", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "réserve à Metz le 3 à 14h", expect("reserve", site="Metz", dates=["3/12"], slot="pm")),
    (
        SUN,
        "réserve à Metz mardi à 9h",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    # --- Wednesday: relative rules move with today -------------------------------------------
    (WED, "réserve à Metz mardi", expect("reserve", site="Metz", dates=["1/12"], slot="day")),
    (WED, "réserve à Metz mercredi", expect("reserve", site="Metz", dates=["2/12"], slot="day")),
    (
        WED,
        "réserve à Metz ce mercredi",
        expect("reserve", site="Metz", dates=["25/11"], slot="day"),
    ),
    (WED, "réserve à Metz ce lundi", expect("reserve", site="Metz", dates=["30/11"], slot="day")),
    (
        WED,
        "réserve à Metz mercredi prochain",
        expect("reserve", site="Metz", dates=["2/12"], slot="day"),
    ),
    (WED, "réserve à Metz demain", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (
        WED,
        "réserve à Metz aujourd'hui",
        expect("reserve", site="Metz", dates=["25/11"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz cet après-midi",
        expect("reserve", site="Metz", dates=["25/11"], slot="pm"),
    ),
    (
        WED,
        "réserve à Metz après-demain",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz dans 3 jours",
        expect("reserve", site="Metz", dates=["28/11"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz la semaine prochaine",
        expect("reserve", site="Metz", dates=NOV30_DEC4, slot="day"),
    ),
    (
        WED,
        "réserve à Metz cette semaine",
        expect("reserve", site="Metz", dates=["25/11", "26/11", "27/11"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz mardi en huit",
        expect("reserve", site="Metz", dates=["8/12"], slot="day"),
    ),
    (WED, "réserve à Metz le 25", expect("reserve", site="Metz", dates=["25/11"], slot="day")),
    (WED, "réserve à Metz le 24", expect("reserve", site="Metz", dates=["24/12"], slot="day")),
    (WED, "réserve à Metz lundi 30", expect("reserve", site="Metz", dates=["30/11"], slot="day")),
    (
        WED,
        "réserve à Metz du lundi au mercredi",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "2/12"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz tous les mardis",
        expect(
            "reserve",
            site="Metz",
            slot="day",
            dates=["1/12", "8/12", "15/12", "22/12", "29/12", "5/1/27", "12/1/27", "19/1/27"],
        ),
    ),
    (
        WED,
        "réserve à Metz jusqu'à vendredi",
        expect("reserve", site="Metz", dates=["25/11", "26/11", "27/11"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz tous les jours jusqu'au 4 décembre",
        expect("reserve", site="Metz", dates=days("25/11", "4/12"), slot="day"),
    ),
    (
        WED,
        "réserve à Metz à partir de vendredi pour 3 jours",
        expect("reserve", site="Metz", dates=["27/11", "30/11", "1/12"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz le premier lundi de décembre",
        expect("reserve", site="Metz", dates=["7/12"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz la semaine 50",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (
        WED,
        "réserve à Metz le 3 janvier",
        expect("reserve", site="Metz", dates=["3/1/27"], slot="day"),
    ),
    (
        WED,
        "réserve à Metz mardi 24 novembre",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (WED, "qui est là demain ?", expect("who", dates=["26/11"])),
    (
        WED,
        "télétravail jeudi et vendredi",
        expect("status", status="remote", dates=["26/11", "27/11"], slot="day"),
    ),
    (WED, "annule ma résa de lundi", expect("cancel", dates=["30/11"])),
    (
        WED,
        "y a-t-il de la place à Metz demain ?",
        expect("free", site="Metz", dates=["26/11"], slot="day"),
    ),
    (WED, "récap", expect("digest", action="preview")),
    (WED, "récap de demain", expect("digest", action="preview", dates=["26/11"])),
    (WED, "ferme Metz vendredi", expect("close", site="Metz", dates=["27/11"])),
    (WED, "mes réservations de la semaine prochaine", expect("list", dates=NOV30_DEC4)),
    # --- English ---------------------------------------------------------------------------------
    (
        SUN,
        "book a desk in Metz on Tuesday",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Lille tomorrow morning",
        expect("reserve", site="Lille", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "I'll be in Nantes on Thursday",
        expect("reserve", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "I need a desk in Metz next Tuesday",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "reserve a seat in Orleans from Monday to Wednesday",
        expect("reserve", site="Orléans", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "book Metz every Tuesday until December 15",
        expect("reserve", site="Metz", dates=["24/11", "1/12", "8/12", "15/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz every Monday in December",
        expect("reserve", site="Metz", dates=["7/12", "14/12", "21/12", "28/12"], slot="day"),
    ),
    (
        SUN,
        "book Lille Mondays and Thursdays in December",
        expect("reserve", site="Lille", dates=days("1/12", "31/12", (0, 3)), slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz on the 3rd",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz on December 3",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz on Dec 3rd, 2026",
        expect("reserve", site="Metz", dates=["3/12"], slot="day"),
    ),
    (
        SUN,
        "book Metz the first Monday of December",
        expect("reserve", site="Metz", dates=["7/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz in two weeks",
        expect("reserve", site="Metz", dates=["6/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz the day after tomorrow",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz this Tuesday",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz on Tuesday December 8",
        expect("reserve", site="Metz", dates=["8/12"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz next week",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz the week of December 7",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz Monday to Friday next week",
        expect("reserve", site="Metz", dates=NOV_23_27, slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz for 3 days starting Monday",
        expect("reserve", site="Metz", dates=["23/11", "24/11", "25/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz from 9am to 12pm on Monday",
        expect("reserve", site="Metz", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "book a desk in Metz Monday 2pm-6pm",
        expect("reserve", site="Metz", dates=["23/11"], slot="pm"),
    ),
    (
        SUN,
        "book a desk in Metz tomorow",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Metz on tusday",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "BOOK A DESK IN METZ ON FRIDAY 🙂",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "book a desk in Marseille tomorrow",
        expect("reserve", dates=["23/11"], slot="day", error=("unknown_site", ["Lille"])),
    ),
    (
        SUN,
        "book a desk in Metz yesterday",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (SUN, "cancel my booking on Friday", expect("cancel", dates=["27/11"])),
    (SUN, "I won't come on Friday", expect("cancel", dates=["27/11"])),
    (
        SUN,
        "cancel my desk in Metz tomorrow afternoon",
        expect("cancel", site="Metz", dates=["23/11"], slot="pm"),
    ),
    (SUN, "who is in Metz tomorrow?", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "who's in tomorrow?", expect("who", dates=["23/11"])),
    (SUN, "who is coming to Lille next week?", expect("who", site="Lille", dates=NOV_23_27)),
    (SUN, "who is on leave tomorrow?", expect("who", dates=["23/11"])),
    (
        SUN,
        "any free desk in Metz on Tuesday?",
        expect("free", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "is there room in Nantes on Monday?",
        expect("free", site="Nantes", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "working from home on Friday",
        expect("status", status="remote", dates=["27/11"], slot="day"),
    ),
    (SUN, "wfh tomorrow", expect("status", status="remote", dates=["23/11"], slot="day")),
    (SUN, "on leave next week", expect("status", status="leave", dates=NOV_23_27, slot="day")),
    (
        SUN,
        "I'm on holiday from December 21 to January 1",
        expect("status", status="leave", dates=days("21/12", "1/1/27"), slot="day"),
    ),
    (
        SUN,
        "business trip on Wednesday",
        expect("status", status="travel", dates=["25/11"], slot="day"),
    ),
    (
        SUN,
        "I'm travelling on Thursday",
        expect("status", status="travel", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "I'm not working from home on Friday after all",
        expect("cancel", status="remote", dates=["27/11"]),
    ),
    (SUN, "my bookings", expect("list")),
    (SUN, "my bookings next week", expect("list", dates=NOV_23_27)),
    (SUN, "what did I book?", expect("list")),
    (SUN, "speak French", expect("set_locale", text="fr")),
    (SUN, "in English please", expect("set_locale", text="en")),
    (SUN, "my site is Metz", expect("set_site", site="Metz")),
    (SUN, "I usually work in Lille", expect("set_site", site="Lille")),
    (SUN, "follow Metz", expect("follow", site="Metz")),
    (SUN, "unfollow Metz", expect("unfollow", site="Metz")),
    (SUN, "stop following Nantes", expect("unfollow", site="Nantes")),
    (
        SUN,
        "appoint @bob:example.org as manager of Lille",
        expect("appoint", site="Lille", text="@bob:example.org"),
    ),
    (
        SUN,
        "announce: The Metz cafeteria is closed on Friday",
        expect("announce", text="The Metz cafeteria is closed on Friday"),
    ),
    (SUN, "daily digest here at 8:30", expect("digest", action="subscribe", time="08:30")),
    (SUN, "daily digest here at 8am", expect("digest", action="subscribe", time="08:00")),
    (SUN, "stop the digest", expect("digest", action="unsubscribe")),
    (SUN, "digest for tomorrow", expect("digest", action="preview", dates=["23/11"])),
    (
        SUN,
        "open 5 desks in Nantes from December 1",
        expect("open", site="Nantes", count=5, dates=["1/12"]),
    ),
    (SUN, "close Metz on Friday", expect("close", site="Metz", dates=["27/11"])),
    (SUN, "what can you do?", expect("help")),
    (SUN, "yes", expect("confirm")),
    (SUN, "yes please", expect("confirm")),
    (SUN, "sure", expect("confirm")),
    (SUN, "no", expect("deny")),
    (SUN, "no thanks", expect("deny")),
    (SUN, "never mind", expect("deny")),
    # ===== Messenger phrasings (review of issue 3): what agents really type ======================
    # A bare date is a booking only when the rest of the sentence is about it too; several sites,
    # "ou", vague periods and two requests in one message are asked about, never guessed.
    # --- known failures from the review: no verb, site at the end --------------------------------
    (
        SUN,
        "du vendredi 4 au mardi 8 décembre à Nantes",
        expect("reserve", site="Nantes", dates=["4/12", "7/12", "8/12"], slot="day"),
    ),
    (
        SUN,
        "tous les mardis et jeudis à Lille jusqu'à fin décembre",
        expect(
            "reserve",
            site="Lille",
            dates=[
                "24/11",
                "26/11",
                "1/12",
                "3/12",
                "8/12",
                "10/12",
                "15/12",
                "17/12",
                "22/12",
                "24/12",
                "29/12",
                "31/12",
            ],
            slot="day",
        ),
    ),
    # --- a date inside an unrelated sentence is not a booking ------------------------------------
    (SUN, "quel temps fera-t-il demain ?", expect("unknown", error="not_understood")),
    (SUN, "on mange ensemble demain ?", expect("unknown", error="not_understood")),
    (SUN, "tu viens demain ?", expect("unknown", error="not_understood")),
    (SUN, "c'est l'anniversaire de Julie demain", expect("unknown", error="not_understood")),
    (SUN, "rdv medecin demain matin", expect("unknown", error="not_understood")),
    (SUN, "la réunion de demain est annulée", expect("unknown", error="not_understood")),
    (SUN, "réunion sur Teams demain", expect("unknown", error="not_understood")),
    (SUN, "réunion d'équipe jeudi à 10h", expect("unknown", error="not_understood")),
    (SUN, "pot de départ vendredi à Metz", expect("unknown", error="not_understood")),
    (SUN, "il fait beau aujourd'hui", expect("unknown", error="not_understood")),
    (SUN, "je serai en retard demain", expect("unknown", error="not_understood")),
    (SUN, "mon manager sera à Metz demain", expect("unknown", error="not_understood")),
    (SUN, "Pierre sera à Metz mardi", expect("unknown", error="not_understood")),
    (SUN, "see you in Metz tomorrow", expect("unknown", error="not_understood")),
    (SUN, "le parking est fermé demain", expect("unknown", error="not_understood")),
    (SUN, "la cantine est fermée demain ?", expect("unknown", error="not_understood")),
    (SUN, "bon weekend !", expect("unknown", error="not_understood")),
    (SUN, "joyeux noël", expect("unknown", error="not_understood")),
    # --- ...but a date with little else still is -------------------------------------------------
    (SUN, "Metz mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "demain à Nantes", expect("reserve", site="Nantes", dates=["23/11"], slot="day")),
    (SUN, "et demain ?", expect("free", dates=["23/11"], slot="day")),  # a question
    (SUN, "pareil demain", expect("reserve", dates=["23/11"], slot="day")),
    (SUN, "idem mardi", expect("reserve", dates=["24/11"], slot="day")),
    (SUN, "la même chose jeudi", expect("reserve", dates=["26/11"], slot="day")),
    (SUN, "comme d'hab demain", expect("reserve", dates=["23/11"], slot="day")),
    (
        SUN,
        "Metz demain pour la réunion",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "demain pour une réunion à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (SUN, "Metz jeudi avec Paul", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (
        SUN,
        "metz demain c'est possible ?",  # a question: it never books
        expect("free", site="Metz", dates=["23/11"], slot="day"),
    ),
    (SUN, "moi aussi demain", expect("reserve", dates=["23/11"], slot="day")),
    (SUN, "au boulot demain", expect("reserve", dates=["23/11"], slot="day")),
    (SUN, "je viens travailler demain", expect("reserve", dates=["23/11"], slot="day")),
    (SUN, "présent demain matin seulement", expect("reserve", dates=["23/11"], slot="am")),
    (SUN, "note moi a metz demain", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    # --- several sites ---------------------------------------------------------------------------
    (
        SUN,
        "Metz lundi et Lille mardi",
        expect(
            "reserve",
            dates=["23/11", "24/11"],
            slot="day",
            error=("multiple_sites", ["Metz", "Lille"]),
        ),
    ),
    (
        SUN,
        "réserve Metz lundi et Lille mardi",
        expect(
            "reserve",
            dates=["23/11", "24/11"],
            slot="day",
            error=("multiple_sites", ["Metz", "Lille"]),
        ),
    ),
    (
        SUN,
        "qui est à Metz ou à Lille demain ?",
        expect("who", dates=["23/11"], error=("multiple_sites", ["Metz", "Lille"])),
    ),
    (
        SUN,
        "I'll be in Lille on Monday and in Metz on Tuesday",
        expect(
            "reserve",
            dates=["23/11", "24/11"],
            slot="day",
            error=("multiple_sites", ["Lille", "Metz"]),
        ),
    ),
    (
        SUN,
        "je serai à Lille mardi, pas à Metz",
        expect("reserve", site="Lille", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "je serai à Lille mardi au lieu de Metz",
        expect("reserve", site="Lille", dates=["24/11"], slot="day"),
    ),
    (SUN, "je ne viens pas à Metz demain", expect("cancel", site="Metz", dates=["23/11"])),
    # --- unknown words after au / sur ------------------------------------------------------------
    (
        SUN,
        "réserve au calme demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (SUN, "réserve un bureau au calme demain", expect("reserve", dates=["23/11"], slot="day")),
    (
        SUN,
        "réserve un bureau au fond demain à Lille",
        expect("reserve", site="Lille", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "réserve à côté de Paul demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "réserve au 2e étage demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (SUN, "réserve au 3ème demain", expect("reserve", dates=["23/11"], slot="day")),
    (
        SUN,
        "réserve au Mans demain",
        expect(
            "reserve", dates=["23/11"], slot="day", error=("unknown_site", ["Orléans", "Nantes"])
        ),
    ),
    (SUN, "réserve sur metz demain", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    (
        SUN,
        "réserve dans l'open space demain à Metz",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    # --- choices ---------------------------------------------------------------------------------
    (
        SUN,
        "mardi ou mercredi",
        expect("reserve", slot="day", error=("ambiguous_date", ["mardi", "mercredi"])),
    ),
    (
        SUN,
        "réserve Metz mardi ou mercredi",
        expect(
            "reserve", site="Metz", slot="day", error=("ambiguous_date", ["mardi", "mercredi"])
        ),
    ),
    (
        SUN,
        "Metz mardi ou mercredi, peu importe",
        expect(
            "reserve", site="Metz", slot="day", error=("ambiguous_date", ["mardi", "mercredi"])
        ),
    ),
    (
        SUN,
        "réserve Metz lundi, mardi ou jeudi",
        expect(
            "reserve",
            site="Metz",
            slot="day",
            error=("ambiguous_date", ["lundi", "mardi", "jeudi"]),
        ),
    ),
    (
        SUN,
        "télétravail lundi ou mardi",
        expect(
            "status", slot="day", status="remote", error=("ambiguous_date", ["lundi", "mardi"])
        ),
    ),
    (SUN, "annule lundi ou mardi", expect("cancel", error=("ambiguous_date", ["lundi", "mardi"]))),
    (
        SUN,
        "book Metz on Monday or Tuesday",
        expect(
            "reserve", site="Metz", slot="day", error=("ambiguous_date", ["Monday", "Tuesday"])
        ),
    ),
    (
        SUN,
        "qui est à Metz mardi ou mercredi ?",
        expect("who", site="Metz", dates=["24/11", "25/11"]),
    ),
    (
        SUN,
        "y a de la place à Lille lundi ou mardi ?",
        expect("free", site="Lille", dates=["23/11", "24/11"], slot="day"),
    ),
    # --- week-ends, parts of weeks, vague periods ------------------------------------------------
    (SUN, "ce week-end", expect("reserve", dates=["22/11"], slot="day")),
    (SUN, "réserve Metz ce week-end", expect("reserve", site="Metz", dates=["22/11"], slot="day")),
    (
        SUN,
        "réserve Metz le week-end prochain",
        expect("reserve", site="Metz", dates=["28/11", "29/11"], slot="day"),
    ),
    (
        WED,
        "réserve Metz ce week-end",
        expect("reserve", site="Metz", dates=["28/11", "29/11"], slot="day"),
    ),
    (
        WED,
        "réserve Metz le week-end prochain",
        expect("reserve", site="Metz", dates=["28/11", "29/11"], slot="day"),
    ),
    (SUN, "book Metz this weekend", expect("reserve", site="Metz", dates=["22/11"], slot="day")),
    (
        WED,
        "tous les week-ends à Metz",
        expect(
            "reserve",
            site="Metz",
            dates=[
                "28/11",
                "29/11",
                "5/12",
                "6/12",
                "12/12",
                "13/12",
                "19/12",
                "20/12",
                "26/12",
                "27/12",
                "2/1/27",
                "3/1/27",
                "9/1/27",
                "10/1/27",
                "16/1/27",
                "17/1/27",
            ],
            slot="day",
        ),
    ),
    (
        SUN,
        "réserve Metz en début de semaine prochaine",
        expect("reserve", site="Metz", dates=["23/11", "24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve Metz en début de semaine",
        expect("reserve", site="Metz", dates=["23/11", "24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve Metz en fin de semaine",
        expect("reserve", site="Metz", dates=["26/11", "27/11"], slot="day"),
    ),
    (
        WED,
        "réserve Metz fin de semaine prochaine",
        expect("reserve", site="Metz", dates=["3/12", "4/12"], slot="day"),
    ),
    (
        WED,
        "réserve Metz en début de semaine",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    (
        WED,
        "resa metz en début de semaine prochaine",
        expect("reserve", site="Metz", dates=["30/11", "1/12"], slot="day"),
    ),
    (
        WED,
        "book Metz early next week",
        expect("reserve", site="Metz", dates=["30/11", "1/12"], slot="day"),
    ),
    (
        WED,
        "book Metz end of next week",
        expect("reserve", site="Metz", dates=["3/12", "4/12"], slot="day"),
    ),
    (
        SUN,
        "réserve Metz en milieu de semaine prochaine",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        SUN,
        "réserve Metz début décembre",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        SUN,
        "réserve Metz fin décembre",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        SUN,
        "réserve Metz mi-décembre",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        SUN,
        "book Metz mid-December",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        SUN,
        "réserve Metz pour Noël",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (SUN, "en congé pour Noël", expect("status", slot="day", status="leave", error="vague_date")),
    (SUN, "vacances de noël", expect("status", slot="day", status="leave", error="vague_date")),
    (
        SUN,
        "réserve Metz le 24 décembre",
        expect("reserve", site="Metz", dates=["24/12"], slot="day"),
    ),
    (WED, "reserve moi 2 jours la semaine pro", expect("reserve", slot="day", error="vague_date")),
    (
        WED,
        "book Metz 2 days next week",
        expect("reserve", site="Metz", slot="day", error="vague_date"),
    ),
    (
        WED,
        "réserve Metz comme la semaine dernière",
        expect("reserve", site="Metz", slot="day", error="past_date"),
    ),
    # --- more dates ------------------------------------------------------------------------------
    (
        WED,
        "resa metz semaine pro",
        expect("reserve", site="Metz", dates=days("30/11", "4/12"), slot="day"),
    ),
    (
        WED,
        "resa metz tte la semaine pro",
        expect("reserve", site="Metz", dates=days("30/11", "4/12"), slot="day"),
    ),
    (WED, "resa metz mardi pro", expect("reserve", site="Metz", dates=["1/12"], slot="day")),
    (WED, "resa metz jeudi en 8", expect("reserve", site="Metz", dates=["3/12"], slot="day")),
    (
        WED,
        "resa metz jeudi en quinze",
        expect("reserve", site="Metz", dates=["10/12"], slot="day"),
    ),
    (
        WED,
        "resa metz mardi dans 15 jours",
        expect("reserve", site="Metz", dates=["8/12"], slot="day"),
    ),
    (
        WED,
        "resa metz à partir de mardi pour la semaine",
        expect("reserve", site="Metz", dates=days("1/12", "4/12"), slot="day"),
    ),
    (
        WED,
        "resa metz les 2 prochaines semaines",
        expect("reserve", site="Metz", dates=days("30/11", "11/12"), slot="day"),
    ),
    (
        WED,
        "resa metz les deux semaines à venir",
        expect("reserve", site="Metz", dates=days("30/11", "11/12"), slot="day"),
    ),
    (
        WED,
        "book Metz for the next two weeks",
        expect("reserve", site="Metz", dates=days("30/11", "11/12"), slot="day"),
    ),
    (
        WED,
        "resa metz les 3 prochains jours",
        expect("reserve", site="Metz", dates=["26/11", "27/11", "30/11"], slot="day"),
    ),
    (
        WED,
        "resa metz cette semaine et la suivante",
        expect("reserve", site="Metz", dates=days("25/11", "4/12"), slot="day"),
    ),
    (
        WED,
        "resa metz d'ici vendredi",
        expect("reserve", site="Metz", dates=["25/11", "26/11", "27/11"], slot="day"),
    ),
    (
        WED,
        "resa metz jeudi qui vient",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "resa metz pas demain mais après-demain",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        WED,
        "resa metz demain, non vendredi",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        WED,
        "resa metz lundi, pas mardi",
        expect("reserve", site="Metz", dates=["30/11"], slot="day"),
    ),
    (
        WED,
        "resa metz tous les jours sauf mercredi la semaine pro",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "3/12", "4/12"], slot="day"),
    ),
    (
        WED,
        "resa metz 1,2,3 déc",
        expect("reserve", site="Metz", dates=["1/12", "2/12", "3/12"], slot="day"),
    ),
    (WED, "reserve Metz le 01-12", expect("reserve", site="Metz", dates=["1/12"], slot="day")),
    (
        WED,
        "book Metz every other Tuesday",
        expect("reserve", site="Metz", dates=["1/12", "15/12", "29/12", "12/1/27"], slot="day"),
    ),
    (
        WED,
        "réserve Metz un mardi sur deux",
        expect("reserve", site="Metz", dates=["1/12", "15/12", "29/12", "12/1/27"], slot="day"),
    ),
    (
        WED,
        "resa metz lun mar mer",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "2/12"], slot="day"),
    ),
    (WED, "resa metz ven", expect("reserve", site="Metz", dates=["27/11"], slot="day")),
    (WED, "résa Nantes jeu aprem", expect("reserve", site="Nantes", dates=["26/11"], slot="pm")),
    (WED, "resa lille lun 30", expect("reserve", site="Lille", dates=["30/11"], slot="day")),
    (WED, "resa metz mar 1er", expect("reserve", site="Metz", dates=["1/12"], slot="day")),
    (WED, "book Metz Mar 3", expect("reserve", site="Metz", dates=["3/3/27"], slot="day")),
    (WED, "tt lun-mar", expect("status", dates=["30/11", "1/12"], slot="day", status="remote")),
    (
        WED,
        "book Metz Mon-Wed",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "2/12"], slot="day"),
    ),
    (
        WED,
        "WFH Mon and Fri",  # listed in the order of the week: one week, in that order
        expect("status", dates=["30/11", "4/12"], slot="day", status="remote"),
    ),
    (WED, "je prends mon vendredi", expect("status", dates=["27/11"], slot="day", status="leave")),
    (
        WED,
        "réserve avec Sam demain à Metz",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (WED, "je serai à la mer demain", expect("unknown", error="not_understood")),
    (
        WED,
        "resa metz lundi->mercredi",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "2/12"], slot="day"),
    ),
    (WED, "resa metz demain soir", expect("reserve", site="Metz", dates=["26/11"], slot="pm")),
    (WED, "resa metz ce soir", expect("reserve", site="Metz", dates=["25/11"], slot="pm")),
    (
        WED,
        "reserve metz demain 1/2 journée matin",
        expect("reserve", site="Metz", dates=["26/11"], slot="am"),
    ),
    (
        WED,
        "réserve Metz une demi-journée demain",
        expect("reserve", site="Metz", dates=["26/11"], slot="day", error="ambiguous_slot"),
    ),
    (
        WED,
        "book Metz half a day on Friday",
        expect("reserve", site="Metz", dates=["27/11"], slot="day", error="ambiguous_slot"),
    ),
    # --- SMS spellings, typos --------------------------------------------------------------------
    (SUN, "Resa Metz dem1", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "resa 2m1 metz", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "resa metz apres dem", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "ki est a metz demain", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "qi est a metz demain", expect("who", site="Metz", dates=["23/11"])),
    (SUN, "ya qui demain", expect("who", dates=["23/11"])),
    (SUN, "y aura qui demain a lille", expect("who", site="Lille", dates=["23/11"])),
    (SUN, "jai quoi cette semaine ?", expect("list", dates=days("23/11", "27/11"))),
    (SUN, "jserai a lille jeudi", expect("reserve", site="Lille", dates=["26/11"], slot="day")),
    (SUN, "chui a metz demain", expect("reserve", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "jpeux pas venir demain, annule stp", expect("cancel", dates=["23/11"])),
    (SUN, "jviens pas demain", expect("cancel", dates=["23/11"])),
    (SUN, "reserve metz jeudii", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (SUN, "anulle demain", expect("cancel", dates=["23/11"])),
    (SUN, "suprimme demain", expect("cancel", dates=["23/11"])),
    (SUN, "resa bercy jeudi", expect("reserve", site="Paris Bercy", dates=["26/11"], slot="day")),
    (
        SUN,
        "resa lyon vendredi",
        expect("reserve", site="Lyon Part-Dieu", dates=["27/11"], slot="day"),
    ),
    (SUN, "tt ven", expect("status", dates=["27/11"], slot="day", status="remote")),
    (
        SUN,
        "resa metz ts les mardis",
        expect(
            "reserve",
            site="Metz",
            dates=["24/11", "1/12", "8/12", "15/12", "22/12", "29/12", "5/1/27", "12/1/27"],
            slot="day",
        ),
    ),
    (SUN, "dispo a metz demain ?", expect("free", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "c complet a metz demain ?", expect("free", site="Metz", dates=["23/11"], slot="day")),
    (SUN, "METZ VENDREDI STP", expect("reserve", site="Metz", dates=["27/11"], slot="day")),
    (SUN, "Metz vendredi 🙏🙏", expect("reserve", site="Metz", dates=["27/11"], slot="day")),
    (SUN, "📅 Metz vendredi", expect("reserve", site="Metz", dates=["27/11"], slot="day")),
    (
        SUN,
        "resa metz vendredi svp merci bcp",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    # --- statuses --------------------------------------------------------------------------------
    (WED, "je pose vendredi", expect("status", dates=["27/11"], slot="day", status="leave")),
    (
        WED,
        "je prends ma journée demain",
        expect("status", dates=["26/11"], slot="day", status="leave"),
    ),
    (
        WED,
        "je prends mon aprem vendredi",
        expect("status", dates=["27/11"], slot="pm", status="leave"),
    ),
    (
        WED,
        "je prends le bureau B-12 vendredi",
        expect("reserve", desk="B-12", dates=["27/11"], slot="day"),
    ),
    (
        WED,
        "je pars en vacances vendredi soir",
        expect("status", dates=["27/11"], slot="pm", status="leave"),
    ),
    (WED, "recup vendredi", expect("status", dates=["27/11"], slot="day", status="leave")),
    (
        WED,
        "en arrêt jusqu'à lundi",
        expect("status", dates=days("25/11", "30/11"), slot="day", status="leave"),
    ),
    (
        WED,
        "je suis chez un client jeudi",
        expect("status", dates=["26/11"], slot="day", status="travel"),
    ),
    (WED, "OOO friday", expect("status", dates=["27/11"], slot="day", status="leave")),
    (WED, "I am out tomorrow", expect("status", dates=["26/11"], slot="day", status="leave")),
    (
        WED,
        "at a client site on Wednesday",
        expect("status", dates=["2/12"], slot="day", status="travel"),
    ),
    (
        WED,
        "training all day Thursday",
        expect("status", dates=["26/11"], slot="day", status="travel"),
    ),
    (
        WED,
        "I'm at a conference on Thursday",
        expect("status", dates=["26/11"], slot="day", status="travel"),
    ),
    # --- who, free, list -------------------------------------------------------------------------
    (WED, "liste des gens a metz demain", expect("who", site="Metz", dates=["26/11"])),
    (WED, "je suis où demain ?", expect("list", dates=["26/11"])),
    (
        WED,
        "vous avez de la place a Lille jeudi ?",
        expect("free", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "plus de place à Metz demain ?",
        expect("free", site="Metz", dates=["26/11"], slot="day"),
    ),
    (WED, "is Metz full tomorrow?", expect("free", site="Metz", dates=["26/11"], slot="day")),
    (WED, "je garde mon bureau jeudi", expect("reserve", dates=["26/11"], slot="day")),
    (WED, "what did I book?", expect("list")),
    (WED, "j'ai réservé quoi ?", expect("list")),
    # --- cancel ----------------------------------------------------------------------------------
    (WED, "finalement pas besoin de bureau vendredi", expect("cancel", dates=["27/11"])),
    (WED, "plus besoin de place demain", expect("cancel", dates=["26/11"])),
    (WED, "scrap my booking for tomorrow", expect("cancel", dates=["26/11"])),
    (WED, "free up my desk for Friday", expect("cancel", dates=["27/11"])),
    # --- several commands, moves -----------------------------------------------------------------
    (WED, "annule demain et réserve jeudi", expect("unknown", error="multiple_commands")),
    (
        WED,
        "annule mardi et mets moi mercredi à la place",
        expect("unknown", error="multiple_commands"),
    ),
    # moves are one command (issue 10): `dates` is the day moved from
    (WED, "déplace ma résa de mardi à mercredi", expect("move", dates=["01/12"])),
    (WED, "change ma résa de mardi pour mercredi", expect("move", dates=["01/12"])),
    (WED, "move my booking from Tuesday to Wednesday", expect("move", dates=["01/12"])),
    (WED, "change my Friday booking to Thursday", expect("move", dates=["27/11"])),
    (WED, "télétravail lundi et Metz mardi", expect("unknown", error="multiple_commands")),
    (WED, "tt lundi, bureau mardi", expect("unknown", error="multiple_commands")),
    (WED, "congé vendredi et réserve Metz jeudi", expect("unknown", error="multiple_commands")),
    (
        SUN,
        "je ne viens pas lundi, je suis en télétravail",
        expect("status", dates=["23/11"], slot="day", status="remote"),
    ),
    # --- help, confirm, deny ---------------------------------------------------------------------
    (SUN, "comment je réserve ?", expect("help")),
    (SUN, "how do I book a desk?", expect("help")),
    (SUN, "qui es-tu ?", expect("help")),
    (SUN, "tu sers à quoi ?", expect("help")),
    (SUN, "what can I do here?", expect("help")),
    (SUN, "je comprends pas comment ça marche", expect("help")),
    (SUN, "stop", expect("deny")),
    (SUN, "ok ça roule", expect("confirm")),
    (SUN, "nickel", expect("confirm")),
    (SUN, "c'est parti", expect("confirm")),
    (SUN, "reset", expect("unknown", error="not_understood")),
    # --- messenger style, checked as they are ----------------------------------------------------
    (
        SUN,
        "bjr, je voudrais reserver a lille vendredi svp",
        expect("reserve", site="Lille", dates=["27/11"], slot="day"),
    ),
    (
        SUN,
        "slt tu peux me bloquer un poste a nantes lundi",
        expect("reserve", site="Nantes", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "besoin dun bureau a metz demain",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "je bosse a nantes jeudi",
        expect("reserve", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (
        SUN,
        "je passe a lille demain aprem",
        expect("reserve", site="Lille", dates=["23/11"], slot="pm"),
    ),
    (
        SUN,
        "reste t il des places a lille vendredi",
        expect("free", site="Lille", dates=["27/11"], slot="day"),
    ),
    (SUN, "annul ma resa mardi", expect("cancel", dates=["24/11"])),
    (SUN, "finalement je viens pas jeudi", expect("cancel", dates=["26/11"])),
    (
        SUN,
        "congés du 21 au 31 décembre",
        expect("status", dates=days("21/12", "31/12"), slot="day", status="leave"),
    ),
    (
        SUN,
        "en deplacement mardi et mercredi",
        expect("status", dates=["24/11", "25/11"], slot="day", status="travel"),
    ),
    (
        SUN,
        "en mission a Lyon jeudi",
        expect("status", dates=["26/11"], slot="day", status="travel"),
    ),
    (SUN, "im in lille tmrw", expect("reserve", site="Lille", dates=["23/11"], slot="day")),
    (SUN, "anyone in lille on thursday?", expect("who", site="Lille", dates=["26/11"])),
    (SUN, "Metz demain de 14h à 18h", expect("reserve", site="Metz", dates=["23/11"], slot="pm")),
    (
        SUN,
        "metz demain matin et aprem",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "resa metz les 3 et 4 déc",
        expect("reserve", site="Metz", dates=["3/12", "4/12"], slot="day"),
    ),
    (
        SUN,
        "Salut ! Tu peux me réserver Metz pour demain ? Merci 😊",
        expect("reserve", site="Metz", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "Coucou, je serai sur Nantes jeudi et vendredi",
        expect("reserve", site="Nantes", dates=["26/11", "27/11"], slot="day"),
    ),
    (
        SUN,
        "reserve moi un poste a st etienne lundi",
        expect("reserve", site="Saint-Étienne", dates=["23/11"], slot="day"),
    ),
    (
        SUN,
        "resa metz demain & jeudi",
        expect("reserve", site="Metz", dates=["23/11", "26/11"], slot="day"),
    ),
    (
        SUN,
        "reserve metz 30/11-4/12",
        expect("reserve", site="Metz", dates=days("30/11", "4/12"), slot="day"),
    ),
    (
        SUN,
        "je serai à metz la semaine du 7",
        expect("reserve", site="Metz", dates=days("7/12", "11/12"), slot="day"),
    ),
    (SUN, "resa metz aprés demain", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "resa metz cet aprem", expect("reserve", site="Metz", dates=["22/11"], slot="pm")),
    (
        SUN,
        "reserve metz demain jusqu'a midi",
        expect("reserve", site="Metz", dates=["23/11"], slot="am"),
    ),
    (
        SUN,
        "reserve metz mardi matin et jeudi aprem",
        expect(
            "reserve", site="Metz", dates=["24/11", "26/11"], slot="day", error="multiple_commands"
        ),
    ),
    (SUN, "Metz: mardi", expect("reserve", site="Metz", dates=["24/11"], slot="day")),
    (SUN, "il reste combien de places jeudi ?", expect("free", dates=["26/11"], slot="day")),
    (SUN, "qui est en tt demain", expect("who", dates=["23/11"])),
    (
        WED,
        "book Lille for the whole week",
        expect("reserve", site="Lille", dates=["25/11", "26/11", "27/11"], slot="day"),
    ),
    (
        WED,
        "book Metz Tue & Thu next week",
        expect("reserve", site="Metz", dates=["1/12", "3/12"], slot="day"),
    ),
    (WED, "I'm coming in on Friday", expect("reserve", dates=["27/11"], slot="day")),
    (
        WED,
        "heading to Metz on Tuesday",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (WED, "who's in today", expect("who", dates=["25/11"])),
    (
        WED,
        "is there a spot left in Lille tomorrow?",
        expect("free", site="Lille", dates=["26/11"], slot="day"),
    ),
    (WED, "I don't need my desk tomorrow", expect("cancel", dates=["26/11"])),
    (
        WED,
        "vacation next Mon-Wed",
        expect("status", dates=["30/11", "1/12", "2/12"], slot="day", status="leave"),
    ),
    (WED, "out sick today", expect("status", dates=["25/11"], slot="day", status="leave")),
    (
        WED,
        "on PTO Dec 21-31",
        expect("status", dates=days("21/12", "31/12"), slot="day", status="leave"),
    ),
    (
        WED,
        "hey can u book lille tmrw",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (WED, "tt mer", expect("status", dates=["2/12"], slot="day", status="remote")),
    (WED, "TT demain matin", expect("status", dates=["26/11"], slot="am", status="remote")),
    (
        WED,
        "je serai en télétravail toute la semaine pro",
        expect("status", dates=days("30/11", "4/12"), slot="day", status="remote"),
    ),
    (
        WED,
        "en congé du 1er au 5",
        expect("status", dates=days("1/12", "4/12"), slot="day", status="leave"),
    ),
    (WED, "je suis en RTT lundi", expect("status", dates=["30/11"], slot="day", status="leave")),
    (
        WED,
        "je serai dans les locaux de Lille jeudi",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "faudrait un bureau à Metz vendredi",
        expect("reserve", site="Metz", dates=["27/11"], slot="day"),
    ),
    (
        WED,
        "est ce que je peux venir a metz demain ?",  # a question: it never books
        expect("free", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "c'est plein à Lille demain ?",
        expect("free", site="Lille", dates=["26/11"], slot="day"),
    ),
    (WED, "y a-t-il quelqu'un à Metz demain ?", expect("who", site="Metz", dates=["26/11"])),
    (WED, "annule mes résas de la semaine pro", expect("cancel", dates=days("30/11", "4/12"))),
    (WED, "libère ma place de vendredi", expect("cancel", dates=["27/11"])),
    (WED, "pas là demain", expect("cancel", dates=["26/11"])),
    (WED, "mon planning de la semaine pro", expect("list", dates=days("30/11", "4/12"))),
    (
        WED,
        "envoie moi le recap tous les matins a 8h",
        expect("digest", action="subscribe", time="08:00"),
    ),
    (WED, "plus de récap merci", expect("digest", action="unsubscribe")),
    (
        WED,
        "ouvre les bureaux B1, B2 et B3 à Nantes",
        expect("open", site="Nantes", desk="B1, B2, B3"),
    ),
    (WED, "Metz sera fermé vendredi", expect("close", site="Metz", dates=["27/11"])),
    (WED, "mon site c Metz", expect("set_site", site="Metz")),
    (WED, "je travaille habituellement à Lille", expect("set_site", site="Lille")),
    (
        WED,
        "resa metz les 1, 2 et 3",
        expect("reserve", site="Metz", dates=["1/12", "2/12", "3/12"], slot="day"),
    ),
    (
        WED,
        "resa metz du 28 au 2",
        expect("reserve", site="Metz", dates=["30/11", "1/12", "2/12"], slot="day"),
    ),
    (WED, "resa metz le 24/11", expect("reserve", site="Metz", slot="day", error="past_date")),
    (
        WED,
        "resa metz lundi 3 décembre",
        expect("reserve", site="Metz", slot="day", error="date_mismatch"),
    ),
    # --- a command first, then its reason --------------------------------------------------------
    (
        WED,
        "Metz demain, j'ai une réunion là-bas",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "demain à Metz, j'ai rdv avec un client sur place",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "Lille jeudi pour voir l'équipe",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "Metz mardi, je serai avec deux collègues",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (
        WED,
        "demain Metz près de la fenêtre si possible",
        expect("reserve", site="Metz", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "tomorrow Lille, meeting with the team",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "Metz Tuesday for the workshop",
        expect("reserve", site="Metz", dates=["1/12"], slot="day"),
    ),
    (
        WED,
        "Nantes vendredi si possible",
        expect("reserve", site="Nantes", dates=["27/11"], slot="day"),
    ),
    (WED, "urgent : Metz demain", expect("reserve", site="Metz", dates=["26/11"], slot="day")),
    (
        WED,
        "je descends à Lille jeudi",
        expect("reserve", site="Lille", dates=["26/11"], slot="day"),
    ),
    (
        WED,
        "je serai de passage à Nantes jeudi",
        expect("reserve", site="Nantes", dates=["26/11"], slot="day"),
    ),
    (WED, "présentiel jeudi", expect("reserve", dates=["26/11"], slot="day")),
    (
        SUN,
        "réserve Metz mardi au lieu de mercredi",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
    (
        SUN,
        "réserve Metz mardi plutôt que mercredi",
        expect("reserve", site="Metz", dates=["24/11"], slot="day"),
    ),
]


@pytest.mark.parametrize(
    ("now", "text", "expected"), CASES, ids=[f"{n:%a}:{t}" for n, t, _ in CASES]
)
def test_phrasing(now: Any, text: str, expected: dict[str, Any]) -> None:
    assert comparable(parse(text, now, SITES).to_json()) == expected


def test_there_are_enough_phrasings() -> None:
    assert len(CASES) >= 300
    assert len({text for _, text, _ in CASES}) >= 300


LANGUAGES = [
    ("réserve un bureau à Metz mardi", "fr"),
    ("book a desk in Metz on Tuesday", "en"),
    ("who is in Metz tomorrow?", "en"),
    ("qui est à Metz demain ?", "fr"),
    ("parle-moi en anglais", "fr"),
    ("speak French", "en"),
    ("my bookings", "en"),
    ("mes réservations", "fr"),
    ("working from home on Friday", "en"),
    ("télétravail vendredi", "fr"),
    # "à" folds to "a", an English word: the accent says French (an answer to "Sur quel site ?").
    ("à Nantes", "fr"),
    ("a desk at Nantes", "en"),
]


@pytest.mark.parametrize(("text", "lang"), LANGUAGES)
def test_language_of_the_sentence(text: str, lang: str) -> None:
    assert parse(text, SUN, SITES).lang == lang


def test_language_hint_decides_when_the_sentence_does_not() -> None:
    assert parse("ok", SUN, SITES, lang="en").lang == "en"
    assert parse("ok", SUN, SITES).lang == "fr"
    assert parse("Metz", SUN, SITES, lang="en").lang == "en"
    # The sentence wins over the hint.
    assert parse("book a desk in Metz tomorrow", SUN, SITES, lang="fr").lang == "en"


def test_horizon_bounds_open_ended_recurrences() -> None:
    two_weeks = parse("réserve à Metz tous les mardis", SUN, SITES, horizon_days=14)
    assert [d.isoformat() for d in two_weeks.dates] == ["2026-11-24", "2026-12-01"]


def test_open_with_labels_keeps_them_in_desks() -> None:
    command = parse("ouvre les bureaux B-201, B-202 et B-203 à Lille", SUN, SITES)
    assert command.desks == ("B-201", "B-202", "B-203")
    assert command.count is None


def test_a_reply_is_read_without_the_quoted_message() -> None:
    """Matrix clients put the message replied to first, as "> " lines."""
    reply = "> <@bot:example.org> Voulez-vous réserver à Metz mardi ?\n\noui"
    assert parse(reply, SUN, SITES).intent == "confirm"
    assert parse("> juste une citation", SUN, SITES).intent == "unknown"


def test_naive_now_is_paris_time_and_aware_now_is_converted() -> None:
    from datetime import UTC, datetime

    # 23:30 UTC on Sunday is already Monday in Paris: "demain" is Tuesday.
    late = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert parse("réserve à Metz demain", late, SITES).dates[0].isoformat() == "2026-11-24"
    naive = datetime(2026, 11, 22, 23, 30)
    assert parse("réserve à Metz demain", naive, SITES).dates[0].isoformat() == "2026-11-23"
