"""Error answers quote what was submitted only as a short excerpt.

A 400 that echoes a 2 MB field back doubles the traffic of an abusive request and puts the whole
value in logs and screens; a person needs the first words to recognise the value.
"""

from __future__ import annotations

from typing import Any

ECHO_LIMIT = 100  # characters of a submitted value an error may quote
LEAF_LIMIT = 500  # characters of any one string in an error answer (messages quoting a value)
ELLIPSIS = "…"


def excerpt(value: Any, limit: int = ECHO_LIMIT) -> Any:
    """Text longer than ``limit`` becomes its first ``limit`` characters and an ellipsis; other values pass."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + ELLIPSIS
    return value


def long_strings(data: Any, limit: int = ECHO_LIMIT) -> set[str]:
    """Every string longer than ``limit`` inside submitted data (dicts, lists, QueryDicts)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if len(item) > limit:
                found.update({item, item.strip()})
        elif hasattr(item, "lists"):  # QueryDict: every value of every key
            stack.extend(v for _, values in item.lists() for v in values)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):  # never an uploaded file (iterating reads it)
            stack.extend(item)
    return {s for s in found if len(s) > limit}


def cap_echoes(data: Any, submitted: set[str]) -> Any:
    """A copy of an error answer with every long submitted value replaced by its excerpt and no
    string longer than ``LEAF_LIMIT`` (string subclasses such as DRF's ErrorDetail keep their type)."""
    if isinstance(data, str):
        text = str(data)
        for value in sorted(submitted, key=len, reverse=True):
            if value in text:
                text = text.replace(value, excerpt(value))
        text = excerpt(text, LEAF_LIMIT)
        if text == data:
            return data
        code = getattr(data, "code", None)
        return type(data)(text, code) if code is not None else text
    if isinstance(data, dict):
        return {k: cap_echoes(v, submitted) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(cap_echoes(v, submitted) for v in data)
    return data
