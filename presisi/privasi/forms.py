"""Forms of the privacy pages. They only shape input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presisi.dictionary.models import INDIVIDU
from presisi.dictionary.validation import unit_spec
from presisi.privasi.models import PermintaanPerbaikan
from presisi.privasi.selectors import KATEGORI_DATA, LANGKAH_INSIDEN

WAKTU_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class WaktuInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _waktu(label, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, input_formats=WAKTU_FORMAT, widget=WaktuInput())


class NikForm(forms.Form):
    nik = forms.CharField(label=_("NIK subjek data"), max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


def _kolom_choices() -> list[tuple[str, str]]:
    return [(k, f"{v.nama} ({k})") for k, v in sorted(unit_spec(INDIVIDU).items(), key=lambda kv: kv[1].nama)]


class PermintaanForm(forms.Form):
    nik = forms.CharField(label=_("NIK subjek data"), max_length=20, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    pemohon = forms.CharField(label=_("Pemohon"), max_length=150,
                              help_text=_("Subjek data sendiri, atau nama kuasanya."))
    kanal = forms.ChoiceField(label=_("Kanal"), choices=PermintaanPerbaikan.KANAL_CHOICES)
    kolom = forms.ChoiceField(label=_("Data yang keliru"), choices=())
    nilai_usulan = forms.CharField(label=_("Nilai yang benar (usulan)"), max_length=300, required=False,
                                   help_text=_("Untuk data berkode, tulis kodenya (lihat kamus data)."))
    uraian = forms.CharField(label=_("Apa yang keliru"), widget=forms.Textarea(attrs={"rows": 3}))
    bukti = forms.CharField(label=_("Catatan bukti"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    diterima_pada = _waktu(_("Diterima pada (kosong = sekarang)"))

    def __init__(self, *args, individu=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kolom"].choices = _kolom_choices()
        if individu is not None:
            del self.fields["nik"]


class TolakForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 2}))


class SelesaiForm(forms.Form):
    koreksi = forms.TypedChoiceField(label=_("Koreksi registri yang menjawab"), coerce=int, choices=(),
                                     required=False)
    catatan = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kandidat=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["koreksi"].choices = [("", "—")] + [
            (k["id"], f"{k['waktu'][:16]} · {k['judul']} ({k['objek_tipe']} #{k['objek_id']})") for k in kandidat]


class InsidenForm(forms.Form):
    judul = forms.CharField(label=_("Judul"), max_length=200)
    ditemukan_pada = _waktu(_("Diketahui pada"), required=True)
    uraian = forms.CharField(label=_("Apa yang terjadi, kapan dan bagaimana data terungkap"),
                             widget=forms.Textarea(attrs={"rows": 4}))
    kategori_data = forms.MultipleChoiceField(label=_("Kategori data pribadi yang terungkap"), choices=KATEGORI_DATA,
                                              required=False, widget=forms.CheckboxSelectMultiple)
    jumlah_subjek = forms.IntegerField(label=_("Perkiraan jumlah subjek data"), min_value=0, required=False)
    penanganan = forms.CharField(label=_("Langkah penahanan dan pemulihan"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    catatan_pemberitahuan = forms.CharField(label=_("Catatan pemberitahuan (nomor surat, penerima, cara)"),
                                            required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ubah: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ubah:
            del self.fields["ditemukan_pada"]
            for kode, label, _wajib in LANGKAH_INSIDEN[1:]:
                self.fields[kode] = _waktu(label)
