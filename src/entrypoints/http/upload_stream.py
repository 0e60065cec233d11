"""A report upload read off the request stream: one part, `file`, with a filename, spooled to disk.

The framework's form parsing holds a part without a filename whole in memory before a handler can
refuse it. Here each part's headers are checked as they arrive: any part but one `file` part with a
filename is refused (400) before a byte of its content is kept, and the file's bytes go to a spooled
file (in memory up to SPOOL_BYTES, on disk beyond), never into one buffer. The route's body limit
(SYNC_MAX_UPLOAD_MB) ends a larger upload with 413, before reading when its length is announced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.exceptions import ClientException
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser

FIELD = "file"
SPOOL_BYTES = 1024 * 1024
EXPECTED = f"an upload is multipart/form-data with one part, the report file in the field `{FIELD}`"


def _refuse(reason: str) -> ClientException:
    return ClientException(detail=f"{reason}; {EXPECTED}")


def _check(segment: MultipartSegment, upload: UploadFile | None) -> UploadFile:
    """The spool of the file part whose headers just arrived; 400 for any other part."""
    if upload is not None:
        raise _refuse(f"a second part ({segment.name!r}) after the file")
    if segment.name != FIELD:
        raise _refuse(f"the part {segment.name!r} is not the file")
    if not segment.filename:
        raise _refuse(f"the `{FIELD}` part has no filename")
    return UploadFile(
        content_type=segment.content_type or "text/csv",
        filename=segment.filename,
        headers=dict(segment.headerlist),
        max_spool_size=SPOOL_BYTES,
    )


async def receive_upload(request: Request[Any, Any, Any]) -> UploadFile:
    """The uploaded file, read to its end, rewound; the caller closes it."""
    content_type, options = request.content_type
    boundary = options.get("boundary")
    if content_type != "multipart/form-data" or not boundary:
        raise _refuse(f"the body is {content_type or 'untyped'}")
    upload: UploadFile | None = None
    stream = request.stream()
    try:
        with PushMultipartParser(boundary.encode("latin-1"), max_segment_count=2) as parser:
            while not parser.closed:
                for part in parser.parse(await anext(stream, b"")):
                    if isinstance(part, MultipartSegment):
                        upload = _check(part, upload)
                    elif part and upload is not None:
                        await upload.write(part)
        if upload is None:
            raise _refuse("no part")
        await upload.seek(0)
        return upload
    except (ParserError, ParserLimitReached, UnicodeEncodeError) as exc:
        if upload is not None:
            await upload.close()
        raise _refuse(f"malformed multipart body ({exc})") from None
    except BaseException:
        if upload is not None:
            await upload.close()
        raise


def upload_request_body() -> RequestBody:
    """The OpenAPI description of the body receive_upload reads."""
    file = Schema(
        type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, content_media_type="application/octet-stream"
    )
    form = Schema(type=OpenAPIType.OBJECT, title="ReportUpload", properties={FIELD: file}, required=[FIELD])
    return RequestBody(content={"multipart/form-data": OpenAPIMediaType(schema=form)}, required=True)


@dataclass
class UploadOperation(Operation):
    """An operation whose body the handler reads itself off the stream, described as the form it is."""

    def __post_init__(self) -> None:
        self.request_body = upload_request_body()
