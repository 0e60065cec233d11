"""End to end: PATCH change-assignment-status, create-vehicle-request and the two delete routes."""

from __future__ import annotations

from adapters.fms_faults import FmsFault
from application.ports import UnitOfWorkFactory
from tests.e2e.conftest import Env
from tests.e2e.world import VIN_BUSY, VIN_NO_FMS, Client, schedule

PATCH = "/api/calendar/change-assignment-status/{}"


async def audit(factory: UnitOfWorkFactory, assignment_id: int) -> list[tuple[str, str]]:
    async with factory() as uow:
        return [(o.call, o.outcome.value) for o in await uow.operations.for_assignment(assignment_id)]


async def test_request_unrequest_delete_lifecycle(app_env: Env) -> None:
    client, gateway, factory = app_env
    aid = await schedule(client)

    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["fms_action"] == "create"
    assert body["old_status"] == "manual"
    assert body["new_status"] == "requested"
    assert body["fms_state"] == "open"
    fms_id = body["fms_request_id"]
    assert fms_id in gateway.requests

    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.json()["fms_action"] == "none"
    assert len(gateway.requests) == 1

    r = await client.patch(PATCH.format(aid), params={"new_status": "planned"})
    assert r.status_code == 200
    assert r.json()["fms_action"] == "delete"
    assert r.json()["new_status"] == "planned"
    assert r.json()["fms_state"] == "none"
    assert gateway.requests == {}

    await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    r = await client.delete(f"/api/calendar/delete-assignment/{aid}")
    assert r.status_code == 200
    assert r.json()["deleted_from_fms"] is True
    assert gateway.requests == {}
    assert await audit(factory, aid) == [
        ("create", "success"),
        ("delete", "success"),
        ("create", "success"),
        ("delete", "success"),
    ]
    r = await client.patch(PATCH.format(aid), params={"new_status": "manual"})
    assert r.status_code == 404


async def test_create_vehicle_request_route_and_delete_vehicle_request(client: Client) -> None:
    aid = await schedule(client)
    r = await client.post(f"/api/fms/create-vehicle-request/{aid}")
    assert r.status_code == 200
    assert r.json()["fms_state"] == "open"
    assert r.json()["status"] == "requested"
    r = await client.delete(f"/api/fms/delete-vehicle-request/{aid}")
    assert r.status_code == 200
    assert r.json() == {
        "success": True,
        "message": "assignment removed and its FMS request deleted",
        "assignment_id": aid,
        "deleted_from_fms": True,
    }


async def test_green_delete_does_not_call_fms(app_env: Env) -> None:
    client, gateway, _ = app_env
    aid = await schedule(client)
    r = await client.delete(f"/api/calendar/delete-assignment/{aid}")
    assert r.json()["deleted_from_fms"] is False
    assert gateway.calls == []


async def test_unknown_ids_answer_404(client: Client) -> None:
    for path in (PATCH.format(999) + "?new_status=manual", PATCH.format(2**40) + "?new_status=manual"):
        assert (await client.patch(path)).status_code == 404
    assert (await client.post("/api/fms/create-vehicle-request/999")).status_code == 404
    assert (await client.delete("/api/fms/delete-vehicle-request/999")).status_code == 404
    r = await client.delete("/api/calendar/delete-assignment/0")
    assert r.status_code == 404
    assert "detail" in r.json()


async def test_bad_new_status_is_422_and_missing_is_400(client: Client) -> None:
    aid = await schedule(client)
    r = await client.patch(PATCH.format(aid), params={"new_status": "active"})
    assert r.status_code == 422
    assert "new_status" in r.json()["detail"]
    assert (await client.patch(PATCH.format(aid))).status_code == 400
    assert (await client.patch(PATCH.format("abc"), params={"new_status": "manual"})).status_code in (
        400,
        404,
    )


async def test_missing_fms_vehicle_id_names_the_vin(app_env: Env) -> None:
    client, gateway, factory = app_env
    aid = await schedule(client, vin=VIN_NO_FMS)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 422
    assert VIN_NO_FMS in r.json()["detail"]
    assert "re-sync vehicles" in r.json()["detail"]
    assert gateway.calls == []
    assert await audit(factory, aid) == []


async def test_conflict_with_fms_activity_is_409_with_list(client: Client) -> None:
    r = await client.post(
        "/api/calendar/schedule-assignment",
        json={"vin": VIN_BUSY, "person_id": 3001, "start_day": "2026-12-03", "office": "Los Angeles"},
    )
    assert r.status_code == 409
    assert r.json()["conflicts"][0]["activity_id"] == 777001


async def test_active_and_completed_are_refused(app_env: Env) -> None:
    client, _, factory = app_env
    aid = await schedule(client)
    await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    async with factory() as uow:
        a = await uow.assignments.get(aid)
        assert a is not None
        a.activate(555)
        await uow.assignments.update(a)
    for new_status in ("planned", "manual", "requested"):
        r = await client.patch(PATCH.format(aid), params={"new_status": new_status})
        assert r.status_code == 409, new_status
    assert (await client.delete(f"/api/calendar/delete-assignment/{aid}")).status_code == 409
    async with factory() as uow:
        a = await uow.assignments.get(aid)
        assert a is not None
        a.complete()
        await uow.assignments.update(a)
    assert (await client.delete(f"/api/fms/delete-vehicle-request/{aid}")).status_code == 409


async def test_fms_refusal_is_422_with_fms_message(app_env: Env) -> None:
    client, gateway, _ = app_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.REFUSE)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 422
    assert "scripted refusal" in r.json()["detail"]
    assert r.json()["fms_state"] == "none"


async def test_fms_timeout_is_504_unknown_and_blocks_a_second_create(app_env: Env) -> None:
    client, gateway, _ = app_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.HANG)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 504
    assert r.json()["fms_state"] == "unknown"
    assert "may have reached FMS" in r.json()["detail"]
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 409
    assert "in progress" in r.json()["detail"]
    assert [c for c in gateway.calls if c[0] == "create"] == [("create", None)]


async def test_fms_auth_refusal_is_502_and_unreachable_is_503(app_env: Env) -> None:
    client, gateway, _ = app_env
    aid = await schedule(client)
    gateway.fail_next(FmsFault.AUTH, FmsFault.UNREACHABLE)
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 502
    assert "token" in r.json()["detail"]
    r = await client.patch(PATCH.format(aid), params={"new_status": "requested"})
    assert r.status_code == 503
    assert "certainly did not" in r.json()["detail"]


async def test_fms_config_never_shows_a_token(client: Client) -> None:
    r = await client.get("/api/fms/config")
    assert r.status_code == 200
    assert r.json()["environment"] == "sandbox"
    assert r.json()["token_configured"] is False
    assert r.json()["requestor_id"] == 1949
