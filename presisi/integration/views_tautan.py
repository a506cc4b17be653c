"""Pages of the record-linkage review queue (mounted at /sektor/ by presisi/urls.py).

Thin: selectors decide who sees which row (outside the scope: 404), services write the decisions.
Every page showing people writes one UU PDP processing-log row; NIK/KK go through the PDP door
(masked unless the role may see person-level data there and asked with the "Tampilkan NIK" button).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import ValidationFailed
from presisi.core.pdp import LIHAT, catat_akses_data_pribadi
from presisi.integration import selectors_tautan as sel
from presisi.integration.models import TERIMA, TOLAK, PasanganGanda
from presisi.integration.services.ganda import BUKAN_GANDA, GABUNG, ganda_putuskan
from presisi.integration.services.tautan import tautan_putuskan
from presisi.registry.models import Individu

# login required; a refusal becomes the registry's 403 page, a locked desa its 409 page
from presisi.registry.views import registry_view as tautan_view


def _log(request: HttpRequest, ids: list[int], tujuan: str, *, nik_penuh: bool = False) -> None:
    if ids:
        catat_akses_data_pribadi(pengguna=request.user, aksi=LIHAT, objek_tipe=sel.INDIVIDU_LABEL,
                                 objek_ids=sorted(set(ids)), tujuan=tujuan,
                                 rincian={"nik_penuh": nik_penuh, "kanal": "web"})


def _galat(request: HttpRequest, exc: ValidationFailed) -> None:
    messages.error(request, exc.message)
    for f in exc.findings[:5]:
        messages.error(request, f.message)


@tautan_view
def tinjau(request: HttpRequest) -> HttpResponse:
    """The review queue: rows to review in the user's scope, filtered by dataset and desa."""
    dataset, desa = request.GET.get("dataset", "")[:60], request.GET.get("desa", "")[:20]
    hasil = sel.tinjau_list(request.user, dataset=dataset, desa=desa)
    _log(request, [b.individu_id for b in hasil["baris"] if b.individu_id], "antrean tinjau tautan")
    return render(request, "integration/tautan_tinjau.html", {
        **hasil, "filter_dataset": dataset, "filter_desa": desa, "boleh_ganda": sel.boleh_ganda(request.user)})


def _putuskan(request: HttpRequest, row) -> HttpResponse:
    aksi = request.POST.get("aksi", "")
    alasan = request.POST.get("alasan", "")[:300]
    try:
        if aksi == "pilih":
            person = sel.individu_cari(request.user, request.POST.get("nik", ""))
            keputusan = TERIMA
        elif aksi in (TERIMA, TOLAK):
            keputusan = aksi
            allowed = set(row.kandidat.values_list("individu_id", flat=True)) | {row.individu_id}
            raw = request.POST.get("individu", "")
            person_id = int(raw) if raw.isdigit() and int(raw) in allowed else None
            if person_id is None:
                raise ValidationFailed(_("Pilih salah satu kandidat."), [])
            person = Individu.objects.get(pk=person_id)
        else:
            raise ValidationFailed(_("Aksi tidak dikenal: pilih terima, tolak, atau pilih orang lain."), [])
        tautan_putuskan(baris=row, individu=person, keputusan=keputusan, oleh=request.user, alasan=alasan)
    except ValidationFailed as exc:
        _galat(request, exc)
        return redirect("integration:tinjau_baris", baris_id=row.pk)
    except Individu.DoesNotExist:
        messages.error(request, _("Orang dengan NIK itu tidak ditemukan di wilayah Anda."))
        return redirect("integration:tinjau_baris", baris_id=row.pk)
    messages.success(request, _("Keputusan disimpan dan akan dipakai lagi pada pengiriman berikutnya."))
    return redirect("integration:tinjau_baris", baris_id=row.pk)


@tautan_view
def tinjau_baris(request: HttpRequest, baris_id: int) -> HttpResponse:
    """One source row beside its candidates, field by field, with each candidate's waterfall."""
    row = sel.baris_get(request.user, baris_id)
    if request.method == "POST" and request.POST.get("tampilkan_nik") != "1":
        try:
            return _putuskan(request, row)
        except sel.OutOfScope:  # "pick another": a NIK outside the scope is not found
            messages.error(request, _("Orang dengan NIK itu tidak ditemukan di wilayah Anda."))
            return redirect("integration:tinjau_baris", baris_id=row.pk)
    tampilan = tampilan_pribadi(request.user, sel.kode_wilayah_baris(row), request=request)
    rincian = sel.baris_rincian(request.user, row, tampilan)
    _log(request, rincian["individu_ids"], "tinjau tautan data sektoral", nik_penuh=tampilan.penuh)
    return render(request, "integration/tautan_baris.html", {**rincian, "tampilan": tampilan,
                                                              "boleh_ganda": sel.boleh_ganda(request.user)})


@tautan_view
def ganda(request: HttpRequest) -> HttpResponse:
    """Probable duplicates inside the registry, in the user's scope."""
    desa = request.GET.get("desa", "")[:20]
    status = request.GET.get("status", PasanganGanda.TERBUKA)
    status = status if status in dict(PasanganGanda.STATUS_CHOICES) else PasanganGanda.TERBUKA
    hasil = sel.ganda_list(request.user, desa=desa, status=status)
    _log(request, [i for p in hasil["pasangan"] for i in (p.individu_a_id, p.individu_b_id)],
         "antrean data ganda registri")
    return render(request, "integration/tautan_ganda.html", {
        **hasil, "filter_desa": desa, "status": status, "status_choices": PasanganGanda.STATUS_CHOICES,
        "boleh_ganda": True})


@tautan_view
def ganda_pasangan(request: HttpRequest, pk: int) -> HttpResponse:
    pair = sel.ganda_get(request.user, pk)
    if request.method == "POST" and request.POST.get("tampilkan_nik") != "1":
        keputusan = request.POST.get("keputusan", "")
        raw = request.POST.get("dipertahankan", "")
        try:
            if keputusan not in (BUKAN_GANDA, GABUNG):
                raise ValidationFailed(_("Pilih keputusan: bukan ganda, atau gabungkan."), [])
            ganda_putuskan(pasangan=pair, keputusan=keputusan, oleh=request.user,
                           dipertahankan=int(raw) if raw.isdigit() else None,
                           alasan=request.POST.get("alasan", "")[:300])
            messages.success(request, _("Keputusan data ganda disimpan."))
        except ValidationFailed as exc:
            _galat(request, exc)
        return redirect("integration:ganda_pasangan", pk=pair.pk)
    tampilan = tampilan_pribadi(request.user, pair.desa.kode, request=request)
    rincian = sel.ganda_rincian(request.user, pair, tampilan)
    _log(request, [pair.individu_a_id, pair.individu_b_id], "tinjau data ganda registri", nik_penuh=tampilan.penuh)
    return render(request, "integration/tautan_ganda_pasangan.html", {**rincian, "tampilan": tampilan,
                                                                       "boleh_ganda": True})
