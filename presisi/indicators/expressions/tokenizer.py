"""Tokenizer: the only place that looks at raw characters.

Everything that is not a number, a name, a keyword or one of the few operators is refused here,
with a hint where a common mistake is recognisable: quotes (there are no string literals), ``;``,
SQL comment markers (``--``, ``/*``, ``*/``), ``=``, ``<>``, ``&&``/``||``, ``.5``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from presisi.indicators.expressions.errors import MAX_LENGTH, ExpressionError, Issue

NUMBER, NAME, KEYWORD, OP, END = "number", "name", "keyword", "op", "end"

# Written form (lower case) -> canonical keyword. Indonesian synonyms for the boolean words.
KEYWORDS: dict[str, str] = {
    "count": "count",
    "sum": "sum",
    "param": "param",
    "where": "where",
    "and": "and",
    "dan": "and",
    "or": "or",
    "atau": "or",
    "not": "not",
    "bukan": "not",
    "in": "in",
    "between": "between",
    "is": "is",
    "kosong": "kosong",
}
OPERATORS_2 = ("==", "!=", "<=", ">=")
OPERATORS_1 = "<>+-*/(),:"
MAX_DIGITS = 18  # digits of a number literal (exact in int64 and in Decimal)
MAX_NAME = 63  # PostgreSQL's identifier limit

_NUMBER_RE = re.compile(r"[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_REFUSED: dict[str, str] = {
    "--": "urutan '--' tidak diizinkan (di SQL berarti komentar); untuk mengurangi bilangan negatif "
    "tulis 'a - (-5)'",
    "/*": "urutan '/*' tidak diizinkan (komentar SQL)",
    "*/": "urutan '*/' tidak diizinkan (komentar SQL)",
    "<>": "gunakan '!=' untuk 'tidak sama dengan'",
    "&&": "gunakan 'and' (atau 'dan') untuk menggabungkan kondisi",
    "||": "gunakan 'or' (atau 'atau') untuk pilihan kondisi",
    "'": "literal teks (tanda kutip) tidak didukung: semua kode ditulis sebagai angka bulat, "
    "mis. jenis_kelamin == 2",
    '"': "literal teks (tanda kutip) tidak didukung: semua kode ditulis sebagai angka bulat, "
    "mis. jenis_kelamin == 2",
    "`": "tanda '`' tidak diizinkan",
    ";": "tanda titik koma ';' tidak diizinkan: ekspresi hanya berisi satu rumus",
    "=": "gunakan '==' untuk membandingkan kesamaan",
    "!": "gunakan '!=' untuk 'tidak sama dengan', atau 'not' untuk negasi",
    "&": "gunakan 'and' (atau 'dan') untuk menggabungkan kondisi",
    "|": "gunakan 'or' (atau 'atau') untuk pilihan kondisi",
    ".": "angka desimal harus diawali digit, mis. 0.5",
    "%": "operator '%' tidak didukung",
    "^": "pangkat tidak didukung; tulis perkalian, mis. a * a",
}


@dataclass(frozen=True)
class Token:
    """``value``: canonical text (lower-case name, canonical keyword, operator); ``number`` for numbers."""

    kind: str
    text: str
    value: str
    position: int
    number: Decimal | None = None

    @property
    def is_integer(self) -> bool:
        return self.kind == NUMBER and "." not in self.text

    def describe(self) -> str:
        if self.kind == END:
            return "akhir ekspresi"
        if self.kind == NUMBER:
            return f"angka {self.text}"
        if self.kind == NAME:
            return f"nama '{self.text}'"
        if self.kind == KEYWORD:
            return f"kata kunci '{self.text}'"
        return f"'{self.text}'"


def _fail(text: str, position: int, message: str) -> ExpressionError:
    return ExpressionError(Issue(position, message), text)


def _refused(text: str, i: int, length: int) -> str | None:
    sequence = text[i:i + length]
    return _REFUSED.get(sequence) if len(sequence) == length else None


def _number(text: str, i: int) -> Token:
    match = _NUMBER_RE.match(text, i)
    assert match is not None
    end = match.end()
    if end < len(text) and (text[end].isalnum() or text[end] in "_."):
        j = end
        while j < len(text) and (text[j].isalnum() or text[j] in "_."):
            j += 1
        raise _fail(text, i, f"angka tidak valid: '{text[i:j]}' (gunakan titik untuk desimal, mis. 7.2, "
                             "dan '_' hanya di antara digit, mis. 1_000_000)")
    raw = match.group()
    digits = raw.replace("_", "").replace(".", "")
    if len(digits) > MAX_DIGITS:
        raise _fail(text, i, f"angka terlalu panjang (paling banyak {MAX_DIGITS} digit)")
    return Token(NUMBER, raw, raw.replace("_", ""), i, Decimal(raw.replace("_", "")))


def _word(text: str, i: int) -> Token:
    match = _NAME_RE.match(text, i)
    assert match is not None
    raw = match.group()
    if len(raw) > MAX_NAME:
        raise _fail(text, i, f"nama terlalu panjang (paling banyak {MAX_NAME} karakter)")
    lowered = raw.lower()
    if lowered in KEYWORDS:
        return Token(KEYWORD, raw, KEYWORDS[lowered], i)
    return Token(NAME, raw, lowered, i)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens (ending with an END token) or raise :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise TypeError(f"expression must be str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise _fail(text, MAX_LENGTH, f"ekspresi terlalu panjang ({len(text)} karakter; paling banyak "
                                      f"{MAX_LENGTH})")
    if not text.strip():
        raise _fail(text, 0, "ekspresi kosong")
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif "0" <= ch <= "9":
            tokens.append(_number(text, i))
            i += len(tokens[-1].text)
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            tokens.append(_word(text, i))
            i += len(tokens[-1].text)
        elif (refusal := _refused(text, i, 2)) is not None:
            raise _fail(text, i, refusal)
        elif text.startswith(OPERATORS_2, i):
            tokens.append(Token(OP, text[i:i + 2], text[i:i + 2], i))
            i += 2
        elif (refusal := _refused(text, i, 1)) is not None:
            raise _fail(text, i, refusal)
        elif ch in OPERATORS_1:
            tokens.append(Token(OP, ch, ch, i))
            i += 1
        else:
            raise _fail(text, i, f"karakter {ch!r} tidak diizinkan")
    tokens.append(Token(END, "", "", len(text)))
    return tokens
