"""The analysts' settings form: a dashboard's fields and its ordered indicator list (validation only;
the service ``dasbor_atur`` does the change and the audit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presisi.dashboards.models import Dasbor
from presisi.indicators.models import Indikator


def dasbor_semua() -> list[Dasbor]:
    return list(Dasbor.objects.order_by("urutan", "kode"))


def atur_state(kode: str) -> dict[str, Any] | None:
    dasbor = Dasbor.objects.filter(kode=kode).first()
    if dasbor is None:
        return None
    butir = list(dasbor.butir.select_related("indikator").order_by("urutan", "id"))
    pilihan = [(i.kode, f"{i.nama} ({i.kode})") for i in Indikator.objects.filter(aktif=True).order_by("tema", "nama")]
    awal = {"nama": dasbor.nama, "deskripsi": dasbor.deskripsi, "urutan": dasbor.urutan, "aktif": dasbor.aktif,
            "butir": [{"kode": b.indikator.kode, "nama": b.indikator.nama, "urutan": b.urutan, "utama": b.utama}
                      for b in butir]}
    return {"dasbor": dasbor, "awal": awal, "pilihan": pilihan}


class DasborForm(forms.Form):
    nama = forms.CharField(label=_("Nama"), max_length=200)
    deskripsi = forms.CharField(label=_("Deskripsi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    urutan = forms.IntegerField(label=_("Urutan"), min_value=0)
    aktif = forms.BooleanField(label=_("Aktif"), required=False)
    tambah = forms.ChoiceField(label=_("Tambah indikator"), required=False)
    tambah_utama = forms.BooleanField(label=_("sebagai angka utama"), required=False)

    def __init__(self, *args, indikator: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        initial = kwargs.get("initial") or {}
        # Rows: what the page showed (hidden codes are posted back with the form).
        codes = self.data.getlist("butir_kode") if self.is_bound else [b["kode"] for b in initial.get("butir", [])]
        self._rows = []
        known = dict(indikator)
        for i, code in enumerate(codes):
            start = next((b for b in initial.get("butir", []) if b["kode"] == code), {"urutan": i + 1, "utama": False})
            self.fields[f"urutan_{i}"] = forms.IntegerField(label=_("Urutan"), min_value=0, initial=start["urutan"])
            self.fields[f"utama_{i}"] = forms.BooleanField(label=_("Utama"), required=False, initial=start["utama"])
            self.fields[f"hapus_{i}"] = forms.BooleanField(label=_("Hapus"), required=False)
            self._rows.append((i, code, known.get(code, code)))
        self.fields["tambah"].choices = [("", "—")] + [c for c in indikator if c[0] not in codes]

    def baris(self) -> list[dict[str, Any]]:
        return [{"kode": code, "label": label, "urutan": self[f"urutan_{i}"], "utama": self[f"utama_{i}"],
                 "hapus": self[f"hapus_{i}"]} for i, code, label in self._rows]

    def perubahan(self) -> dict[str, Any]:
        d = self.cleaned_data
        items = [{"kode": code, "urutan": d[f"urutan_{i}"], "utama": d[f"utama_{i}"]}
                 for i, code, _label in self._rows if not d[f"hapus_{i}"]]
        if d.get("tambah"):
            items.append({"kode": d["tambah"], "urutan": max((x["urutan"] for x in items), default=0) + 1,
                          "utama": d.get("tambah_utama", False)})
        items.sort(key=lambda x: x["urutan"])
        return {"nama": d["nama"], "deskripsi": d["deskripsi"], "urutan": d["urutan"], "aktif": d["aktif"],
                "indikator": items}
