"""Writes of the validation app: rules, runs over the registry, justifications."""

from presisi.validation.services.aturan import aturan_bawaan_sinkron, aturan_tambah, aturan_ubah
from presisi.validation.services.jalankan import (
    RingkasanValidasi,
    TemuanBaru,
    hasil_simpan,
    temuan_dari_frame,
    temuan_ganti,
    validasi_jalankan,
    validasi_jalankan_banyak,
    validasi_jalankan_wilayah,
)
from presisi.validation.services.temuan import temuan_justifikasi, temuan_justifikasi_banyak

__all__ = [
    "RingkasanValidasi",
    "TemuanBaru",
    "aturan_bawaan_sinkron",
    "aturan_tambah",
    "aturan_ubah",
    "hasil_simpan",
    "temuan_dari_frame",
    "temuan_ganti",
    "temuan_justifikasi",
    "temuan_justifikasi_banyak",
    "validasi_jalankan",
    "validasi_jalankan_banyak",
    "validasi_jalankan_wilayah",
]
