"""FmsGateway contract: create, delete (404 = done), refusals, ambiguous outcomes, lookup by reference."""

from __future__ import annotations

import pytest

from adapters.fms_faults import FmsFault
from application.port_errors import FmsAmbiguous, FmsCredentialsRefused, FmsDefiniteRefusal
from domain.fms_request import VehicleRequest
from tests.contract.fms_harness import REFUSAL_MESSAGE, FmsHarness

NEVER_AN_ID = 2_000_000_001


class FmsGatewayContract:
    """Every FmsGateway adapter must pass these; subclasses provide the `fms` fixture."""

    @pytest.fixture
    def fms(self) -> FmsHarness:
        """Overridden by each adapter's subclass."""
        raise NotImplementedError

    async def created(self, fms: FmsHarness) -> int:
        answer = await fms.gateway.create_request(fms.request())
        assert answer.fms_request_id is not None
        return answer.fms_request_id

    async def test_create_answers_the_new_id_and_fms_holds_it(self, fms: FmsHarness) -> None:
        answer = await fms.gateway.create_request(fms.request())
        assert answer.status_code in (200, 201)
        assert isinstance(answer.fms_request_id, int)
        assert answer.fms_request_id > 0
        second = await self.created(fms)
        assert second != answer.fms_request_id
        if fms.held is not None:
            assert {answer.fms_request_id, second} <= await fms.holds()
        await fms.gateway.delete_request(answer.fms_request_id)
        await fms.gateway.delete_request(second)

    async def test_delete_removes_the_request(self, fms: FmsHarness) -> None:
        fms_id = await self.created(fms)
        answer = await fms.gateway.delete_request(fms_id)
        assert answer.status_code in (200, 204)
        assert answer.fms_request_id is None
        if fms.held is not None:
            assert fms_id not in await fms.holds()

    async def test_deleting_what_is_gone_answers_404_which_is_done(self, fms: FmsHarness) -> None:
        fms_id = await self.created(fms)
        await fms.gateway.delete_request(fms_id)
        assert (await fms.gateway.delete_request(fms_id)).status_code == 404
        assert (await fms.gateway.delete_request(NEVER_AN_ID)).status_code == 404

    async def test_a_bad_token_is_refused_and_nothing_is_created(self, fms: FmsHarness) -> None:
        before = await fms.holds() if fms.held is not None else set()
        with pytest.raises(FmsCredentialsRefused) as refused:
            await fms.bad_token_gateway.create_request(fms.request())
        assert refused.value.status_code in (401, 403)
        if fms.held is not None:
            assert await fms.holds() == before

    async def test_an_unknown_vehicle_is_a_definite_refusal_with_fms_message(self, fms: FmsHarness) -> None:
        with pytest.raises(FmsDefiniteRefusal) as refused:
            await fms.gateway.create_request(fms.request(vehicle_id=fms.unknown_vehicle_id))
        assert not isinstance(refused.value, FmsCredentialsRefused)
        assert refused.value.status_code in (400, 404, 422)
        assert refused.value.message.strip()
        if fms.held is not None:
            assert await fms.holds() == set()

    async def test_a_validation_error_carries_fms_message(self, fms: FmsHarness) -> None:
        await fms.make(FmsFault.REFUSE)
        with pytest.raises(FmsDefiniteRefusal) as refused:
            await fms.gateway.create_request(fms.request())
        assert refused.value.status_code == 422
        assert REFUSAL_MESSAGE in refused.value.message
        assert await fms.holds() == set()

    async def test_a_server_error_is_ambiguous(self, fms: FmsHarness) -> None:
        await fms.make(FmsFault.SERVER_ERROR)
        with pytest.raises(FmsAmbiguous) as unclear:
            await fms.gateway.create_request(fms.request())
        assert unclear.value.status_code == 500
        assert await fms.holds() == set()  # here nothing was done, but the caller could not know

    @pytest.mark.parametrize("fault", [FmsFault.COMMIT_THEN_FAIL, FmsFault.COMMIT_THEN_HANG])
    async def test_a_create_that_acted_then_failed_is_ambiguous_and_exists(
        self, fms: FmsHarness, fault: FmsFault
    ) -> None:
        await fms.make(fault)
        with pytest.raises(FmsAmbiguous):
            await fms.gateway.create_request(fms.request())
        assert len(await fms.holds()) == 1  # FMS really holds it: never assume it failed

    async def test_a_dropped_connection_is_ambiguous(self, fms: FmsHarness) -> None:
        await fms.make(FmsFault.DROP)
        with pytest.raises(FmsAmbiguous) as unclear:
            await fms.gateway.create_request(fms.request())
        assert unclear.value.status_code is None
        assert await fms.holds() == set()

    async def test_a_delete_that_acted_then_failed_is_ambiguous_and_gone(self, fms: FmsHarness) -> None:
        fms_id = await self.created(fms)
        await fms.make(FmsFault.COMMIT_THEN_FAIL)
        with pytest.raises(FmsAmbiguous):
            await fms.gateway.delete_request(fms_id)
        assert fms_id not in await fms.holds()
        assert (await fms.gateway.delete_request(fms_id)).status_code == 404  # a retry settles it

    async def test_lookup_finds_a_request_by_its_reference(self, fms: FmsHarness) -> None:
        if fms.finder is None:
            pytest.skip("this FMS offers no lookup by reference (FMS_LOOKUP_ENABLED off)")
        request = fms.request()
        fms_id = (await fms.gateway.create_request(request)).fms_request_id
        assert await fms.finder.find_by_reference(request.requestor_notes) == fms_id
        assert await fms.finder.find_by_reference(request.requestor_notes + ":other") is None
        await fms.gateway.delete_request(fms_id or NEVER_AN_ID)
        assert await fms.finder.find_by_reference(request.requestor_notes) is None

    async def test_lookup_settles_an_ambiguous_create(self, fms: FmsHarness) -> None:
        if fms.finder is None:
            pytest.skip("this FMS offers no lookup by reference (FMS_LOOKUP_ENABLED off)")
        await fms.make(FmsFault.COMMIT_THEN_FAIL)
        request = fms.request()
        with pytest.raises(FmsAmbiguous):
            await fms.gateway.create_request(request)
        found = await fms.finder.find_by_reference(request.requestor_notes)
        assert found is not None
        assert await fms.holds() == {found}

    async def test_two_requests_with_one_reference_are_ambiguous_not_the_first(self, fms: FmsHarness) -> None:
        if fms.finder is None:
            pytest.skip("this FMS offers no lookup by reference (FMS_LOOKUP_ENABLED off)")
        request = fms.request()
        first = await self.created_from(fms, request)
        second = await self.created_from(fms, request)
        with pytest.raises(FmsAmbiguous, match="2 requests with one reference"):
            await fms.finder.find_by_reference(request.requestor_notes)
        await fms.gateway.delete_request(first)
        await fms.gateway.delete_request(second)

    @pytest.mark.parametrize("fault", [FmsFault.LOOKUP_UNFILTERED, FmsFault.LOOKUP_PAGED])
    async def test_a_lookup_that_does_not_cover_the_reference_is_ambiguous_never_none(
        self, fms: FmsHarness, fault: FmsFault
    ) -> None:
        if fms.finder is None:
            pytest.skip("this FMS offers no lookup by reference (FMS_LOOKUP_ENABLED off)")
        await fms.make(fault)
        others = [await self.created(fms), await self.created(fms)]  # lookup faults let creates by
        never_sent = fms.request().requestor_notes
        with pytest.raises(FmsAmbiguous, match="does not prove"):
            await fms.finder.find_by_reference(never_sent)
        assert await fms.finder.find_by_reference(never_sent) is None  # the fault was for one lookup
        for fms_id in others:
            await fms.gateway.delete_request(fms_id)

    @pytest.mark.parametrize("fault", [FmsFault.LOOKUP_UNFILTERED, FmsFault.LOOKUP_PAGED])
    async def test_a_listing_of_fms_holding_nothing_else_still_answers(
        self, fms: FmsHarness, fault: FmsFault
    ) -> None:
        if fms.finder is None:
            pytest.skip("this FMS offers no lookup by reference (FMS_LOOKUP_ENABLED off)")
        await fms.make(fault)
        assert await fms.finder.find_by_reference(fms.request().requestor_notes) is None  # FMS holds none
        request = fms.request()
        fms_id = await self.created_from(fms, request)
        await fms.make(FmsFault.LOOKUP_UNFILTERED)
        assert await fms.finder.find_by_reference(request.requestor_notes) == fms_id  # it lists only ours
        await fms.gateway.delete_request(fms_id)

    async def created_from(self, fms: FmsHarness, request: VehicleRequest) -> int:
        answer = await fms.gateway.create_request(request)
        assert answer.fms_request_id is not None
        return answer.fms_request_id
