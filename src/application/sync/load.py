"""Use-case: load one report from its source into its table, or reject it and keep the current rows."""

from __future__ import annotations

import time
from collections.abc import AsyncIterable, AsyncIterator
from typing import Any

from application.port_errors import SourceUnavailable, StorageRefusedValue, StorageUnavailable
from application.sync.csv_text import CP1252
from application.sync.parser import ReportParser, ReportRejected
from application.sync.ports import CsvSource, ReportLoader, ReportStaging, SyncProgress
from application.sync.records import FailureKind, LoadPolicy, ReportResult
from application.sync.specs import ReportSpec


async def _reported(
    batches: AsyncIterable[list[tuple[Any, ...]]], parser: ReportParser, progress: SyncProgress | None
) -> AsyncIterator[list[tuple[Any, ...]]]:
    async for batch in batches:
        if progress is not None:
            progress.rows_read(parser.spec.name, parser.stats.rows_read, parser.bytes_read)
        yield batch


async def _check_and_publish(
    staging: ReportStaging, parser: ReportParser, staged: int, policy: LoadPolicy, force: bool
) -> int:
    stats = parser.stats
    # Duplicate keys are well-formed rows (FMS lists a person once per office): reported and left out,
    # but not counted against the bad-row limit.
    duplicates, lines = await staging.drop_duplicates(keep=max(0, policy.bad_rows_kept - len(stats.bad_rows)))
    stats.rows_rejected += duplicates
    stats.bad_rows.extend(lines)
    loaded = staged - duplicates
    current = await staging.current_rows()
    if loaded == 0 and current > 0:
        raise ReportRejected(f"the report has no rows, the table has {current}: kept the current rows")
    if not force and current >= policy.min_rows_for_ratio and loaded < current * policy.min_row_ratio:
        raise ReportRejected(
            f"implausible drop: {loaded} rows where the table has {current} (below "
            f"{policy.min_row_ratio:.0%} of it); kept the current rows (truncated file?)"
        )
    return await staging.publish()


def _success_message(parser: ReportParser, rows: int, location: str) -> str:
    stats = parser.stats
    parts = [f"loaded {rows} rows from {location}"]
    if stats.rows_rejected:
        parts.append(f"{stats.rows_rejected} bad rows left out")
    if stats.header_skipped:
        parts.append("a header row was skipped")
    if parser.encoding == CP1252:
        parts.append("read as Windows-1252 (the file is not UTF-8)")
    return "; ".join(parts)


async def load_report(
    spec: ReportSpec,
    source: CsvSource,
    *,
    loader: ReportLoader,
    policy: LoadPolicy,
    force: bool = False,
    progress: SyncProgress | None = None,
) -> ReportResult:
    """Parse, stage, check and publish one report; a failure keeps the table's current rows.

    force skips only the row-drop check (for a report known to have shrunk), never the format checks.
    """
    started = time.perf_counter()
    parser = ReportParser(spec, policy)
    result = ReportResult(spec.name, success=False, message="", source=source.location)
    if progress is not None:
        progress.report_started(spec.name, source.location)
    try:
        async with loader.staging(spec) as staging:
            staged = await staging.write(_reported(parser.records(source.chunks()), parser, progress))
            result.rows_loaded = await _check_and_publish(staging, parser, staged, policy, force)
        result.success = True
        result.message = _success_message(parser, result.rows_loaded, source.location)
    except ReportRejected as exc:
        result.failure, result.message = FailureKind.REJECTED, f"rejected, current rows kept: {exc}"
    except SourceUnavailable as exc:
        result.failure = FailureKind.UNAVAILABLE
        result.message = f"could not be read, current rows kept: {exc}"
    except StorageRefusedValue as exc:  # a value the parser let through and the database cannot take
        result.failure, result.message = FailureKind.REJECTED, f"rejected, current rows kept: {exc}"
    except StorageUnavailable as exc:
        result.failure, result.message = FailureKind.STORAGE, f"not loaded, current rows kept: {exc}"
    result.rows_read = parser.stats.rows_read
    result.rows_rejected = parser.stats.rows_rejected
    result.bad_rows = parser.stats.bad_rows
    result.duration_seconds = round(time.perf_counter() - started, 3)
    if progress is not None:
        progress.report_finished(result)
    return result
