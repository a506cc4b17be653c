"""The desa adat / banjar adat loader: whole-file checks, idempotent, audited, many-to-many mapping."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.regions.models import DesaAdatDesaDinas, WilayahAdat
from presisi.regions.selectors_adat import banjar_adat_untuk_desa, desa_adat_list
from presisi.regions.services_adat import AKSI_MUAT_ADAT, kode_desa_adat, wilayah_adat_load_csv

pytestmark = pytest.mark.django_db
CSV = """kode,nama,tingkat,induk,desa_dinas
51.05.A001,Desa Adat Uji Lintas,desa_adat,,51.05.01.2001;51.05.01.2002
51.05.A001.01,Banjar Adat Kaja,banjar_adat,51.05.A001,
51.05.A001.02,Banjar Adat Kelod,banjar_adat,51.05.A001,
51.05.A002,Desa Adat Uji Kedua,desa adat,,51.05.01.2001
51.05.A002.01,Banjar Adat Tengah,banjar adat,51.05.A002,
"""


def test_load_creates_the_tree_and_its_many_to_many_mapping(wilayah_klungkung):
    summary = wilayah_adat_load_csv(data=CSV)
    assert (summary.dibuat, summary.diubah, summary.tetap) == (5, 0, 0)
    assert summary.per_tingkat == {"desa_adat": 2, "banjar_adat": 3}
    lintas = WilayahAdat.objects.get(kode="51.05.A001")
    assert sorted(lintas.desa_dinas.values_list("kode", flat=True)) == ["51.05.01.2001", "51.05.01.2002"]
    sakti = [d["kode"] for d in desa_adat_list(dalam="51.05.01.2001")]
    assert sakti == ["51.05.A001", "51.05.A002"]  # one desa dinas holding two desa adat
    from presisi.regions.models import Wilayah

    batumadeg = Wilayah.objects.get(kode="51.05.01.2002")
    assert [b.kode for b in banjar_adat_untuk_desa(batumadeg.pk)] == ["51.05.A001.01", "51.05.A001.02"]
    assert AuditLog.objects.filter(aksi=AKSI_MUAT_ADAT).count() == 1


def test_loading_again_changes_nothing_and_a_changed_mapping_is_applied(wilayah_klungkung):
    wilayah_adat_load_csv(data=CSV)
    again = wilayah_adat_load_csv(data=CSV.encode("utf-8-sig"))
    assert (again.dibuat, again.diubah, again.tetap) == (0, 0, 5)
    changed = CSV.replace("51.05.01.2001;51.05.01.2002", "51.05.01.2002").replace("Kelod", "Kelod Kauh")
    summary = wilayah_adat_load_csv(data=changed)
    assert (summary.diubah, summary.tetap) == (2, 3)
    assert list(DesaAdatDesaDinas.objects.filter(desa_adat__kode="51.05.A001")
                .values_list("desa__kode", flat=True)) == ["51.05.01.2002"]


def test_semicolon_file_with_pipe_separated_desa(wilayah_klungkung):
    text = "kode;nama;tingkat;induk;desa_dinas\n51.05.A003;Desa Adat Uji;desa_adat;;51.05.01.2001|51.05.01.2003\n"
    wilayah_adat_load_csv(data=text)
    assert WilayahAdat.objects.get(kode="51.05.A003").desa_dinas.count() == 2


@pytest.mark.parametrize(("line", "rule", "column"), [
    ("51.05.001,Salah,desa_adat,,51.05.01.2001", "kode_adat", "kode"),
    ("51.05.A009,Tanpa desa,desa_adat,,", "desa_dinas_wajib", "desa_dinas"),
    ("51.05.A009,Desa asing,desa_adat,,51.05.01.2999", "desa_dinas_tidak_dikenal", "desa_dinas"),
    ("51.05.A009.01,Yatim,banjar_adat,51.05.A009,", "induk_tidak_dikenal", "induk"),
    ("51.05.A001.03,Induk salah,banjar_adat,51.05.A002,", "induk_salah", "induk"),
    ("51.05.A009,Apa,pura,,51.05.01.2001", "tingkat", "tingkat"),
    ("51.05.A001,,desa_adat,,51.05.01.2001", "nama_wajib", "nama"),
])
def test_a_bad_row_rejects_the_whole_file_naming_row_column_and_rule(wilayah_klungkung, line, rule, column):
    with pytest.raises(ValidationFailed) as exc:
        wilayah_adat_load_csv(data=CSV + line + "\n")
    assert any(f.rule == rule and f.column == column and f.row == 7 for f in exc.value.findings)
    assert not WilayahAdat.objects.exists()


def test_code_scheme_and_cli(wilayah_klungkung, tmp_path):
    assert kode_desa_adat("51.05", 7) == "51.05.A007" and kode_desa_adat("51.05", 7, sintetis=True) == "51.05.AS007"
    path = tmp_path / "adat.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("wilayah", "adat", "load", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["dibuat"] == 5
    out = io.StringIO()
    call_command("wilayah", "adat", "list", "--dalam", "51.05.01.2002", stdout=out)
    assert "51.05.A001" in out.getvalue() and "51.05.A002" not in out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["51.05.A001", "51.05.A001.01", "51.05.AS002", "x", "", "51.05.A1"]),
                          st.text(max_size=8), st.sampled_from(["desa_adat", "banjar_adat", "Desa Adat", "?"]),
                          st.sampled_from(["", "51.05.A001", "51.05.AS002"]),
                          st.sampled_from(["", "51.05.01.2001", "51.05.01.2001;51.05.01.2002", "9|x"])),
                max_size=6))
def test_any_file_loads_or_is_rejected_whole(wilayah_klungkung, rows):
    """Whatever a file holds: it loads (and loads again unchanged) or it is rejected with nothing written."""
    import csv as csv_module

    buf = io.StringIO()
    writer = csv_module.writer(buf)
    writer.writerow(["kode", "nama", "tingkat", "induk", "desa_dinas"])
    writer.writerows(rows)
    before = WilayahAdat.objects.count()
    try:
        wilayah_adat_load_csv(data=buf.getvalue())
    except ValidationFailed as exc:
        assert exc.findings and WilayahAdat.objects.count() == before
        return
    again = wilayah_adat_load_csv(data=buf.getvalue())
    assert again.dibuat == again.diubah == 0
