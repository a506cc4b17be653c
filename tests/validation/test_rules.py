"""Every built-in rule: a record that breaks it is found, the clean family is not.

Records are stored with the ORM (bypassing the registry services, which refuse some of
them) and the rules run through ``validasi_jalankan`` as the update cycle will run them.
"""

from __future__ import annotations

import pytest

from presisi.validation.models import RekapValidasi, Temuan
from presisi.validation.services import validasi_jalankan
from tests.validation.conftest import (
    DESA,
    DESA_LAIN,
    keluarga,
    keluarga_lengkap,
    make_periode,
    nik_for,
    orang,
)

pytestmark = pytest.mark.django_db


def found(wilayah, periode, desa=DESA) -> dict[str, list[Temuan]]:
    validasi_jalankan(desa=wilayah[desa], periode=periode)
    out: dict[str, list[Temuan]] = {}
    for t in Temuan.objects.filter(desa=wilayah[desa], periode=periode).exclude(status=Temuan.SELESAI):
        out.setdefault(t.aturan.kode, []).append(t)
    return out


def test_a_plausible_family_breaks_no_rule(wilayah, periode):
    keluarga_lengkap(wilayah)
    summary = validasi_jalankan(desa=wilayah[DESA], periode=periode)
    assert summary.error == 0 and summary.warning == 0 and summary.lolos
    assert summary.jumlah_individu == 4 and summary.jumlah_keluarga == 1


def _head(wilayah, **kw):
    kel = keluarga(wilayah)
    return kel, orang(kel, **kw)


CASES = [
    # rule, builder(wilayah) → the record expected to be named
    ("nik_format", lambda w: _head(w, nik="51050112038")[1]),
    ("nik_wilayah", lambda w: _head(w, nik="9971011203800001")[1]),
    ("nik_tanggal", lambda w: _head(w, nik="5105013513800001")[1]),
    ("nik_nomor_urut", lambda w: _head(w, nik="5105011203800000")[1]),
    ("nik_kecamatan", lambda w: _head(w, nik="5105991203800001")[1]),
    ("nik_jenis_kelamin", lambda w: _head(w, sex=2, nik="5105011203800001")[1]),
    ("nik_tanggal_lahir", lambda w: _head(w, lahir="1980-03-12", nik="5105011303800001")[1]),
    ("nik_sementara", lambda w: _head(w, nik="0510501200100001")[1]),
    ("klasifikasi", lambda w: _head(w, atribut={"golongan_darah": 99})[1]),
    ("rentang", lambda w: _head(w, atribut={"lama_sekolah": 40})[1]),
    ("umur_pendidikan", lambda w: _child(w, lahir="2014-01-01", pendidikan=5)),
    ("umur_kawin", lambda w: _child(w, lahir="2012-01-01", status_kawin=2)),
    ("umur_bekerja", lambda w: _child(w, lahir="2018-01-01", pekerjaan=9)),
    ("hamil_tidak_wajar", lambda w: _head(w, sex=1, atribut={"hamil": 1})[1]),
    ("selisih_umur_anak", lambda w: _child(w, lahir="1990-01-01", pendidikan=5)),
    ("kepala_keluarga_tunggal", lambda w: orang(keluarga(w), shdk=4, lahir="2000-01-01")),
]


def _child(wilayah, lahir: str, **fields):
    kel, _ = _head(wilayah, lahir="1980-03-12")
    return orang(kel, shdk=4, sex=1, lahir=lahir, status_kawin=fields.pop("status_kawin", 1),
                 pekerjaan=fields.pop("pekerjaan", 3), pendidikan=fields.pop("pendidikan", 1), **fields)


@pytest.mark.parametrize(("rule", "build"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_finds_the_record_that_breaks_it(wilayah, periode, rule, build):
    keluarga_lengkap(wilayah)
    person = build(wilayah)
    hits = found(wilayah, periode).get(rule, [])
    assert [t.objek_id for t in hits] == [person.pk], {k: [t.pesan for t in v] for k, v in found(wilayah,
                                                                                                  periode).items()}
    finding = hits[0]
    assert finding.pesan and finding.kolom and finding.unit == "individu"
    assert str(person.nik) in finding.label


def test_findings_name_column_value_and_message_in_indonesian(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, lahir="1980-03-12")
    child = orang(kel, shdk=4, lahir="2014-01-01", pendidikan=8, status_kawin=1, pekerjaan=3)
    t = found(wilayah, periode)["umur_pendidikan"][0]
    assert (t.objek_id, t.kolom, t.nilai, t.keparahan) == (child.pk, "pendidikan", "8", "error")
    assert "umur 12 tahun" in t.pesan and "D-IV" in t.pesan or "S1" in t.pesan


def test_pregnancy_is_fine_for_a_woman_of_30_and_wrong_for_a_girl_of_9(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, sex=2, lahir="1996-01-01", atribut={"hamil": 1})
    girl = orang(kel, shdk=4, sex=2, lahir="2017-01-01", atribut={"hamil": 1}, status_kawin=1, pekerjaan=3,
                 pendidikan=1)
    hits = found(wilayah, periode)["hamil_tidak_wajar"]
    assert [t.objek_id for t in hits] == [girl.pk]
    assert "umur 9 tahun" in hits[0].pesan


def test_child_too_close_in_age_to_the_spouse_is_a_warning(wilayah, periode):
    kel, people = keluarga_lengkap(wilayah)
    late = orang(kel, shdk=4, sex=1, lahir="1993-01-01", status_kawin=1, pekerjaan=9)  # wife born 1983
    hits = found(wilayah, periode)["selisih_umur_anak"]
    assert {t.objek_id for t in hits} == {late.pk}
    assert all(t.keparahan == "warning" for t in hits)


def test_probable_duplicate_across_desa_names_the_other_record_and_score(wilayah, periode):
    keluarga_lengkap(wilayah)
    other = keluarga(wilayah, banjar=DESA_LAIN + ".001")
    twin = orang(other, shdk=1, lahir="1980-03-12", nama="I Wayan Sudarma", nama_ayah="I Made Rai",
                 nama_ibu="Ni Nyoman Sari")
    hits = found(wilayah, periode)["kemungkinan_ganda"]
    assert len(hits) == 1 and "skor kemiripan 100" in hits[0].pesan and twin.nik in hits[0].pesan
    # a different name on the same birth date is not a duplicate
    twin.nama, twin.nama_ayah = "Ni Ketut Ayu Lestari", "I Gede Wirata"
    twin.save()
    assert "kemungkinan_ganda" not in found(wilayah, periode)


def test_family_card_rules(wilayah, periode):
    good = keluarga(wilayah, no_kk="5105010303150001")
    orang(good)
    cases = {"kk_format": "51050103", "kk_wilayah": "9905010303150001", "kk_tanggal": "5105013213150001",
             "kk_tanggal_depan": "5105013112260001", "kk_kabupaten": "5171010303150001",
             "kk_sementara": "0510501200100002"}
    ids = {}
    for rule, no_kk in cases.items():
        kel = keluarga(wilayah, no_kk=no_kk)
        orang(kel)
        ids[rule] = kel.pk
    result = found(wilayah, periode)
    for rule in cases:
        assert ids[rule] in [t.objek_id for t in result[rule]], rule
        assert result[rule][0].unit == "keluarga"
    assert not any(t.objek_id == good.pk for v in result.values() for t in v if t.unit == "keluarga")


def test_population_outlier_against_the_previous_period(wilayah, periode):
    before = make_periode("2026-S1")
    RekapValidasi.objects.create(desa=wilayah[DESA], periode=before, jumlah_individu=10)
    keluarga_lengkap(wilayah)  # 4 people now: -60%
    hits = found(wilayah, periode)["pencilan_jumlah_penduduk"]
    assert len(hits) == 1 and hits[0].objek_id is None and "-60.0%" in hits[0].pesan and "2026-S1" in hits[0].pesan
    RekapValidasi.objects.filter(periode=before).update(jumlah_individu=4)
    assert "pencilan_jumlah_penduduk" not in found(wilayah, periode)


def test_nik_rules_match_the_single_number_checks_of_the_registry(wilayah):
    """The vectorised NIK rules agree with presisi.registry.identifiers on a sample of numbers."""
    import numpy as np

    from presisi.registry.identifiers import nik_findings
    from presisi.validation.frames import Frame
    from presisi.validation.konteks import kecamatan_dikenal
    from presisi.validation.rules.base import Konteks
    from presisi.validation.rules.identitas import nik_rules

    niks = ["5105011203800001", "51050112038", "9971011203800001", "5105013503800001", "5105011203800000",
            "5105991203800001", "0510501200100001", "5105015203800001", "3171011708450001", "abcdefghijklmnop"]
    kec = kecamatan_dikenal()
    frame = Frame(unit="individu", n=len(niks), cols={"nik": np.array(niks, dtype=object)},
                  objek_id=np.zeros(len(niks), np.int64), baris=np.arange(1, len(niks) + 1),
                  desa_id=np.zeros(len(niks), np.int64))
    import datetime as dt

    ktx = Konteks(tanggal_referensi=dt.date(2026, 12, 31), hari_ini=dt.date(2026, 11, 27), kecamatan_dikenal=kec,
                  kabupaten_desa={})
    vector = {(h.aturan, int(i)) for h in nik_rules(frame, ktx) for i in h.idx}
    single = {(f.rule, i) for i, nik in enumerate(niks) for f in nik_findings(nik, kecamatan_dikenal=kec)}
    assert vector == single


def test_nik_of_a_woman_and_her_birth_date_pass(wilayah, periode):
    kel = keluarga(wilayah)
    orang(kel, shdk=1, sex=2, lahir="1975-08-17", nik=nik_for(__import__("datetime").date(1975, 8, 17), 2))
    assert found(wilayah, periode) == {}


def test_family_rules_with_scattered_family_ids(wilayah, periode):
    """Family keys are factorised: families of other desa (ids in between) are not 'headless'."""
    for _ in range(3):
        orang(keluarga(wilayah, banjar=DESA_LAIN + ".001"))
    keluarga_lengkap(wilayah)
    for _ in range(2):
        orang(keluarga(wilayah, banjar=DESA_LAIN + ".001"))
    kel = keluarga(wilayah)
    orang(kel)
    assert "kepala_keluarga_tunggal" not in found(wilayah, periode)


def test_stored_values_are_rechecked_and_closed_once_fixed(wilayah, periode):
    kel = keluarga(wilayah)
    head = orang(kel, agama=12, atribut={"golongan_darah": 99})
    hits = found(wilayah, periode)["klasifikasi"]
    assert {(t.kolom, t.nilai) for t in hits} == {("agama", "12"), ("golongan_darah", "99")}
    head.agama, head.atribut = 4, {"golongan_darah": 1}
    head.save()
    # the dictionary is unchanged since the last full check: only records with open findings are re-read
    assert "klasifikasi" not in found(wilayah, periode)
    assert Temuan.objects.filter(aturan__kode="klasifikasi", status=Temuan.SELESAI).count() == 2
