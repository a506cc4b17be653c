"""Privacy pages (mounted at /privasi/): data-subject report, correction requests, breach incidents.

Views only adapt: selectors decide access (PermissionDenied → 403 page, Http404 → 404) and build
the data; services write. Every page that shows a person's data writes one UU PDP log row, the
subject report included (it is itself an access to the person's data).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presisi.accounts.access import can_see_personal_data, is_admin
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.pdp import EKSPOR, LIHAT, TampilanPribadi, catat_akses_data_pribadi
from presisi.privasi import berkas, forms, services
from presisi.privasi import selectors as sel
from presisi.privasi.models import PermintaanPerbaikan
from presisi.registry.history import boleh_ubah
from presisi.registry.models import Individu

# login required; a refusal becomes the registry's 403 page, a locked desa its 409 page
from presisi.registry.views import registry_view as privasi_view

TUJUAN_PERBAIKAN = "permintaan perbaikan data (UU PDP Ps. 30)"


def _log(request: HttpRequest, ids: list[int], tujuan: str) -> None:
    """The request pages show names (person-level data, NIK never): one processing-log row per page."""
    if ids:
        catat_akses_data_pribadi(pengguna=request.user, aksi=LIHAT, objek_tipe=sel.INDIVIDU_LABEL, objek_ids=ids,
                                 tujuan=tujuan, rincian={"nik_penuh": False, "kanal": "web"})


def _findings(form, exc: ValidationFailed) -> None:
    form.add_error(None, exc.message)
    for f in exc.findings:
        field = f.column if f.column in form.fields else None
        form.add_error(field, f.message)


# ---------------------------------------------------------------- start page


@privasi_view
def indeks(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (sel.boleh_data_subjek(user) or sel.boleh_permintaan(user)):
        raise PermissionDenied(_("Peran Anda tidak menangani data perorangan."))
    return render(request, "privasi/indeks.html", {
        "boleh_subjek": sel.boleh_data_subjek(user), "boleh_permintaan": sel.boleh_permintaan(user),
        "admin": is_admin(user), "jumlah": sel.permintaan_terbuka_jumlah(user),
        "retensi": services.retensi_hari(), "form": forms.NikForm(),
    })


# ---------------------------------------------------------------- data-subject report


@privasi_view
def subjek_cari(request: HttpRequest) -> HttpResponse:
    """Find a subject by NIK. POST only carries the NIK, so it never lands in a URL or access log."""
    sel._pastikan_peran_pribadi(request.user)
    form = forms.NikForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = sel.subjek_get(user=request.user, nik=form.cleaned_data["nik"])
            return redirect("privasi:subjek", pk=person.pk)
        except ValidationFailed as exc:
            _findings(form, exc)
            status = 400
        except Http404 as exc:
            form.add_error("nik", str(exc))
            status = 404
    return render(request, "privasi/subjek_cari.html", {"form": form}, status=status)


def _laporan(request: HttpRequest, pk: int, *, unduh: bool = False) -> tuple[Individu, dict, TampilanPribadi]:
    person = sel.subjek_get(user=request.user, pk=pk)
    # a file is handed to the person: their own NIK in full (the role may, the log says so)
    tampilan = tampilan_pribadi(request.user, person.desa.kode, request=request, minta=unduh)
    return person, sel.buka_laporan(person, tampilan, aksi=EKSPOR if unduh else LIHAT), tampilan


@privasi_view
def subjek(request: HttpRequest, pk: int) -> HttpResponse:
    person, laporan, tampilan = _laporan(request, pk)
    return render(request, "privasi/subjek.html", {
        "p": person, "r": laporan, "tampilan": tampilan, "nik_penuh": tampilan.penuh,
        "boleh_permintaan": sel.boleh_permintaan(request.user),
    })


@privasi_view
def subjek_berkas(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404(_("Format berkas tidak dikenal."))
    person, laporan, _t = _laporan(request, pk, unduh=True)
    if fmt == "pdf":
        body, jenis = berkas.laporan_pdf(laporan), "application/pdf"
    else:
        body, jenis = berkas.laporan_xlsx(laporan), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=jenis)
    response["Content-Disposition"] = f'attachment; filename="laporan-subjek-{person.pk}.{fmt}"'
    return response


# ---------------------------------------------------------------- correction requests


@privasi_view
def perbaikan_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in dict(PermintaanPerbaikan.STATUS_CHOICES):
        status = ""
    terlambat = request.GET.get("terlambat") == "1"
    rows = sel.permintaan_list(user=request.user, status=status, terlambat=terlambat)
    _log(request, list(dict.fromkeys(r["individu"] for r in rows)), TUJUAN_PERBAIKAN)
    return render(request, "privasi/perbaikan_list.html", {
        "rows": rows, "status": status, "terlambat": terlambat, "status_choices": PermintaanPerbaikan.STATUS_CHOICES,
    })


@privasi_view
def perbaikan_baru(request: HttpRequest) -> HttpResponse:
    if not sel.boleh_permintaan(request.user):
        raise PermissionDenied(_("Peran Anda tidak menangani permintaan perbaikan data."))
    person = None
    raw = request.GET.get("individu") or request.POST.get("individu")
    if raw and str(raw).isdigit():
        person = sel.subjek_get(user=request.user, pk=int(raw))
    form = forms.PermintaanForm(request.POST or None, individu=person)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            target = person or sel.subjek_get(user=request.user, nik=d["nik"])
            p = services.permintaan_catat(individu=target, pemohon=d["pemohon"], kanal=d["kanal"], kolom=d["kolom"],
                                          uraian=d["uraian"], nilai_usulan=d["nilai_usulan"], bukti=d["bukti"],
                                          diterima_pada=d["diterima_pada"], pengguna=request.user)
            messages.success(request, _("Permintaan perbaikan tercatat. Tenggat jawaban: 3 x 24 jam."))
            return redirect("privasi:perbaikan", pk=p.pk)
        except ValidationFailed as exc:
            _findings(form, exc)
        except Http404 as exc:
            form.add_error("nik", str(exc))
    if person is not None:
        _log(request, [person.pk], TUJUAN_PERBAIKAN)
    return render(request, "privasi/form.html", {
        "form": form, "judul": _("Catat permintaan perbaikan data"), "individu": person,
        "kembali": reverse("privasi:perbaikan_list"),
    })


@privasi_view
def perbaikan(request: HttpRequest, pk: int) -> HttpResponse:
    p = sel.permintaan_get(user=request.user, pk=pk)
    kandidat = sel.koreksi_kandidat(p) if p.terbuka else []
    tolak_form = forms.TolakForm(request.POST if request.POST.get("aksi") == "tolak" else None)
    selesai_form = forms.SelesaiForm(request.POST if request.POST.get("aksi") == "tautkan" else None,
                                     kandidat=kandidat)
    if request.method == "POST":
        done = _perbaikan_aksi(request, p, tolak_form, selesai_form)
        if done is not None:
            return done
    _log(request, [p.individu_id], TUJUAN_PERBAIKAN)
    return render(request, "privasi/perbaikan.html", {
        "p": p, "d": sel.permintaan_dict(p), "kandidat": kandidat, "tolak_form": tolak_form,
        "selesai_form": selesai_form, "boleh_ubah": boleh_ubah(request.user, p.desa.kode),
    })


def _perbaikan_aksi(request: HttpRequest, p: PermintaanPerbaikan, tolak_form, selesai_form) -> HttpResponse | None:
    aksi = request.POST.get("aksi")
    if not can_see_personal_data(request.user, p.desa.kode):
        raise PermissionDenied(_("Anda tidak berwenang melihat data perorangan wilayah ini."))
    try:
        if aksi == "proses":
            services.permintaan_proses(permintaan=p, pengguna=request.user)
        elif aksi == "terapkan":
            if not boleh_ubah(request.user, p.desa.kode):
                raise PermissionDenied(_("Peran Anda hanya dapat membaca data registri wilayah ini."))
            services.permintaan_selesaikan(permintaan=p, terapkan=True, pengguna=request.user)
        elif aksi == "tautkan" and selesai_form.is_valid():
            services.permintaan_selesaikan(permintaan=p, koreksi_id=selesai_form.cleaned_data["koreksi"],
                                           catatan=selesai_form.cleaned_data["catatan"], pengguna=request.user)
        elif aksi == "tolak" and tolak_form.is_valid():
            services.permintaan_tolak(permintaan=p, alasan=tolak_form.cleaned_data["alasan"], pengguna=request.user)
        else:
            return None
    except ValidationFailed as exc:
        messages.error(request, exc.message + " " + "; ".join(f.message for f in exc.findings))
        return redirect("privasi:perbaikan", pk=p.pk)
    messages.success(request, _("Permintaan diperbarui."))
    return redirect("privasi:perbaikan", pk=p.pk)


# ---------------------------------------------------------------- breach incidents


@privasi_view
def insiden_list(request: HttpRequest) -> HttpResponse:
    rows = [sel.insiden_dict(i) for i in sel.insiden_list(user=request.user)]
    return render(request, "privasi/insiden_list.html", {"rows": rows})


@privasi_view
def insiden_baru(request: HttpRequest) -> HttpResponse:
    sel.insiden_list(user=request.user)  # admins only
    form = forms.InsidenForm(request.POST or None, initial={"ditemukan_pada": timezone.localtime()})
    if request.method == "POST" and form.is_valid():
        try:
            i = services.insiden_catat(data=form.cleaned_data, pengguna=request.user)
            messages.success(request, _("Insiden tercatat. Beri tahu subjek data dan lembaga paling lambat "
                                        "3 x 24 jam."))
            return redirect("privasi:insiden", pk=i.pk)
        except ValidationFailed as exc:
            _findings(form, exc)
    return render(request, "privasi/form.html", {"form": form, "judul": _("Catat insiden pelindungan data pribadi"),
                                                 "kembali": reverse("privasi:insiden_list")})


@privasi_view
def insiden(request: HttpRequest, pk: int) -> HttpResponse:
    i = sel.insiden_get(user=request.user, pk=pk)
    langkah = request.POST.get("tandai")
    if request.method == "POST" and langkah in sel.LANGKAH_KODE[1:]:
        # "done now" on one checklist step
        services.insiden_ubah(insiden=i, data={langkah: timezone.now()}, pengguna=request.user)
        messages.success(request, _("Langkah ditandai selesai."))
        return redirect("privasi:insiden", pk=i.pk)
    initial = {k: getattr(i, k) for k in (*services.INSIDEN_TEKS, *services.INSIDEN_WAKTU)}
    initial |= {"kategori_data": i.kategori_data, "jumlah_subjek": i.jumlah_subjek}
    initial = {k: timezone.localtime(v) if hasattr(v, "tzinfo") and v else v for k, v in initial.items()}
    form = forms.InsidenForm(request.POST or None, ubah=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.insiden_ubah(insiden=i, data=form.cleaned_data, pengguna=request.user)
            messages.success(request, _("Insiden diperbarui."))
            return redirect("privasi:insiden", pk=i.pk)
        except ValidationFailed as exc:
            _findings(form, exc)
    return render(request, "privasi/insiden.html", {"i": i, "d": sel.insiden_dict(i), "form": form})
