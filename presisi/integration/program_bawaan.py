"""The standard programs whose targeting is measured, and their default dated eligibility rules.

Pure data (no models): read by ``services.sasaran.program_bawaan_muat`` and the data migration.
A rule is a condition in the indicator expression language over the program's unit; a ``unit:``
prefix evaluates it over another unit (a person is eligible for PBI-JK when their household is).
Variables used exist in the dictionary / analytics store: ``desil_dtsen`` (rumah tangga, DTSEN
release), ``mpi_miskin`` (Alkire–Foster multidimensional poverty, c ≥ 1/3), ``rumah_layak_huni``
(derived: building, floor area per person, water, sanitation). The DTSEN desil is stored on the
household, not on the KK; programs that pay a family (PKH, BPNT) are measured per rumah tangga —
the unit the registry's ``penerima_*`` flags use too.
"""

from __future__ import annotations

import datetime as dt

BERLAKU_BAWAAN = dt.date(2025, 1, 1)

PROGRAM_BAWAAN: tuple[dict, ...] = (
    {"kode": "pkh", "nama": "Program Keluarga Harapan (PKH)", "unit": "rumah_tangga",
     "keterangan": "Bantuan sosial bersyarat Kementerian Sosial bagi keluarga miskin dan rentan.",
     "ekspresi": "desil_dtsen in (1, 2, 3, 4)",
     "catatan": "Sasaran PKH: desil DTSEN 1–4 (Kepmensos penetapan sasaran berbasis DTSEN)."},
    {"kode": "bpnt", "nama": "Program Sembako (BPNT)", "unit": "rumah_tangga",
     "keterangan": "Bantuan pangan nontunai Kementerian Sosial.",
     "ekspresi": "desil_dtsen in (1, 2, 3, 4)",
     "catatan": "Sasaran Program Sembako: desil DTSEN 1–4."},
    {"kode": "pbi_jk", "nama": "Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)", "unit": "individu",
     "keterangan": "Iuran JKN dibayar pemerintah; sasaran per orang.",
     "ekspresi": "rumah_tangga: desil_dtsen in (1, 2, 3, 4, 5)",
     "catatan": "Sasaran PBI-JK: anggota rumah tangga desil DTSEN 1–5."},
    {"kode": "blt_dd", "nama": "Bantuan Langsung Tunai Dana Desa (BLT-DD)", "unit": "rumah_tangga",
     "keterangan": "BLT dari Dana Desa, ditetapkan melalui Musyawarah Desa.",
     "ekspresi": "desil_dtsen == 1 or mpi_miskin == 1",
     "catatan": "Prioritas miskin ekstrem: desil DTSEN 1, atau miskin multidimensi (IKM c ≥ 1/3)."},
    {"kode": "rtlh", "nama": "Bantuan Rumah Tidak Layak Huni (RTLH)", "unit": "rumah_tangga",
     "keterangan": "Bantuan peningkatan kualitas rumah (BSPS/bedah rumah).",
     "ekspresi": "rumah_layak_huni == 2 and (desil_dtsen in (1, 2, 3, 4, 5) or mpi_miskin == 1)",
     "catatan": "Rumah tidak layak huni milik rumah tangga desil 1–5 atau miskin multidimensi."},
)
