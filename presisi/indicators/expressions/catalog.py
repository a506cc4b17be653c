"""What the checker may ask about variables and parameters, and a dict-backed implementation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

# Mirrors presisi.dictionary.models (kept here so this module imports without Django).
UNITS: tuple[str, ...] = ("individu", "keluarga", "rumah_tangga", "bangunan", "desa")
KODE, BILANGAN, DESIMAL, TEKS, TANGGAL = "kode", "bilangan", "desimal", "teks", "tanggal"
TIPES: tuple[str, ...] = (KODE, BILANGAN, DESIMAL, TEKS, TANGGAL)


@dataclass(frozen=True)
class VariableInfo:
    name: str
    unit: str
    tipe: str  # 'kode' | 'bilangan' | 'desimal' | 'teks' | 'tanggal'
    codes: frozenset[int] = frozenset()  # allowed codes when tipe == 'kode'


@runtime_checkable
class Catalog(Protocol):
    """Provided by the engine (data dictionary + dated parameters)."""

    def variable(self, unit: str, name: str) -> VariableInfo | None: ...

    def param(self, name: str) -> float | None: ...


class DictCatalog:
    """A :class:`Catalog` over in-memory variables and parameter values."""

    def __init__(self, variables: Iterable[VariableInfo] = (),
                 params: Mapping[str, float] | None = None) -> None:
        self._variables = {(v.unit, v.name): v for v in variables}
        self._params = dict(params or {})

    def variable(self, unit: str, name: str) -> VariableInfo | None:
        return self._variables.get((unit, name))

    def param(self, name: str) -> float | None:
        return self._params.get(name)


def param_value(raw: object) -> Decimal | None:
    """A catalogue parameter as an exact finite number, or None when it is not one."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    return value if value.is_finite() else None
