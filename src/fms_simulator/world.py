"""The simulator's generated fleet: offices, vehicles and partners, deterministic by seed and scale.

Sizes at scale 1 follow today's real FMS (reports.md); a benchmark can ask for scale 100. Vehicles and
partners are derived from their index on demand, so even a large world costs little memory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

OFFICES = ("Los Angeles", "New York", "Miami", "Chicago", "Detroit", "Atlanta", "Denver", "Seattle")
MAKES = {
    "Audi": ("A4", "Q5", "e-tron GT"),
    "Toyota": ("Camry", "RAV4", "GR86"),
    "Volkswagen": ("ID.4", "Golf GTI", "Atlas"),
    "Hyundai": ("Ioniq 5", "Tucson", "Santa Fe"),
    "Chevrolet": ("Tahoe", "Corvette", "Equinox"),
    "Ford": ("Mustang", "Bronco", "F-150"),
    "Kia": ("EV9", "Telluride", "K5"),
    "Mazda": ("CX-50", "MX-5 Miata", "CX-90"),
    "Subaru": ("Outback", "WRX", "Forester"),
    "Honda": ("Civic Type R", "Accord", "Pilot"),
}
FLEETS = {"Audi": "Audi PR - Press", "Volkswagen": "VW", "Chevrolet": "CHEVY"}
COLORS = ("Black", "White", "Silver", "Blue", "Red", "Gray")
FIRST = ("Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn")
LAST = ("Rivera", "Chen", "Okafor", "Nakamura", "Schmidt", "Haddad", "Kowalski", "Duarte", "D'Amato", "Lee")
OUTLETS = ("MotorWeek", "Car and Driver", "AutoBlog", "The Drive", "Road & Track", "Jalopnik", "")
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
FIRST_VEHICLE_ID = 80000
FIRST_PERSON_ID = 3000
BASE_SIZES = {"vehicles": 1000, "partners": 750, "loan_history": 11000}


@dataclass(frozen=True)
class SimVehicle:
    """One fleet vehicle; vehicle_id None means FMS has no id for it (it cannot be requested)."""

    index: int
    vehicle_id: int | None
    vin: str
    year: int
    make: str
    model: str
    office: str
    color: str


@dataclass(frozen=True)
class SimPartner:
    """One media partner (a person) in one office."""

    person_id: int
    name: str
    address: str
    office: str
    affiliation: str
    subcategory_id: int | None


class World:
    """The generated fleet; the same seed, scale and day always give the same world."""

    def __init__(self, *, seed: int = 1, scale: float = 1.0, today: date | None = None) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.seed = seed
        self.scale = scale
        self.today = today or date.today()
        self.vehicle_count = max(1, round(BASE_SIZES["vehicles"] * scale))
        self.partner_count = max(1, round(BASE_SIZES["partners"] * scale))
        self.history_count = round(BASE_SIZES["loan_history"] * scale)
        self._vehicles: dict[int, SimVehicle] = {}
        self._partners: dict[int, SimPartner] = {}
        self._rows_by_office: dict[str, list[int]] | None = None

    def rng(self, *parts: object) -> random.Random:
        """A random generator of its own for one part of the world (string seeds are stable)."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def vehicle(self, index: int) -> SimVehicle:
        """The vehicle at this index (0 <= index < vehicle_count)."""
        cached = self._vehicles.get(index)
        if cached is not None:
            return cached
        rng = self.rng("vehicle", index)
        make = rng.choice(sorted(MAKES))
        vin = "".join(rng.choice(VIN_CHARS) for _ in range(11)) + f"{index:06d}"
        no_id = index % 97 == 13  # a few vehicles have no FMS id yet
        vehicle = SimVehicle(
            index=index,
            vehicle_id=None if no_id else FIRST_VEHICLE_ID + index,
            vin=vin,
            year=rng.choice((2024, 2025, 2026)),
            make=make,
            model=rng.choice(MAKES[make]),
            office=OFFICES[index % len(OFFICES)],
            color=rng.choice(COLORS),
        )
        self._vehicles[index] = vehicle
        return vehicle

    def vehicle_by_id(self, vehicle_id: int) -> SimVehicle | None:
        """The generated vehicle FMS knows by this id."""
        index = vehicle_id - FIRST_VEHICLE_ID
        if not 0 <= index < self.vehicle_count:
            return None
        vehicle = self.vehicle(index)
        return vehicle if vehicle.vehicle_id == vehicle_id else None

    def _office_of_row(self, row: int) -> tuple[int, str]:
        # Every eleventh row repeats the previous person in another office.
        person = row - (row + 1) // 11
        shift = 3 if row % 11 == 10 else 0
        return person, OFFICES[(person + shift) % len(OFFICES)]

    def partner(self, row: int) -> SimPartner:
        """The partners-report row at this index (0 <= row < partner_count)."""
        cached = self._partners.get(row)
        if cached is not None:
            return cached
        person, office = self._office_of_row(row)
        rng = self.rng("partner", person)
        partner = SimPartner(
            person_id=FIRST_PERSON_ID + person,
            name=f"{rng.choice(LAST)}, {rng.choice(FIRST)}",
            address=f"{rng.randint(10, 9999)} {rng.choice(('Main St', 'Oak Ave', 'Sunset Blvd'))}",
            office=office,
            affiliation=rng.choice(OUTLETS),
            subcategory_id=7 if person % 3 == 0 else None,
        )
        self._partners[row] = partner
        return partner

    def partner_in(self, office: str, rng: random.Random) -> SimPartner:
        """A partner of the office (any partner when the office has none), chosen with rng."""
        if self._rows_by_office is None:
            self._rows_by_office = {}
            for row in range(self.partner_count):
                self._rows_by_office.setdefault(self._office_of_row(row)[1], []).append(row)
        rows = self._rows_by_office.get(office) or [0]
        return self.partner(rng.choice(rows))

    def person(self, person_id: int) -> SimPartner | None:
        """The first partner row of a person, if the world has one."""
        person = person_id - FIRST_PERSON_ID
        row = person + person // 10  # the inverse of _office_of_row for a person's first row
        if not person >= 0 or row >= self.partner_count:
            return None
        found = self.partner(row)
        return found if found.person_id == person_id else None
