"""English beside Indonesian for data-borne texts: ``core.i18n.teks`` and the ``teks`` template filter."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from presisi.core.i18n import tampilkan, teks, teks_dict, terjemahan_dari_yaml


def _ind(**terjemahan):
    return SimpleNamespace(nama="Persentase lansia", satuan="persen", terjemahan=terjemahan)


def test_english_active_reads_the_translation():
    obj = _ind(en={"nama": "Percentage of older persons", "satuan": "percent"})
    with translation.override("en"):
        assert teks(obj, "nama") == "Percentage of older persons"
        assert teks(obj, "satuan") == "percent"
    with translation.override("id"):
        assert teks(obj, "nama") == "Persentase lansia" and teks(obj, "satuan") == "persen"


def test_falls_back_to_indonesian_when_the_translation_is_missing_or_blank():
    with translation.override("en"):
        assert teks(_ind(), "nama") == "Persentase lansia"
        assert teks(_ind(en={"nama": "  "}), "nama") == "Persentase lansia"
        assert teks(_ind(en={"nama": "X"}), "satuan") == "persen"
        assert teks(SimpleNamespace(nama="Tanpa kolom"), "nama") == "Tanpa kolom"  # model without the field
        assert teks(SimpleNamespace(nama="Rusak", terjemahan="bukan dict"), "nama") == "Rusak"
        assert teks(None, "nama") == ""


@given(st.text(), st.text())
def test_teks_never_returns_anything_but_one_of_the_two_texts(asli, inggris):
    obj = SimpleNamespace(nama=asli, terjemahan={"en": {"nama": inggris}})
    with translation.override("en"):
        assert teks(obj, "nama") in (asli, inggris)
    with translation.override("id"):
        assert teks(obj, "nama") == asli


def test_dict_rows_and_the_template_filter():
    row = {"nama": "Kemiskinan", "terjemahan": {"en": {"nama": "Poverty"}}}
    obj = _ind(en={"nama": "Older persons"})
    template = Template('{% load presisi_i18n %}'
                        '{{ row|teks:"nama" }} / {{ obj|teks:"nama" }} / {{ obj|teks:"satuan" }}')
    with translation.override("en"):
        assert teks_dict(row, "nama") == "Poverty"
        assert template.render(Context({"row": row, "obj": obj})) == "Poverty / Older persons / persen"
    with translation.override("id"):
        assert template.render(Context({"row": row, "obj": obj})) == "Kemiskinan / Persentase lansia / persen"


def test_tampilkan_puts_english_on_a_display_object_only_when_english_is_active():
    with translation.override("id"):
        assert tampilkan(_ind(en={"nama": "X"}), "nama").nama == "Persentase lansia"
    with translation.override("en"):
        assert tampilkan(_ind(en={"nama": "X"}), "nama", "satuan").nama == "X"


def test_yaml_entry_to_terjemahan():
    assert terjemahan_dari_yaml({"kode": "a", "nama": "A", "en": {"nama": "A-en", "satuan": ""}}) == {
        "en": {"nama": "A-en"}}
    assert terjemahan_dari_yaml({"kode": "a", "id": {"nama": "x"}, "ya": "tidak"}) == {}
