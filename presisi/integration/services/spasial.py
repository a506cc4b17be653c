"""Agency map layers (issue #12 item 6): upload (GeoJSON / zipped shapefile), versions, exposure, demo.

``lapisan_unggah`` is the one write: scope check (admin, or walidata of the layer's sector) →
read and check the file (``spasial_baca``) → replace the layer's features as a new version →
audit → recompute the exposure indicators of the latest period, all in one transaction.
The same file again (same sha256, same kind) changes nothing; ``dry_run`` checks and reports
without writing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

from presisi.accounts.access import is_admin, user_profil
from presisi.accounts.models import WALIDATA
from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.dictionary.models import Sektor
from presisi.integration.models import FiturSpasial, LapisanSpasial
from presisi.integration.services.spasial_baca import GEOMETRI_JENIS, HasilBaca, baca_lapisan, geojson_fitur
from presisi.integration.services.spasial_paparan import BAHAYA_JENIS, paparan_simpan
from presisi.periods.selectors import periode_terkini
from presisi.regions.models import Wilayah

AKSI_UNGGAH = "integration.spasial.diunggah"  # a first version or a new version of a layer
AKSI_TIDAK_BERUBAH = "integration.spasial.tidak_berubah"
SEKTOR_JENIS = {LapisanSpasial.BAHAYA: "bpbd", LapisanSpasial.JALAN: "pupr", LapisanSpasial.AIR: "pupr",
                LapisanSpasial.KAWASAN_LINDUNG: "dlh"}
KODE_POLA = re.compile(r"^[a-z0-9][a-z0-9_-]{1,59}$")
MAKS_RIWAYAT = 50
BARU, VERSI_BARU, TIDAK_BERUBAH, UJI = "baru", "versi_baru", "tidak_berubah", "uji"


class Konsol:
    """The server console (CLI, ``presisi demo``) acting as admin: not an account, so audit rows store no user."""

    is_superuser = True
    is_authenticated = False
    is_active = True
    username = "konsol"
    pk = None


KONSOL = Konsol()


@dataclass
class HasilUnggah:
    kode: str
    status: str  # baru | versi_baru | tidak_berubah | uji
    versi: int
    sha256: str
    fitur: int
    kelas: dict[str, int] = field(default_factory=dict)
    peringatan: list[Finding] = field(default_factory=list)
    crs: str = ""
    format: str = ""
    paparan: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "peringatan"}
        out["peringatan"] = [f.as_dict() for f in self.peringatan]
        return out


def sektor_lapisan(jenis: str, sektor: str | None) -> str | None:
    return sektor or SEKTOR_JENIS.get(jenis)


def boleh_unggah(user, sektor_kode: str | None) -> bool:
    """Admin, or a walidata of the layer's sector (BPBD for hazard zones, PUPR for networks…)."""
    if is_admin(user):
        return True
    profil = user_profil(user)
    return bool(profil and profil.peran == WALIDATA and sektor_kode
                and profil.sektor.filter(kode=sektor_kode).exists())


def boleh_unggah_apa_pun(user) -> bool:
    """May this user upload any layer at all (checked before an upload is read)?"""
    return is_admin(user) or any(boleh_unggah(user, s) for s in sorted(set(SEKTOR_JENIS.values())))


def _periksa_masukan(kode: str, jenis: str, bahaya: str) -> list[Finding]:
    out = []
    if not KODE_POLA.match(kode or ""):
        out.append(Finding(rule="kode", column="kode", value=kode,
                           message="kode lapisan: 2–60 huruf kecil, angka, '-' atau '_'"))
    if jenis not in dict(LapisanSpasial.JENIS_CHOICES):
        out.append(Finding(rule="jenis", column="jenis", value=jenis,
                           message=f"jenis lapisan tidak dikenal; pilihan: {', '.join(GEOMETRI_JENIS)}"))
    if jenis == LapisanSpasial.BAHAYA and bahaya not in BAHAYA_JENIS:
        out.append(Finding(rule="bahaya", column="bahaya", value=bahaya,
                           message=f"jenis bahaya wajib untuk zona bahaya; pilihan: {', '.join(BAHAYA_JENIS)}"))
    if jenis != LapisanSpasial.BAHAYA and bahaya:
        out.append(Finding(rule="bahaya", column="bahaya", value=bahaya,
                           message="jenis bahaya hanya untuk lapisan zona bahaya"))
    return out


def batas_kabupaten():
    """The regencies' extent (union of the loaded boundaries, a little grown), prepared; None without any."""
    geoms = [shape(g) for g in Wilayah.objects.filter(kedalaman=2, geometri__isnull=False)
             .values_list("geometri", flat=True)]
    if not geoms:
        geoms = [shape(g) for g in Wilayah.objects.filter(kedalaman=4, geometri__isnull=False)
                 .values_list("geometri", flat=True)]
    if not geoms:
        return None
    extent = unary_union([g if g.is_valid else g.buffer(0) for g in geoms]).buffer(0.002)
    shapely.prepare(extent)
    return extent


def _ringkasan(hasil: HasilBaca) -> dict[str, Any]:
    kelas: dict[str, int] = {}
    for f in hasil.fitur:
        if f.kelas:
            kelas[f.kelas] = kelas.get(f.kelas, 0) + 1
    bounds = shapely.total_bounds([f.geometri for f in hasil.fitur]) if hasil.fitur else None
    return {"fitur": len(hasil.fitur), "kelas": kelas, "crs": hasil.crs, "format": hasil.format,
            "peringatan": [f.as_dict() for f in hasil.peringatan],
            "bbox": [round(float(b), 6) for b in bounds] if bounds is not None else None}


def _fitur_baru(lapisan: LapisanSpasial, hasil: HasilBaca) -> list[FiturSpasial]:
    out = []
    for f in hasil.fitur:
        minx, miny, maxx, maxy = f.geometri.bounds
        out.append(FiturSpasial(lapisan=lapisan, urutan=f.urutan, geometri=geojson_fitur(f.geometri),
                                kelas=f.kelas, atribut=f.atribut, min_x=minx, min_y=miny, max_x=maxx, max_y=maxy))
    return out


def lapisan_unggah(*, pengguna, berkas: bytes, nama_berkas: str, kode: str, jenis: str, bahaya: str = "",
                   nama: str = "", sektor: str | None = None, produsen: str = "", sumber: str = "",
                   dry_run: bool = False, hitung_paparan: bool = True) -> HasilUnggah:
    """Upload one layer file: a new layer, or a new version of layer ``kode`` (its features replaced)."""
    kode, bahaya = (kode or "").strip().lower(), (bahaya or "").strip().lower()
    problems = _periksa_masukan(kode, jenis, bahaya)
    if problems:
        raise ValidationFailed("Data lapisan tidak lengkap atau salah; tidak ada yang disimpan.", problems)
    with transaction.atomic():
        lama = LapisanSpasial.objects.select_for_update(of=("self",)).select_related("sektor").filter(kode=kode).first()
        sektor_kode = lama.sektor.kode if lama and lama.sektor else sektor_lapisan(jenis, sektor)
        if not boleh_unggah(pengguna, sektor_kode):
            raise PermissionDenied("Hanya walidata sektor lapisan ini (mis. BPBD untuk zona bahaya, PUPR untuk "
                                   "jaringan jalan/air) atau admin yang dapat mengunggah lapisan.")
        sektor_obj = Sektor.objects.filter(kode=sektor_kode).first() if sektor_kode else None
        if sektor_kode and sektor_obj is None:
            raise ValidationFailed("Sektor tidak dikenal.", [Finding(rule="sektor", column="sektor",
                                                                     value=sektor_kode, message="sektor tidak ada")])
        sha = hashlib.sha256(berkas).hexdigest()
        if lama and lama.sha256 == sha and lama.jenis == jenis and lama.bahaya == bahaya:
            return HasilUnggah(kode, TIDAK_BERUBAH, lama.versi, sha, lama.fitur.count(),
                               dict(lama.ringkasan.get("kelas", {})), crs=lama.ringkasan.get("crs", ""),
                               format=lama.ringkasan.get("format", ""))
        hasil = baca_lapisan(berkas, nama_berkas, jenis=jenis, wilayah=batas_kabupaten())
        if hasil.galat:
            raise ValidationFailed(f"Lapisan ditolak: {len(hasil.galat)} kesalahan; tidak ada yang disimpan.",
                                   hasil.galat + hasil.peringatan)
        ringkasan = _ringkasan(hasil)
        versi = (lama.versi + 1) if lama else 1
        out = HasilUnggah(kode, UJI if dry_run else (VERSI_BARU if lama else BARU), versi, sha, len(hasil.fitur),
                          ringkasan["kelas"], hasil.peringatan, hasil.crs, hasil.format)
        if dry_run:
            return out
        out.paparan = _simpan(lama, pengguna=pengguna, kode=kode, jenis=jenis, bahaya=bahaya, nama=nama,
                              sektor=sektor_obj, produsen=produsen, sumber=sumber, sha=sha, nama_berkas=nama_berkas,
                              versi=versi, ringkasan=ringkasan, hasil=hasil, hitung=hitung_paparan)
        return out


def _simpan(lama, *, pengguna, kode, jenis, bahaya, nama, sektor, produsen, sumber, sha, nama_berkas, versi,
            ringkasan, hasil, hitung) -> dict[str, Any]:
    sebelum = _jejak(lama) if lama else None
    riwayat = list((lama.ringkasan or {}).get("riwayat", [])) if lama else []
    riwayat.insert(0, {"versi": versi, "sha256": sha, "nama_berkas": nama_berkas, "fitur": len(hasil.fitur),
                       "oleh": getattr(pengguna, "username", "") or "", "pada": timezone.now().isoformat()})
    ringkasan["riwayat"] = riwayat[:MAKS_RIWAYAT]
    lapisan = lama or LapisanSpasial(kode=kode)
    lapisan.nama = nama or (lama.nama if lama else "") or kode
    lapisan.jenis, lapisan.bahaya, lapisan.sektor = jenis, bahaya, sektor
    lapisan.produsen = produsen or (lama.produsen if lama else "")
    lapisan.sumber = sumber or (lama.sumber if lama else "")
    lapisan.versi, lapisan.sha256, lapisan.nama_berkas, lapisan.ringkasan = versi, sha, nama_berkas[:255], ringkasan
    lapisan.diunggah_oleh = pengguna if getattr(pengguna, "is_authenticated", False) else None
    lapisan.save()
    if lama:
        lama.fitur.all().delete()
    FiturSpasial.objects.bulk_create(_fitur_baru(lapisan, hasil), batch_size=500)
    audit_log(aksi=AKSI_UNGGAH, objek=lapisan, pengguna=pengguna, sebelum=sebelum, sesudah=_jejak(lapisan),
              keterangan=f"lapisan {kode} versi {versi}: {len(hasil.fitur)} fitur, {len(hasil.peringatan)} "
                         "peringatan")
    if not hitung or jenis not in (LapisanSpasial.BAHAYA, LapisanSpasial.JALAN, LapisanSpasial.AIR):
        return {}
    p = paparan_simpan(periode=periode_terkini())
    return {"periode": p.periode, "bangunan": p.bangunan, "penduduk": p.penduduk, "detik": p.detik}


def _jejak(lapisan: LapisanSpasial) -> dict[str, Any]:
    """What the audit row keeps of a version: number, hash, file, who and when, feature count."""
    return {"kode": lapisan.kode, "versi": lapisan.versi, "sha256": lapisan.sha256, "jenis": lapisan.jenis,
            "bahaya": lapisan.bahaya, "nama_berkas": lapisan.nama_berkas,
            "diunggah_oleh": lapisan.diunggah_oleh.username if lapisan.diunggah_oleh else None,
            "diunggah_pada": lapisan.diunggah_pada.isoformat() if lapisan.diunggah_pada else None,
            "fitur": (lapisan.ringkasan or {}).get("fitur")}


def paparan_hitung_ulang(*, pengguna, periode=None) -> dict[str, Any]:
    """Recompute the exposure indicators of a period (default: the latest) — admin or walidata BPBD."""
    if not boleh_unggah(pengguna, "bpbd"):
        raise PermissionDenied("Hanya walidata BPBD atau admin yang dapat menghitung ulang paparan.")
    with transaction.atomic():
        p = paparan_simpan(periode=periode or periode_terkini())
    return {"periode": p.periode, "bangunan": p.bangunan, "penduduk": p.penduduk, "detik": p.detik}


# --- demo: synthetic hazard zones and a road network ("contoh") -------------------------------------------------

M_PER_DERAJAT = 111_320.0
TANDA_CONTOH = "CONTOH SINTETIS — bukan data BPBD/PUPR"


def _m(meter: float) -> float:
    return meter / M_PER_DERAJAT


def _garis_pantai(darat):
    """The coastline of the regency, approximated: every island's ring; on the mainland, the southern half of
    its ring (Klungkung's mainland border with Gianyar, Bangli and Karangasem runs to the north)."""
    polys = sorted(getattr(darat, "geoms", [darat]), key=lambda p: p.area, reverse=True)
    main, islands = polys[0], polys[1:]
    minx, miny, maxx, maxy = main.bounds
    south = shapely.box(minx - 1, miny - 1, maxx + 1, miny + (maxy - miny) * 0.45)
    parts = [main.exterior.intersection(south)] + [p.exterior for p in islands]
    return unary_union(parts)


def _fc(features: list[dict[str, Any]]) -> bytes:
    import json

    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _feat(geom, **props) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"keterangan": TANDA_CONTOH, **props}, "geometry": geojson_fitur(geom)}


def demo_tsunami(darat) -> bytes:
    coast = _garis_pantai(darat)
    bands = [("tinggi", 0, 250), ("sedang", 250, 500), ("rendah", 500, 1000)]
    feats = []
    for kelas, inner, outer in bands:
        ring = coast.buffer(_m(outer))
        if inner:
            ring = ring.difference(coast.buffer(_m(inner)))
        zone = ring.intersection(darat).simplify(_m(20))
        if not zone.is_empty:
            feats.append(_feat(zone, kelas=kelas, bahaya="tsunami"))
    return _fc(feats)


def demo_longsor(darat, desa: list[tuple[str, Any]]) -> bytes:
    """Hilly ground, approximated: the northern quarter of the mainland and the interior of Nusa Penida."""
    polys = sorted(getattr(darat, "geoms", [darat]), key=lambda p: p.area, reverse=True)
    feats = []
    main = polys[0]
    minx, miny, maxx, maxy = main.bounds
    north = main.intersection(shapely.box(minx, maxy - (maxy - miny) * 0.25, maxx, maxy)).simplify(_m(20))
    if not north.is_empty:
        feats.append(_feat(north, kelas="sedang", bahaya="longsor"))
    if len(polys) > 1:
        island = polys[1]
        inner = island.buffer(-_m(1500))
        core = island.buffer(-_m(3500))
        if not inner.is_empty:
            feats.append(_feat(inner.difference(core).simplify(_m(20)), kelas="tinggi", bahaya="longsor"))
        if not core.is_empty:
            feats.append(_feat(core.simplify(_m(20)), kelas="rendah", bahaya="longsor"))
    return _fc(feats)


def demo_jalan(desa: list[tuple[str, Any]]) -> bytes:
    """A road per kecamatan through its desa' label points, west to east (synthetic)."""
    groups: dict[str, list] = {}
    for kode, g in desa:
        groups.setdefault(kode.rsplit(".", 1)[0], []).append(g.representative_point())
    feats = []
    for kec, pts in sorted(groups.items()):
        if len(pts) < 2:
            continue
        pts.sort(key=lambda p: (p.x, p.y))
        feats.append(_feat(LineString([(p.x, p.y) for p in pts]), nama=f"jalan contoh {kec}", status="kabupaten"))
    return _fc(feats)


def muat_demo_lapisan(*, pengguna=None) -> list[dict[str, Any]]:
    """Synthetic demo layers over the loaded desa boundaries (tsunami band along the coast, landslide over
    hilly ground, a road network), clearly marked "contoh". Uploaded as the first admin account (else the
    console); idempotent: the same synthetic files again change nothing."""
    from django.contrib.auth import get_user_model

    if pengguna is None:
        pengguna = get_user_model().objects.filter(profil__peran="admin", is_active=True).order_by("pk").first()
        pengguna = pengguna or KONSOL
    desa = [(k, shape(g)) for k, g in Wilayah.objects.filter(kedalaman=4, geometri__isnull=False)
            .order_by("kode").values_list("kode", "geometri")]
    if not desa:
        return []
    darat = unary_union([g if g.is_valid else g.buffer(0) for _k, g in desa]).buffer(_m(5)).buffer(-_m(5))
    berkas = [
        ("contoh-tsunami", "Zona bahaya tsunami (contoh sintetis)", LapisanSpasial.BAHAYA, "tsunami",
         demo_tsunami(darat)),
        ("contoh-longsor", "Zona bahaya tanah longsor (contoh sintetis)", LapisanSpasial.BAHAYA, "longsor",
         demo_longsor(darat, desa)),
        ("contoh-jalan", "Jaringan jalan (contoh sintetis)", LapisanSpasial.JALAN, "", demo_jalan(desa)),
    ]
    out = []
    with transaction.atomic():
        for kode, nama, jenis, bahaya, data in berkas:
            r = lapisan_unggah(pengguna=pengguna, berkas=data, nama_berkas=f"{kode}.geojson", kode=kode, jenis=jenis,
                               bahaya=bahaya, nama=nama, produsen=TANDA_CONTOH, sumber="presisi demo (sintetis)",
                               hitung_paparan=False)
            out.append({"kode": r.kode, "status": r.status, "fitur": r.fitur, "versi": r.versi})
        if any(r["status"] != TIDAK_BERUBAH for r in out):
            paparan_simpan(periode=periode_terkini())  # once for the three layers
    return out
