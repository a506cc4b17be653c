"""Forms generated from the data dictionary.

Every active variable of a unit becomes a field: label = ``nama`` (and ``satuan``), help text =
``kalimat_pertanyaan``, choices = the code list, min/max and required flag = ``aturan_validasi``.
A steward who adds a variable gets a form field without a code change. Fields are grouped by
domain into collapsible sections. The forms only coerce input; the registry services do the
real validation, and their findings are put back next to the right field (``add_findings``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from presisi.core.exceptions import Finding
from presisi.core.i18n import teks
from presisi.dictionary.models import (
    BANGUNAN,
    BILANGAN,
    DESIMAL,
    INDIVIDU,
    KELUARGA,
    KODE,
    RUMAH_TANGGA,
    TANGGAL,
    Variabel,
)
from presisi.registry.history import domain_label, nilai_rekaman, variabel_untuk_formulir
from presisi.registry.models import Bangunan, Individu, Keluarga, Peristiwa, RumahTangga

MODEL_OF_UNIT: dict[str, type[Model]] = {INDIVIDU: Individu, KELUARGA: Keluarga, RUMAH_TANGGA: RumahTangga,
                                         BANGUNAN: Bangunan}
# Columns that the dictionary describes but forms do not edit: events change the status,
# the household page sets the household role.
TIDAK_DISUNTING = {INDIVIDU: {"status_dasar", "hubungan_rumah_tangga"}}
DATE_INPUTS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
RADIO_MAX = 3
# Where a finding whose column is not a field name belongs.
FINDING_FIELD = {"lat/lng": "lat", "keluarga": "no_kk_tujuan"}
JENIS_PINDAH = [(1, _("Antar desa/kelurahan dalam satu kecamatan")),
                (2, _("Antar kecamatan dalam kabupaten")),
                (3, _("Antar kabupaten/kota dalam provinsi")),
                (4, _("Antar provinsi"))]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _range_hint(var: Variabel) -> str:
    rules = var.aturan_validasi or {}
    low, high = rules.get("min"), rules.get("max")
    if low is None and high is None:
        return ""
    unit = f" {teks(var, 'satuan')}" if var.satuan else ""
    if low is not None and high is not None:
        return str(_("Isian %(min)s sampai %(max)s%(unit)s.") % {"min": low, "max": high, "unit": unit})
    if low is not None:
        return str(_("Paling sedikit %(min)s%(unit)s.") % {"min": low, "unit": unit})
    return str(_("Paling banyak %(max)s%(unit)s.") % {"max": high, "unit": unit})


def _text_field(var: Variabel, common: dict[str, Any], model: type[Model] | None) -> forms.Field:
    rules = var.aturan_validasi or {}
    attrs: dict[str, str] = {}
    max_length = None
    if model is not None and var.kode in {f.name for f in model._meta.concrete_fields}:
        max_length = model._meta.get_field(var.kode).max_length
    validators = []
    if rules.get("pola"):
        attrs["pattern"] = rules["pola"].removeprefix("^").removesuffix("$")
        # same rule and message as the service, so every mistake shows on the first try
        pesan = (_("%(nama)s harus 16 digit angka") if var.kode in ("nik", "no_kk")  # say what the format is
                 else _("%(nama)s tidak sesuai format yang diwajibkan"))
        validators.append(RegexValidator(rules["pola"], pesan % {"nama": teks(var, "nama")}))
        if r"\d" in rules["pola"] and not any(c.isalpha() for c in rules["pola"].replace(r"\d", "")):
            attrs.update(inputmode="numeric", autocomplete="off")
    return forms.CharField(max_length=max_length, widget=forms.TextInput(attrs=attrs), validators=validators,
                           **common)


def field_for(var: Variabel, model: type[Model] | None = None) -> forms.Field:
    """One form field for one dictionary variable."""
    rules = var.aturan_validasi or {}
    # names, units, questions and code labels in the reader's language (English beside Indonesian)
    nama = teks(var, "nama")
    label = f"{nama} ({teks(var, 'satuan')})" if var.satuan else nama
    help_text = " ".join(filter(None, [teks(var, "kalimat_pertanyaan"), _range_hint(var)]))
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": bool(rules.get("wajib"))}
    if var.tipe == KODE:
        items = [(i.kode, teks(i, "label")) for i in var.klasifikasi.item.all()] if var.klasifikasi else []
        radio = len(items) <= RADIO_MAX
        choices = items if radio and common["required"] else [("", _("— belum dicatat —")), *items]
        widget = forms.RadioSelect if radio else forms.Select
        return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, widget=widget, **common)
    if var.tipe == BILANGAN:
        return forms.IntegerField(min_value=rules.get("min"), max_value=rules.get("max"),
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common)
    if var.tipe == DESIMAL:
        # text input: operators type "12,5" as in Excel; localize turns the comma into a point
        return forms.FloatField(min_value=rules.get("min"), max_value=rules.get("max"), localize=True,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if var.tipe == TANGGAL:
        return forms.DateField(widget=_date_widget(), input_formats=DATE_INPUTS, **common)
    return _text_field(var, common, model)


# Declarations that go with a change, not values of the record (left out of a conflict's comparison).
KOLOM_DEKLARASI = {"koreksi_identitas", "alasan_koreksi"}


def _tampil(field: forms.Field, value: Any) -> str:
    """A value as the user reads it: a code as its label, a date as ISO, nothing as a dash."""
    if value in (None, ""):
        return "—"
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): v for k, v in choices}
        return str(labels.get(str(value), value))
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass
class Section:
    kode: str
    label: str
    fields: list[forms.BoundField]
    open: bool


class KamusForm(forms.Form):
    """A form whose fields are the dictionary's variables of ``unit`` (plus the subclass's own).

    ``instance`` fills the initial values (columns and ``atribut``). Subclass fields
    (banjar, kode…) come first, in an "Identitas" section.
    """

    unit = ""
    core_label = _("Identitas")
    required_css_class = "wajib"

    def __init__(self, *args: Any, instance: Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.core_fields = list(self.fields)
        self.domain_of: dict[str, str] = {}
        model = MODEL_OF_UNIT.get(self.unit)
        skip = TIDAK_DISUNTING.get(self.unit, set())
        for var in variabel_untuk_formulir(self.unit):
            if var.kode in skip or var.kode in self.fields:
                continue
            self.fields[var.kode] = field_for(var, model)
            self.domain_of[var.kode] = var.domain
            if instance is not None:
                self.initial.setdefault(var.kode, self._initial(var, nilai_rekaman(instance, var.kode)))
        if instance is not None and hasattr(instance, "versi"):
            # optimistic locking: the version the form was filled from goes back with the POST, and a
            # record changed meanwhile is refused instead of silently undoing the other change
            self.fields["versi"] = forms.IntegerField(
                label=_("Versi data"), widget=forms.HiddenInput, min_value=1,
                error_messages={"required": _("Formulir tidak memuat versi data; muat ulang halaman ini."),
                                "invalid": _("Versi data tidak sah; muat ulang halaman ini.")})
            self.initial.setdefault("versi", instance.versi)

    @staticmethod
    def _initial(var: Variabel, value: Any) -> Any:
        if var.tipe == TANGGAL and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def kamus_values(self, *, changed_only: bool = False) -> dict[str, Any]:
        """Dictionary values for a service: dates as ISO text. New records skip empty values;
        corrections send only what changed, an emptied field as ``None`` (clears it)."""
        out: dict[str, Any] = {}
        for name in self.domain_of:
            value = self.cleaned_data.get(name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            if changed_only:
                if name in self.changed_data:
                    out[name] = None if value in (None, "") else value
            elif value not in (None, ""):
                out[name] = value
        return out

    def versi(self) -> int | None:
        """The version the user's form was filled from (None for a new record)."""
        return self.cleaned_data.get("versi")

    def konflik_isian(self) -> list[tuple[str, str, str]]:
        """(label, the user's input, the value now) of every field where the two differ: shown when
        the record changed since the form was opened. The form's initial values are the current record."""
        rows = []
        for name in self.changed_data:
            if name not in self.domain_of and name not in self.core_fields or name in KOLOM_DEKLARASI:
                continue
            field = self.fields[name]
            rows.append((str(field.label), _tampil(field, self.cleaned_data.get(name)),
                         _tampil(field, self[name].initial)))
        return rows

    def add_findings(self, findings: list[Finding]) -> None:
        """Put a service's findings next to their fields (the rest above the form)."""
        for finding in findings:
            if finding.severity != "error":
                continue
            name = FINDING_FIELD.get(finding.column or "", finding.column)
            if name in self.fields:
                self.add_error(name, finding.message)
            else:
                where = f"{finding.column}: " if finding.column else ""
                self.add_error(None, where + finding.message)

    def sections(self) -> list[Section]:
        """Core fields first, then one collapsible section per domain; sections with errors open."""
        groups: dict[str, list[str]] = {"": self.core_fields} if self.core_fields else {}
        for name, domain in self.domain_of.items():
            groups.setdefault(domain, []).append(name)
        out = []
        for i, (domain, names) in enumerate(groups.items()):
            bound = [self[n] for n in names]
            has_error = any(b.errors for b in bound)
            label = str(self.core_label) if domain == "" else domain_label(domain)
            out.append(Section(domain or "identitas", label, bound, open=i == 0 or has_error))
        return out


class _BanjarMixin:
    """A banjar choice among the desa's banjar (core field of families, households, buildings)."""

    def set_banjar(self, banjar: list) -> None:
        self.fields["banjar"].choices = [(b.kode, b.nama) for b in banjar]
        if self.instance is not None:
            self.initial.setdefault("banjar", self.instance.banjar.kode)


class KeluargaForm(_BanjarMixin, KamusForm):
    unit = KELUARGA
    banjar = forms.ChoiceField(label=_("Banjar dinas/dusun"))
    banjar_adat = forms.ChoiceField(label=_("Banjar adat"), required=False,
                                    help_text=_("Bali: banjar adat keluarga ini (krama), dari desa adat di desa ini."))

    def __init__(self, *args: Any, banjar: list, banjar_adat: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_banjar(banjar)
        if self.instance is None and "no_kk" in self.fields:
            self.fields["no_kk"].required = False
            self.fields["no_kk"].help_text = _("Kosongkan bila KK belum terbit: No. KK sementara (0 + kode desa + "
                                               "nomor urut) dibuat otomatis; ganti dengan No. KK asli lewat koreksi "
                                               "data keluarga.")
        if not banjar_adat and not (self.instance is not None and self.instance.banjar_adat_id):
            del self.fields["banjar_adat"]  # outside Bali (no desa adat mapped): no empty field
            self.core_fields.remove("banjar_adat")
            return
        self.fields["banjar_adat"].choices = [("", "—")] + [(b.kode, f"{b.nama} ({b.induk.nama})")
                                                              for b in banjar_adat or []]
        if self.instance is not None and self.instance.banjar_adat_id:
            current = self.instance.banjar_adat
            if current.kode not in dict(self.fields["banjar_adat"].choices):
                self.fields["banjar_adat"].choices.append((current.kode, current.nama))
            self.initial.setdefault("banjar_adat", current.kode)

    def banjar_adat_kode(self) -> str | None:
        """The chosen banjar adat code ("" = none), or None when the form has no such field or it is unchanged."""
        if "banjar_adat" not in self.fields or "banjar_adat" not in self.changed_data:
            return None
        return self.cleaned_data.get("banjar_adat") or ""


class IndividuForm(KamusForm):
    unit = INDIVIDU


class IndividuUbahForm(IndividuForm):
    """Correcting a person: changing who they are (name beyond a plausible variant, birth date, sex)
    must be declared as an identity correction with a reason (its own entry in the history)."""

    koreksi_identitas = forms.BooleanField(
        label=_("Koreksi identitas"), required=False,
        help_text=_("Centang bila nama, tanggal lahir atau jenis kelamin yang terdaftar memang salah."))
    alasan_koreksi = forms.CharField(label=_("Alasan koreksi identitas"), required=False, max_length=300)

    def koreksi_values(self) -> dict[str, Any]:
        if not self.cleaned_data.get("koreksi_identitas"):
            return {}
        return {"koreksi_identitas": True, "alasan_koreksi": self.cleaned_data.get("alasan_koreksi", "")}


class KelahiranForm(IndividuForm):
    """A birth: the baby's data; the birth date is the event date. A baby without a NIK yet gets the
    desa's next temporary number (``services.nomor``), replaced later by "Ganti NIK sementara"."""

    core_label = _("Kelahiran")

    keterangan = forms.CharField(label=_("Keterangan (tempat bersalin, penolong…)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "nik" in self.fields:
            self.fields["nik"].required = False
            self.fields["nik"].help_text = _("Kosongkan bila bayi belum ber-NIK: nomor sementara (0 + kode desa + "
                                             "nomor urut) dibuat otomatis dan diganti NIK asli setelah terbit.")


class KedatanganForm(IndividuForm):
    """A newcomer (pindah masuk): when and where from, then the person's data."""

    core_label = _("Kedatangan")

    tanggal = forms.DateField(label=_("Tanggal datang"), widget=_date_widget(), input_formats=DATE_INPUTS)
    asal = forms.CharField(label=_("Alamat asal"), required=False, max_length=300)


class RumahTanggaForm(_BanjarMixin, KamusForm):
    unit = RUMAH_TANGGA
    kode = forms.CharField(label=_("Kode rumah tangga"), max_length=24)
    banjar = forms.ChoiceField(label=_("Banjar dinas/dusun"))
    bangunan = forms.CharField(label=_("Kode bangunan tempat tinggal"), max_length=24, required=False,
                               help_text=_("Kosongkan bila bangunan belum dipetakan."))

    def __init__(self, *args: Any, banjar: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_banjar(banjar)
        if self.instance is not None:
            rt = self.instance
            self.initial.update(kode=rt.kode, bangunan=rt.bangunan.kode if rt.bangunan_id else "")


def _coordinate(label: str, example: str) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, localize=True,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                            help_text=_("Derajat desimal WGS84, mis. %(contoh)s") % {"contoh": example})


class BangunanForm(_BanjarMixin, KamusForm):
    unit = BANGUNAN
    kode = forms.CharField(label=_("Kode bangunan"), max_length=24)
    banjar = forms.ChoiceField(label=_("Banjar dinas/dusun"))
    lat = _coordinate(_("Lintang (latitude)"), "-8,5369")
    lng = _coordinate(_("Bujur (longitude)"), "115,4045")

    def __init__(self, *args: Any, banjar: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_banjar(banjar)
        if self.instance is not None:
            self.initial.update(kode=self.instance.kode, lat=self.instance.lat, lng=self.instance.lng)


class _OneSection:
    """Plain forms render through the same template as dictionary forms: one open section."""

    section_label = _("Isian")

    def sections(self) -> list[Section]:
        return [Section("isian", str(self.section_label), list(self), open=True)]


class PeristiwaForm(_OneSection, forms.Form):
    """Death, move out, disappearance, departure or return of a registered person."""

    tanggal = forms.DateField(label=_("Tanggal peristiwa"), widget=_date_widget(), input_formats=DATE_INPUTS)
    keterangan = forms.CharField(label=_("Keterangan"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, jenis: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jenis = jenis
        if jenis == Peristiwa.PINDAH_KELUAR:
            self.fields["jenis_pindah"] = forms.TypedChoiceField(label=_("Klasifikasi pindah"), coerce=int,
                                                                 choices=JENIS_PINDAH)
            self.fields["tujuan"] = forms.CharField(label=_("Alamat tujuan"), max_length=300)
        if jenis == Peristiwa.PINDAH_MASUK:
            self.fields["asal"] = forms.CharField(label=_("Datang dari"), required=False, max_length=300)

    def data_peristiwa(self) -> dict[str, Any]:
        keys = ("jenis_pindah", "tujuan", "asal")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k) not in (None, "")}

    def add_findings(self, findings: list[Finding]) -> None:
        for finding in findings:
            target = finding.column if finding.column in self.fields else None
            self.add_error(target, finding.message)


_NUMERIC = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class PindahKKForm(_OneSection, forms.Form):
    no_kk_tujuan = forms.CharField(label=_("No. KK tujuan"), max_length=16, min_length=16, widget=_NUMERIC)
    hubungan_keluarga = forms.TypedChoiceField(label=_("Hubungan dalam keluarga tujuan"), coerce=int,
                                               choices=[])

    def __init__(self, *args: Any, shdk: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hubungan_keluarga"].choices = shdk

    add_findings = PeristiwaForm.add_findings


class AnggotaRumahTanggaForm(_OneSection, forms.Form):
    nik = forms.CharField(label=_("NIK anggota"), max_length=16, min_length=16, widget=_NUMERIC)
    hubungan_rumah_tangga = forms.TypedChoiceField(label=_("Hubungan dalam rumah tangga"), coerce=int,
                                                   choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, pilihan: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hubungan_rumah_tangga"].choices = pilihan

    add_findings = PeristiwaForm.add_findings


class GantiNikForm(_OneSection, forms.Form):
    """The real NIK of a person registered with a temporary number (a newborn whose NIK is issued)."""

    nik = forms.CharField(label=_("NIK asli"), max_length=16, min_length=16, widget=_NUMERIC,
                          validators=[RegexValidator(r"^\d{16}$", _("NIK harus 16 digit angka"))],
                          help_text=_("Bila NIK ini sudah terdaftar (mis. dari data Dukcapil), record sementara "
                                      "digabung ke record itu; riwayat keduanya tetap tersimpan."))
    alasan = forms.CharField(label=_("Keterangan"), required=False, max_length=300)

    add_findings = PeristiwaForm.add_findings
