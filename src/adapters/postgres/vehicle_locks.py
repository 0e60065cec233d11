"""Vehicle locks: one transaction advisory lock per vehicle, taken in one global order (their keys').

The key is computed by the database (hashtext of the VIN, in the two-int key space VEHICLE_LOCK_SPACE),
so that a statement can lock the vehicles of rows it reads itself (protocol_store.LOCK_FOR_REQUEST).
"""

from __future__ import annotations

VEHICLE_LOCK_SPACE = 0x56494E  # "VIN": the first half of every vehicle's key


def vehicle_lock_key(vin_sql: str) -> str:
    """The SQL of the second half of a vehicle's key, for the SQL expression of its VIN."""
    return f"hashtext({vin_sql})"


def lock_keys_sql(keys_sql: str) -> str:
    """SQL locking the keys in the column k of keys_sql (a query), in ascending order: the one order."""
    return (
        f"SELECT k, pg_advisory_xact_lock({VEHICLE_LOCK_SPACE}, k) FROM "
        f"(SELECT DISTINCT k FROM ({keys_sql}) AS wanted ORDER BY k OFFSET 0) AS ordered"
    )


# Locks the vehicles of the VINs in $1.
LOCK_VEHICLES = lock_keys_sql(f"SELECT {vehicle_lock_key('vin')} AS k FROM unnest($1::text[]) AS vin")
