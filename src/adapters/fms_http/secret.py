"""Secret: a value (an FMS token) that never shows in a repr, a str, a log line or an error."""

from __future__ import annotations

import hmac


class Secret:
    """Holds a secret string; only reveal() gives it back, every other view is '***'."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a secret must not be empty")
        self._value = value

    def reveal(self) -> str:
        """The secret itself: only to put it on the wire."""
        return self._value

    def redact(self, text: str) -> str:
        """The text with every occurrence of the secret replaced by '***'."""
        return text.replace(self._value, "***")

    def __repr__(self) -> str:
        return "Secret('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __copy__(self) -> Secret:
        return self  # immutable: copies (of settings, of a container) share it

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")  # it would be written somewhere in clear
