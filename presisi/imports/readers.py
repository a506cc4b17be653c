"""Reading an uploaded file into sheets of raw cells: XLSX (python-calamine when installed,
openpyxl read-only otherwise) or CSV (UTF-8, UTF-8 with BOM, UTF-16 with BOM).

Nothing here trusts the file: size and row caps, a zip-bomb check, formulas and wrong
encodings become findings (with the row and column), never exceptions.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding
from presisi.imports import limits

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .xls
# How a formula cell starts in worksheet XML: <f>, <f t="shared" …/>, or with a namespace prefix.
_FORMULA_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ")


@dataclass
class Lembar:
    """One sheet (or a CSV file): its name, the header row and the data rows with their row numbers."""

    nama: str
    header: list[str]
    rows: list[list[Any]]
    nomor: list[int]  # 1-based row number in the file of each data row
    kolom_rumus: dict[int, set[int]] = field(default_factory=dict)  # row number → column indexes with formulas


@dataclass
class Berkas:
    jenis: str  # "xlsx" or "csv"
    lembar: list[Lembar]
    temuan: list[Finding]

    @property
    def ditolak(self) -> bool:
        return any(f.severity == "error" for f in self.temuan)


def _fatal(rule: str, message: str, value: Any = None, row: int | None = None) -> Berkas:
    return Berkas(jenis="", lembar=[], temuan=[Finding(rule=rule, message=message, value=value, row=row)])


def baca_berkas(data: bytes, nama_berkas: str = "") -> Berkas:
    """Sheets of an XLSX or CSV upload, or findings saying why it cannot be read."""
    if not data or not data.strip():
        return _fatal("berkas_kosong", "berkas kosong: tidak ada baris data", nama_berkas)
    if len(data) > limits.maks_byte():
        return _fatal("berkas_terlalu_besar",
                      f"berkas {len(data) / 1e6:.1f} MB melebihi batas {limits.maks_byte() / 1e6:.0f} MB; "
                      "pecah per desa atau per lembar", nama_berkas)
    if data.startswith(OLE_MAGIC):
        return _fatal("format_xls_lama", "format .xls lama tidak didukung; simpan ulang sebagai .xlsx atau CSV UTF-8",
                      nama_berkas)
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    return _read_csv(data)


# ---------------------------------------------------------------------------------------------- CSV

def _decode(data: bytes) -> tuple[str | None, Finding | None]:
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start: exc.start + 4]
        # Windows-1252/Latin-1 cannot be told apart from other single-byte encodings with
        # certainty, and a wrong guess silently corrupts names: refuse and say how to fix it.
        return None, Finding(
            rule="encoding", row=line, value=bad.hex(" "),
            message=f"berkas bukan UTF-8 (byte tidak sah di baris {line}, posisi {exc.start}); di Excel pilih "
                    "Simpan Sebagai → 'CSV UTF-8 (Comma delimited)', lalu unggah ulang")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Berkas:
    text, problem = _decode(data)
    if problem is not None:
        return Berkas(jenis="csv", lembar=[], temuan=[problem])
    if "\x00" in text:
        return _fatal("berkas_biner", "berkas tampaknya bukan teks CSV (berisi byte nol); unggah .xlsx atau CSV UTF-8")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    rows, numbers, findings = [], [], []
    header: list[str] | None = None
    cap = limits.maks_baris()
    try:
        for line_no, row in enumerate(reader, start=1):
            if header is None:
                header = [c.strip() for c in row]
                continue
            if not any(c.strip() for c in row):
                continue
            if len(rows) >= cap:
                limit = f"{cap:,}".replace(",", ".")
                return _fatal("baris_terlalu_banyak", f"berkas berisi lebih dari {limit} baris data; pecah per desa",
                              row=line_no)
            rows.append(row)
            numbers.append(line_no)
    except csv.Error as exc:
        # the csv module refuses a cell over its field limit (128 KB) or a broken quote: the line says where
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            return _fatal("sel_terlalu_panjang", f"baris {line} berisi sel lebih dari {limits.MAKS_SEL_BYTE // 1024} "
                          "KB (mis. tanda kutip yang tidak ditutup); periksa baris itu lalu unggah ulang", row=line)
        return _fatal("csv_rusak", f"baris {line} tidak dapat dibaca sebagai CSV ({exc}); periksa tanda kutip "
                      "di baris itu", row=line)
    if header is None or not any(header) or not rows:
        return _fatal("berkas_kosong", "berkas tidak berisi baris judul dan baris data")
    sheet = Lembar(nama="CSV", header=header, rows=rows, nomor=numbers)
    for row, line_no in zip(rows, numbers, strict=True):
        cols = {j for j, c in enumerate(row) if c.startswith("=")}
        if cols:
            sheet.kolom_rumus[line_no] = cols
    return Berkas(jenis="csv", lembar=[sheet], temuan=findings)


# --------------------------------------------------------------------------------------------- XLSX

def _zip_check(data: bytes) -> tuple[zipfile.ZipFile | None, Finding | None]:
    """Open the archive and judge its sizes from the directory alone, before any sheet is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None, Finding(rule="xlsx_rusak", message="berkas .xlsx rusak atau bukan berkas Excel")
    problem = _unpacked_problem(unpacked, len(data))
    return (None, problem) if problem is not None else (archive, None)


def _unpacked_problem(unpacked: int, size: int) -> Finding | None:
    """Too much once unpacked: over the absolute cap, or both over the upload cap and over the ratio."""
    cap = limits.maks_byte_terbuka()
    if unpacked > cap or (unpacked > limits.RASIO_ZIP_MAKS * max(size, 1) and unpacked > limits.maks_byte()):
        return Finding(rule="berkas_terlalu_besar", message=(
            f"isi berkas .xlsx terlalu besar setelah dibuka (lebih dari {min(unpacked, cap + 1) / 1e6:.0f} MB dari "
            f"berkas {size / 1e6:.1f} MB); pecah per desa atau simpan ulang dari Excel"))
    return None


_CHUNK = 1 << 20


class _Unpacked(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


def _scan(archive: zipfile.ZipFile, size: int) -> bool:
    """Unpack every member once, counting the bytes really produced (a directory can lie about
    them), and tell whether any worksheet holds a formula (a cheap scan for <f> elements).

    Raises ``_Unpacked`` with the finding when the real total is too large or a member's data does
    not match its directory entry (zipfile stops at the declared size and then fails the CRC)."""
    total = 0
    formulas = False
    cap = limits.maks_byte_terbuka()
    for info in archive.infolist():
        sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        # zipfile stops a member at its declared size: declare more than the cap left (by more than
        # one chunk read), so the real size is what is counted and a lying entry is caught below
        probe = copy.copy(info)
        probe.file_size = max(cap - total, 0) + 2 * _CHUNK
        produced = 0
        try:
            with archive.open(probe) as fh:
                tail = b""
                while chunk := fh.read(_CHUNK):
                    produced += len(chunk)
                    problem = _unpacked_problem(total + produced, size)
                    if problem is not None:
                        raise _Unpacked(problem)
                    if sheet and not formulas:
                        window = tail + chunk
                        formulas = any(tag in window for tag in _FORMULA_TAGS)
                        tail = chunk[-8:]
            if produced != info.file_size:
                raise zipfile.BadZipFile(f"{produced} byte, tertulis {info.file_size}")
            total += produced
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise _Unpacked(Finding(rule="xlsx_rusak", value=info.filename[:200], message=(
                f"berkas .xlsx rusak: bagian {info.filename[:100]} tidak sesuai isinya ({type(exc).__name__}); "
                "simpan ulang dari Excel lalu unggah ulang"))) from exc
    return formulas


def _sheet(nama: str, rows: list[list[Any]], formulas: dict[int, set[int]] | None = None) -> Lembar | None:
    header_at = next((i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None)
    if header_at is None:
        return None
    header = [("" if c is None else str(c)).strip() for c in rows[header_at]]
    data, numbers = [], []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        if any(c not in (None, "") for c in row):
            data.append(row)
            numbers.append(i + 1)
    return Lembar(nama=nama, header=header, rows=data, nomor=numbers, kolom_rumus=formulas or {})


def _read_calamine(data: bytes) -> list[tuple[str, list[list[Any]]]]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    out = []
    for meta in book.sheets_metadata:
        if str(meta.visible).lower().endswith("visible") and "hidden" not in str(meta.visible).lower():
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.total_height > limits.maks_baris() + 2:
                raise _TooManyRows(sheet.total_height)
            out.append((meta.name, sheet.to_python(skip_empty_area=False)))
    return out


class _TooManyRows(Exception):
    def __init__(self, n: int):
        self.n = n


def _read_openpyxl(data: bytes, *, with_formulas: bool) -> tuple[list[tuple[str, list[list[Any]]]],
                                                                  dict[str, dict[int, set[int]]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=not with_formulas)
    out, formulas = [], {}
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        if (ws.max_row or 0) > limits.maks_baris() + 2:
            raise _TooManyRows(ws.max_row)
        rows, where = [], {}
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(row)
            if with_formulas:
                cols = {j for j, v in enumerate(values) if isinstance(v, str) and v.startswith("=")}
                if cols:
                    where[r] = cols
            rows.append(values)
        out.append((ws.title, rows))
        formulas[ws.title] = where
    book.close()
    return out, formulas


def _read_xlsx(data: bytes) -> Berkas:
    archive, problem = _zip_check(data)
    if problem is not None:
        return Berkas(jenis="xlsx", lembar=[], temuan=[problem])
    try:
        has_formulas = _scan(archive, len(data))
    except _Unpacked as exc:
        return Berkas(jenis="xlsx", lembar=[], temuan=[exc.finding])
    try:
        formulas: dict[str, dict[int, set[int]]] = {}
        if has_formulas:
            # the slow path finds which cells hold formulas; only files that have some take it
            raw, formulas = _read_openpyxl(data, with_formulas=True)
        else:
            try:
                raw = _read_calamine(data)
            except ImportError:
                raw, _ = _read_openpyxl(data, with_formulas=False)
    except _TooManyRows as exc:
        cap = f"{limits.maks_baris():,}".replace(",", ".")
        return _fatal("baris_terlalu_banyak",
                      f"lembar berisi {exc.n} baris, melebihi batas {cap} baris; pecah per desa")
    except Exception as exc:  # a broken workbook must be a finding, not a crash
        return _fatal("xlsx_rusak", f"berkas .xlsx tidak dapat dibaca ({type(exc).__name__})")
    sheets = [s for name, rows in raw if (s := _sheet(name, rows, formulas.get(name))) is not None]
    big = next((s for s in sheets if len(s.rows) > limits.maks_baris()), None)
    if big is not None:
        cap = f"{limits.maks_baris():,}".replace(",", ".")
        return _fatal("baris_terlalu_banyak", f"lembar {big.nama} berisi {len(big.rows)} baris, melebihi batas {cap} "
                      "baris; pecah per desa")
    if not sheets or not any(s.rows for s in sheets):
        return _fatal("berkas_kosong", "berkas tidak berisi baris data")
    return Berkas(jenis="xlsx", lembar=sheets, temuan=[])
