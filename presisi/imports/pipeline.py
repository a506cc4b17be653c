"""``impor_jalankan``: read → clean → compare with the registry → validate → write (all or nothing)."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

from django.db import DatabaseError, IntegrityError, OperationalError, transaction

from presisi.accounts.access import can_write_registry
from presisi.core.exceptions import ApplicationError, Finding, PermissionDenied, ValidationFailed
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports import checks
from presisi.imports.formats import baca_tabel
from presisi.imports.plan import DITOLAK, RencanaUnit
from presisi.imports.readers import baca_berkas
from presisi.imports.summary import COUNT_KEYS, RingkasanImpor
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.services.bulk import tulis_massal
from presisi.validation.models import RekapValidasi
from presisi.validation.services import aturan_bawaan_sinkron, hasil_simpan

Progress = Callable[[int, str], None]
log = logging.getLogger(__name__)
UNIT_ORDER = (KELUARGA, INDIVIDU, RUMAH_TANGGA, BANGUNAN)
KONFLIK_BASIS_DATA = "konflik_basis_data"


def cek_izin_impor(*, pengguna, desa: Wilayah, periode: Periode) -> None:
    """The period must be open and the desa inside the user's scope (CLI: pengguna=None)."""
    if periode.status != Periode.DIBUKA:
        raise ValidationFailed("Periode sudah ditutup.", [Finding(
            rule="periode_ditutup", column="periode", value=periode.kode,
            message="impor hanya dapat dilakukan pada periode yang dibuka")])
    if desa.tingkat not in ("desa", "kelurahan"):
        raise ValidationFailed("Impor dilakukan per desa/kelurahan.", [Finding(
            rule="bukan_desa", column="desa", value=desa.kode, message="pilih kode desa/kelurahan")])
    if pengguna is None:
        return
    # only roles that produce data import (a dry run too: it stores the file with its NIKs), each inside
    # its own scope: the desa operator for its desa, the admin for its regency (presisi.accounts.access)
    if not can_write_registry(pengguna, desa.kode):
        raise PermissionDenied(f"Anda tidak berwenang mengimpor data {desa.nama} ({desa.kode}).")


def keterangan_impor(nama_berkas: str, sha256: str) -> str:
    """The note on the registry's audit rows of one import (the reaper looks for it)."""
    return f"impor {nama_berkas} sha256:{sha256[:12]}"


def _noop(pct: int, message: str) -> None:
    return None


def impor_jalankan(*, berkas: bytes, nama_berkas: str, desa: Wilayah, periode: Periode, pengguna=None,
                   dry_run: bool = False, format: str | None = None,
                   progress: Progress | None = None) -> RingkasanImpor:
    """Import one desa's file. Any error → nothing written; a dry run never writes.

    Keyed on NIK, No. KK and the household/building codes: the same file twice changes
    nothing; a changed row updates its record (audited before/after), never duplicates it;
    registry people missing from the file are reported, not deleted. Warnings do not block
    and are recorded as findings (Temuan) of the desa × period.
    """
    start = time.perf_counter()
    progress = progress or _noop
    cek_izin_impor(pengguna=pengguna, desa=desa, periode=periode)
    aturan_bawaan_sinkron()
    out = RingkasanImpor(nama_berkas=nama_berkas, desa=desa.kode, periode=periode.kode, dry_run=dry_run,
                         sha256=hashlib.sha256(berkas).hexdigest())
    progress(5, "membaca berkas")
    try:
        tables, checked = _periksa(out, berkas=berkas, nama_berkas=nama_berkas, desa=desa, periode=periode,
                                   format=format, progress=progress)
    except (ApplicationError, DatabaseError):
        raise
    except Exception as exc:
        # Reading and checking never write; whatever a file holds, the answer is a report, not a crash.
        log.exception("impor %s: galat saat memeriksa berkas", nama_berkas)
        out.temuan.append(Finding(rule="galat_berkas", column="berkas", value=nama_berkas, message=(
            f"berkas tidak dapat diperiksa sampai selesai ({type(exc).__name__}); tidak ada data yang disimpan. "
            "Periksa isi berkas (mis. sel dengan nilai aneh) lalu unggah ulang")))
        return _finish(out, start)
    if checked is None:
        return _finish(out, start, tables)
    plans, hasil = checked
    if out.jumlah_error or dry_run:
        return _finish(out, start)
    progress(65, "menyimpan")
    start_write = time.perf_counter()
    try:
        _simpan(out, plans, hasil, desa=desa, periode=periode, pengguna=pengguna, nama_berkas=nama_berkas,
                progress=progress, start=start_write)
    except (IntegrityError, OperationalError) as exc:
        # Another import committed the same NIK/KK/code between our checks and our write (files
        # imported in parallel), or the database gave up waiting for a lock: the transaction rolled
        # back, nothing of this file was written; sending it again reports the rows.
        log.warning("impor %s: konflik basis data (%s)", nama_berkas, type(exc).__name__)
        out.ditulis = False
        out.temuan.append(Finding(rule=KONFLIK_BASIS_DATA, column="berkas", value=nama_berkas, message=(
            "data berkas ini bentrok dengan data yang baru saja disimpan oleh impor lain (mis. NIK/No. KK yang "
            f"sama) atau basis data sedang sibuk; tidak ada yang disimpan, unggah ulang untuk melihat barisnya "
            f"({type(exc).__name__})")))
        return _finish(out, start)
    progress(100, "selesai")
    return _finish(out, start)


def _periksa(out: RingkasanImpor, *, berkas: bytes, nama_berkas: str, desa: Wilayah, periode: Periode,
             format: str | None, progress: Progress
             ) -> tuple[dict | None, tuple[dict[str, RencanaUnit], dict[str, checks.HasilUnit]] | None]:
    """Read, clean, compare and validate (no writes): (tables, (plans, results)), the latter None when
    the file is refused before its rows are compared."""
    doc = baca_berkas(berkas, nama_berkas)
    out.temuan += doc.temuan
    if doc.ditolak:
        return None, None
    banjar = list(Wilayah.objects.banjar().filter(induk=desa).order_by("kode"))
    out.format, tables, findings = baca_tabel(doc, format, banjar)
    out.temuan += findings
    if not tables or any(f.severity == "error" and f.row is None for f in findings):
        return tables, None
    progress(30, "membandingkan dengan registri")
    plans = checks.rencanakan(tables, desa)
    progress(45, "menjalankan aturan validasi")
    rule_findings, hasil = checks.validasi(plans, desa=desa, periode=periode)
    out.tidak_ada_di_berkas, out.jumlah_tidak_ada_di_berkas = checks.tidak_ada_di_berkas(plans)
    for plan in plans.values():
        out.temuan += plan.tabel.temuan
        out.jumlah_dikosongkan += plan.jumlah_dikosongkan
        out.dikosongkan += plan.dikosongkan
    out.temuan += rule_findings
    _count(out, plans)
    return tables, (plans, hasil)


@transaction.atomic
def _simpan(out: RingkasanImpor, plans: dict[str, RencanaUnit], hasil: dict[str, checks.HasilUnit], *,
            desa: Wilayah, periode: Periode, pengguna, nama_berkas: str, progress: Progress, start: float) -> None:
    """Write the records, then store the import's violations as the desa's findings of the period
    (the frames already hold the whole desa: no second pass over the registry)."""
    changed = any(u.get("dibuat") or u.get("diubah") for u in out.unit.values())
    if changed:
        tulis_massal(plans=plans, desa=desa, pengguna=pengguna, progress=progress,
              keterangan=keterangan_impor(nama_berkas, out.sha256))
        out.ditulis = True
    if changed or not RekapValidasi.objects.filter(desa=desa, periode=periode).exists():
        progress(92, "mencatat temuan validasi")
        found = checks.temuan_setelah_tulis(hasil, desa)
        result = hasil_simpan(desa_list=[desa], periode=periode, found=found, pengguna=pengguna, start=start,
                              frames={unit: h.frame for unit, h in hasil.items()}, units=set(hasil))
        out.validasi = result[0].as_dict()


def _count(out: RingkasanImpor, plans: dict[str, RencanaUnit]) -> None:
    for unit in UNIT_ORDER:
        plan = plans.get(unit)
        if plan is None:
            continue
        counts = dict.fromkeys(COUNT_KEYS, 0)
        for i, aksi in enumerate(plan.aksi):
            counts[DITOLAK if i in plan.tabel.ditolak else aksi] += 1
        out.unit[unit] = counts


def _finish(out: RingkasanImpor, start: float, tables: dict | None = None) -> RingkasanImpor:
    if tables:
        for unit in UNIT_ORDER:
            if unit in tables and unit not in out.unit:
                out.unit[unit] = {**dict.fromkeys(COUNT_KEYS, 0), "ditolak": len(tables[unit].ditolak)}
                out.temuan += tables[unit].temuan
    order = {u: k for k, u in enumerate(UNIT_ORDER)}
    out.temuan.sort(key=lambda f: (f.row is not None, order.get(_sheet_unit(f.column), 9), f.row or 0,
                                   f.column or ""))
    out.detik = round(time.perf_counter() - start, 3)
    return out


def _sheet_unit(column: str | None) -> str:
    sheet = (column or "").split("!", 1)[0].lower().replace(" ", "_")
    return sheet if sheet in (KELUARGA, INDIVIDU, RUMAH_TANGGA, BANGUNAN) else ""
