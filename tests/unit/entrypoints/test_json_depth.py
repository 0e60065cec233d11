"""The JSON depth check (entrypoints/http/json_depth.py) against the depth of what was encoded."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entrypoints.http.json_depth import MAX_JSON_DEPTH, JsonTooDeep, check_depth

tricky_text = st.text(alphabet=st.sampled_from('[]{}"\\/ax\n\u00e9\U0001f697'), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=30,
)


def depth(value: Any) -> int:
    """How deep arrays and objects nest in a decoded value."""
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


def too_deep(text: bytes, limit: int) -> bool:
    """Whether check_depth refuses the text at this limit."""
    try:
        check_depth(text, limit)
    except JsonTooDeep:
        return True
    return False


@settings(deadline=None, max_examples=400)
@given(
    value=json_values,
    limit=st.integers(min_value=0, max_value=6),
    ascii_only=st.booleans(),
    indent=st.sampled_from([None, 1]),
)
def test_any_json_text_is_refused_exactly_when_its_value_nests_deeper_than_the_limit(
    value: Any, limit: int, ascii_only: bool, indent: int | None
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent).encode()
    assert too_deep(text, limit) is (depth(value) > limit)


@settings(deadline=None, max_examples=200)
@given(value=json_values, limit=st.integers(min_value=0, max_value=6), cut=st.integers(min_value=0))
def test_a_truncated_text_is_refused_whenever_its_decoder_could_go_deeper_than_the_limit(
    value: Any, limit: int, cut: int
) -> None:
    """Malformed text may be refused as too deep, never let through deeper than the limit."""
    text = json.dumps(value).encode()
    prefix = text[: cut % (len(text) + 1)]
    if not too_deep(prefix, limit):
        assert depth_of_prefix(prefix) <= limit


def depth_of_prefix(prefix: bytes) -> int:
    """The deepest level an incremental decoder reaches reading the prefix (strings skipped)."""
    level = deepest = 0
    in_string = escaped = False
    for byte in prefix:
        char = chr(byte)
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def test_the_issues_body_is_too_deep_and_says_how_deep_is_read() -> None:
    with pytest.raises(JsonTooDeep, match=f"more than {MAX_JSON_DEPTH} levels"):
        check_depth(b"[" * 1000 + b"]" * 1000)


def test_the_limit_itself_is_read_and_brackets_in_strings_do_not_count() -> None:
    check_depth(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    check_depth(json.dumps(["[{" * 100, {"k[": '\\"[' * 100}]).encode())
    with pytest.raises(JsonTooDeep):
        check_depth(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(JsonTooDeep):
        check_depth(b"[" * 10_000)  # truncated: its decoder would recurse before it found out


@pytest.mark.parametrize(
    "text", [b"", b"not json", b'"unterminated [[[', b"]" * 100, b'"\\', b"\\" * 7 + b'"[' * 50]
)
def test_malformed_shallow_text_is_left_to_its_decoder(text: bytes) -> None:
    check_depth(text)
