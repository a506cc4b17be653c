"""The ``presisi synth`` command: refusals, another regency, --kabupaten, --json and atomicity."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from presisi.core.exceptions import ApplicationError
from presisi.regions.models import Wilayah
from presisi.registry.models import Bangunan, Individu, Keluarga
from presisi.synth import writer
from presisi.synth.services import synth_generate
from tests.synth.conftest import BALI_CSV

pytestmark = pytest.mark.django_db


def _load_bangli(tmp_path):
    from presisi.regions.services import wilayah_load_csv

    with BALI_CSV.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kode"].startswith("51.06")]
    path = tmp_path / "bangli.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=["kode", "nama", "tingkat", "kode_induk"])
        out.writeheader()
        out.writerows(rows)
    wilayah_load_csv(data=path)


def test_refuses_without_regions(dictionary):
    with pytest.raises(ApplicationError, match="Belum ada desa"):
        synth_generate(scale=0.01, seed=1)


def test_refuses_without_dictionary(regions):
    with pytest.raises(ApplicationError, match="Kamus data belum dimuat"):
        synth_generate(scale=0.01, seed=1)


def test_refuses_to_overwrite_without_ganti(regions, dictionary):
    synth_generate(scale=0.003, seed=1)
    n = Individu.objects.count()
    with pytest.raises(ApplicationError, match="--ganti"):
        synth_generate(scale=0.003, seed=2)
    assert Individu.objects.count() == n


def test_other_regency_works_with_generic_defaults(tmp_path, dictionary):
    _load_bangli(tmp_path)
    s = synth_generate(scale=0.004, seed=5)
    assert s.kabupaten == "51.06" and s.individu > 800 and s.variabel_tidak_diisi == {}
    assert set(s.individu_per_kecamatan) == {"51.06.01", "51.06.02", "51.06.03", "51.06.04"}
    niks = Individu.objects.exclude(nik_sementara=True).values_list("nik", flat=True)
    assert all(n.startswith("5106") for n in niks)
    assert all(k.startswith("5106") for k in Keluarga.objects.values_list("no_kk", flat=True))
    assert Wilayah.objects.banjar().filter(kode__startswith="51.06.").count() == s.banjar_dibuat > 68 * 3


def test_several_regencies_need_kabupaten(tmp_path, regions, dictionary):
    _load_bangli(tmp_path)
    with pytest.raises(ApplicationError, match="--kabupaten"):
        synth_generate(scale=0.003, seed=1)
    s = synth_generate(scale=0.003, seed=1, kabupaten="51.05")
    assert set(s.individu_per_kecamatan) <= {f"51.05.0{i}" for i in range(1, 5)}
    assert not Individu.objects.filter(desa__kode__startswith="51.06").exists()


def test_crash_while_writing_leaves_database_unchanged(regions, dictionary, monkeypatch):
    real_write = writer.write

    def failing(model, *args, **kwargs):
        if model is Individu:
            raise RuntimeError("simulated crash")
        return real_write(model, *args, **kwargs)

    monkeypatch.setattr("presisi.synth.generation.writer.write", failing)
    with pytest.raises(RuntimeError):
        synth_generate(scale=0.003, seed=1)
    assert not Bangunan.objects.exists() and not Keluarga.objects.exists()
    assert not Wilayah.objects.banjar().exists()


def test_command_json_output(regions, dictionary):
    out = io.StringIO()
    call_command("synth", "--scale", "0.003", "--seed", "9", "--json", "--no-progress", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is True and result["seed"] == 9 and result["scale"] == 0.003
    for key in ("banjar", "keluarga", "rumah_tangga", "individu", "bangunan", "individu_per_kecamatan", "detik"):
        assert key in result
    assert result["individu"] == Individu.objects.count()


def test_command_refusal_is_reported_in_indonesian(dictionary):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("synth", "--scale", "0.01", "--no-progress", stderr=err)
    assert "Belum ada desa/kelurahan" in err.getvalue()


def test_real_data_is_never_mixed_or_overwritten(regions, dictionary):
    from presisi.registry.models import DataDesa

    desa = Wilayah.objects.get(kode="51.05.01.2001")
    real = DataDesa.objects.create(desa=desa, periode="2026-S2", atribut={"jumlah_posyandu": 9})
    s = synth_generate(scale=0.003, seed=4)
    real.refresh_from_db()
    assert not real.sintetis and real.atribut == {"jumlah_posyandu": 9}
    assert s.data_desa == 58 and DataDesa.objects.filter(desa=desa).count() == 1
    Keluarga.objects.filter(sintetis=True).update(sintetis=False)  # now the regency holds "real" families
    with pytest.raises(ApplicationError, match="data registri nyata"):
        synth_generate(scale=0.003, seed=4, ganti=True)
