"""Many desa files at once: desa recognised per file, one all-or-nothing job per file, parallel workers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.utils import timezone

from presisi.core.exceptions import ValidationFailed
from presisi.imports import pipeline
from presisi.imports.batch import Berkas, bisa_paralel, desa_dari_berkas, impor_banyak_buat, impor_banyak_proses
from presisi.imports.kandidat import kandidat_pool, pool_aktif
from presisi.imports.models import Impor
from presisi.imports.pipeline import impor_jalankan
from presisi.imports.services import impor_buat, impor_proses
from presisi.registry.models import MATI, Individu, Keluarga
from presisi.validation.konteks import kandidat_ganda
from tests.imports.helpers import (
    INDIVIDU_HEADER,
    KELUARGA_HEADER,
    desa_lain_file,
    individu_rows,
    keluarga_rows,
    template_file,
    xlsx,
)
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db


def people() -> dict[str, int]:
    return {kode: Individu.objects.filter(desa__kode=kode).count() for kode in (DESA, DESA_LAIN)}


@pytest.mark.parametrize("name", ["desa-5105012001.xlsx", "51.05.01.2001 penduduk.csv", "kk_51_05_01_2001.xlsx"])
def test_the_desa_is_recognised_from_the_file_name(wilayah, name):
    assert desa_dari_berkas(nama_berkas=name, isi=b"").kode == DESA


def test_the_desa_is_recognised_from_the_template_guide_sheet(wilayah):
    data = xlsx({"Petunjuk": [[f"Templat impor data desa presisi — Desa Contoh ({DESA_LAIN})"]],
                 "Keluarga": [KELUARGA_HEADER, *keluarga_rows()], "Individu": [INDIVIDU_HEADER, *individu_rows()]})
    assert desa_dari_berkas(nama_berkas="penduduk.xlsx", isi=data).kode == DESA_LAIN


@pytest.mark.parametrize("name", ["penduduk.xlsx", "desa-5105019999.xlsx", "5105012001-dan-5105012002.xlsx"])
def test_an_unknown_or_ambiguous_desa_is_refused_with_a_finding(wilayah, name):
    with pytest.raises(ValidationFailed) as exc:
        desa_dari_berkas(nama_berkas=name, isi=template_file())
    assert [(f.rule, f.value) for f in exc.value.findings] == [("desa_berkas_tidak_dikenali", name)]


def test_a_batch_with_one_unplaceable_file_creates_no_job(wilayah, periode):
    files = [Berkas("desa-5105012001.xlsx", template_file()), Berkas("penduduk.xlsx", desa_lain_file()),
             Berkas("lagi-5105012001.xlsx", template_file())]
    with pytest.raises(ValidationFailed) as exc:
        impor_banyak_buat(berkas=files, periode=periode, antrekan=False)
    assert {f.rule for f in exc.value.findings} == {"desa_berkas_tidak_dikenali", "desa_ganda_dalam_kiriman"}
    assert Impor.objects.count() == 0


def test_sequential_batch_writes_each_desa_and_a_resend_changes_nothing(wilayah, periode):
    files = [Berkas("desa-5105012001.xlsx", template_file()), Berkas("desa-5105012002.xlsx", desa_lain_file())]
    jobs = impor_banyak_buat(berkas=files, periode=periode, antrekan=False)
    seen: list[tuple[int, int]] = []
    done = impor_banyak_proses(impor_ids=[j.pk for j in jobs], jobs=2,
                               progress=lambda n, total, impor: seen.append((n, total)))
    assert [i.hasil for i in done] == [Impor.DITERIMA, Impor.DITERIMA]
    assert [i.desa.kode for i in done] == [DESA, DESA_LAIN] and seen == [(1, 2), (2, 2)]
    assert people() == {DESA: 4, DESA_LAIN: 4}
    # The other desa's people are the same four under other NIKs: the second import of the batch
    # sees the first one's people through the batch's candidate pool, as a lone import would.
    second = max(done, key=lambda i: i.selesai)
    assert sorted(f["rule"] for f in second.temuan if f["rule"] == "kemungkinan_ganda") == ["kemungkinan_ganda"] * 4
    again = impor_banyak_buat(berkas=files, periode=periode, antrekan=False)
    done = impor_banyak_proses(impor_ids=[j.pk for j in again], jobs=1)
    assert all(i.ringkasan["unit"]["individu"]["tetap"] == 4 for i in done)
    assert people() == {DESA: 4, DESA_LAIN: 4} and Keluarga.objects.count() == 4


def test_the_batch_candidate_pool_selects_what_the_database_query_selects(wilayah, periode):
    impor_jalankan(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode)
    with kandidat_pool() as pool:
        assert pool_aktif() is pool
        job = impor_buat(berkas=desa_lain_file(), nama_berkas="b.xlsx", desa=wilayah[DESA_LAIN], periode=periode,
                         antrekan=False)
        impor_proses(impor_id=job.pk)  # a finished job: the pool reloads that desa on its next use
        born = np.array(["1980-03-12", "1983-07-01", "1960-01-01", "2008-05-20", "NaT"], dtype="datetime64[D]")
        sex = np.array([1, 1, 1, 1, 2])  # the 1983 woman asked as a man: no match
        Individu.objects.filter(nik="5105010101600004").update(status_dasar=MATI)
        Impor.objects.create(desa=wilayah[DESA], periode=periode, nama_berkas="c", hasil=Impor.DITERIMA,
                             status=Impor.SELESAI, selesai=timezone.now())  # an import that changed DESA
        for exclude in ([wilayah[DESA_LAIN].pk], [wilayah[DESA].pk], []):
            memory = pool.kandidat(tanggal_lahir=born, jenis_kelamin=sex, kecuali_desa=exclude)
            sql = kandidat_ganda(tanggal_lahir=born, jenis_kelamin=sex, kecuali_desa=exclude)
            assert sorted(memory.nik) == sorted(sql.nik) and len(memory.keterangan) == len(sql.nik)
        assert sorted(memory.nik) == ["5105010101600014", "5105011203800001", "5105011203800011",
                                      "5105012005080003", "5105012005080013"]  # the dead 1960 man left out
        unknown = pool.kandidat(tanggal_lahir=born[1:2], jenis_kelamin=np.array([0]), kecuali_desa=[])
        assert sorted(unknown.nik) == ["5105014107830002", "5105014107830012"]  # unknown sex: either
    assert pool_aktif() is None


def test_parallel_is_refused_inside_a_transaction(wilayah):
    assert not bisa_paralel()  # this test runs inside one: workers could not see its rows


def test_a_write_conflict_with_a_parallel_import_rejects_the_file_and_writes_nothing(wilayah, periode, monkeypatch):
    def conflict(**kwargs):
        Keluarga.objects.create(no_kk="5105010101010099", banjar=wilayah[DESA + ".001"], desa=wilayah[DESA])
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(pipeline, "tulis_massal", conflict)
    r = impor_jalankan(berkas=template_file(), nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode)
    assert not r.diterima and not r.ditulis
    assert [f.rule for f in r.temuan if f.severity == "error"] == ["konflik_basis_data"]
    assert Keluarga.objects.count() == 0 and Individu.objects.count() == 0


def test_cli_imports_a_folder_with_totals_and_exit_codes(wilayah, periode, tmp_path, capsys):
    folder = tmp_path / "kiriman"
    folder.mkdir()
    (folder / "desa-5105012001.xlsx").write_bytes(template_file())
    (folder / "desa-5105012002.xlsx").write_bytes(desa_lain_file())
    (folder / "catatan.txt").write_text("bukan berkas impor")
    call_command("import", str(folder), "--periode", periode.kode, "--jobs", "2", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["jumlah_berkas"] == 2 and out["diterima"] == 2
    assert out["total"]["individu"]["dibuat"] == 8 and out["total"]["keluarga"]["dibuat"] == 4
    assert people() == {DESA: 4, DESA_LAIN: 4}

    call_command("import", str(folder / "desa-5105012001.xlsx"), "--periode", periode.kode)  # desa from the name
    assert "tetap 4" in capsys.readouterr().out

    (folder / "penduduk.xlsx").write_bytes(template_file())
    with pytest.raises(CommandError) as exc:
        call_command("import", str(folder), "--periode", periode.kode, "--json")
    assert exc.value.returncode == 1
    out = json.loads(capsys.readouterr().out)
    assert not out["ok"] and out["temuan"][0]["rule"] == "desa_berkas_tidak_dikenali"
    with pytest.raises(CommandError) as exc:
        call_command("import", str(folder / "desa-5105012001.xlsx"), str(folder / "desa-5105012002.xlsx"),
                     "--desa", DESA, "--periode", periode.kode)
    assert exc.value.returncode == 2


def test_a_batch_refuses_a_file_carrying_a_person_of_another_desa_by_nik(wilayah, periode):
    impor_jalankan(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode)
    before = people()
    rows = [[nik[:-2] + "1" + nik[-1], kk[:-2] + ("11" if kk.endswith("01") else "12"), *rest]
            for nik, kk, *rest in individu_rows()]
    rows[2][0], rows[2][2] = "5105011203800001", "Ni Kadek Wulan"  # the head of DESA, another person here
    rows[2][3], rows[2][5] = 2, "1999-09-09"
    keluarga = [[kk[:-2] + ("11" if kk.endswith("01") else "12"), "001", alamat] for kk, _, alamat in keluarga_rows()]
    other = xlsx({"Keluarga": [KELUARGA_HEADER, *keluarga], "Individu": [INDIVIDU_HEADER, *rows]})
    jobs = impor_banyak_buat(berkas=[Berkas("desa-5105012002.xlsx", other)], periode=periode, antrekan=False)
    done = impor_banyak_proses(impor_ids=[j.pk for j in jobs])
    found = [f for f in done[0].temuan if f["rule"] == "nik_orang_lain"]
    assert done[0].hasil == Impor.DITOLAK and len(found) == 1 and "I Wayan Sudarma" in found[0]["message"]
    assert people() == before
