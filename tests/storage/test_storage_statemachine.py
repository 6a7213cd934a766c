"""A hypothesis state machine over reserve/cancel/close/reopen/status on both databases.

A small model (3 members, 2 sites with 3 desks, 2 days) predicts every outcome, including which
desk is assigned; after each step the database must match the model and hold no overlap.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from storage import Outcome, SettableClock, Slot, StatusConflict, StatusKind
from tests.helpers import BACKENDS, MONDAY_9AM, backend_url, open_test_storage
from tests.storage.storage_helpers import TUESDAY, WEDNESDAY, overlaps

SITES = {"Alpha": ["A-1", "A-2"], "Beta": ["B-1"]}
SITES_YAML = "sites:\n" + "".join(
    f"  - name: {name}\n    desks: [{', '.join(desks)}]\n" for name, desks in SITES.items()
)
MEMBERS = ["@m0:example.org", "@m1:example.org", "@m2:example.org"]
DAYS = [TUESDAY, WEDNESDAY]  # few days and desks: collisions are the interesting part
HALVES = ("am", "pm")

members = st.sampled_from(MEMBERS)
sites = st.sampled_from(sorted(SITES))
days = st.sampled_from(DAYS)
slots = st.sampled_from(list(Slot))
kinds = st.sampled_from(list(StatusKind))
# Mostly no desk; else the site's first or second desk (Beta has no second: unknown desk).
desk_choices = st.sampled_from([None, None, None, 0, 1])


def halves_of(slot: Slot) -> set[str]:
    return {h for h in HALVES if (h == "am" and slot.covers_am) or (h == "pm" and slot.covers_pm)}


def slot_of(halves: set[str]) -> Slot:
    return Slot.from_halves("am" in halves, "pm" in halves)


@dataclass
class Held:
    member: str
    site: str
    desk: str
    day: date
    halves: set[str]

    def key(self) -> tuple[str, str, date, Slot]:
        return (self.site, self.desk, self.day, slot_of(self.halves))


class BookingMachine(RuleBasedStateMachine):
    """Storage under random operations, checked against a model."""

    urls: itertools.count = itertools.count()

    def __init__(self, url: str) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.context = open_test_storage(url, SettableClock(MONDAY_9AM))
        self.storage = self.run(self.context.__aenter__())
        self.run(self.storage.import_sites(SITES_YAML))
        for member in MEMBERS:
            self.run(self.storage.ensure_member(member))
        self.held: list[Held] = []
        self.statuses: dict[tuple[str, date, str], StatusKind] = {}
        self.closed: set[tuple[str, date]] = set()
        self.last_desk: dict[tuple[str, str], str] = {}

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def teardown(self) -> None:
        self.run(self.context.__aexit__(None, None, None))
        self.loop.close()

    # The model ---------------------------------------------------------------------------

    def free(self, site: str, day: date, halves: set[str]) -> list[str]:
        busy = {h.desk for h in self.held if h.site == site and h.day == day and h.halves & halves}
        if (site, day) in self.closed:
            return []
        return [desk for desk in SITES[site] if desk not in busy]

    def alternative(self, site: str, day: date, slot: Slot, desk: str | None) -> Slot | None:
        for candidate in [slot.other_half] if slot.other_half else [Slot.AM, Slot.PM]:
            free = self.free(site, day, halves_of(candidate))
            if (desk in free) if desk else free:
                return candidate
        return None

    def release(self, held: Held, halves: set[str]) -> tuple[str, str, date, Slot]:
        """Cancel `halves` of a booking (all of it, or trim a whole day to one half)."""
        if held.halves == {"am", "pm"} and halves != held.halves:
            held.halves -= halves
            return (held.site, held.desk, held.day, slot_of(halves))
        self.held.remove(held)
        return held.key()

    # Rules -------------------------------------------------------------------------------

    @rule(member=members, site=sites, day=days, slot=slots, choice=desk_choices)
    def reserve(self, member: str, site: str, day: date, slot: Slot, choice: int | None) -> None:
        desk = None if choice is None else (SITES[site] + ["Z-9"])[choice]
        (got,) = self.run(self.storage.reserve(member, site, [day], slot, desk=desk))
        wanted = halves_of(slot)
        mine = [h for h in self.held if h.member == member and h.day == day and h.halves & wanted]
        free = self.free(site, day, wanted)
        if (site, day) in self.closed:
            assert got.outcome is Outcome.CLOSED
        elif mine:
            assert got.outcome is Outcome.ALREADY_BOOKED
            assert got.booking.id is not None and (got.booking.site, got.booking.desk) == (
                mine[0].site,
                mine[0].desk,
            )
        elif desk is not None and desk not in SITES[site]:
            assert got.outcome is Outcome.UNKNOWN_DESK
        elif desk is not None and desk not in free:
            assert got.outcome is Outcome.DESK_TAKEN
            assert got.alternative_desk == (free[0] if free else None)
            assert got.alternative_slot == self.alternative(site, day, slot, desk)
        elif not free:
            assert got.outcome is Outcome.FULL
            assert got.alternative_slot == self.alternative(site, day, slot, None)
        else:
            last = self.last_desk.get((member, site))
            expected = desk or (last if last in free else free[0])
            assert got.outcome is Outcome.BOOKED
            assert (got.booking.site, got.booking.desk) == (site, expected)
            replaced = [
                self.statuses.pop((member, day, h))
                for h in sorted(wanted)
                if (member, day, h) in self.statuses
            ]
            assert got.replaced_status == (replaced[0] if replaced else None)
            self.held.append(Held(member, site, expected, day, set(wanted)))
            self.last_desk[(member, site)] = expected

    @rule(member=members, day=days, slot=st.none() | slots, site=st.none() | sites)
    def cancel(self, member: str, day: date, slot: Slot | None, site: str | None) -> None:
        got = self.run(self.storage.cancel(member, [day], slot, site))
        halves = halves_of(slot or Slot.DAY)
        expected = [
            self.release(h, halves)
            for h in list(self.held)
            if h.member == member
            and h.day == day
            and h.halves & halves
            and (site is None or h.site == site)
        ]
        assert sorted((b.site, b.desk, b.day, b.slot) for b in got) == sorted(expected)

    @rule(site=sites, day=days)
    def close(self, site: str, day: date) -> None:
        got = self.run(self.storage.close_site(site, [day], "fermé"))
        self.closed.add((site, day))
        expected = [
            self.release(h, {"am", "pm"})
            for h in list(self.held)
            if h.site == site and h.day == day
        ]
        assert sorted((b.site, b.desk, b.day, b.slot) for b in got) == sorted(expected)

    @rule(site=sites, day=days)
    def reopen(self, site: str, day: date) -> None:
        got = self.run(self.storage.reopen_site(site, [day]))
        assert got == ([day] if (site, day) in self.closed else [])
        self.closed.discard((site, day))

    @rule(member=members, day=days, slot=slots, kind=kinds, replace=st.booleans())
    def set_status(
        self, member: str, day: date, slot: Slot, kind: StatusKind, replace: bool
    ) -> None:
        halves = halves_of(slot)
        conflicts = [
            h for h in self.held if h.member == member and h.day == day and h.halves & halves
        ]
        try:
            changes = self.run(self.storage.set_status(member, [day], slot, kind, replace))
        except StatusConflict as error:
            assert conflicts and not replace
            assert sorted(b.desk for b in error.bookings) == sorted(h.desk for h in conflicts)
            return
        assert replace or not conflicts
        released = [
            self.release(h, halves if slot is not Slot.DAY else {"am", "pm"}) for h in conflicts
        ]
        replaced = [c.replaced for c in changes if c.replaced]
        assert sorted((b.site, b.desk, b.day, b.slot) for b in replaced) == sorted(released)
        for half in halves:
            self.statuses[(member, day, half)] = kind

    @rule(member=members, day=days, slot=st.none() | slots)
    def clear_status(self, member: str, day: date, slot: Slot | None) -> None:
        got = self.run(self.storage.clear_status(member, [day], slot))
        removed = [
            self.statuses.pop(key)
            for key in [(member, day, h) for h in halves_of(slot or Slot.DAY)]
            if key in self.statuses
        ]
        assert got == (1 if removed else 0)

    # Invariants --------------------------------------------------------------------------

    @invariant()
    def database_matches_the_model(self) -> None:
        assert self.run(overlaps(self.storage)) == (0, 0)
        for member in MEMBERS:
            listed = self.run(self.storage.list_bookings(member, DAYS[0], DAYS[-1]))
            assert sorted((b.site, b.desk, b.day, b.slot) for b in listed) == sorted(
                h.key() for h in self.held if h.member == member
            )
        for day in DAYS:
            seen = self.run(self.storage.who(day))
            statuses = sorted((p.member, p.kind.value, p.slot) for p in seen if p.site is None)
            model: dict[tuple[str, str], set[str]] = {}
            for (member, status_day, half), kind in self.statuses.items():
                if status_day == day:
                    model.setdefault((member, kind.value), set()).add(half)
            assert statuses == sorted((m, k, slot_of(h)) for (m, k), h in model.items())
            # One place at a time: never on site and away on the same half-day.
            taken = [(p.member, h) for p in seen for h in halves_of(p.slot)]
            assert len(taken) == len(set(taken))


@pytest.mark.parametrize("backend", BACKENDS)
def test_state_machine(backend: str, tmp_path) -> None:
    def machine() -> BookingMachine:
        url = backend_url(backend, tmp_path)
        if backend == "sqlite":
            url = url.replace(".sqlite3", f"-{next(BookingMachine.urls)}.sqlite3")
        return BookingMachine(url)

    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
