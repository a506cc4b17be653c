"""Registry web pages: dictionary-driven forms, corrections, events, scope, NIK masking, UU PDP log."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import get_resolver

from presisi.accounts.services import pengguna_create
from presisi.core.models import AuditLog
from presisi.dictionary.models import Klasifikasi, Variabel
from presisi.dictionary.validation import clear_cache
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import (
    HIDUP,
    HILANG,
    MATI,
    PERGI,
    PINDAH,
    Bangunan,
    Individu,
    Keluarga,
    Peristiwa,
    RumahTangga,
)
from presisi.registry.services import bangunan_create, individu_create, keluarga_create, rumah_tangga_create
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
DESA, BANJAR = "51.05.01.2001", "51.05.01.2001.001"
KK = "5105010203150001"


@pytest.fixture
def banjar(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                          f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n"
                          "51.05.01.2002.001,Banjar Dinas Kelod,banjar,51.05.01.2002\n")
    return BANJAR


@pytest.fixture
def users(banjar):
    plan = {"operator": ("operator_desa", DESA), "operator_lain": ("operator_desa", "51.05.01.2002"),
            "verifikator": ("verifikator_kecamatan", "51.05.01"), "analis": ("analis", "51.05"),
            "admin": ("admin", "51.05")}
    return {name: pengguna_create(username=name, password="rahasia-panjang", peran=peran, wilayah_kode=kode)
            for name, (peran, kode) in plan.items()}


@pytest.fixture
def op(client, users):
    masuk(client, users["operator"])
    return client


def kepala(**overrides):
    data = {"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1, "tanggal_lahir": "1980-03-12",
            "hubungan_keluarga": 1, "agama": 4, "status_kawin": 2, "pekerjaan": 9}
    return {**data, **overrides}


@pytest.fixture
def keluarga(banjar):
    kk = keluarga_create(no_kk=KK, banjar_kode=banjar, alamat="Jl. Pura Dalem 1")
    individu_create(keluarga=kk, data=kepala())
    return kk


def form_data(form) -> dict:
    """What a browser would send back for a form as rendered (its initial values)."""
    data = {}
    for bf in form:
        value = bf.value()
        if value is None:
            continue
        data[bf.html_name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def person_post(**overrides):
    return {k: v for k, v in kepala(**overrides).items() if v is not None}


# ---------------------------------------------------------------- dictionary-driven forms


def test_person_form_is_generated_from_the_dictionary(op, keluarga):
    page = op.get(f"/registri/keluarga/{keluarga.pk}/anggota/baru/")
    html = page.content.decode()
    assert page.status_code == 200
    # label, help text (kalimat pertanyaan), choices from the code list, range and pattern from the rules
    assert "Nomor Induk Kependudukan" in html
    assert "Berapa Nomor Induk Kependudukan (NIK) (NAMA) sesuai KK atau KTP-el?" in html
    assert '<option value="4">Hindu</option>' in html
    assert 'name="lama_sekolah"' in html and 'min="0"' in html and 'max="22"' in html
    assert 'pattern="\\d{16}"' in html and 'inputmode="numeric"' in html
    assert 'name="nik"' in html and "required" in html.split('name="nik"')[1].split(">")[0]
    # grouped by domain in collapsible sections, status set by events only
    assert '<details class="bagian"' in html and "Kesehatan" in html and "Pendidikan" in html
    assert 'name="status_dasar"' not in html


def test_a_variable_added_by_a_steward_appears_in_the_form_and_is_stored(op, keluarga):
    Variabel.objects.create(kode="nomor_krama_adat", nama="Nomor krama desa adat", domain="adat", unit="individu",
                            tipe="teks", versi="2026.2", kalimat_pertanyaan="Berapa nomor krama (NAMA) di desa adat?",
                            urutan=99999)
    Variabel.objects.create(kode="ikut_sekaa_teruna", nama="Anggota sekaa teruna", domain="adat", unit="individu",
                            tipe="kode", versi="2026.2", klasifikasi=Klasifikasi.objects.get(kode="ya_tidak"),
                            urutan=100000)
    clear_cache()
    html = op.get(f"/registri/keluarga/{keluarga.pk}/anggota/baru/").content.decode()
    assert "Berapa nomor krama (NAMA) di desa adat?" in html and "Adat" in html
    assert 'name="ikut_sekaa_teruna"' in html and 'type="radio"' in html
    response = op.post(f"/registri/keluarga/{keluarga.pk}/anggota/baru/", person_post(
        nik="5105015002950001", nama="Ni Made Sari", jenis_kelamin=2, tanggal_lahir="1995-02-10",
        hubungan_keluarga=3, nomor_krama_adat="KR-017", ikut_sekaa_teruna=1))
    person = Individu.objects.get(nik="5105015002950001")
    assert response.status_code == 302 and response["Location"] == f"/registri/individu/{person.pk}/"
    assert person.atribut == {"nomor_krama_adat": "KR-017", "ikut_sekaa_teruna": 1}


# ---------------------------------------------------------------- create and correct


def test_operator_adds_a_family_and_its_members_through_the_web(op, banjar, users):
    html = op.get(f"/registri/desa/{DESA}/keluarga/baru/").content.decode()
    assert "Banjar Dinas Kaja" in html and "Banjar Dinas Kelod" not in html  # only this desa's banjar
    response = op.post(f"/registri/desa/{DESA}/keluarga/baru/", {"banjar": BANJAR, "no_kk": KK, "alamat": "Jl. A",
                                                                  "tahapan_keluarga_sejahtera": "3"})
    kk = Keluarga.objects.get(no_kk=KK)
    assert response["Location"] == f"/registri/keluarga/{kk.pk}/"
    assert kk.atribut == {"tahapan_keluarga_sejahtera": 3} and kk.alamat == "Jl. A"
    op.post(f"/registri/keluarga/{kk.pk}/anggota/baru/", person_post(jaminan_kesehatan=2, berat_badan="12,5"))
    person = kk.anggota.get()
    assert person.atribut == {"jaminan_kesehatan": 2, "berat_badan": 12.5}  # "12,5" as typed in Excel
    assert AuditLog.objects.filter(aksi="registry.individu.dibuat", objek_id=str(person.pk),
                                   pengguna=users["operator"]).exists()


def test_service_findings_are_shown_next_to_their_field_and_nothing_is_written(op, keluarga):
    url = f"/registri/keluarga/{keluarga.pk}/anggota/baru/"
    response = op.post(url, person_post(nik="5105013203800001", hubungan_keluarga=1))
    form = response.context["form"]
    assert response.status_code == 200
    assert "bagian tanggal lahir NIK (digit 7–12) bukan tanggal yang sah" in form.errors["nik"][0]
    html = response.content.decode()
    assert "Tidak ada data yang disimpan" in html and 'aria-invalid="true"' in html
    # one living head per KK: the finding lands on hubungan_keluarga, whose section opens
    response = op.post(url, person_post(nik="5105015002950001", jenis_kelamin=2, tanggal_lahir="1995-02-10"))
    assert "keluarga ini sudah punya kepala keluarga" in response.context["form"].errors["hubungan_keluarga"]
    # a number out of the dictionary range is refused by the form itself, in Indonesian
    response = op.post(url, person_post(nik="5105015002950001", hubungan_keluarga=3, lama_sekolah=40))
    assert "lama_sekolah" in response.context["form"].errors
    assert Individu.objects.count() == 1
    response = op.post(f"/registri/desa/{DESA}/keluarga/baru/", {"banjar": BANJAR, "no_kk": "9905010203150001"})
    assert any(e.startswith("kode wilayah No. KK (digit 1–4) tidak dikenal")
               for e in response.context["form"].errors["no_kk"])
    assert Keluarga.objects.count() == 1


def test_correcting_a_person_sends_only_changed_fields_and_logs_before_and_after(op, keluarga):
    person = keluarga.anggota.get()
    page = op.get(f"/registri/individu/{person.pk}/ubah/")
    assert "5105011203800001" in page.content.decode()  # the correction form shows the full NIK (logged)
    data = {**form_data(page.context["form"]), "pekerjaan": "11", "merokok": "2"}
    response = op.post(f"/registri/individu/{person.pk}/ubah/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.pekerjaan == 11 and person.atribut == {"merokok": 2}
    log = AuditLog.objects.get(aksi="registry.individu.diubah")
    assert (log.sebelum["pekerjaan"], log.sesudah["pekerjaan"]) == (9, 11)
    # sending the form back unchanged writes nothing
    response = op.post(f"/registri/individu/{person.pk}/ubah/", form_data(op.get(
        f"/registri/individu/{person.pk}/ubah/").context["form"]))
    assert response.status_code == 302 and AuditLog.objects.filter(aksi="registry.individu.diubah").count() == 1


def test_correcting_family_household_and_building(op, keluarga):
    page = op.get(f"/registri/keluarga/{keluarga.pk}/ubah/")
    op.post(f"/registri/keluarga/{keluarga.pk}/ubah/", {**form_data(page.context["form"]), "alamat": "Jl. Baru 2"})
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Baru 2"
    op.post(f"/registri/desa/{DESA}/bangunan/baru/", {"kode": "B-1", "banjar": BANJAR, "lat": "-8,71", "lng": "115,48",
                                                      "jumlah_lantai_bangunan": "1"})
    b = Bangunan.objects.get(kode="B-1")
    assert (b.lat, b.lng, b.atribut) == (-8.71, 115.48, {"jumlah_lantai_bangunan": 1})
    response = op.post(f"/registri/desa/{DESA}/rumah-tangga/baru/", {"kode": "RT-1", "banjar": BANJAR,
                                                                     "bangunan": "B-404", "luas_lantai": "36,5"})
    assert "kode bangunan tidak terdaftar di desa ini" in response.context["form"].errors["bangunan"]
    op.post(f"/registri/desa/{DESA}/rumah-tangga/baru/", {"kode": "RT-1", "banjar": BANJAR, "bangunan": "B-1",
                                                          "luas_lantai": "36,5"})
    rt = RumahTangga.objects.get(kode="RT-1")
    assert rt.bangunan == b and rt.atribut == {"luas_lantai": 36.5}
    page = op.get(f"/registri/rumah-tangga/{rt.pk}/ubah/")
    op.post(f"/registri/rumah-tangga/{rt.pk}/ubah/", {**form_data(page.context["form"]), "luas_lantai": "",
                                                      "sumber_air_minum": "3"})
    rt.refresh_from_db()
    assert rt.atribut == {"sumber_air_minum": 3}  # an emptied field clears the attribute
    page = op.get(f"/registri/bangunan/{b.pk}/ubah/")
    response = op.post(f"/registri/bangunan/{b.pk}/ubah/", {**form_data(page.context["form"]), "lat": "-98"})
    assert "koordinat di luar rentang WGS84" in response.context["form"].errors["lat"]
    op.post(f"/registri/bangunan/{b.pk}/ubah/", {**form_data(page.context["form"]), "kondisi_bangunan": "2"})
    b.refresh_from_db()
    assert b.atribut["kondisi_bangunan"] == 2 and b.lat == -8.71
    assert {"registry.keluarga.diubah", "registry.rumah_tangga.diubah", "registry.bangunan.diubah"} <= set(
        AuditLog.objects.values_list("aksi", flat=True))


def test_household_members_and_moving_to_another_kk(op, keluarga, banjar):
    person = keluarga.anggota.get()
    rt = rumah_tangga_create(kode="RT-1", banjar_kode=banjar)
    op.post(f"/registri/rumah-tangga/{rt.pk}/anggota/", {"nik": person.nik, "hubungan_rumah_tangga": "1"})
    person.refresh_from_db()
    assert (person.rumah_tangga, person.hubungan_rumah_tangga) == (rt, 1)
    assert "I Wayan Sudarma" in op.get(f"/registri/rumah-tangga/{rt.pk}/").content.decode()
    response = op.post(f"/registri/rumah-tangga/{rt.pk}/anggota/", {"nik": "5105019999990001",
                                                                    "hubungan_rumah_tangga": "2"})
    assert "NIK ini tidak terdaftar di desa ini" in response.context["form_anggota"].errors["nik"]
    op.post(f"/registri/rumah-tangga/{rt.pk}/anggota/", {"keluarkan": person.pk})
    person.refresh_from_db()
    assert person.rumah_tangga is None
    other = keluarga_create(no_kk="5105010203150002", banjar_kode=banjar)
    assert 'name="no_kk_tujuan"' in op.get(f"/registri/individu/{person.pk}/pindah-kk/").content.decode()
    op.post(f"/registri/individu/{person.pk}/pindah-kk/", {"no_kk_tujuan": other.no_kk, "hubungan_keluarga": "1"})
    person.refresh_from_db()
    assert person.keluarga == other


# ---------------------------------------------------------------- life events


def test_every_life_event_through_the_web(op, keluarga):
    kk = keluarga.pk
    html = op.get(f"/registri/keluarga/{kk}/lahir/").content.decode()
    assert '<option value="4" selected>Anak</option>' in html and "Kelahiran" in html
    op.post(f"/registri/keluarga/{kk}/lahir/", person_post(nik="5105014501250001", nama="Ni Putu Ayu",
                                                           jenis_kelamin=2, tanggal_lahir="2025-01-05",
                                                           hubungan_keluarga=4, status_kawin=1,
                                                           keterangan="Puskesmas Nusa Penida I"))
    op.post(f"/registri/keluarga/{kk}/datang/", person_post(nik="5105010107900001", nama="I Made Datang",
                                                            tanggal_lahir="1990-07-01", hubungan_keluarga=9,
                                                            tanggal="2025-06-01", asal="Denpasar"))
    people = {p.nama: p for p in Individu.objects.all()}
    assert people["Ni Putu Ayu"].peristiwa.get().jenis == Peristiwa.LAHIR
    assert people["I Made Datang"].peristiwa.get().data == {"asal": "Denpasar"}
    extra = [individu_create(keluarga=keluarga, data=kepala(nik=n, nama=f"Anggota {i}", hubungan_keluarga=9,
                                                            tanggal_lahir=d, jenis_kelamin=g))
             for i, (n, d, g) in enumerate([("5105015002950001", "1995-02-10", 2),
                                            ("5105010101000002", "2000-01-01", 1)])]
    plan = [(people["I Wayan Sudarma"], "mati", {}, MATI),
            (people["I Made Datang"], "pindah-keluar", {"jenis_pindah": "3", "tujuan": "Denpasar"}, PINDAH),
            (extra[0], "hilang", {}, HILANG), (extra[1], "pergi", {}, PERGI)]
    for person, slug, extra_data, status in plan:
        response = op.post(f"/registri/individu/{person.pk}/peristiwa/{slug}/", {"tanggal": "2026-01-05",
                                                                                 **extra_data})
        assert response.status_code == 302, response.context["form"].errors
        person.refresh_from_db()
        assert person.status_dasar == status
    assert Individu.objects.get(nama="I Made Datang").peristiwa.last().data == {"jenis_pindah": 3,
                                                                                "tujuan": "Denpasar"}
    # the one who left comes back; the dead cannot
    op.post(f"/registri/individu/{extra[1].pk}/peristiwa/kembali/", {"tanggal": "2026-02-01", "asal": "Bangli"})
    extra[1].refresh_from_db()
    assert extra[1].status_dasar == HIDUP
    response = op.post(f"/registri/individu/{people['I Wayan Sudarma'].pk}/peristiwa/kembali/",
                       {"tanggal": "2026-02-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Individu.objects.count() == 5  # nobody was deleted


def test_event_dates_are_checked_and_shown_at_the_date_field(op, keluarga):
    person = keluarga.anggota.get()
    html = op.get(f"/registri/individu/{person.pk}/peristiwa/pindah-keluar/").content.decode()
    assert 'type="date" name="tanggal"' in html and 'name="tujuan"' in html and "Antar provinsi" in html
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = op.post(f"/registri/individu/{person.pk}/peristiwa/mati/", {"tanggal": tomorrow})
    assert "tanggal peristiwa tidak boleh setelah hari ini" in response.context["form"].errors["tanggal"]
    assert op.get(f"/registri/individu/{person.pk}/peristiwa/hapus/").status_code == 404
    person.refresh_from_db()
    assert person.status_dasar == HIDUP and not Peristiwa.objects.exists()


# ---------------------------------------------------------------- pages, NIK masking and the UU PDP log


def pdp_rows(**filters):
    return list(AuditLog.objects.filter(aksi__startswith="pdp.", **filters).order_by("id"))


def test_person_page_masks_nik_and_logs_every_view(op, keluarga, users):
    person = keluarga.anggota.get()
    html = op.get(f"/registri/individu/{person.pk}/").content.decode()
    assert "510501******0001" in html and "5105011203800001" not in html
    assert "Petani/Pekebun" in html and "Hindu" in html  # labels, not codes
    html = op.post(f"/registri/individu/{person.pk}/", {"tampilkan_nik": "1"}).content.decode()
    assert "5105011203800001" in html
    rows = pdp_rows(objek_id=str(person.pk))
    assert [r.aksi for r in rows] == ["pdp.lihat", "pdp.lihat"]
    assert [r.sesudah["nik_penuh"] for r in rows] == [False, True]
    assert all(r.pengguna == users["operator"] and r.objek_tipe == "registry.individu" for r in rows)


def test_family_page_lists_members_masked_and_logs_their_ids(op, keluarga):
    second = individu_create(keluarga=keluarga, data=kepala(nik="5105015002950001", nama="Ni Made Sari",
                                                            jenis_kelamin=2, tanggal_lahir="1995-02-10",
                                                            hubungan_keluarga=3))
    html = op.get(f"/registri/keluarga/{keluarga.pk}/").content.decode()
    assert "Ni Made Sari" in html and "510501******0001" in html and "Istri" in html
    row = pdp_rows()[-1]
    assert row.sesudah["ids"] == f"{second.pk - 1}-{second.pk}" and row.sesudah["jumlah"] == 2


def test_desa_home_searches_families_and_nik_and_shows_recent_changes(op, keluarga, banjar):
    for i in range(2, 30):
        keluarga_create(no_kk=f"51050102031500{i:02d}", banjar_kode=banjar)
    page = op.get(f"/registri/desa/{DESA}/")
    html = page.content.decode()
    assert "Banjar Dinas Kaja" in html and "29 keluarga" in html and "Halaman 1 dari 2" in html
    assert "Keluarga didaftarkan" in html  # recent changes
    assert not pdp_rows()  # the list shows no NIK, nothing to log
    html = op.get(f"/registri/desa/{DESA}/", {"q": "wayan"}).content.decode()
    # the list shows the KK number masked (one PDP door); asking for it in full is logged
    assert KK not in html and "510501******0001" in html and "1 keluarga" in html
    html = op.get(f"/registri/desa/{DESA}/", {"q": "wayan", "nik": "penuh"}).content.decode()
    assert KK in html
    row = pdp_rows()[-1]
    assert row.objek_tipe == "registry.keluarga" and row.sesudah["nik_penuh"] is True
    html = op.get(f"/registri/desa/{DESA}/", {"q": "5105011203800001"}).content.decode()
    assert "I Wayan Sudarma" in html and "510501******0001" in html
    assert pdp_rows()[-1].sesudah["tujuan"] == "pencarian NIK"
    bangunan_create(kode="B-77", banjar_kode=banjar)
    assert "B-77" in op.get(f"/registri/desa/{DESA}/", {"jenis": "bangunan"}).content.decode()


def test_people_export_is_masked_and_logged(op, keluarga):
    response = op.get(f"/registri/desa/{DESA}/penduduk.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]][:2] == ["510501******0001", "I Wayan Sudarma"]
    full = openpyxl.load_workbook(io.BytesIO(op.get(f"/registri/desa/{DESA}/penduduk.xlsx?nik=penuh").content))
    assert full.active["A2"].value == "5105011203800001"
    assert [(r.aksi, r.sesudah["nik_penuh"]) for r in pdp_rows()] == [("pdp.ekspor", False), ("pdp.ekspor", True)]


# ---------------------------------------------------------------- scope and roles


def test_scope_is_enforced_for_every_role(client, keluarga, users):
    person = keluarga.anggota.get()
    pages = [f"/registri/desa/{DESA}/", f"/registri/keluarga/{keluarga.pk}/", f"/registri/individu/{person.pk}/",
             f"/registri/individu/{person.pk}/riwayat/"]
    assert client.get(pages[2])["Location"].startswith("/akun/login/")  # anonymous
    masuk(client, users["operator"])
    assert client.get("/registri/")["Location"] == f"/registri/desa/{DESA}/"
    # another desa's records answer like unknown ones (404, no IDOR confirmation); the analis, whose
    # regency it is, is refused (403)
    for name, code in (("operator_lain", 404), ("analis", 403)):
        masuk(client, users[name])
        for url in pages:
            assert client.get(url).status_code == code, (name, url)
    masuk(client, users["operator_lain"])
    assert client.post(f"/registri/individu/{person.pk}/ubah/", {"nama": "X"}).status_code == 404
    assert client.get("/registri/desa/51.05.01.2002/").status_code == 200
    # the kecamatan verifier reads but does not write; the admin does both
    masuk(client, users["analis"])
    assert client.get("/registri/").status_code == 403
    masuk(client, users["verifikator"])
    assert "Batumadeg" in client.get("/registri/").content.decode()  # every desa of the kecamatan
    html = client.get(pages[1]).content.decode()
    assert "I Wayan Sudarma" in html and "/ubah/" not in html
    assert client.get(f"/registri/individu/{person.pk}/ubah/").status_code == 403
    masuk(client, users["admin"])
    assert client.get(f"/registri/individu/{person.pk}/ubah/").status_code == 200
    assert Individu.objects.get(pk=person.pk).nama == "I Wayan Sudarma"
    assert client.get("/registri/desa/99.99.99.9999/").status_code == 404


def test_nothing_can_be_deleted(op, keluarga):
    names = [p.name or "" for p in get_resolver("presisi.registry.urls").url_patterns]
    assert not [n for n in names if "hapus" in n or "delete" in n]
    person = keluarga.anggota.get()
    op.delete(f"/registri/individu/{person.pk}/")
    html = op.get(f"/registri/individu/{person.pk}/").content.decode()
    assert "Hapus" not in html and "hapus" not in html
    assert Individu.objects.filter(pk=person.pk).exists()


def test_processing_log_page_is_for_admins_and_filters(client, keluarga, users):
    person = keluarga.anggota.get()
    masuk(client, users["operator"])
    client.get(f"/registri/individu/{person.pk}/")
    assert client.get("/registri/pdp/").status_code == 403
    masuk(client, users["admin"])
    client.get(f"/registri/keluarga/{keluarga.pk}/")
    page = client.get("/registri/pdp/", {"pengguna": "operator"})
    assert page.context["halaman"].paginator.count == 1 and "halaman penduduk" in page.content.decode()
    today = dt.date.today().isoformat()
    assert client.get("/registri/pdp/", {"sejak": today}).context["halaman"].paginator.count == 2
    assert client.get("/registri/pdp/", {"sampai": "2000-01-01"}).context["halaman"].paginator.count == 0
    by_person = client.get("/registri/pdp/", {"objek": person.pk}).context["halaman"].paginator.count
    assert by_person == 2  # the person page and the family page both showed this person


@pytest.mark.parametrize(("tingkat", "status", "pesan"), [
    ("final", "disetujui", "terkunci"),
    ("diperiksa", "diajukan", "sudah diajukan dan sedang diperiksa"),
])
def test_corrections_are_refused_while_the_desa_data_is_submitted_or_approved(op, keluarga, tingkat, status, pesan):
    from presisi.periods.locking import kunci_catat
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah

    page = op.get(f"/registri/keluarga/{keluarga.pk}/ubah/")
    data = {**form_data(page.context["form"]), "alamat": "Jl. Baru 2"}
    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    desa = Wilayah.objects.get(kode=DESA)
    kunci_catat(periode=periode, desa=desa, tingkat=tingkat, status=status, keterangan=status)
    # every edit page (GET and POST) explains why, instead of a form that cannot be saved
    for url in (f"/registri/keluarga/{keluarga.pk}/ubah/", f"/registri/desa/{DESA}/keluarga/baru/"):
        response = op.get(url)
        assert response.status_code == 409 and pesan in response.content.decode(), url
    response = op.post(f"/registri/keluarga/{keluarga.pk}/ubah/", data)
    assert response.status_code == 409 and pesan in response.content.decode()
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Pura Dalem 1"
    assert op.get(f"/registri/keluarga/{keluarga.pk}/").status_code == 200  # reading stays open
    # returned for correction: the same edit goes through
    kunci_catat(periode=periode, desa=desa, tingkat="terbuka", status="dikembalikan")
    response = op.post(f"/registri/keluarga/{keluarga.pk}/ubah/", data)
    assert response.status_code == 302
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Baru 2"


def test_the_correction_form_refuses_an_undeclared_identity_change_and_records_a_declared_one(op, keluarga):
    person = keluarga.anggota.get()
    url = f"/registri/individu/{person.pk}/ubah/"
    data = {**form_data(op.get(url).context["form"]), "nama": "I Ketut Oka"}
    response = op.post(url, data)
    assert response.status_code == 200 and "koreksi_identitas" in response.content.decode()
    assert Individu.objects.get(pk=person.pk).nama == "I Wayan Sudarma"
    response = op.post(url, {**data, "koreksi_identitas": "on", "alasan_koreksi": "sesuai KTP-el"})
    assert response.status_code == 302 and Individu.objects.get(pk=person.pk).nama == "I Ketut Oka"
    fix = AuditLog.objects.get(aksi="registry.individu.koreksi_identitas", objek_id=str(person.pk))
    assert fix.sesudah["alasan"] == "sesuai KTP-el"


def test_the_new_member_form_names_the_registered_holder_of_a_nik(op, keluarga):
    url = f"/registri/keluarga/{keluarga.pk}/anggota/baru/"
    response = op.post(url, person_post(nik="5105011203800001", nama="Ni Luh Sari", jenis_kelamin=2,
                                        hubungan_keluarga=3))
    errors = " ".join(response.context["form"].errors.get("nik", []))
    assert "NIK ini milik orang lain" in errors and "I Wayan Sudarma" in errors
    assert keluarga.anggota.count() == 1


def test_a_form_refusing_a_2mb_value_shows_only_an_excerpt(op, keluarga):
    person = keluarga.anggota.get()
    big = "A" * 2_000_000
    data = form_data(op.get(f"/registri/individu/{person.pk}/ubah/").context["form"])
    for field in ("nama", "pekerjaan", "tanggal_lahir"):
        response = op.post(f"/registri/individu/{person.pk}/ubah/", {**data, field: big})
        assert response.status_code == 200 and response.context["form"].errors, field
        assert len(response.content) < 200_000, (field, len(response.content))
        assert "A" * 101 not in response.content.decode(), field
