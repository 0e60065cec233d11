"""JSON bodies nest at most MAX_JSON_DEPTH arrays and objects deep; deeper is refused before decoding.

The JSON decoder (msgspec, through Litestar, and the webhook's own) recurses once per level and fails
with RecursionError near Python's recursion limit: a 2 KB body of 1,000 nested arrays was a 500. The
error table must not turn RecursionError into a 400 (anywhere else it is a bug), so the depth is
measured on the raw bytes first, and too deep a body raises JsonTooDeep (400, mapped in
errors.py). The service's own bodies nest three levels ({"chain": [{...}]}).
"""

from __future__ import annotations

MAX_JSON_DEPTH = 32

_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_ONE_KIND = bytes.maketrans(b"{}", b"[]")  # depth does not care which kind of bracket


class JsonTooDeep(ValueError):
    """A JSON body nests deeper than the service reads (answered 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the JSON body nests arrays and objects more than {limit} levels deep; "
            f"at most {limit} levels are read"
        )
        self.limit = limit


def _brackets(text: bytes) -> bytes:
    """The brackets outside strings, all as [ and ]. Escapes go first, pairs left to right as JSON reads
    them (a \\\\ pair, then an escaped quote), so every quote left opens or closes a string."""
    text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(text.split(b'"')[::2])
    return outside.translate(_ONE_KIND, _NOT_A_BRACKET)


def check_depth(body: bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise JsonTooDeep when the body nests deeper than `limit` levels (or, malformed, might make its
    decoder go deeper before it fails).

    Linear in the body for each level up to the limit, in C loops: a body with few brackets is not read;
    empty pairs are peeled away, one level per pass, so a shallow body, however wide, is done in a few
    passes, and a deep one shows a run of openers within a few passes. Once a pass finds no empty pair,
    what is left reads ]...][...[ (malformed): its decoder fails at the first ] left, and goes deeper
    than the passes only through openers left with no ] before them.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return
    peeled, passes, run = _brackets(body), 0, b"[" * (limit + 1)
    while peeled and passes <= limit:
        if run in peeled:  # limit + 1 openers in a row (malformed, when a stray ] came first: refused too)
            raise JsonTooDeep(limit)
        shorter = peeled.replace(b"[]", b"")
        if len(shorter) == len(peeled):
            break
        peeled, passes = shorter, passes + 1
    unclosed = 0 if b"]" in peeled else len(peeled)
    if passes + unclosed > limit:
        raise JsonTooDeep(limit)
