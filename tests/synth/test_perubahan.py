"""``periode_berikut`` (``presisi synth periode-berikut``): a period's seeded changes through the registry services."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction

from presisi.core.exceptions import ApplicationError
from presisi.core.models import AuditLog
from presisi.periods.locking import kunci_catat
from presisi.periods.models import KunciDesa, Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, MATI, PINDAH, Individu, Keluarga, Peristiwa, RumahTangga
from presisi.synth.perubahan import periode_berikut
from tests.synth.conftest import kabupaten_modul

pytestmark = pytest.mark.django_db
MULAI, REFERENSI = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def registri(django_db_setup, django_db_blocker):
    """A small synthetic regency and an open period, once for the module (rolled back at the end)."""
    with kabupaten_modul(django_db_blocker):
        periode = Periode.objects.create(kode="2026-S1", nama="Semester I 2026", tanggal_mulai=MULAI,
                                         tanggal_referensi=REFERENSI)
        desa = list(Wilayah.objects.desa_kelurahan().filter(pk__in=Individu.objects.values("desa_id"))
                    .order_by("kode").values_list("kode", flat=True)[:6])
        yield {"periode": periode, "desa": desa}


class _Batal(Exception):
    pass


def _jejak(ringkasan) -> dict:
    """What a run left behind, independent of row ids: new people, events, changed attributes."""
    baru = sorted(Individu.objects.filter(peristiwa__jenis__in=[Peristiwa.LAHIR, Peristiwa.PINDAH_MASUK],
                                          peristiwa__tanggal__gte=MULAI).values_list("nik", "nama", "tanggal_lahir"))
    peristiwa = sorted(Peristiwa.objects.filter(tanggal__gte=MULAI).values_list("individu__nik", "jenis", "tanggal"))
    rt = sorted((k, json.dumps(a, sort_keys=True)) for k, a in RumahTangga.objects.values_list("kode", "atribut"))
    return {"ringkasan": {k: v for k, v in ringkasan.as_dict().items() if k != "detik"}, "baru": baru,
            "peristiwa": peristiwa, "rt": rt}


def _sekali(registri, seed: int) -> dict:
    """Run once and undo it, returning its trace."""
    out = {}
    try:
        with transaction.atomic():
            out = _jejak(periode_berikut(periode=registri["periode"], seed=seed, desa_kode=registri["desa"]))
            raise _Batal
    except _Batal:
        pass
    return out


def test_same_seed_same_changes_and_another_seed_others(registri):
    pertama, kedua = _sekali(registri, 7), _sekali(registri, 7)
    assert pertama == kedua
    assert _sekali(registri, 8) != pertama


def test_every_kind_of_change_happens_with_history(registri):
    desa = registri["desa"]
    hidup_sebelum = Individu.objects.filter(desa__kode__in=desa, status_dasar=HIDUP).count()
    kk_sebelum = Keluarga.objects.filter(desa__kode__in=desa).count()
    waktu_mulai = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    peristiwa_mulai = Peristiwa.objects.order_by("-id").values_list("id", flat=True).first() or 0
    r = periode_berikut(periode=registri["periode"], seed=11, desa_kode=desa)
    assert r.desa == len(desa) and not r.dilewati
    for kind in ("lahir", "mati", "pindah_keluar", "pindah_masuk", "nikah", "kk_baru", "bangunan_baru"):
        assert getattr(r, kind) > 0, kind
    assert r.rumah_tangga_diubah + r.individu_diubah + r.bangunan_diubah > 0
    assert sum(r.arah.values()) == len(desa)
    # totals: births and arrivals add living people, deaths and departures take them away
    hidup_sesudah = Individu.objects.filter(desa__kode__in=desa, status_dasar=HIDUP).count()
    assert hidup_sesudah == hidup_sebelum + r.lahir + r.pindah_masuk - r.mati - r.pindah_keluar
    assert Keluarga.objects.filter(desa__kode__in=desa).count() == kk_sebelum + r.kk_baru
    # events are dated inside the period and leave the person in the right state
    events = Peristiwa.objects.filter(individu__desa__kode__in=desa, id__gt=peristiwa_mulai)
    assert all(MULAI <= e.tanggal <= REFERENSI for e in events)
    mati = events.filter(jenis=Peristiwa.MATI)
    assert mati.count() == r.mati and all(e.individu.status_dasar == MATI for e in mati)
    keluar = events.filter(jenis=Peristiwa.PINDAH_KELUAR)
    assert keluar.count() == r.pindah_keluar and all(e.individu.status_dasar == PINDAH for e in keluar)
    lahir = events.filter(jenis=Peristiwa.LAHIR)
    assert lahir.count() == r.lahir and all(e.individu.tanggal_lahir == e.tanggal for e in lahir)
    assert events.filter(jenis=Peristiwa.PINDAH_KK).count() == 2 * r.nikah
    # the history the update review reads: audit rows with before and after images
    audit = AuditLog.objects.filter(id__gt=waktu_mulai, aksi__startswith="registry.")
    aksi = set(audit.values_list("aksi", flat=True))
    assert {"registry.individu.lahir", "registry.peristiwa.dicatat", "registry.keluarga.dibuat",
            "registry.individu.pindah_kk", "registry.bangunan.dibuat", "registry.rumah_tangga.dibuat"} <= aksi
    diubah = audit.filter(aksi__in=["registry.rumah_tangga.diubah", "registry.individu.diubah"]).exclude(sebelum=None)
    assert diubah.exists()
    row = diubah.filter(aksi="registry.rumah_tangga.diubah").first() or diubah.first()
    assert set(row.sebelum) == set(row.sesudah) and row.sebelum != row.sesudah


def test_a_locked_desa_is_skipped_not_forced(registri):
    periode, kode = registri["periode"], registri["desa"][0]
    kunci_catat(periode=periode, desa=Wilayah.objects.get(kode=kode), tingkat=KunciDesa.DIPERIKSA, status="diajukan")
    sebelum = Peristiwa.objects.filter(individu__desa__kode=kode).count()
    r = periode_berikut(periode=periode, seed=3, desa_kode=registri["desa"][:2])
    assert r.dilewati == [kode] and r.desa == 1
    assert Peristiwa.objects.filter(individu__desa__kode=kode).count() == sebelum


def test_a_closed_or_unknown_period_is_refused(registri):
    with pytest.raises(ApplicationError, match="belum dibuka"):
        periode_berikut(periode="2020-S1", seed=1)
    Periode.objects.filter(pk=registri["periode"].pk).update(status=Periode.DITUTUP)
    with pytest.raises(ApplicationError, match="ditutup"):
        periode_berikut(periode="2026-S1", seed=1)


def test_cli_periode_berikut_json(registri):
    out = io.StringIO()
    call_command("synth", "periode-berikut", periode="2026-s1", seed=5, desa=registri["desa"][:2], json=True,
                 stdout=out)
    data = json.loads(out.getvalue())
    assert data["ok"] and data["periode"] == "2026-S1" and data["desa"] == 2 and data["lahir"] >= 2
    text = io.StringIO()
    call_command("synth", "periode-berikut", periode="2026-S1", seed=6, desa=registri["desa"][2:3], stdout=text)
    assert "Perubahan sintetis periode 2026-S1" in text.getvalue()
