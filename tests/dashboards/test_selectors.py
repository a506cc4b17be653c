"""Dashboard reads on hand-made data: pyramid, trend, ranking, islands panel, access and suppression."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from presisi.dashboards import selectors
from presisi.dashboards.halaman import Permintaan, halaman_dasbor
from presisi.dashboards.profil import piramida, piramida_kelompok, profil_desa
from presisi.dashboards.tabel import peringkat
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah

pytestmark = pytest.mark.django_db


def user(name: str):
    return get_user_model().objects.get(username=name)


def page(who, **params):
    get = {k: v for k, v in params.items() if k != "kode"}
    return halaman_dasbor(user=who, req=Permintaan.dari(params.get("kode", "uji"), get))


def test_pyramid_counts_five_year_groups_by_sex_in_one_grouped_query(data, django_assert_max_num_queries):
    sakti = Wilayah.objects.get(kode="51.05.01.2001")
    s2 = Periode.objects.get(kode="2026-S2")
    with django_assert_max_num_queries(2):  # catalogue check + ONE grouped query
        counts = piramida(periode=s2, wilayah=sakti)
    # Kaja: 30 M, 32 F, 2 M, 7 F, 70 M, 80 F, 90 F, 3 F; Kelod: ten people aged 20..29, sexes alternating
    assert counts[(0, 1)] == 1 and counts[(0, 2)] == 1  # 0–4: 2 M, 3 F
    assert counts[(1, 2)] == 1  # 5–9: 7 F
    assert (counts[(4, 1)], counts[(4, 2)], counts[(5, 1)], counts[(5, 2)]) == (3, 2, 2, 3)  # 20–24, 25–29
    assert counts[(14, 1)] == 1  # 70–74: 70 M
    assert counts[(15, 2)] == 2  # 75+: 80 F, 90 F
    assert sum(counts.values()) == 18
    groups = piramida_kelompok(counts, sembunyikan=True)
    assert groups[0].label == "0–4" and groups[-1].label == "75+"
    assert groups[15].perempuan is None  # 2 < 5: hidden for readers outside the desa
    assert piramida_kelompok(counts, sembunyikan=False)[15].perempuan == 2


def test_trend_has_every_period_for_the_region_and_the_regency(data):
    h = page(user("analis"), wilayah="51.05.01", indikator="uji_lansia")
    rows = h.tabel["tren"].baris
    assert [r["periode"] for r in rows] == ["2026-S1", "2026-S2"]
    # Nusa Penida: 9 elderly of 25 in S1; the man aged 64 y 9 m in S1 turns 65 by S2 → 10 of 25
    assert rows[0]["w0"] == pytest.approx(36.0) and rows[1]["w0"] == pytest.approx(40.0)
    assert rows[1]["w1"] == pytest.approx(round(100 * 11 / 30, 1))  # the regency beside it
    assert 'id="grafik-tren"' in h.tren and "<polyline" in h.tren


def test_headline_change_since_the_comparison_period_follows_the_direction(data):
    h = page(user("analis"), wilayah="51.05.01")
    card = next(c for c in h.utama if c["kode"] == "uji_lansia")
    assert card["nilai"] == pytest.approx(40.0) and card["nilai_banding"] == pytest.approx(36.0)
    assert card["ubah"]["panah"] == "▲" and card["ubah"]["makna"] == "memburuk"  # lower is better
    assert page(user("analis"), wilayah="51.05.01", banding="").banding is None


def test_ranking_ranks_by_performance_and_sorts_on_request(data):
    h = page(user("analis"), wilayah="51.05.01", indikator="uji_lansia")
    rows = {r["kode"]: r for r in h.tabel["peringkat"].baris}
    assert rows["51.05.01.2001"]["peringkat"] == 1  # 3/18 elderly: best (lower is better)
    assert rows["51.05.01.2002"]["peringkat"] == 2  # 7/7
    assert rows["51.05.01.2001"]["pembilang"] == 3 and rows["51.05.01.2001"]["penyebut"] == 18
    assert rows["51.05.01.2003"]["nilai"] is None and rows["51.05.01.2003"]["peringkat"] is None
    desc = page(user("analis"), wilayah="51.05.01", indikator="uji_lansia", urut="-nilai").tabel["peringkat"].baris
    assert [r["kode"] for r in desc[:2]] == ["51.05.01.2002", "51.05.01.2001"]
    by_name = peringkat([{"kode": "b", "nama": "B", "nilai": 1.0}, {"kode": "a", "nama": "A", "nilai": 2.0}],
                        "naik", "nama")
    assert [r["nama"] for r in by_name] == ["A", "B"] and by_name[0]["peringkat"] == 1


def test_regency_page_ranks_kecamatan_and_maps_desa(data):
    h = page(user("analis"), indikator="uji_penduduk")
    assert {r["kode"] for r in h.tabel["kecamatan"].baris} == {"51.05.01", "51.05.02", "51.05.03", "51.05.04"}
    assert len(h.tabel["peringkat"].baris) == Wilayah.objects.filter(kedalaman=4).count()
    assert [w.nama for w in h.konteks.jejak] == ["Kabupaten Klungkung"]


def test_drill_down_to_a_banjar_keeps_breadcrumbs_and_shows_its_siblings(data):
    h = page(user("analis"), wilayah="51.05.01.2001.001")
    assert [w.kode for w in h.konteks.jejak] == ["51.05", "51.05.01", "51.05.01.2001", "51.05.01.2001.001"]
    assert {r["kode"] for r in h.tabel["peringkat"].baris} == {"51.05.01.2001.001", "51.05.01.2001.002"}
    assert "wilayah=51.05.01" in h.jejak[1]["href"]


def test_public_sees_public_indicators_only_and_small_cells_hidden(data):
    public = AnonymousUser()
    d = selectors.dasbor_get(kode="uji", user=public)
    assert "uji_rahasia" not in [i.kode for i in d.indikator]
    h = page(public, wilayah="51.05.01", indikator="uji_lansia")
    rows = {r["kode"]: r for r in h.tabel["peringkat"].baris}
    assert rows["51.05.01.2001"]["disembunyikan"] and rows["51.05.01.2001"]["nilai"] is None  # 3 < 5
    assert rows["51.05.01.2002"]["nilai"] == pytest.approx(100.0)  # 7 of 7: shown
    assert page(public, indikator="uji_rahasia").indikator.kode != "uji_rahasia"


def test_operator_sees_own_desa_in_full_and_other_desa_as_aggregates(data):
    operator = user("operator")  # scope: Sakti 51.05.01.2001
    assert selectors.pembaca(operator).cakupan == "51.05.01.2001"
    own = page(operator, wilayah="51.05.01", indikator="uji_lansia")
    rows = {r["kode"]: r for r in own.tabel["peringkat"].baris}
    assert rows["51.05.01.2001"]["nilai"] == pytest.approx(round(300 / 18, 1))  # own desa: small cell shown
    other = page(operator, wilayah="51.05.02", indikator="uji_lansia")
    negari = {r["kode"]: r for r in other.tabel["peringkat"].baris}["51.05.02.2001"]
    assert negari["disembunyikan"]  # 1 elderly of 5 in another kecamatan: hidden
    assert "uji_rahasia" in [i.kode for i in selectors.dasbor_get(kode="uji", user=operator).indikator]


def test_islands_panel_compares_the_kecamatan_and_island_desa_with_the_mainland(data):
    h = page(user("analis"), kode="pulau", indikator="uji_lansia")
    row = next(r for r in h.kepulauan["baris"] if r["kode"] == "uji_lansia")
    assert row["kec"] == pytest.approx(40.0)  # Nusa Penida 10/25
    assert row["lain"] == pytest.approx(20.0)  # the other kecamatan: 1/5
    assert row["selisih"] == pytest.approx(20.0)
    # no desa_kepulauan values in this data: island desa = the desa of the islands' kecamatan
    assert row["pulau"] == pytest.approx(40.0) and row["darat"] == pytest.approx(20.0)
    assert "kepulauan" in h.tabel


def test_profile_compares_desa_with_kecamatan_and_regency(data):
    p = profil_desa(kode="51.05.01.2001", periode=None, user=user("analis"))
    row = next(r for r in p.indikator if r["kode"] == "uji_lansia")
    assert row["desa"] == pytest.approx(round(300 / 18, 1)) and row["kecamatan"] == pytest.approx(40.0)
    assert row["kabupaten"] == pytest.approx(round(1100 / 30, 1))
    assert [b["nama"] for b in p.banjar.baris] == ["Banjar Dinas Kaja", "Banjar Dinas Kelod"]
    assert p.banjar.baris[0]["penduduk"] == 8 and p.banjar.baris[0]["rumah_tangga"] == 2
    assert p.status["snapshot"]["jumlah_individu"] == 18 and p.status["snapshot"]["beku"] is False
    assert p.jumlah_penduduk == 18
    assert profil_desa(kode="51.05.01", periode=None, user=user("analis")) is None  # not a desa


@pytest.mark.django_db
def test_period_selection_defaults_to_latest_and_the_one_before():
    from presisi.core.exceptions import NotFound

    ps = [Periode.objects.get_or_create(kode=k, defaults={"tanggal_mulai": dt.date(2019, m, 1),
                                                          "tanggal_referensi": dt.date(2019, m + 5, 28)})[0]
          for k, m in (("2019-S1", 1), ("2019-S2", 7))]
    assert [p.kode for p in selectors.periode_pilih(ps, None, None)] == ["2019-S2", "2019-S1"]
    assert selectors.periode_pilih(ps, "2019-s1", None) == (ps[0], None)
    assert selectors.periode_pilih(ps, " 2019-S2 ", "2019-s1") == (ps[1], ps[0])
    assert selectors.periode_pilih(ps, "2019-S2", "") == (ps[1], None)
    assert selectors.periode_pilih([], None, None) == (None, None)
    # an unknown code (or one not offered) is an error naming the known periods, never the latest instead
    for kode, banding in (("2030-S1", None), ("bukan", None), ("2019-S2", "2030-S1")):
        with pytest.raises(NotFound, match="tidak ditemukan") as err:
            selectors.periode_pilih(ps, kode, banding)
        assert err.value.findings[0].rule == "periode_tidak_dikenal"
