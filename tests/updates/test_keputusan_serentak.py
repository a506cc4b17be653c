"""Approval decisions are one decision each: a double click (service, API) and concurrent reviewers
(threads on PostgreSQL) leave exactly one state change, one history row and one audit row."""

from __future__ import annotations

import pytest
from django.db import connection

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.updates.models import DIKEMBALIKAN, DISETUJUI, DIVERIFIKASI, RiwayatPengajuan
from presisi.updates.services import pengajuan_kembalikan, pengajuan_setujui
from tests.conftest import masuk, serentak
from tests.updates.conftest import DESA, ambil, atur_status

URL = "/api/v1/periode/2026-S2/pengajuan/"


def _keputusan(aksi: str) -> tuple[int, int]:
    return (RiwayatPengajuan.objects.filter(aksi=aksi).count(),
            AuditLog.objects.filter(aksi=f"updates.pengajuan.{aksi}").count())


@pytest.mark.django_db
def test_a_double_submitted_approval_is_one_decision(periode, pengguna):
    atur_status(periode, DIVERIFIKASI)
    pengajuan_setujui(pengajuan=ambil(periode), pengguna=pengguna["wali"])
    with pytest.raises(ValidationFailed, match="hanya dapat dilakukan dari status"):
        pengajuan_setujui(pengajuan=ambil(periode), pengguna=pengguna["wali"])
    assert ambil(periode).status == DISETUJUI and _keputusan("setujui") == (1, 1)


@pytest.mark.django_db
def test_a_double_clicked_api_decision_is_one_decision(client, periode, pengguna):
    atur_status(periode, DIVERIFIKASI)
    masuk(client, pengguna["wali"])
    first = client.post(f"{URL}{DESA}/setujui/")
    second = client.post(f"{URL}{DESA}/setujui/")
    assert first.status_code == 200 and first.json()["status"] == DISETUJUI
    assert second.status_code == 400 and "Disetujui" in second.json()["pesan"]  # clear, never a 5xx
    assert _keputusan("setujui") == (1, 1)


def _ditolak_karena_status(results: list) -> bool:
    """Exactly one of the two lost, refused because the other had already moved the state."""
    refused = [r for r in results if isinstance(r, Exception)]
    return len(refused) == 1 and "hanya dapat dilakukan dari status" in str(refused[0])




@pytest.mark.django_db(transaction=True)
def test_concurrent_reviewers_make_exactly_one_decision(periode, pengguna):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent reviewers need a server database (CI runs this on PostgreSQL)")
    wali2 = pengguna_create(username="wali2", password="rahasia-panjang", peran="walidata", wilayah_kode="51.05")
    # two stewards approve at once
    atur_status(periode, DIVERIFIKASI)
    results = serentak(2, lambda i: pengajuan_setujui(pengajuan=ambil(periode), pengguna=[pengguna["wali"], wali2][i]))
    assert _ditolak_karena_status(results), results
    assert ambil(periode).status == DISETUJUI and _keputusan("setujui") == (1, 1)
    # a steward approves while another returns the same submission: one of the two, never both
    atur_status(periode, DIVERIFIKASI)
    results = serentak(2, lambda i: pengajuan_setujui(pengajuan=ambil(periode), pengguna=pengguna["wali"]) if i == 0
                       else pengajuan_kembalikan(pengajuan=ambil(periode), pengguna=wali2, alasan="foto buram"))
    assert _ditolak_karena_status(results), results
    status = ambil(periode).status
    assert status in (DISETUJUI, DIKEMBALIKAN)
    assert _keputusan("setujui")[0] + _keputusan("kembalikan")[0] == 2  # the first approval + one of these
