"""Writes to the registry. Every write validates against the dictionary and leaves an audit row."""

from presisi.registry.services.events import kedatangan_catat, kelahiran_catat, peristiwa_catat
from presisi.registry.services.records import (
    bangunan_create,
    individu_create,
    individu_update,
    keluarga_create,
    rumah_tangga_create,
)

__all__ = [
    "bangunan_create",
    "individu_create",
    "individu_update",
    "kedatangan_catat",
    "kelahiran_catat",
    "keluarga_create",
    "peristiwa_catat",
    "rumah_tangga_create",
]

# Corrections and moves between family cards / households (the update cycle).
from presisi.registry.services.corrections import (  # noqa: E402
    anggota_pindah_keluarga,
    anggota_rumah_tangga_set,
    bangunan_update,
    keluarga_update,
    kepulangan_catat,
    rumah_tangga_update,
)

__all__ += [
    "anggota_pindah_keluarga",
    "anggota_rumah_tangga_set",
    "bangunan_update",
    "keluarga_update",
    "kepulangan_catat",
    "rumah_tangga_update",
]

# Merging a reviewed duplicate (one person registered twice).
from presisi.registry.services.gabung import individu_gabung  # noqa: E402

__all__ += ["individu_gabung"]

# Temporary numbers (newborns without NIK, families without KK) and their replacement.
from presisi.registry.services.nomor import nik_sementara_ganti  # noqa: E402

__all__ += ["nik_sementara_ganti"]
