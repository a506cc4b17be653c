"""Domain errors. Services raise these; views, API and commands translate them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from presisi.core.excerpt import excerpt


@dataclass(frozen=True)
class Finding:
    """One problem in one place of an input: the row, column, value and rule it broke.

    ``row`` is the 1-based line of a file (header = 1) or the feature number of a
    GeoJSON file; ``message`` is in Bahasa Indonesia because operators read it.
    """

    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: Any = None
    severity: str = "error"

    def __post_init__(self) -> None:
        # a finding quotes the value so a person recognises it, never a whole 2 MB field
        object.__setattr__(self, "value", excerpt(self.value))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"baris {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        if self.value not in (None, ""):
            where.append(f"nilai '{self.value}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message} [{self.rule}]" if prefix else f"{self.message} [{self.rule}]"


class ApplicationError(Exception):
    """A refusal the user can act on. Nothing has been written when it is raised."""

    def __init__(self, message: str, findings: list[Finding] | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.findings: list[Finding] = list(findings or [])
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "pesan": self.message,
            "temuan": [f.as_dict() for f in self.findings],
            **self.extra,
        }


class ValidationFailed(ApplicationError):
    """The input broke one or more rules; ``findings`` lists every one of them."""


class NotFound(ValidationFailed):
    """The input names something that does not exist (e.g. an unknown period code).

    A ``ValidationFailed`` so every caller that shows findings shows it; the API answers 404,
    web pages a 404 page with the message.
    """


class PermissionDenied(ApplicationError):
    """The user's role or region scope does not allow the operation."""


class VersiBasi(ApplicationError):
    """The record changed since the caller read it (optimistic locking): nothing was written.

    ``extra`` holds the version the caller sent and the record's current one, so a form can show
    the other user's change and an API client can fetch the record again.
    """
