"""Pages of "where the sources disagree" (/sektor/selisih/): filters, counts, items, downloads.

Selectors decide scope; roles without person-level access in the filtered region get counts only, on
the page and in the files. Items shown or exported leave one UU PDP processing-log row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from presisi.accounts.access import user_scope_code
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from presisi.core.exports import dialek_web, rows_to_csv, rows_to_xlsx
from presisi.core.pdp import EKSPOR, LIHAT
from presisi.integration import selectors_selisih as sel
from presisi.integration.models import Selisih

PER_HALAMAN = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TUJUAN = "laporan selisih sumber data sektoral"
KOLOM_ITEM = [("dataset", "Dataset"), ("periode", "Periode"), ("versi", "Versi"), ("baris", "Baris"),
              ("kode_desa", "Kode desa"), ("desa", "Desa"), ("kategori_label", "Kategori"), ("variabel", "Variabel"),
              ("nik", "NIK"), ("nama", "Nama"), ("nilai_sumber", "Nilai sumber"), ("nilai_registri", "Nilai registri"),
              ("pihak_label", "Yang harus bertindak"), ("keterangan", "Keterangan")]


def halaman(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; a refusal becomes the 403 page, an unknown filter value a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "registry/403.html", {"pesan": exc.message}, status=403)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _tampilan(request: HttpRequest, f: sel.Filter, *, kanal: str = "web"):
    return tampilan_pribadi(request.user, f.wilayah or user_scope_code(request.user) or "", request=request,
                            kanal=kanal)


def kolom_desa() -> list[tuple[str, str]]:
    return [("kode", "Kode desa"), ("nama", "Desa"),
            *[(k, str(v)) for k, v in sel.KATEGORI_LABEL.items()], ("jumlah", "Jumlah")]


@require_GET
@halaman
def selisih(request: HttpRequest) -> HttpResponse:
    f = sel.Filter.dari(request.GET)
    r = sel.ringkasan(request.user, f)
    pribadi = sel.boleh_pribadi(request.user, f)
    tampilan = _tampilan(request, f)
    # without person-level access only the aggregate items (desa values, no person) are listed
    items = sel.item_list(request.user, f)
    if not pribadi:
        items = items.filter(kategori=Selisih.AGREGAT)
    page = Paginator(items, PER_HALAMAN).get_page(request.GET.get("halaman"))
    page.items = [sel.item_dict(s, tampilan) for s in page.object_list]
    if pribadi and page.items:
        tampilan.catat(aksi=LIHAT, objek_tipe="integration.selisih", objek_ids=[i["id"] for i in page.items],
                       tujuan=TUJUAN, jumlah=len(page.items))
    query = {k: v for k, v in f.as_dict().items() if v not in ("", None)}
    return render(request, "integration/selisih_laporan.html", {
        "f": f, "r": r, "pribadi": pribadi, "page": page, "pilihan": sel.pilihan(request.user),
        "kategori": sel.KATEGORI_LABEL, "pihak": sel.PIHAK_LABEL, "tampilan": tampilan,
        "query": urlencode(query), "query_nik": urlencode({**query, "nik": "penuh"}),
        "desa_rows": [{**row, "sel": [row[k] for k in sel.KATEGORI_LABEL]} for row in r.per_desa],
    })


@require_GET
@halaman
def selisih_unduh(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Format tidak dikenal."))
    try:
        dialek = dialek_web(request.GET.get("dialek"), translation.get_language())
    except ValidationFailed as exc:
        raise Http404(_("Dialek CSV tidak dikenal.")) from exc
    f = sel.Filter.dari(request.GET)
    name = "selisih-" + "-".join(v for v in (f.dataset, f.periode, f.wilayah) if v) if f.dataset or f.periode \
        or f.wilayah else "selisih"
    if sel.boleh_pribadi(request.user, f):
        tampilan = _tampilan(request, f, kanal="unduh")
        rows = [sel.item_dict(s, tampilan) for s in sel.item_list(request.user, f)]
        if rows:
            tampilan.catat(aksi=EKSPOR, objek_tipe="integration.selisih", objek_ids=[i["id"] for i in rows],
                           tujuan=TUJUAN, jumlah=len(rows))
        columns = KOLOM_ITEM
    else:  # counts only: per desa × category
        rows, columns, name = sel.ringkasan(request.user, f).per_desa, kolom_desa(), name + "-jumlah"
    if fmt == "csv":
        content, ctype = rows_to_csv(rows, columns, dialek=dialek), "text/csv; charset=utf-8"
    else:
        content, ctype = rows_to_xlsx(rows, columns, title="Selisih"), XLSX
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
