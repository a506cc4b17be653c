"""Dictionary texts inside stored Indonesian messages, in the reader's language.

Findings are stored in Indonesian and name a variable ("kode tidak ada dalam klasifikasi Pendidikan
terakhir (1=Tidak/Belum Sekolah, …)"). When a page shows such a message in another language
(``presisi.core.pesan``), the variable's name and its code list come from the dictionary's own
translations (``terjemahan``) rather than the catalogue: ``isian_kamus`` rewrites those fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from presisi.dictionary.models import KODE
from presisi.dictionary.validation import VarSpec, dictionary_spec

# "1=Tidak/Belum Sekolah, 2=Belum Tamat SD …": a new entry starts at ", <code>="
_ENTRI = re.compile(r", (?=-?\d+=)")
_LANJUT = " …"


def _variabel_bernama(nama: str) -> VarSpec | None:
    for unit_vars in dictionary_spec().values():
        for var in unit_vars.values():
            if var.nama == nama:
                return var
    return None


def _daftar_tampil(var: VarSpec, daftar: str) -> str:
    lanjut = daftar.endswith(_LANJUT)
    inti = daftar[: -len(_LANJUT)] if lanjut else daftar
    labels = dict(var.pilihan())
    keluar = []
    for entri in _ENTRI.split(inti):
        kode, sep, label = entri.partition("=")
        try:
            keluar.append(f"{kode}={labels[int(kode)]}" if sep else entri)
        except (KeyError, ValueError):
            keluar.append(entri)
    return ", ".join(keluar) + (_LANJUT if lanjut else "")


def isian_kamus(isian: Mapping[str, str]) -> dict[str, str]:
    """The message fields that name a dictionary variable (``nama``) and list its codes (``daftar``), in
    the active language; an empty dict when ``nama`` is no variable's name."""
    nama = isian.get("nama")
    var = _variabel_bernama(nama) if isinstance(nama, str) else None
    if var is None:
        return {}
    hasil = {"nama": var.nama_tampil()}
    daftar = isian.get("daftar")
    if isinstance(daftar, str) and var.tipe == KODE:
        hasil["daftar"] = _daftar_tampil(var, daftar)
    return hasil
