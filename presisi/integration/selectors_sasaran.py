"""Reading targeting accuracy: per-region counts for any signed-in role (aggregates), and the two lists
for Musyawarah Desa (eligible units not reached, recipients not eligible) for roles with person-level
access to that desa, identifiers through the PDP door."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from presisi.accounts.access import check_person_access, user_scope_code
from presisi.integration.models import Pengiriman, Program
from presisi.integration.services import sasaran as svc
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_get_atau_terkini
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu, Keluarga, RumahTangga


def program_list() -> list[Program]:
    return list(Program.objects.prefetch_related("aturan").order_by("kode"))


def periode_program(program: Program | None, kode: str | None) -> Periode | None:
    """The period asked for, else the latest one with a delivery of the program, else the latest period."""
    if kode:
        return periode_get_atau_terkini(kode)
    if program is not None:
        latest = (Pengiriman.objects.filter(dataset__program=program.kode, status=Pengiriman.DITERIMA)
                  .order_by("-periode__tanggal_referensi").select_related("periode").first())
        if latest is not None:
            return latest.periode
    return periode_get_atau_terkini(None)


def _dalam(kode: str, scope: str) -> bool:
    return scope == "" or kode == scope or kode.startswith(scope + ".") or scope.startswith(kode + ".")


def tabel_wilayah(user, hasil: svc.HasilSasaran, *, induk: str = "") -> list[dict[str, Any]]:
    """Region rows the user may read: its scope, the regions above it (totals), optionally one parent's
    children only. ``user=None``: the server (all)."""
    scope = "" if user is None else user_scope_code(user)
    if scope is None:
        return []
    rows = svc.rekap_wilayah(hasil)
    out = [r for r in rows.values() if _dalam(r["kode"], scope)]
    if induk:
        out = [r for r in out if r["kode"] == induk or r["induk"] == induk]
    return sorted(out, key=lambda r: (r["kedalaman"], r["kode"]))


def ringkas_wilayah(kode: str, periode: Periode | None) -> list[dict[str, Any]]:
    """One row per program with a recipient list in ``periode``, for one region (dashboard / profil desa
    section): aggregates only. One query when no program has a list (every public page pays it)."""
    if periode is None:
        return []
    kodes = set(Pengiriman.objects.filter(periode=periode, status=Pengiriman.DITERIMA).exclude(dataset__program="")
                .values_list("dataset__program", flat=True).distinct())
    out = []
    for program in (Program.objects.filter(kode__in=kodes).order_by("kode") if kodes else []):
        rekap = rekap_tersimpan(program, periode)
        if rekap is None or kode not in rekap["wilayah"]:
            continue
        out.append({"program": program, "periode": periode.kode, "aturan": rekap["aturan"],
                    **rekap["wilayah"][kode]})
    return out


CACHE_DETIK = 600


def _kunci_cache(program: Program, periode: Periode) -> str | None:
    """Changes whenever an input changes: the rule in force, the deliveries (linkage reruns stamp
    ``ditautkan_pada``), the period's analytic snapshot."""
    from presisi.indicators.models import Snapshot

    aturan = svc.aturan_berlaku(program, periode.tanggal_referensi)
    if aturan is None:
        return None
    kirim = list(Pengiriman.objects.filter(dataset__program=program.kode, periode=periode,
                                           status=Pengiriman.DITERIMA)
                 .values_list("pk", "versi", "dikirim_pada", "ditautkan_pada").order_by("pk"))
    snap = Snapshot.objects.filter(periode=periode).aggregate(t=Max("dibangun_pada"), n=Count("id"))
    raw = repr((program.pk, periode.pk, aturan.pk, aturan.dibuat, kirim, snap["t"], snap["n"]))
    return "presisi:sasaran:" + hashlib.sha256(raw.encode()).hexdigest()


def rekap_tersimpan(program: Program, periode: Periode) -> dict[str, Any] | None:
    """Region rows of one program × period for the public dashboards, cached (computing PBI-JK over the
    regency's people takes about a second); None without a rule or a recipient list."""
    key = _kunci_cache(program, periode)
    if key is None:
        return None
    found = cache.get(key)
    if found is not None:
        return found
    hasil = svc.sasaran_hitung(program=program, periode=periode)
    if not hasil.pengiriman or hasil.aturan is None:
        return None
    value = {"aturan": hasil.aturan.ekspresi, "wilayah": svc.rekap_wilayah(hasil)}
    cache.set(key, value, CACHE_DETIK)
    return value


@dataclass
class DaftarMusdes:
    program: Program
    periode: Periode
    desa: Wilayah
    belum_terjangkau: list[dict[str, Any]]
    tidak_layak: list[dict[str, Any]]
    ringkas: dict[str, Any] | None


def _unit_rows(program: Program, ids: list[int], tampilan) -> dict[int, dict[str, Any]]:
    """Who a unit is, for the lists: household/family code and head, or the person."""
    out: dict[int, dict[str, Any]] = {}
    if program.unit == "individu":
        for p in Individu.objects.filter(id__in=ids).select_related("keluarga"):
            out[p.id] = {"kode": tampilan.kk(p.keluarga.no_kk), "nik": tampilan.nik(p.nik), "nama": p.nama}
        return out
    if program.unit == "rumah_tangga":
        codes = dict(RumahTangga.objects.filter(id__in=ids).values_list("id", "kode"))
        heads = Individu.objects.filter(rumah_tangga_id__in=ids).order_by("hubungan_rumah_tangga", "id")
        key = "rumah_tangga_id"
    else:
        codes = {k: tampilan.kk(v) for k, v in Keluarga.objects.filter(id__in=ids).values_list("id", "no_kk")}
        heads = Individu.objects.filter(keluarga_id__in=ids).order_by("hubungan_keluarga", "id")
        key = "keluarga_id"
    for h in heads.values(key, "nik", "nama"):
        out.setdefault(h[key], {"kode": codes.get(h[key], ""), "nik": tampilan.nik(h["nik"]), "nama": h["nama"]})
    for i in ids:
        out.setdefault(i, {"kode": codes.get(i, ""), "nik": "", "nama": ""})
    return out


def daftar_musdes(user, *, program: Program, periode: Periode, kode_desa: str, tampilan) -> DaftarMusdes:
    """The two verification lists of one desa (person-level: 404 outside the scope, 403 without the right)."""
    check_person_access(user, kode_desa)
    desa = Wilayah.objects.filter(kode=kode_desa, kedalaman=4).first()
    if desa is None:
        from presisi.accounts.access import OutOfScope

        raise OutOfScope(kode_desa)
    hasil = svc.sasaran_hitung(program=program, periode=periode)
    belum: list[dict[str, Any]] = []
    tidak: list[dict[str, Any]] = []
    if hasil.unit is not None and hasil.penerima is not None:
        unit, pen = hasil.unit, hasil.penerima
        in_desa = unit.desa == desa.pk
        reached = np.isin(unit.ids, pen.unit_ids)
        belum_ids = unit.ids[in_desa & unit.layak & ~reached].tolist()
        tidak_ids = unit.ids[in_desa & ~unit.layak & reached].tolist()
        outside = ~np.isin(pen.unit_ids, unit.ids) & (pen.unit_desa == desa.pk)
        tidak_ids += pen.unit_ids[outside].tolist()
        info = _unit_rows(program, [i for i in belum_ids + tidak_ids if i > 0], tampilan)
        belum = [{"id": i, **info.get(i, {})} for i in belum_ids]
        tidak = [{"id": i, **info.get(i, {"kode": "", "nik": "", "nama": _("(di luar registri periode ini)")}),
                  "baris": ", ".join(str(b) for b in sorted(pen.baris.get(i, [])))} for i in tidak_ids]
    ringkas = svc.rekap_wilayah(hasil).get(desa.kode)
    return DaftarMusdes(program, periode, desa, belum, tidak, ringkas)


def sasaran_dict(user, program, periode_kode: str | None, wilayah: str = "") -> dict:
    """One program's targeting result as JSON (API and CLI)."""
    periode = periode_program(program, periode_kode)
    out = {"kode": program.kode, "nama": program.nama, "unit": program.unit,
           "periode": periode.kode if periode else None, "aturan": None, "pengiriman": [], "wilayah": []}
    if periode is None:
        return out
    hasil = svc.sasaran_hitung(program=program, periode=periode)
    if hasil.aturan is not None:
        out["aturan"] = {"ekspresi": hasil.aturan.ekspresi, "berlaku_mulai": hasil.aturan.berlaku_mulai.isoformat()}
    out["pengiriman"] = [{"dataset": k.dataset.kode, "versi": k.versi} for k in hasil.pengiriman]
    rows = tabel_wilayah(user, hasil)
    if wilayah:
        rows = [r for r in rows if r["kode"] == wilayah or r["kode"].startswith(wilayah + ".")]
    out["wilayah"] = rows
    return out
