"""Reports are read exactly as written (issue 25): one encoding per file, rows cut as the csv module reads
them, every cell within its column's type."""

from __future__ import annotations

import pytest

from adapters.memory.report_loader import MemoryReportLoader
from adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from application.sync.load import load_report
from application.sync.records import LoadPolicy, ReportName
from application.sync.specs import SPECS
from tests.sync_support import BytesSource, parse

PARTNER = "{id},{name},1 Main St,Los Angeles,West,,Press,\n"


def _partners(names: list[str], encoding: str = "utf-8") -> list[bytes]:
    return [PARTNER.format(id=i + 1, name=name).encode(encoding) for i, name in enumerate(names)]


@pytest.mark.parametrize("size", [7, 1024 * 1024])
async def test_one_windows_1252_byte_in_a_utf8_file_is_one_bad_row_the_rest_is_utf8(
    size: int,
) -> None:
    lines = _partners(['"Müller, José"', "Zoë Brontë", "Ana", "Łukasz Żak"])
    lines[2] = PARTNER.format(id=3, name="Ana Pérez").encode("cp1252")
    rows, parser = await parse(ReportName.MEDIA_PARTNERS, b"".join(lines), size, max_bad_row_ratio=0.5)
    assert [r.name for r in rows] == ["Müller, José", "Zoë Brontë", "Łukasz Żak"]
    assert [b.line for b in parser.stats.bad_rows] == [3]
    assert "not valid UTF-8" in parser.stats.bad_rows[0].reason
    assert parser.encoding == "UTF-8"


@pytest.mark.parametrize("size", [3, 1024 * 1024])
async def test_a_windows_1252_file_is_read_as_windows_1252_whole_and_the_result_says_so(size: int) -> None:
    data = b"".join(_partners(["Ann", "Bo", "Åsa Öberg", '"Müller, José"', "Señor Ñúñez"], "cp1252"))
    rows, parser = await parse(ReportName.MEDIA_PARTNERS, data, size)
    assert [r.name for r in rows] == ["Ann", "Bo", "Åsa Öberg", "Müller, José", "Señor Ñúñez"]
    assert parser.encoding == "Windows-1252"
    result = await load_report(
        SPECS[ReportName.MEDIA_PARTNERS],
        BytesSource(data, chunk=size),
        loader=MemoryReportLoader(MemoryUnitOfWorkFactory().store),
        policy=LoadPolicy(),
    )
    assert result.success
    assert "read as Windows-1252" in result.message


async def test_utf8_rows_in_a_windows_1252_file_are_bad_rows_not_mojibake() -> None:
    lines = _partners(["Åsa Öberg", "Señor Ñúñez", "Zoë Brontë"], "cp1252")
    lines[2] = PARTNER.format(id=3, name="Zoë Brontë").encode("utf-8")
    rows, parser = await parse(ReportName.MEDIA_PARTNERS, b"".join(lines), 5, max_bad_row_ratio=0.5)
    assert [r.name for r in rows] == ["Åsa Öberg", "Señor Ñúñez"]
    assert [b.line for b in parser.stats.bad_rows] == [3]
    assert "UTF-8" in parser.stats.bad_rows[0].reason


VEHICLE = "{id},2025,Audi,Q5,Q5 45,Los Angeles,WAUZZZ8K9DA{id:06d},PRESS,,,0,1/2025,,{notes},Black\n"


async def test_an_inch_mark_does_not_cut_a_later_multi_line_row_whatever_the_chunking() -> None:
    plain = [VEHICLE.format(id=i, notes="plain") for i in range(10, 18)]  # past the first bytes sniffed
    data = "".join(
        [
            *plain,
            VEHICLE.format(id=1, notes='19" wheels'),
            VEHICLE.format(id=2, notes='"Loaner,\nkeep clean"'),
            VEHICLE.format(id=3, notes="plain"),
        ]
    ).encode()
    for size in range(1, len(data) + 1):
        rows, parser = await parse(ReportName.VEHICLES, data, size, max_bad_row_ratio=1)
        assert parser.stats.bad_rows == [], size
        assert [r.fms_vehicle_id for r in rows[-3:]] == [1, 2, 3], size
        assert rows[-3].notes == '19" wheels'
        assert rows[-2].notes == "Loaner,\nkeep clean"
