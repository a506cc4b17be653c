"""Linking deliveries to the registry: outcomes, remembered decisions, reuse, never undoing a decision."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.core.exceptions import PermissionDenied
from presisi.core.models import AuditLog
from presisi.integration.models import (
    METODE_KEPUTUSAN,
    TANPA_PASANGAN,
    TERIMA,
    TERTAUT,
    TINJAU,
    TOLAK,
    BarisSumber,
    KandidatTautan,
    KeputusanTautan,
)
from presisi.integration.services import tautan as svc
from presisi.integration.tautan import mesin
from presisi.registry.models import MATI, TIDAK_VALID
from tests.integration import tautan_data as data

pytestmark = pytest.mark.django_db
TENGAH = (mesin.AMBANG_TINJAU + mesin.AMBANG_TERTAUT) / 2  # inside the review band for any engine


@pytest.fixture
def dunia(db):
    data.siapkan_wilayah()
    return {"orang": data.registri_kecil(), "ds": data.dataset(), "pengguna": data.pengguna_semua()}


@pytest.fixture
def selisih(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(svc, "selisih_hitung", lambda p: calls.append(p.pk) or 0)
    return calls


class MesinPalsu:
    """A stand-in ``mesin.tautkan`` returning chosen candidates per source row number; records what it got."""

    def __init__(self, pilihan: dict[str, list[tuple[int, float]]]):
        self.pilihan = pilihan  # source name → [(registry id, probability)]
        self.dikirim: list[list[str]] = []

    def __call__(self, registri, sumber, **kwargs) -> mesin.HasilTautan:
        names = list(sumber["nama"])
        self.dikirim.append(names)
        pairs = [mesin.Pasangan(id_sumber=sid, id_registri=rid, probabilitas=p, bobot_total=1.0,
                                bobot=[{"kolom": "nama", "tingkat": "uji", "bobot": 1.0}], metode="probabilistik")
                 for sid, name in zip(sumber["id"], names, strict=True) for rid, p in self.pilihan.get(name, [])]
        return mesin.HasilTautan(pairs, 0.0, len(names), len(registri["id"]), {"mesin": "palsu"})


def test_identical_person_linked_and_stranger_unmatched(dunia, selisih):
    o = dunia["orang"]
    p = data.kirim(dunia["ds"], [data.baris_dari(o["wayan"]), data.ORANG_ASING, data.baris_dari(o["komang"])])
    r = svc.tautan_jalankan(p)
    rows = {b.baris: b for b in BarisSumber.objects.filter(pengiriman=p)}
    assert (rows[1].status_tautan, rows[1].individu_id) == (TERTAUT, o["wayan"].pk)
    assert (rows[3].status_tautan, rows[3].individu_id) == (TERTAUT, o["komang"].pk)
    assert rows[2].status_tautan == TANPA_PASANGAN and rows[2].individu_id is None
    assert (r.tertaut, r.tinjau, r.tanpa_pasangan, r.ke_mesin) == (2, 0, 1, 3)
    assert KandidatTautan.objects.filter(baris=rows[1], individu=o["wayan"], peringkat=1).exists()
    assert KandidatTautan.objects.get(baris=rows[1], peringkat=1).bobot  # the waterfall is kept
    p.refresh_from_db()
    assert p.ditautkan_pada and p.ringkasan["tautan"]["tertaut"] == 2
    assert AuditLog.objects.filter(aksi=svc.AKSI_JALANKAN, objek_id=str(p.pk)).exists()
    assert selisih == [p.pk]


def test_dead_people_stay_linkable_merged_records_do_not(dunia, selisih):
    o = dunia["orang"]
    o["made"].status_dasar = MATI
    o["made"].save()
    o["putu"].status_dasar = TIDAK_VALID
    o["putu"].save()
    p = data.kirim(dunia["ds"], [data.baris_dari(o["made"]), data.baris_dari(o["putu"])])
    svc.tautan_jalankan(p)
    rows = {b.baris: b for b in BarisSumber.objects.filter(pengiriman=p)}
    assert (rows[1].status_tautan, rows[1].individu_id) == (TERTAUT, o["made"].pk)  # "dead in the registry"
    assert rows[2].individu_id != o["putu"].pk


def test_review_band_and_decisions_are_reused_and_never_undone(dunia, selisih, monkeypatch):
    o, ds, users = dunia["orang"], dunia["ds"], dunia["pengguna"]
    rows = [data.baris_dari(o["wayan"]), {**data.baris_dari(o["ketut"]), "nik": "", "nama": "KETUT SRIASIH"},
            {**data.baris_dari(o["made"]), "nik": "", "nama": "MADE KARDANA"}]
    palsu = MesinPalsu({"I WAYAN SUDARMA": [(o["wayan"].pk, 0.999)],
                        "KETUT SRIASIH": [(o["ketut"].pk, TENGAH), (o["putu"].pk, 0.06)],
                        "MADE KARDANA": [(o["made"].pk, TENGAH)]})
    monkeypatch.setattr(mesin, "tautkan", palsu)
    p1 = data.kirim(ds, rows)
    svc.tautan_jalankan(p1)
    b = {x.baris: x for x in BarisSumber.objects.filter(pengiriman=p1)}
    assert [b[i].status_tautan for i in (1, 2, 3)] == [TERTAUT, TINJAU, TINJAU]
    assert b[2].individu_id == o["ketut"].pk  # the best candidate while under review

    selisih.clear()
    svc.tautan_putuskan(baris=b[2], individu=o["ketut"], keputusan=TERIMA, oleh=users["op"])
    svc.tautan_putuskan(baris=b[3], individu=o["made"], keputusan=TOLAK, oleh=users["ver"], alasan="orang lain")
    b = {x.baris: x for x in BarisSumber.objects.filter(pengiriman=p1)}
    assert (b[2].status_tautan, b[2].metode, b[2].individu_id) == (TERTAUT, METODE_KEPUTUSAN, o["ketut"].pk)
    assert (b[3].status_tautan, b[3].individu_id) == (TANPA_PASANGAN, None)
    assert selisih == [p1.pk, p1.pk]  # the discrepancy report follows each decision
    assert KeputusanTautan.objects.filter(dataset=ds, kunci=b[2].kunci, keputusan=TERIMA).count() == 1
    assert AuditLog.objects.filter(aksi=svc.AKSI_PUTUSKAN).count() == 2

    # a rerun of the same delivery: the engine would propose the same again; the decisions stand
    svc.tautan_jalankan(p1)
    b = {x.baris: x for x in BarisSumber.objects.filter(pengiriman=p1)}
    assert (b[2].status_tautan, b[2].metode, b[2].individu_id) == (TERTAUT, METODE_KEPUTUSAN, o["ketut"].pk)
    assert b[3].status_tautan == TANPA_PASANGAN and b[3].individu_id is None
    assert not KandidatTautan.objects.filter(baris=b[3], individu=o["made"]).exists()

    # the next delivery of the same list, another order: decided rows never reach the engine, nor linked ones
    palsu.dikirim.clear()
    o["gede"].nama_ibu = "registri berubah"  # the registry changed: only linked rows and decisions are reused
    o["gede"].save()
    p2 = data.kirim(ds, list(reversed(rows)))
    r = svc.tautan_jalankan(p2)
    assert palsu.dikirim == [["MADE KARDANA"]]
    assert (r.dari_keputusan, r.dipakai_ulang, r.ke_mesin) == (1, 1, 1)
    b2 = {x.nama: x for x in BarisSumber.objects.filter(pengiriman=p2)}
    assert (b2["KETUT SRIASIH"].status_tautan, b2["KETUT SRIASIH"].metode) == (TERTAUT, METODE_KEPUTUSAN)
    assert (b2["I WAYAN SUDARMA"].status_tautan, b2["I WAYAN SUDARMA"].individu_id) == (TERTAUT, o["wayan"].pk)
    assert b2["MADE KARDANA"].status_tautan == TANPA_PASANGAN  # the rejected person is never proposed again


def test_second_delivery_of_an_unchanged_registry_skips_the_engine(dunia, selisih, monkeypatch):
    o, ds = dunia["orang"], dunia["ds"]
    rows = [data.baris_dari(o["wayan"]), data.ORANG_ASING, {**data.baris_dari(o["ketut"]), "nik": ""}]
    p1 = data.kirim(ds, rows)
    svc.tautan_jalankan(p1)
    data.baris_tinjau(p1, 3, [(o["ketut"], TENGAH)])
    before = {x.kunci: (x.status_tautan, x.individu_id) for x in BarisSumber.objects.filter(pengiriman=p1)}

    def tidak_boleh(*args, **kwargs):
        raise AssertionError("the engine must not run")

    monkeypatch.setattr(mesin, "tautkan", tidak_boleh)
    p2 = data.kirim(ds, rows)
    r = svc.tautan_jalankan(p2)
    assert (r.dipakai_ulang, r.ke_mesin) == (3, 0)
    after = {x.kunci: (x.status_tautan, x.individu_id) for x in BarisSumber.objects.filter(pengiriman=p2)}
    assert after == before
    row3 = BarisSumber.objects.get(pengiriman=p2, baris=3)
    assert list(KandidatTautan.objects.filter(baris=row3).values_list("individu_id", flat=True)) == [o["ketut"].pk]


def test_accepting_another_person_replaces_the_earlier_acceptance(dunia, selisih):
    o, ds, users = dunia["orang"], dunia["ds"], dunia["pengguna"]
    p = data.kirim(ds, [{**data.baris_dari(o["ketut"]), "nik": ""}])
    svc.tautan_jalankan(p)
    row = data.baris_tinjau(p, 1, [(o["ketut"], TENGAH), (o["putu"], 0.3)])
    svc.tautan_putuskan(baris=row, individu=o["putu"], keputusan=TERIMA, oleh=users["admin"])
    row = svc.tautan_putuskan(baris=row, individu=o["ketut"], keputusan=TERIMA, oleh=users["admin"])
    assert (row.status_tautan, row.individu_id) == (TERTAUT, o["ketut"].pk)
    assert dict(KeputusanTautan.objects.values_list("individu_id", "keputusan")) == {o["putu"].pk: TOLAK,
                                                                                     o["ketut"].pk: TERIMA}


def test_decisions_need_the_row_in_scope(dunia, selisih):
    o, ds, users = dunia["orang"], dunia["ds"], dunia["pengguna"]
    p = data.kirim(ds, [{**data.baris_dari(o["wayan"]), "nik": ""}])
    svc.tautan_jalankan(p)
    row = data.baris_tinjau(p, 1, [(o["wayan"], TENGAH)])
    from django.http import Http404

    for who in ("op_lain", "ver_lain", "wali_lain", "wali_dukcapil"):
        with pytest.raises(Http404):
            svc.tautan_putuskan(baris=row, individu=o["wayan"], keputusan=TERIMA, oleh=users[who])
    with pytest.raises(PermissionDenied):
        svc.tautan_putuskan(baris=row, individu=o["wayan"], keputusan=TERIMA, oleh=users["analis"])
    assert not KeputusanTautan.objects.exists()


def test_running_needs_the_dataset_walidata_or_admin(dunia, selisih):
    p = data.kirim(dunia["ds"], [data.ORANG_ASING])
    for who in ("wali_lain", "op", "analis"):
        with pytest.raises(PermissionDenied):
            svc.tautan_jalankan(p, oleh=dunia["pengguna"][who])
    assert svc.tautan_jalankan(p, oleh=dunia["pengguna"]["wali"]).tanpa_pasangan == 1


def test_task_runs_the_linkage(dunia, selisih):
    from presisi.integration.tasks import tautan_tugas

    p = data.kirim(dunia["ds"], [data.baris_dari(dunia["orang"]["gede"])])
    assert tautan_tugas.call(p.pk) == "tertaut=1 tinjau=0 tanpa_pasangan=0"
    assert tautan_tugas.call(10**9) == "tidak ada"


def test_prefilled_rows_are_not_written_again(dunia, selisih, monkeypatch):
    """The delivery service may insert rows with their remembered outcome (``hasil_terdahulu``)."""
    from presisi.integration.models import BELUM

    o, ds, users = dunia["orang"], dunia["ds"], dunia["pengguna"]
    rows = [data.baris_dari(o["wayan"]), data.ORANG_ASING, {**data.baris_dari(o["ketut"]), "nik": ""}]
    p1 = data.kirim(ds, rows)
    svc.tautan_jalankan(p1)
    row3 = data.baris_tinjau(p1, 3, [(o["ketut"], TENGAH)])
    svc.tautan_putuskan(baris=BarisSumber.objects.get(pengiriman=p1, baris=1), individu=o["wayan"],
                        keputusan=TERIMA, oleh=users["admin"])
    p2 = data.kirim(ds, rows)
    ingat = svc.hasil_terdahulu(ds.pk, list(BarisSumber.objects.filter(pengiriman=p2).values_list("kunci", flat=True)))
    assert ingat[row3.kunci] == (TINJAU, "", o["ketut"].pk, TENGAH)
    assert ingat[BarisSumber.objects.get(pengiriman=p1, baris=1).kunci][:3] == (TERTAUT, METODE_KEPUTUSAN,
                                                                                o["wayan"].pk)
    for b in BarisSumber.objects.filter(pengiriman=p2):
        b.status_tautan, b.metode, b.individu_id, b.skor = ingat.get(b.kunci, (BELUM, "", None, None))
        b.save()
    r = svc.tautan_jalankan(p2)
    assert (r.ditulis, r.ke_mesin, r.dari_keputusan, r.dipakai_ulang) == (0, 0, 1, 2)
    assert KandidatTautan.objects.filter(baris__pengiriman=p2, baris__baris=3, individu=o["ketut"]).exists()
    # a rerun of a linked delivery writes nothing either
    assert svc.tautan_jalankan(p2).ditulis == 0


def test_the_engines_one_to_one_verdict_sends_a_second_claimant_to_review(dunia, selisih, monkeypatch):
    """Two rows both score ≥ the link threshold on one person; the engine's cross-row verdict (not the rows
    one by one) decides: the second claimant goes to review with that person as its best candidate."""
    o = dunia["orang"]
    rows = [{**data.baris_dari(o["wayan"]), "nik": "", "nama": "WAYAN SUDARMA"},
            {**data.baris_dari(o["wayan"]), "nik": "", "nama": "WAYAN SUDARNA",
             "tanggal_lahir": dt.date(1960, 1, 1)}]

    def palsu(registri, sumber, **kwargs) -> mesin.HasilTautan:
        ids = list(sumber["id"])
        pairs = [mesin.Pasangan(id_sumber=sid, id_registri=o["wayan"].pk, probabilitas=p, bobot_total=9.0,
                                bobot=[{"kolom": "nama", "tingkat": "uji", "bobot": 9.0}], metode="probabilistik")
                 for sid, p in zip(ids, (0.9995, 0.995), strict=True)]
        return mesin.HasilTautan(pairs, 0.0, len(ids), len(registri["id"]),
                                 {"status": {ids[0]: mesin.TERTAUT, ids[1]: mesin.TINJAU}})

    monkeypatch.setattr(mesin, "tautkan", palsu)
    p = data.kirim(dunia["ds"], rows)
    r = svc.tautan_jalankan(p)
    b = {x.baris: x for x in BarisSumber.objects.filter(pengiriman=p)}
    assert (b[1].status_tautan, b[1].individu_id) == (TERTAUT, o["wayan"].pk)
    assert (b[2].status_tautan, b[2].individu_id) == (TINJAU, o["wayan"].pk)
    assert (r.tertaut, r.tinjau) == (1, 1)
