"""Limits, problems (:class:`Issue`) and the one exception (:class:`ExpressionError`) of the language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_LENGTH = 2000  # characters of expression text
MAX_DEPTH = 50  # nesting levels (parentheses, 'not', unary minus, operator trees)


@dataclass(frozen=True)
class Issue:
    """One problem in an expression: a 0-based character position and an Indonesian message."""

    position: int
    message: str

    def __str__(self) -> str:
        return f"karakter ke-{self.position + 1}: {self.message}"


class ExpressionError(Exception):
    """A syntax or semantic problem in an expression (all problems found, first one first).

    ``message`` is the Indonesian text shown to users (each problem prefixed by its 1-based
    character position), ``position`` the 0-based index of the first problem, ``expression`` the
    text that was checked and ``issues`` every problem as an :class:`Issue`.
    """

    def __init__(self, issues: Issue | Sequence[Issue], expression: str = "") -> None:
        found = (issues,) if isinstance(issues, Issue) else tuple(issues)
        if not found:
            raise ValueError("ExpressionError needs at least one issue")
        self.issues: tuple[Issue, ...] = found
        self.expression = expression
        self.position = found[0].position
        self.message = "; ".join(str(issue) for issue in found)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[tuple[Issue, ...], str]]:
        return (type(self), (self.issues, self.expression))

    def pointer(self) -> str:
        """The expression with a caret under the first problem (for consoles and logs)."""
        line = "".join(" " if ch.isspace() else ch for ch in self.expression)
        return f"{line}\n{' ' * self.position}^"
