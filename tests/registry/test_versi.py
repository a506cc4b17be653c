"""Optimistic locking of registry records: versions, stale web forms, ETag/If-Match, concurrent writers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import VersiBasi
from presisi.core.models import AuditLog
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import Bangunan, Individu, Keluarga
from presisi.registry.services import (
    anggota_rumah_tangga_set,
    bangunan_create,
    bangunan_update,
    individu_create,
    individu_update,
    keluarga_create,
    keluarga_update,
    peristiwa_catat,
    rumah_tangga_create,
)
from presisi.registry.services.versi import kunci_versi
from tests.conftest import masuk, serentak

DESA, BANJAR = "51.05.01.2001", "51.05.01.2001.001"
KK, NIK = "5105010203150001", "5105011203800001"
API = "/api/v1"
HEAD = {"nik": NIK, "nama": "I Wayan Sudarma", "jenis_kelamin": 1, "tanggal_lahir": "1980-03-12",
        "hubungan_keluarga": 1, "agama": 4, "status_kawin": 2, "pekerjaan": 9}


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def users(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                          f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n"
                          "51.05.01.2002.001,Banjar Dinas Kelod,banjar,51.05.01.2002\n")
    return {name: pengguna_create(username=name, password="rahasia-panjang", peran="operator_desa", wilayah_kode=DESA)
            for name in ("made", "ketut")}


@pytest.fixture
def keluarga(users):
    kk = keluarga_create(no_kk=KK, banjar_kode=BANJAR, alamat="Jl. Pura Dalem 1")
    individu_create(keluarga=kk, data=HEAD)
    return kk


@pytest.fixture
def made(client, users):
    masuk(client, users["made"])
    return client


def form_data(form) -> dict:
    """What a browser sends back for a form as rendered (its initial values, the hidden version too)."""
    data = {}
    for bf in form:
        value = bf.value()
        if value is not None:
            data[bf.html_name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


# ---------------------------------------------------------------- services


@pytest.mark.django_db
def test_every_write_moves_the_version_on_and_a_stale_one_writes_nothing(keluarga, users):
    person = keluarga.anggota.get()
    assert (keluarga.versi, person.versi) == (1, 1)
    person = individu_update(individu=person, data={"pekerjaan": 11}, versi=1)
    assert person.versi == 2 and Individu.objects.get(pk=person.pk).versi == 2
    before = AuditLog.objects.count()
    with pytest.raises(VersiBasi) as exc:
        individu_update(individu=person, data={"pekerjaan": 3}, versi=1)
    assert exc.value.extra == {"versi_dikirim": 1, "versi_sekarang": 2}
    assert "sudah diubah pengguna lain" in exc.value.message
    person.refresh_from_db()
    assert (person.pekerjaan, person.versi, AuditLog.objects.count()) == (11, 2, before)
    # writes that carry no version (events, moves, the CLI) still move it on: a form opened before is stale
    rt = rumah_tangga_create(kode="RT-1", banjar_kode=BANJAR)
    anggota_rumah_tangga_set(individu=person, rumah_tangga=rt, hubungan_rumah_tangga=1)
    peristiwa_catat(individu=person, jenis=4, tanggal=dt.date.today())
    assert Individu.objects.get(pk=person.pk).versi == 4
    # a family moving banjar takes its members along, and their forms become stale too
    wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{DESA}.002,Banjar Dinas Kelod,banjar,{DESA}\n")
    keluarga_update(keluarga=keluarga, data={}, banjar_kode=f"{DESA}.002", versi=1)
    assert Keluarga.objects.get(pk=keluarga.pk).versi == 2 and Individu.objects.get(pk=person.pk).versi == 5
    with pytest.raises(VersiBasi):
        keluarga_update(keluarga=keluarga, data={"alamat": "Jl. Lama"}, versi=1)


@pytest.mark.django_db
@given(versi=st.one_of(st.none(), st.integers(), st.sets(st.integers(), max_size=4)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_version_is_either_accepted_or_refused_cleanly(keluarga, versi):
    b = Bangunan.objects.first() or bangunan_create(kode="B-1", banjar_kode=BANJAR)
    current = Bangunan.objects.get(pk=b.pk).versi
    matches = versi is None or versi == current or isinstance(versi, set) and current in versi
    if matches:
        assert bangunan_update(bangunan=b, data={}, versi=versi).versi == current + 1
    else:
        with pytest.raises(VersiBasi):
            bangunan_update(bangunan=b, data={}, versi=versi)
        assert Bangunan.objects.get(pk=b.pk).versi == current


@pytest.mark.django_db
def test_kunci_versi_of_a_missing_record_is_not_found(keluarga):
    with pytest.raises(Keluarga.DoesNotExist):
        kunci_versi(Keluarga, 999_999, 1)


# ---------------------------------------------------------------- web forms


@pytest.mark.django_db
def test_a_stale_correction_form_is_refused_with_the_other_change_shown(made, keluarga, users):
    person = keluarga.anggota.get()
    page = made.get(f"/registri/individu/{person.pk}/ubah/")
    assert 'type="hidden" name="versi" value="1"' in page.content.decode()
    stale = {**form_data(page.context["form"]), "merokok": "2"}  # Made adds smoking; his form says pekerjaan 9
    # meanwhile Ketut corrects the occupation
    individu_update(individu=person, data={"pekerjaan": 11}, pengguna=users["ketut"])
    response = made.post(f"/registri/individu/{person.pk}/ubah/", stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah pengguna lain sejak Anda membuka formulir ini" in html and "Tidak ada yang disimpan" in html
    person.refresh_from_db()
    assert (person.pekerjaan, person.atribut, person.versi) == (11, {}, 2)  # nothing reverted, nothing written
    konflik = response.context["form"].konflik
    assert [e.pengguna for e in konflik["perubahan"]] == ["ketut"]
    rows = {label: (anda, sekarang) for label, anda, sekarang in konflik["isian"]}
    # Made's stale value beside Ketut's, as labels; and Made's own addition beside the empty value now
    assert rows["Jenis pekerjaan (KK)"] == ("Petani/Pekebun", "Nelayan/Perikanan")
    assert rows["Perilaku merokok"] == ("Tidak", "—")
    assert "ketut" in html and "Perubahan oleh pengguna lain" in html
    # the form is shown again with the current version: saving again is a deliberate decision
    assert 'name="versi" value="2"' in html
    again = form_data(response.context["form"])
    response = made.post(f"/registri/individu/{person.pk}/ubah/", {**again, "pekerjaan": "11"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.pekerjaan, person.atribut, person.versi) == (11, {"merokok": 2}, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["keluarga", "rumah-tangga", "bangunan"])
def test_family_household_and_building_forms_refuse_a_stale_version(made, keluarga, users, kind):
    b = bangunan_create(kode="B-1", banjar_kode=BANJAR)
    obj = {"keluarga": keluarga, "bangunan": b,
           "rumah-tangga": rumah_tangga_create(kode="RT-1", banjar_kode=BANJAR, bangunan=b)}[kind]
    url = f"/registri/{kind}/{obj.pk}/ubah/"
    stale = form_data(made.get(url).context["form"])
    fresh = form_data(made.get(url).context["form"])
    first = {"keluarga": {"alamat": "Jl. Baru 2"}, "rumah-tangga": {"sumber_air_minum": "3"},
             "bangunan": {"kondisi_bangunan": "2"}}[kind]
    assert made.post(url, {**fresh, **first}).status_code == 302
    second = {"keluarga": {"alamat": "Jl. Lain 3"}, "rumah-tangga": {"sumber_air_minum": "1"},
              "bangunan": {"kondisi_bangunan": "1"}}[kind]
    response = made.post(url, {**stale, **second})
    assert response.status_code == 200 and response.context["form"].konflik["isian"]
    obj.refresh_from_db()
    assert obj.versi == 2
    key, value = next(iter(first.items()))
    assert str(getattr(obj, key, None) or obj.atribut.get(key)) == value


@pytest.mark.django_db
def test_a_form_without_its_version_is_refused(made, keluarga):
    data = form_data(made.get(f"/registri/keluarga/{keluarga.pk}/ubah/").context["form"])
    del data["versi"]
    response = made.post(f"/registri/keluarga/{keluarga.pk}/ubah/", {**data, "alamat": "Jl. X"})
    assert response.status_code == 200 and "muat ulang halaman ini" in response.content.decode()
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Pura Dalem 1"


# ---------------------------------------------------------------- API


@pytest.mark.django_db
def test_etag_if_match_and_412_round_trip(made, keluarga):
    person = keluarga.anggota.get()
    url = f"{API}/individu/{person.pk}/"
    got = made.get(url)
    assert got["ETag"] == 'W/"1"' and got.json()["versi"] == 1
    ok = made.patch(url, {"pekerjaan": 11}, content_type="application/json", headers={"If-Match": got["ETag"]})
    assert ok.status_code == 200 and ok["ETag"] == 'W/"2"' and ok.json()["pekerjaan"] == 11
    stale = made.patch(url, {"pekerjaan": 3}, content_type="application/json", headers={"If-Match": 'W/"1"'})
    body = stale.json()
    assert stale.status_code == 412 and stale["ETag"] == 'W/"2"'
    assert body["versi_sekarang"] == 2 and body["sekarang"]["pekerjaan"] == 11
    assert body["sekarang"]["nik"] == "510501******0001"  # the same PDP door: masked unless asked and allowed
    # the body's version works the same way, a list of tags or "*" too; no condition stays allowed
    assert made.patch(url, {"pekerjaan": 3, "versi": 1}, content_type="application/json").status_code == 412
    assert made.patch(url, {"pekerjaan": 3, "versi": 2}, content_type="application/json").status_code == 200
    assert made.patch(url, {"pekerjaan": 4}, content_type="application/json",
                      headers={"If-Match": '"1", W/"3"'}).status_code == 200
    assert made.patch(url, {"pekerjaan": 5}, content_type="application/json",
                      headers={"If-Match": "*"}).status_code == 200
    assert made.patch(url, {"pekerjaan": 6}, content_type="application/json").status_code == 200
    # header and body disagree: no version satisfies both
    assert made.patch(url, {"pekerjaan": 7, "versi": 6}, content_type="application/json",
                      headers={"If-Match": 'W/"5"'}).status_code == 412
    bad = made.patch(url, {"pekerjaan": 7, "versi": "enam"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["temuan"][0]["column"] == "versi"
    person.refresh_from_db()
    assert (person.pekerjaan, person.versi) == (6, 6)


@pytest.mark.django_db
def test_family_household_and_building_api_send_etags_and_refuse_stale_writes(made, keluarga):
    b = bangunan_create(kode="B-1", banjar_kode=BANJAR)
    rt = rumah_tangga_create(kode="RT-1", banjar_kode=BANJAR)
    cases = [(f"{API}/keluarga/{keluarga.pk}/", {"alamat": "Jl. Baru"}),
             (f"{API}/rumah-tangga/{rt.pk}/", {"sumber_air_minum": 3}),
             (f"{API}/bangunan/{b.pk}/", {"lat": -8.7})]
    for url, change in cases:
        tag = made.get(url)["ETag"]
        assert tag == 'W/"1"'
        assert made.patch(url, change, content_type="application/json", headers={"If-Match": tag}).status_code == 200
        stale = made.patch(url, change, content_type="application/json", headers={"If-Match": tag})
        assert stale.status_code == 412 and stale.json()["sekarang"]["versi"] == 2, url
    stale = made.patch(cases[0][0], {"versi": 1}, content_type="application/json").json()
    assert stale["sekarang"]["anggota"][0]["nik"] == "510501******0001"  # members masked as in a read


@pytest.mark.django_db
@given(header=st.text(max_size=40))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_if_match_values_never_fail_the_server(made, keluarga, header):
    url = f"{API}/keluarga/{keluarga.pk}/"
    response = made.patch(url, {"alamat": "Jl. Baru"}, content_type="application/json",
                          headers={"If-Match": header})
    assert response.status_code in (200, 412)
    assert response["ETag"].startswith('W/"')


@pytest.mark.django_db
@given(versi=st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.booleans(), st.none(),
                       st.lists(st.integers(), max_size=2)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_body_versions_never_fail_the_server(made, keluarga, versi):
    response = made.patch(f"{API}/keluarga/{keluarga.pk}/", {"alamat": "Jl. Baru", "versi": versi},
                          content_type="application/json")
    assert response.status_code in (200, 400, 412)


def test_the_openapi_schema_documents_if_match_etag_and_412(client, db):
    schema = client.get("/api/schema/", headers={"Accept": "application/json"}).content.decode()
    assert "If-Match" in schema and "ETag" in schema and "412" in schema


# ---------------------------------------------------------------- concurrent writers (PostgreSQL)




@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_of_one_version_exactly_one_wins(keluarga, users):
    if not _is_pg():
        pytest.skip("concurrent writers need a server database (CI runs this on PostgreSQL)")
    person = keluarga.anggota.get()
    for round_ in range(3):
        versi = Individu.objects.get(pk=person.pk).versi

        def write(i: int, versi: int = versi) -> Individu:
            return individu_update(individu=person, data={"pekerjaan": 10 + i}, versi=versi,
                                   pengguna=users["made" if i else "ketut"])

        results = serentak(2, write)
        won = [r for r in results if isinstance(r, Individu)]
        lost = [r for r in results if isinstance(r, VersiBasi)]
        assert (len(won), len(lost)) == (1, 1), (round_, results)
        person.refresh_from_db()
        assert person.versi == versi + 1 and person.pekerjaan == won[0].pekerjaan


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_patches_with_one_etag_give_one_200_and_one_412(keluarga, users):
    if not _is_pg():
        pytest.skip("concurrent requests need a server database (CI runs this on PostgreSQL)")
    url = f"{API}/keluarga/{keluarga.pk}/"

    def patch(i: int):
        c = Client()
        masuk(c, users["made" if i else "ketut"])
        return c.patch(url, {"alamat": f"Jl. {i}"}, content_type="application/json",
                       headers={"If-Match": 'W/"1"'}).status_code

    assert sorted(serentak(2, patch)) == [200, 412]
    assert Keluarga.objects.get(pk=keluarga.pk).versi == 2
