"""Pages of the sector catalogue (/sektor/): datasets, their deliveries, uploads, connectors.

Views only adapt: selectors decide access (PermissionDenied → 403 page, Http404 → 404), services write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.dictionary.models import UNIT_CHOICES, Sektor
from presisi.integration import selectors as sel
from presisi.integration.models import JADWAL_CHOICES, JENIS_DATASET_CHOICES, Konektor, Pengiriman
from presisi.integration.services.dataset import CARA_PENGUMPULAN, dataset_buat, dataset_ubah
from presisi.integration.services.konektor import konektor_simpan, konektor_tarik
from presisi.integration.services.pengiriman import pengiriman_terima
from presisi.periods.selectors import periode_list
from presisi.registry.views import registry_view as sektor_view

BARIS_PER_HALAMAN = 50


# ---------------------------------------------------------------------------------------------- forms


def _pasangan(text: str) -> dict[str, str]:
    """Lines ``kiri = kanan`` (or ``kiri: kanan``) as a dict; blank lines ignored."""
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        sep = "=" if "=" in line else ":"
        left, found, right = line.partition(sep)
        if found and left.strip():
            out[left.strip()] = right.strip()
    return out


def _baris_pasangan(data: dict[str, Any]) -> str:
    return "\n".join(f"{k} = {v}" for k, v in (data or {}).items())


class DatasetForm(forms.Form):
    kode = forms.SlugField(
        label=gettext_lazy("Kode dataset"), max_length=60, help_text=gettext_lazy("mis. dinsos-pkh; tidak dapat diubah")
    )
    sektor = forms.ChoiceField(label=gettext_lazy("Sektor"))
    nama = forms.CharField(label=gettext_lazy("Nama dataset"), max_length=200)
    produsen = forms.CharField(label=gettext_lazy("Perangkat daerah produsen"), max_length=200, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit observasi"), choices=UNIT_CHOICES)
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis data"), choices=JENIS_DATASET_CHOICES)
    jadwal = forms.ChoiceField(label=gettext_lazy("Jadwal pemutakhiran"), choices=JADWAL_CHOICES)
    program = forms.CharField(
        label=gettext_lazy("Kode program"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("bila dataset ini daftar penerima program: pkh, bpnt, pbi_jk, blt_dd, rtlh"),
    )
    deskripsi = forms.CharField(
        label=gettext_lazy("Deskripsi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    judul_kegiatan = forms.CharField(label=gettext_lazy("Judul kegiatan (MS-Keg)"), max_length=300, required=False)
    tahun = forms.IntegerField(label=gettext_lazy("Tahun kegiatan"), min_value=1945, max_value=2100, required=False)
    cara_pengumpulan = forms.ChoiceField(
        label=gettext_lazy("Cara pengumpulan data"),
        required=False,
        choices=[("", "—")] + [(c, c.replace("_", " ")) for c in CARA_PENGUMPULAN],
    )
    cakupan_wilayah = forms.CharField(
        label=gettext_lazy("Cakupan wilayah (kode)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("mis. 51.05; nama desa dicari di wilayah ini"),
    )
    frekuensi = forms.CharField(label=gettext_lazy("Frekuensi penyelenggaraan"), max_length=60, required=False)
    klasifikasi = forms.CharField(
        label=gettext_lazy("Versi klasifikasi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy("satu per baris: nama = versi (mis. pendidikan = 2024)"),
    )
    pemetaan_kolom = forms.CharField(
        label=gettext_lazy("Pemetaan kolom"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy(
            "satu per baris: KOLOM SUMBER = field (nik, no_kk, nama, jenis_kelamin, tanggal_lahir, kode_desa, "
            "nama_desa, alamat, nama_ayah, nama_ibu) atau kode variabel kamus. Kosong: bentuk umum daftar "
            "orang dibaca apa adanya."
        ),
    )
    aktif = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)

    META = ("judul_kegiatan", "tahun", "cara_pengumpulan", "cakupan_wilayah", "frekuensi")

    def __init__(self, *args: Any, sektor: list[Sektor], ubah: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sektor"].choices = [(s.kode, f"{s.nama} ({s.kode})") for s in sektor]
        if ubah:
            for name in ("kode", "sektor"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    @classmethod
    def awal(cls, d) -> dict[str, Any]:
        meta = d.metadata or {}
        return {
            "kode": d.kode,
            "sektor": d.sektor.kode,
            "nama": d.nama,
            "produsen": d.produsen,
            "unit": d.unit,
            "jenis": d.jenis,
            "jadwal": d.jadwal,
            "program": d.program,
            "deskripsi": d.deskripsi,
            "aktif": d.aktif,
            **{k: meta.get(k, "") for k in cls.META},
            "klasifikasi": _baris_pasangan(meta.get("klasifikasi") or {}),
            "pemetaan_kolom": _baris_pasangan(d.pemetaan_kolom),
        }

    def data_layanan(self) -> dict[str, Any]:
        c = self.cleaned_data
        meta = {k: c[k] for k in self.META if c.get(k) not in (None, "")}
        if c.get("klasifikasi"):
            meta["klasifikasi"] = _pasangan(c["klasifikasi"])
        return {
            "nama": c["nama"],
            "produsen": c["produsen"],
            "unit": c["unit"],
            "jenis": c["jenis"],
            "jadwal": c["jadwal"],
            "program": c["program"],
            "deskripsi": c["deskripsi"],
            "metadata": meta,
            "pemetaan_kolom": _pasangan(c["pemetaan_kolom"]),
            "aktif": c["aktif"],
        }


class KirimForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas (CSV, XLSX atau JSON)"))
    periode = forms.ChoiceField(label=gettext_lazy("Periode"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Uji coba (periksa saja, tidak disimpan)"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [(p.kode, p.nama or p.kode) for p in periode_list()]


class KonektorForm(forms.Form):
    nama = forms.CharField(label=gettext_lazy("Nama"), max_length=200, required=False)
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=Konektor.JENIS_CHOICES)
    url = forms.CharField(label=gettext_lazy("Alamat (URL) tarik"), max_length=500, required=False)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[("json", "JSON"), ("csv", "CSV")])
    interval_jam = forms.IntegerField(label=gettext_lazy("Interval (jam)"), min_value=1, max_value=8784, initial=24)
    aktif = forms.BooleanField(label=gettext_lazy("Aktif"), required=False, initial=True)
    kredensial_jenis = forms.ChoiceField(
        label=gettext_lazy("Kredensial"),
        required=False,
        choices=[
            ("-", gettext_lazy("tidak diubah")),
            ("", gettext_lazy("tanpa kredensial / hapus")),
            ("bearer", "Bearer token"),
            ("basic", gettext_lazy("pengguna:sandi (Basic)")),
            ("header", gettext_lazy("header khusus")),
        ],
    )
    kredensial_header = forms.CharField(label=gettext_lazy("Nama header khusus"), max_length=100, required=False)
    kredensial_nilai = forms.CharField(
        label=gettext_lazy("Nilai kredensial"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("disimpan terenkripsi; tidak pernah ditampilkan kembali"),
    )


# ---------------------------------------------------------------------------------------------- catalogue


@sektor_view
def sektor_list(request: HttpRequest) -> HttpResponse:
    sektor = str(request.GET.get("sektor") or "")
    rows = sel.dataset_list(user=request.user, sektor=sektor)
    return render(
        request,
        "integration/sektor_list.html",
        {
            "rows": rows,
            "sektor": sektor,
            "sektor_list": Sektor.objects.filter(dataset__isnull=False).distinct(),
            "boleh_tambah": sel.sektor_kelola(request.user).exists(),
        },
    )


@sektor_view
def sektor_baru(request: HttpRequest) -> HttpResponse:
    if not sel.boleh_kelola_peran(request.user):
        raise PermissionDenied(_("Hanya walidata sektor dan admin yang membuat dataset sektoral."))
    form = DatasetForm(request.POST or None, sektor=list(sel.sektor_kelola(request.user)))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                d = dataset_buat(
                    oleh=request.user,
                    kode=form.cleaned_data["kode"],
                    sektor=form.cleaned_data["sektor"],
                    data=form.data_layanan(),
                )
                messages.success(request, _("Dataset %(kode)s disimpan.") % {"kode": d.kode})
                return redirect("integration:sektor_detail", kode=d.kode)
            except ValidationFailed as exc:
                _galat_form(form, exc)
        status = 400
    return render(
        request, "integration/sektor_form.html", {"form": form, "judul": _("Dataset sektoral baru")}, status=status
    )


@sektor_view
def sektor_ubah(request: HttpRequest, kode: str) -> HttpResponse:
    d = sel.dataset_kelola(user=request.user, kode=kode)
    form = DatasetForm(request.POST or None, initial=DatasetForm.awal(d), sektor=[d.sektor], ubah=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dataset_ubah(oleh=request.user, dataset=d, data=form.data_layanan())
                messages.success(request, _("Dataset %(kode)s diubah.") % {"kode": d.kode})
                return redirect("integration:sektor_detail", kode=d.kode)
            except ValidationFailed as exc:
                _galat_form(form, exc)
        status = 400
    return render(
        request,
        "integration/sektor_form.html",
        {"form": form, "dataset": d, "judul": _("Ubah dataset %(kode)s") % {"kode": d.kode}},
        status=status,
    )


def _galat_form(form: forms.Form, exc: ValidationFailed) -> None:
    form.add_error(None, exc.message)
    for f in exc.findings:
        column = (f.column or "").split(".")[-1]
        form.add_error(column if column in form.fields else None, f"{f.message}" + (f" ({f.value})" if f.value else ""))


@sektor_view
def sektor_detail(request: HttpRequest, kode: str) -> HttpResponse:
    d = sel.dataset_get(user=request.user, kode=kode)
    kelola = sel.boleh_kelola(request.user, d)
    return render(
        request,
        "integration/sektor_detail.html",
        {
            "d": d,
            "kelola": kelola,
            "pengiriman": sel.pengiriman_list(dataset=d),
            "konektor": [sel.konektor_dict(k) for k in sel.konektor_list(dataset=d)] if kelola else [],
            "form": KirimForm() if kelola else None,
        },
    )


@sektor_view
def sektor_kirim(request: HttpRequest, kode: str) -> HttpResponse:
    """The "Kirim data" form and its per-row report."""
    d = sel.dataset_kelola(user=request.user, kode=kode)
    form = KirimForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"d": d, "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["berkas"]
            try:
                hasil = pengiriman_terima(
                    d,
                    form.cleaned_data["periode"],
                    upload.read(),
                    upload.name or "",
                    oleh=request.user,
                    sumber=Pengiriman.UNGGAH,
                    dry_run=form.cleaned_data["dry_run"],
                )
                ctx["hasil"] = hasil
                status = 200
            except ValidationFailed as exc:
                ctx["galat"] = exc
    return render(request, "integration/sektor_kirim.html", ctx, status=status)


# ---------------------------------------------------------------------------------------------- deliveries


@sektor_view
def pengiriman_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = sel.pengiriman_get(user=request.user, pk=pk)
    ctx: dict[str, Any] = {
        "p": p,
        "d": p.dataset,
        "status_tautan": sel.jumlah_status_tautan(p),
        "kelola": sel.boleh_kelola(request.user, p.dataset),
        "ringkasan": p.ringkasan or {},
        "boleh_baris": sel.boleh_lihat_baris(request.user, p),
    }
    if ctx["boleh_baris"]:
        page = Paginator(sel.baris_list(user=request.user, p=p), BARIS_PER_HALAMAN).get_page(request.GET.get("hal"))
        ctx["page"] = page
        ctx["baris"] = sel.baris_tampil(user=request.user, rows=list(page.object_list), request=request)
    return render(request, "integration/sektor_pengiriman.html", ctx)


# ---------------------------------------------------------------------------------------------- connectors


def _konektor_args(form: KonektorForm) -> dict[str, Any]:
    c = form.cleaned_data
    jenis_kred = c.get("kredensial_jenis")
    return {
        "jenis": c["jenis"],
        "nama": c["nama"],
        "url": c["url"],
        "format": c["format"],
        "interval_jam": c["interval_jam"],
        "aktif": c["aktif"],
        "kredensial_jenis": None if jenis_kred == "-" else (jenis_kred or ""),
        "kredensial_nilai": c.get("kredensial_nilai") or "",
        "kredensial_header": c.get("kredensial_header") or "",
    }


@sektor_view
def sektor_konektor(request: HttpRequest, kode: str) -> HttpResponse:
    d = sel.dataset_kelola(user=request.user, kode=kode)
    form = KonektorForm(request.POST or None, initial={"kredensial_jenis": ""})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                konektor_simpan(oleh=request.user, dataset=d, **_konektor_args(form))
                messages.success(request, _("Konektor disimpan."))
                return redirect("integration:sektor_konektor", kode=d.kode)
            except ValidationFailed as exc:
                _galat_form(form, exc)
    return render(
        request,
        "integration/sektor_konektor.html",
        {
            "d": d,
            "form": form,
            "konektor": [sel.konektor_dict(k) for k in sel.konektor_list(dataset=d)],
            "periode_list": periode_list(),
        },
        status=status,
    )


@sektor_view
def konektor_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one connector, or pull it now (``aksi=tarik`` with a period)."""
    if not sel.boleh_kelola_peran(request.user):
        raise PermissionDenied(_("Hanya walidata sektor dan admin yang mengatur konektor."))
    k = sel.konektor_kelola(user=request.user, pk=pk)
    initial = {**sel.konektor_dict(k), "kredensial_jenis": "-"}
    form = KonektorForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and request.POST.get("aksi") == "tarik":
        try:
            hasil = konektor_tarik(k, periode=str(request.POST.get("periode") or ""), oleh=request.user)
            messages.success(
                request, _("Penarikan selesai: versi %(v)s, %(n)s baris.") % {"v": hasil.versi, "n": hasil.jumlah_baris}
            )
            return redirect("integration:pengiriman_detail", pk=hasil.pengiriman.pk)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
            return redirect("integration:konektor_ubah", pk=k.pk)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                konektor_simpan(oleh=request.user, dataset=k.dataset, konektor=k, **_konektor_args(form))
                messages.success(request, _("Konektor disimpan."))
                return redirect("integration:sektor_konektor", kode=k.dataset.kode)
            except ValidationFailed as exc:
                _galat_form(form, exc)
    return render(
        request,
        "integration/sektor_konektor_ubah.html",
        {
            "k": sel.konektor_dict(k),
            "d": k.dataset,
            "form": form,
            "periode_list": periode_list(),
            "tarik": k.jenis == Konektor.TARIK,
        },
        status=status,
    )
