"""English beside Indonesian in the standard dictionary: every entry has it, the loader stores it, forms show it."""

from __future__ import annotations

import pytest
import yaml
from django.utils import translation

from presisi.dictionary.models import Klasifikasi, KlasifikasiItem, Sektor, Variabel
from presisi.dictionary.selectors import VARIABEL_TEKS  # every text a person reads: each needs its English
from presisi.dictionary.services import STANDARD_DIR


def _kosong(entry: dict, fields: tuple[str, ...]) -> list[str]:
    en = entry.get("en") or {}
    return [f for f in fields if entry.get(f) and not str(en.get(f) or "").strip()]


def test_every_standard_variable_code_list_and_sector_has_english():
    missing = []
    for path in sorted((STANDARD_DIR / "variabel").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing += [(path.name, "nama_domain")] if not (doc.get("en") or {}).get("nama_domain") else []
        missing += [(path.name, v["kode"], f) for v in doc["variabel"] for f in _kosong(v, VARIABEL_TEKS)]
    klas = yaml.safe_load((STANDARD_DIR / "klasifikasi.yaml").read_text(encoding="utf-8"))
    for k in klas["klasifikasi"]:
        missing += [(k["kode"], f) for f in _kosong(k, ("nama", "keterangan"))]
        missing += [(k["kode"], it["kode"], "label") for it in k["item"] if _kosong(it, ("label",))]
    sektor = yaml.safe_load((STANDARD_DIR / "sektor.yaml").read_text(encoding="utf-8"))
    missing += [(s["kode"], f) for s in sektor["sektor"] for f in _kosong(s, ("nama", "opd"))]
    assert not missing, f"add `en:` for these entries: {missing}"


@pytest.mark.django_db
def test_loader_stores_english_beside_indonesian(kamus):
    var = Variabel.objects.get(kode="jenis_kelamin")
    assert var.nama == "Jenis kelamin" and var.terjemahan["en"]["nama"] == "Sex"
    assert Klasifikasi.objects.get(kode="ya_tidak", aktif=True).terjemahan["en"]["nama"] == "Yes/No"
    item = KlasifikasiItem.objects.get(klasifikasi__kode="jenis_kelamin", klasifikasi__aktif=True, kode=2)
    assert (item.label, item.terjemahan["en"]["label"]) == ("Perempuan", "Female")
    assert Sektor.objects.get(kode="dinkes").terjemahan["en"]["nama"] == "Health"
    assert not Variabel.objects.filter(terjemahan={}).exists()


@pytest.mark.django_db
def test_registry_form_shows_english_labels_and_choices_when_english_is_active(kamus):
    from presisi.registry.forms import field_for

    var = Variabel.objects.select_related("klasifikasi").get(kode="jenis_kelamin")
    with translation.override("en"):
        field = field_for(var)
        assert field.label == "Sex"
        assert [label for _code, label in field.choices if _code != ""] == ["Male", "Female"]
    with translation.override("id"):
        field = field_for(var)
        assert field.label == "Jenis kelamin"
        assert [label for _code, label in field.choices if _code != ""] == ["Laki-laki", "Perempuan"]
    luas = Variabel.objects.get(kode="luas_lantai")
    with translation.override("en"):
        assert "(m²)" in field_for(luas).label and field_for(luas).label.startswith("Floor area")


@pytest.mark.django_db
def test_dictionary_api_answers_in_the_requested_language(kamus, client):
    english = client.get("/api/v1/kamus/variabel/?domain=kependudukan", HTTP_ACCEPT_LANGUAGE="en").json()
    row = next(v for v in english if v["kode"] == "jenis_kelamin")
    assert row["nama"] == "Sex" and row["klasifikasi"] == "jenis_kelamin"  # codes never change
    indonesian = client.get("/api/v1/kamus/variabel/?domain=kependudukan", HTTP_ACCEPT_LANGUAGE="id").json()
    assert next(v for v in indonesian if v["kode"] == "jenis_kelamin")["nama"] == "Jenis kelamin"
    klas = client.get("/api/v1/kamus/klasifikasi/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"kode": 2, "label": "Female"} in next(k for k in klas if k["kode"] == "jenis_kelamin")["item"]


@pytest.mark.django_db
def test_code_labels_on_pages_follow_the_language_while_findings_stay_indonesian(kamus):
    from presisi.dictionary.validation import check_value, clear_cache, label_for, label_tampil, unit_spec

    clear_cache()
    spec = unit_spec("individu")["jenis_kelamin"]
    with translation.override("en"):
        assert spec.pilihan() == [(1, "Male"), (2, "Female")]
        assert label_tampil("individu", "jenis_kelamin", 2) == "Female"
        assert label_for("individu", "jenis_kelamin", 2) == "Perempuan"
        assert "Laki-laki" in check_value(spec, 7)[2]  # import/validation findings are Indonesian
    with translation.override("id"):
        assert spec.pilihan() == [(1, "Laki-laki"), (2, "Perempuan")]
