"""Targeting accuracy pages (/sektor/sasaran/): programs, the dated rule editor (analis/admin), errors per
kecamatan and desa, and per region the Musyawarah Desa lists (person-level roles only, PDP door)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from presisi.accounts.access import OutOfScope, can_see_personal_data, in_scope
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import ValidationFailed
from presisi.core.exports import rows_to_xlsx
from presisi.core.pdp import EKSPOR, LIHAT
from presisi.integration import selectors_sasaran as sel
from presisi.integration.models import Program
from presisi.integration.services import sasaran as svc
from presisi.integration.views_selisih import XLSX, halaman
from presisi.regions.models import Wilayah

TUJUAN = "verifikasi sasaran program (Musyawarah Desa)"
KOLOM_REKAP = [("kode", "Kode wilayah"), ("nama", "Wilayah"), ("layak", "Layak"), ("penerima", "Penerima"),
               ("layak_terjangkau", "Layak dan menerima"), ("penerima_tidak_layak", "Penerima tidak layak"),
               ("layak_tidak_terjangkau", "Layak belum menerima"), ("inklusi", "Galat inklusi"),
               ("eksklusi", "Galat eksklusi"), ("tidak_tertaut", "Baris penerima tidak tertaut")]
KOLOM_DAFTAR = [("daftar", "Daftar"), ("kode", "Kode RT/KK"), ("nik", "NIK"), ("nama", "Nama (kepala)"),
                ("baris", "Baris sumber")]


def _program(kode: str | None) -> Program | None:
    programs = sel.program_list()
    if not kode:
        return programs[0] if programs else None
    for p in programs:
        if p.kode == kode:
            return p
    raise Http404(_("Program tidak dikenal."))


def _persen(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%".replace(".", ",")


def _dengan_persen(rows: list[dict]) -> list[dict]:
    return [{**r, "inklusi_teks": _persen(r["inklusi"]), "eksklusi_teks": _persen(r["eksklusi"])} for r in rows]


@require_http_methods(["GET", "POST"])
@halaman
def sasaran(request: HttpRequest) -> HttpResponse:
    program = _program(request.GET.get("program") or request.POST.get("program"))
    errors: list[str] = []
    if request.method == "POST":
        if not svc.boleh_ubah_aturan(request.user):
            from presisi.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Hanya analis atau admin yang dapat mengubah aturan kelayakan."))
        try:
            if program is None:
                raise ValidationFailed(_("Program belum ada."), [])
            try:
                mulai = dt.date.fromisoformat(request.POST.get("berlaku_mulai", ""))
            except ValueError:
                mulai = None
            svc.aturan_tambah(pengguna=request.user, program=program, ekspresi=request.POST.get("ekspresi", ""),
                              berlaku_mulai=mulai, catatan=request.POST.get("catatan", ""))
            messages.success(request, _("Aturan baru disimpan; aturan lama tetap tercatat."))
            return redirect(reverse("integration:sasaran") + "?" + urlencode({"program": program.kode}))
        except ValidationFailed as exc:
            errors = [exc.message] + [f.message for f in exc.findings]
    periode = sel.periode_program(program, request.GET.get("periode")) if program else None
    hasil = svc.sasaran_hitung(program=program, periode=periode) if program and periode else None
    rows = _dengan_persen(sel.tabel_wilayah(request.user, hasil)) if hasil else []
    return render(request, "integration/sasaran_indeks.html", {
        "programs": sel.program_list(), "program": program, "periode": periode, "hasil": hasil, "rows": rows,
        "boleh_ubah": svc.boleh_ubah_aturan(request.user), "errors": errors,
        # the rule form's own fields, always present (a GET shows them empty)
        "post": {k: request.POST.get(k, "") for k in ("ekspresi", "berlaku_mulai", "catatan")},
        "aturan": list(program.aturan.all()) if program else [],
    }, status=400 if errors else 200)


@require_GET
@halaman
def sasaran_wilayah(request: HttpRequest, program: str, kode_wilayah: str) -> HttpResponse:
    prog = _program(program)
    wilayah = Wilayah.objects.filter(kode=kode_wilayah).first()
    if wilayah is None or not in_scope(request.user, kode_wilayah):
        raise OutOfScope(kode_wilayah)
    periode = sel.periode_program(prog, request.GET.get("periode"))
    if periode is None:
        raise Http404(_("Belum ada periode."))
    hasil = svc.sasaran_hitung(program=prog, periode=periode)
    rows = _dengan_persen(sel.tabel_wilayah(request.user, hasil, induk=kode_wilayah))
    daftar = None
    tampilan = tampilan_pribadi(request.user, kode_wilayah, request=request)
    if wilayah.kedalaman == 4 and can_see_personal_data(request.user, kode_wilayah):
        daftar = sel.daftar_musdes(request.user, program=prog, periode=periode, kode_desa=kode_wilayah,
                                   tampilan=tampilan)
    unduh = request.GET.get("format") == "xlsx"
    if daftar is not None:
        ids = [r["id"] for r in daftar.belum_terjangkau + daftar.tidak_layak if r["id"] > 0]
        if ids:
            tampilan.catat(aksi=EKSPOR if unduh else LIHAT, objek_tipe=f"registry.{prog.unit}", objek_ids=ids,
                           tujuan=TUJUAN, jumlah=len(ids))
    if unduh:
        if daftar is not None:
            content = rows_to_xlsx([{**r, "daftar": _("Layak belum menerima")} for r in daftar.belum_terjangkau]
                                   + [{**r, "daftar": _("Penerima tidak layak")} for r in daftar.tidak_layak],
                                   KOLOM_DAFTAR, title="Musdes")
        else:  # counts only for roles without person-level access
            content = rows_to_xlsx(rows, KOLOM_REKAP, title="Sasaran")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = (f'attachment; filename="sasaran-{prog.kode}-{kode_wilayah}-'
                                           f'{periode.kode}.xlsx"')
        return response
    return render(request, "integration/sasaran_wilayah.html", {
        "program": prog, "wilayah": wilayah, "periode": periode, "hasil": hasil, "rows": rows, "daftar": daftar,
        "tampilan": tampilan, "query_nik": urlencode({"periode": periode.kode, "nik": "penuh"}),
        "query_xlsx": urlencode({"periode": periode.kode, "format": "xlsx"}),
    })
