"""The rules checked before a request (request_rules.py), DayRange, and building the FMS request."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.assignment import Assignment
from domain.errors import (
    Booking,
    BookingConflict,
    InvalidDates,
    NoRequestor,
    PartnerNotInOffice,
    VehicleNotInOffice,
    VehicleNotRequestable,
)
from domain.fms_request import DEFAULT_REASON, VehicleRequest, build_vehicle_request, scheduler_reference
from domain.reference import Partner, Vehicle
from domain.request_rules import check_booking_office, check_request_rules, conflicting_bookings
from domain.values import DayRange, Status, default_end

VIN = "1HGCM82633A004352"
OP = UUID("00000000-0000-4000-8000-000000000042")
VEHICLE = Vehicle(VIN, "LA", fms_vehicle_id=101, make="Honda", model="Accord")
PARTNER = Partner(10, "LA", "Ada Lovelace", affiliation="Car & Driver", activity_type_subcategory_id=7)


def assignment(start: date = date(2025, 6, 2), end: date = date(2025, 6, 9)) -> Assignment:
    """A planned assignment of VIN to partner 10 in LA."""
    return Assignment(VIN, 10, "LA", start, end, Status.PLANNED, assignment_id=42)


def booking(start: date, end: date, holder: str = "assignment 7") -> Booking:
    """Another booking of the same vehicle."""
    return Booking(VIN, start, end, holder)


def check(
    *,
    vehicle: Vehicle | None = VEHICLE,
    partner: Partner | None = PARTNER,
    requestor_id: int | None = 900,
    bookings: tuple[Booking, ...] = (),
    a: Assignment | None = None,
) -> tuple[Vehicle, Partner, int]:
    """check_request_rules with good defaults."""
    return check_request_rules(
        a or assignment(),
        vehicle=vehicle,
        partner=partner,
        requestor_id=requestor_id,
        other_bookings=bookings,
    )


def test_all_rules_met_returns_what_the_request_is_built_from() -> None:
    assert check() == (VEHICLE, PARTNER, 900)


def test_unknown_vehicle_is_not_requestable() -> None:
    with pytest.raises(VehicleNotRequestable, match=VIN) as excinfo:
        check(vehicle=None)
    assert excinfo.value.vin == VIN


def test_vehicle_without_fms_id_names_the_vin_and_how_to_fix_it() -> None:
    with pytest.raises(VehicleNotRequestable) as excinfo:
        check(vehicle=Vehicle(VIN, "LA", fms_vehicle_id=None))
    assert excinfo.value.vin == VIN
    assert VIN in str(excinfo.value)
    assert "re-sync vehicles" in str(excinfo.value)


@pytest.mark.parametrize("partner", [None, Partner(10, "Chicago", "Ada Lovelace")])
def test_partner_must_belong_to_the_office(partner: Partner | None) -> None:
    with pytest.raises(PartnerNotInOffice, match="LA"):
        check(partner=partner)


def test_the_vehicle_must_belong_to_the_office_and_the_message_names_both() -> None:
    with pytest.raises(VehicleNotInOffice) as excinfo:
        check(vehicle=Vehicle(VIN, "NY", fms_vehicle_id=101))
    assert (excinfo.value.vin, excinfo.value.vehicle_office, excinfo.value.office) == (VIN, "NY", "LA")
    assert str(excinfo.value) == (
        f"vehicle VIN {VIN} belongs to office NY, not LA: a booking's vehicle must be one of its office's"
    )


def test_a_booking_checks_its_vehicle_office_before_its_partner() -> None:
    """What the creating use-cases ask of the domain: vehicle, then partner, of the booking's office."""
    check_booking_office("LA", vin=VIN, vehicle=VEHICLE, person_id=10, partner=PARTNER)
    with pytest.raises(VehicleNotInOffice):
        check_booking_office("NY", vin=VIN, vehicle=VEHICLE, person_id=10, partner=None)
    with pytest.raises(PartnerNotInOffice, match="media partner 10 is not a partner of office LA"):
        check_booking_office("LA", vin=VIN, vehicle=VEHICLE, person_id=10, partner=None)


def test_a_requestor_is_needed() -> None:
    with pytest.raises(NoRequestor):
        check(requestor_id=None)


def test_dates_are_rechecked() -> None:
    a = assignment()
    a.end_day = a.start_day
    with pytest.raises(InvalidDates):
        check(a=a)


def test_overlapping_bookings_are_listed() -> None:
    first = booking(date(2025, 6, 1), date(2025, 6, 3), "assignment 7 (Bob, planned)")
    second = booking(date(2025, 6, 8), date(2025, 6, 12), "FMS activity 900")
    with pytest.raises(BookingConflict) as excinfo:
        check(bookings=(first, second, booking(date(2025, 6, 9), date(2025, 6, 10))))
    assert excinfo.value.conflicts == [first, second]
    assert "assignment 7 (Bob, planned)" in str(excinfo.value)
    assert "and 1 more" in str(excinfo.value)


def test_touching_bookings_are_a_hand_over_not_a_conflict() -> None:
    before = booking(date(2025, 5, 26), date(2025, 6, 2))
    after = booking(date(2025, 6, 9), date(2025, 6, 16))
    assert check(bookings=(before, after)) == (VEHICLE, PARTNER, 900)


# --- DayRange -------------------------------------------------------------------------------

D = date(2025, 6, 10)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((1, 5), (5, 9), False),  # touching: hand-over on day 5
        ((5, 9), (1, 5), False),
        ((1, 5), (6, 9), False),
        ((1, 5), (4, 9), True),  # one shared night
        ((1, 9), (3, 4), True),  # contained
        ((1, 5), (1, 5), True),  # identical
        ((1, 2), (1, 9), True),  # same start
    ],
)
def test_day_range_overlap(a: tuple[int, int], b: tuple[int, int], overlap: bool) -> None:
    ra, rb = (DayRange(date(2025, 6, s), date(2025, 6, e)) for s, e in (a, b))
    assert ra.overlaps(rb) is overlap
    assert rb.overlaps(ra) is overlap


@pytest.mark.parametrize(
    ("start", "end", "meets"),
    [(1, 10, True), (20, 25, True), (1, 9, False), (21, 25, False), (12, 14, True), (1, 30, True)],
)
def test_day_range_meets_an_inclusive_window(start: int, end: int, meets: bool) -> None:
    days = DayRange(date(2025, 6, start), date(2025, 6, end))
    assert days.touches_window(D, date(2025, 6, 20)) is meets


def test_conflicting_bookings_ignores_touching_ones() -> None:
    days = DayRange(date(2025, 6, 2), date(2025, 6, 9))
    hit = booking(date(2025, 6, 8), date(2025, 6, 9))
    assert conflicting_bookings(days, [booking(date(2025, 6, 9), date(2025, 6, 10)), hit]) == [hit]


def test_default_loan_is_a_week() -> None:
    assert default_end(date(2025, 6, 2)) == date(2025, 6, 9)


# --- build_vehicle_request ------------------------------------------------------------------


def build(
    vehicle: Vehicle = VEHICLE, partner: Partner = PARTNER, a: Assignment | None = None
) -> VehicleRequest:
    """build_vehicle_request with good defaults."""
    return build_vehicle_request(
        a or assignment(),
        vehicle=vehicle,
        partner=partner,
        requestor_id=900,
        activity_type_id=3,
        operation_id=OP,
    )


def test_request_fields_come_from_assignment_vehicle_and_partner() -> None:
    r = build()
    assert (r.requestor_id, r.start_date, r.end_date) == (900, date(2025, 6, 2), date(2025, 6, 9))
    assert (r.activity_type_id, r.activity_to, r.loanee_id, r.vehicle_id) == (3, "Ada Lovelace", 10, 101)
    assert r.reason == "Car & Driver"
    assert r.vehicle_notes == f"Honda Accord (VIN: {VIN})"
    assert r.activity_type_subcategory_id == 7


def test_the_reference_in_requestor_notes_names_assignment_and_operation() -> None:
    r = build()
    assert r.requestor_notes == scheduler_reference(42, OP)
    assert "assignment=42" in r.requestor_notes
    assert str(OP) in r.requestor_notes


def test_subcategory_only_when_the_partner_has_one_and_reason_falls_back() -> None:
    r = build(partner=Partner(10, "LA", "Ada Lovelace"))
    assert r.activity_type_subcategory_id is None
    assert r.reason == DEFAULT_REASON


def test_vehicle_notes_fall_back_to_the_assignment_make_and_model() -> None:
    a = assignment()
    a.make, a.model = "Mazda", "CX-5"
    r = build(vehicle=Vehicle(VIN, "LA", fms_vehicle_id=101), a=a)
    assert r.vehicle_notes == f"Mazda CX-5 (VIN: {VIN})"
