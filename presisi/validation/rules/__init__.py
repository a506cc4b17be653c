"""Built-in rules. Importing this package registers every rule function in ``RULES``."""

from presisi.validation.rules import ganda, identitas, kamus, penduduk  # noqa: F401  (registration)
from presisi.validation.rules.base import DESA_LEVEL, RULES, Hit, Kandidat, Konteks, RuleDef

__all__ = ["DESA_LEVEL", "RULES", "Hit", "Kandidat", "Konteks", "RuleDef"]
