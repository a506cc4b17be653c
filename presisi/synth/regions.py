"""The regions the synthetic regency is built on: one kabupaten, its kecamatan, desa and banjar."""

from __future__ import annotations

from dataclasses import dataclass, field

from presisi.core.exceptions import ApplicationError
from presisi.regions.codes import DESA, KABUPATEN, KELURAHAN, KOTA
from presisi.regions.models import Wilayah

MSG_TANPA_DESA = (
    "Belum ada desa/kelurahan di basis data. Muat daftar wilayah terlebih dahulu "
    "(misalnya daftar wilayah Kemendagri kabupaten Anda), lalu jalankan synth lagi."
)


@dataclass
class RegionFrame:
    """Regions of one regency, ordered by code; ``banjar`` maps a desa code to its banjar."""

    kabupaten: Wilayah
    kecamatan: list[Wilayah]
    desa: list[Wilayah]
    banjar: dict[str, list[Wilayah]] = field(default_factory=dict)

    @property
    def desa_codes(self) -> list[str]:
        return [d.kode for d in self.desa]

    def kecamatan_of(self, desa: Wilayah) -> str:
        return desa.kode.rsplit(".", 1)[0]


def resolve_kabupaten(kode: str | None) -> Wilayah:
    """The regency to generate: the one given, or the only one that has desa."""
    desa = Wilayah.objects.filter(tingkat__in=[DESA, KELURAHAN])
    if not desa.exists():
        raise ApplicationError(MSG_TANPA_DESA)
    if kode:
        kab = Wilayah.objects.filter(kode=kode.strip(), tingkat__in=[KABUPATEN, KOTA]).first()
        if kab is None:
            raise ApplicationError(f"Kabupaten/kota dengan kode {kode} tidak ada di basis data.")
        if not desa.filter(kode__startswith=kab.kode + ".").exists():
            raise ApplicationError(f"{kab.nama} ({kab.kode}) belum punya desa/kelurahan di basis data.")
        return kab
    codes = sorted({k[:5] for k in desa.values_list("kode", flat=True)})
    if len(codes) > 1:
        raise ApplicationError(
            f"Basis data berisi desa dari beberapa kabupaten/kota ({', '.join(codes)}). "
            "Pilih salah satu dengan --kabupaten, misalnya --kabupaten " + codes[0] + "."
        )
    kab = Wilayah.objects.filter(kode=codes[0]).first()
    if kab is None:
        raise ApplicationError(f"Kabupaten/kota {codes[0]} tidak ada di basis data, padahal desanya ada.")
    return kab


def load_frame(kabupaten: Wilayah) -> RegionFrame:
    """Read the regency's regions (geometry included: it is needed to place buildings)."""
    within = Wilayah.objects.within(kabupaten.kode)
    kecamatan = list(within.kecamatan().order_by("kode"))
    desa = list(within.desa_kelurahan().order_by("kode"))
    kec_codes = {k.kode for k in kecamatan}
    missing = sorted({d.kode.rsplit(".", 1)[0] for d in desa} - kec_codes)
    if missing:
        raise ApplicationError(f"Desa tanpa kecamatan induk di basis data: kecamatan {', '.join(missing)}.")
    frame = RegionFrame(kabupaten=kabupaten, kecamatan=kecamatan, desa=desa)
    for b in within.banjar().order_by("kode"):
        frame.banjar.setdefault(b.kode.rsplit(".", 1)[0], []).append(b)
    return frame
