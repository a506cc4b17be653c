"""Entity tags for optimistic locking over HTTP (``ETag`` out, ``If-Match`` in), shared by every API."""

from __future__ import annotations


def etag_lemah(value: object) -> str:
    """A weak tag: for representations that vary (NIK masking) while the record's version does not."""
    return f'W/"{value}"'


def etag_kuat(value: object) -> str:
    return f'"{value}"'


def if_match(header: str | None) -> set[str] | None:
    """The opaque values an ``If-Match`` header names (``W/"3", "ab"`` → {"3", "ab"}); None when there
    is no header or it is ``*`` (no condition). Anything malformed names nothing, so it matches nothing
    (a 412, never a 5xx)."""
    if header is None or header.strip() == "*":
        return None
    out = set()
    for part in header.split(","):
        tag = part.strip().removeprefix("W/")
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            out.add(tag[1:-1])
    return out
