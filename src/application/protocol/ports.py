"""The one way use-cases of the FMS protocol take their ports: a ProtocolPorts record.

Request, Unrequest, Delete, the status change, bulk and the recovery pass all work with the same
four things, so they take them together. Use-cases that only read or save (calendar, chains,
resolve, sync) take their one or two ports as keyword arguments: one port is not a bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from application.ports import Clock, FmsGateway, UnitOfWorkFactory
from application.protocol.holds import Holder


@dataclass(frozen=True)
class ProtocolPorts:
    """The units of work, FMS, the clock, and this process's holder of FMS operations."""

    uow_factory: UnitOfWorkFactory
    fms: FmsGateway
    clock: Clock
    holder: Holder
