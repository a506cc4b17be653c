"""Kemendagri region codes: format, level and parent rules (reference: codes.md §1).

Codes are stored dotted (``51.05.01.2001``). Banjar dinas / dusun have no Kemendagri
code; Presisi gives them the desa code plus a 3–4 digit serial (``51.05.01.2001.003``),
so every scope filter is a prefix match on one column.
"""

from __future__ import annotations

import re

PROVINSI, KABUPATEN, KOTA, KECAMATAN, DESA, KELURAHAN, BANJAR = (
    "provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan", "banjar",
)
TINGKAT_CHOICES = [
    (PROVINSI, "Provinsi"),
    (KABUPATEN, "Kabupaten"),
    (KOTA, "Kota"),
    (KECAMATAN, "Kecamatan"),
    (DESA, "Desa"),
    (KELURAHAN, "Kelurahan"),
    (BANJAR, "Banjar Dinas/Dusun"),
]
# Depth of each level in the hierarchy; kabupaten/kota and desa/kelurahan share a depth.
DEPTH = {PROVINSI: 1, KABUPATEN: 2, KOTA: 2, KECAMATAN: 3, DESA: 4, KELURAHAN: 4, BANJAR: 5}
TINGKAT_ALIASES = {
    "prov": PROVINSI, "propinsi": PROVINSI, "kab": KABUPATEN, "kabupaten/kota": KABUPATEN,
    "kec": KECAMATAN, "distrik": KECAMATAN, "kel": KELURAHAN, "dusun": BANJAR, "banjar dinas": BANJAR,
    "sls": BANJAR, "lingkungan": BANJAR,
}

_PATTERNS = {
    1: re.compile(r"^\d{2}$"),
    2: re.compile(r"^\d{2}\.\d{2}$"),
    3: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    4: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
    5: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3,4}$"),
}
_UNDOTTED = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}

# Province codes of Indonesia (Kemendagri), public facts; lets a regency's list be loaded
# on an empty database without a separate province file.
PROVINSI_NAMES = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "Daerah Istimewa Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali",
    "52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
    "65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah", "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat", "81": "Maluku",
    "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan", "94": "Papua Tengah",
    "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}


def normalize_code(raw: str) -> str:
    """Accept dotted or undotted codes (``5105012001`` → ``51.05.01.2001``)."""
    code = (raw or "").strip().replace(" ", "")
    if code.isdigit() and len(code) in _UNDOTTED:
        parts, i = [], 0
        for width in _UNDOTTED[len(code)]:
            parts.append(code[i : i + width])
            i += width
        return ".".join(parts)
    return code


def normalize_tingkat(raw: str) -> str:
    t = (raw or "").strip().lower()
    return TINGKAT_ALIASES.get(t, t)


def depth_of_code(code: str) -> int | None:
    for depth, pattern in _PATTERNS.items():
        if pattern.match(code):
            return depth
    return None


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def code_problems(code: str, tingkat: str) -> list[str]:
    """Why ``code`` cannot be a region of level ``tingkat`` (empty list when it can)."""
    if tingkat not in DEPTH:
        return [f"tingkat '{tingkat}' tidak dikenal (pilihan: {', '.join(DEPTH)})"]
    depth = depth_of_code(code)
    if depth is None:
        return ["format kode tidak sah; contoh yang benar: 51.05.01.2001"]
    if depth != DEPTH[tingkat]:
        return [f"kode dengan {depth} segmen tidak cocok untuk tingkat {tingkat}"]
    problems: list[str] = []
    if depth == 1 and code not in PROVINSI_NAMES:
        problems.append("kode provinsi tidak dikenal")
    if depth == 2:
        kk = int(code[3:5])
        if tingkat == KABUPATEN and not 1 <= kk <= 69:
            problems.append("kode kabupaten harus 01–69 (71–99 untuk kota)")
        if tingkat == KOTA and not 71 <= kk <= 99:
            problems.append("kode kota harus 71–99 (01–69 untuk kabupaten)")
    if depth == 3 and code.endswith(".00"):
        problems.append("kode kecamatan tidak boleh 00")
    if depth == 4:
        first = code[-4]
        if tingkat == KELURAHAN and first != "1":
            problems.append("kode kelurahan harus diawali angka 1 pada segmen desa")
        if tingkat == DESA and first not in "23":
            problems.append("kode desa harus diawali angka 2 (atau 3 untuk desa adat) pada segmen desa")
        if code.endswith(".0000"):
            problems.append("nomor desa tidak boleh 0000")
    return problems
