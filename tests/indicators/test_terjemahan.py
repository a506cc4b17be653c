"""English beside Indonesian in the standard indicator set: every entry has it, the loader stores it, the API
answers in the reader's language while the ETag stays the same."""

from __future__ import annotations

import pytest
import yaml
from django.utils import translation

from presisi.indicators.models import Indikator, Parameter
from presisi.indicators.selectors import TEKS_TERJEMAHAN as INDIKATOR_TEKS  # every text a person reads
from presisi.indicators.selectors import indikator_sidik, indikator_tampil
from presisi.indicators.services import STANDARD_DIR


def _kosong(entry: dict, fields: tuple[str, ...]) -> list[str]:
    en = entry.get("en") or {}
    return [f for f in fields if entry.get(f) and not str(en.get(f) or "").strip()]


def test_every_standard_indicator_theme_and_parameter_has_english():
    missing = []
    for path in sorted((STANDARD_DIR / "indikator").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing += [(path.name, f) for f in _kosong(doc, ("nama_tema",))]
        missing += [(path.name, i["kode"], f) for i in doc["indikator"] for f in _kosong(i, INDIKATOR_TEKS)]
    params = yaml.safe_load((STANDARD_DIR / "parameter.yaml").read_text(encoding="utf-8"))
    missing += [(p["kode"], f) for p in params["parameter"] for f in _kosong(p, ("nama", "satuan", "dasar"))]
    assert not missing, f"add `en:` for these entries: {missing}"


@pytest.mark.django_db
def test_loader_stores_english_and_the_api_answers_in_the_active_language(kamus):
    from presisi.indicators.services import indikator_load

    indikator_load()
    ind = Indikator.objects.get(kode="persentase_rt_terdampak_bencana")
    assert ind.terjemahan["en"]["satuan"] == "percent" and ind.terjemahan["en"]["nama_tema"] == "Disasters"
    assert ind.terjemahan["en"]["nama"].startswith("Percentage of households affected by a disaster")
    assert Parameter.objects.filter(kode="garis_kemiskinan").first().terjemahan["en"]["nama"] == "Poverty line"
    assert Indikator.objects.get(kode="rata_rata_lama_sekolah_25").terjemahan["en"]["satuan"] == "years"
    with translation.override("en"):
        english, sidik_en = indikator_tampil(ind), indikator_sidik(ind)
    with translation.override("id"):
        indonesian, sidik_id = indikator_tampil(ind), indikator_sidik(ind)
    assert (english["satuan"], indonesian["satuan"]) == ("percent", "persen")
    assert english["nama"] != indonesian["nama"] and english["kode"] == indonesian["kode"]
    assert sidik_en == sidik_id  # the edit contract does not depend on the reader's language


@pytest.mark.django_db
def test_an_edit_drops_the_english_of_a_changed_text_only(kamus):
    from django.contrib.auth import get_user_model

    from presisi.indicators.services import indikator_load, indikator_simpan

    indikator_load()
    admin = get_user_model().objects.create_superuser("admin-uji", password="rahasia-panjang-sekali")
    indikator_simpan(data={"nama": "Persentase rumah tangga terdampak bencana (lima tahun)"}, pengguna=admin,
                     kode="persentase_rt_terdampak_bencana")
    en = Indikator.objects.get(kode="persentase_rt_terdampak_bencana").terjemahan["en"]
    assert "nama" not in en and en["satuan"] == "percent" and en["nama_tema"] == "Disasters"
    indikator_simpan(data={"terjemahan": {"en": {"nama": "Households affected by a disaster (five years)"}}},
                     pengguna=admin, kode="persentase_rt_terdampak_bencana")
    ind = Indikator.objects.get(kode="persentase_rt_terdampak_bencana")
    assert ind.terjemahan == {"en": {"nama": "Households affected by a disaster (five years)"}}
