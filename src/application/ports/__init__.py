"""Ports: what the application needs from the outside world, as Protocols, one module per kind.

Port errors are in port_errors.py; adapters translate driver exceptions into them, so no asyncpg or
httpx exception ever crosses a port.
"""

from application.ports.fms import FmsAnswer, FmsGateway, FmsRequestFinder
from application.ports.reference import ReconciliationRepo, ReferenceData
from application.ports.repositories import AssignmentRepo, FmsEventLog, FmsOperationLog, HoldRepo
from application.ports.services import CalendarView, Clock, ReadinessProbe, UnsettledOperations, WorkerLock
from application.ports.units import OutcomeStore, ProtocolStore, UnitOfWork, UnitOfWorkFactory

__all__ = [
    "AssignmentRepo",
    "CalendarView",
    "Clock",
    "FmsAnswer",
    "FmsEventLog",
    "FmsGateway",
    "FmsOperationLog",
    "FmsRequestFinder",
    "HoldRepo",
    "OutcomeStore",
    "ProtocolStore",
    "ReadinessProbe",
    "ReconciliationRepo",
    "ReferenceData",
    "UnitOfWork",
    "UnitOfWorkFactory",
    "UnsettledOperations",
    "WorkerLock",
]
