"""Registry pages for the desa operator: families, people, households, buildings, events, history.

Views only adapt: they fetch records through the scoped selectors in ``history.py`` (which
raise PermissionDenied or Http404), call the registry services, and put a service's
findings next to the right field. Every page showing NIK-level data writes one row to the
UU PDP processing log; NIK is masked unless the user presses "Tampilkan NIK".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from presisi.accounts.pdp import pdp_log_for_user, tampilan_pribadi
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed, VersiBasi
from presisi.core.exports import LembarXlsx, workbook_bytes
from presisi.core.pdp import (
    EKSPOR,
    LIHAT,
    UBAH,
    TampilanPribadi,
    catat_akses_data_pribadi,
    parse_tanggal,
    pdp_users,
)
from presisi.dictionary.models import INDIVIDU
from presisi.dictionary.validation import unit_spec
from presisi.periods.locking import DataTerkunci
from presisi.regions.selectors_adat import banjar_adat_untuk_desa
from presisi.registry import forms, services
from presisi.registry import history as sel
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, Peristiwa, RumahTangga

PER_HALAMAN = 25
# Peristiwa.JENIS_CHOICES labels, translated in registry/_peristiwa.html; marked for makemessages.
UI_LABELS = (gettext_noop("Lahir"), gettext_noop("Mati"), gettext_noop("Pindah Keluar"), gettext_noop("Hilang"),
             gettext_noop("Pindah Masuk (datang)"), gettext_noop("Pergi"))
INDIVIDU_LABEL = Individu._meta.label_lower
# URL slug → event type for a registered person ("kembali": a person who had left returns).
PERISTIWA_SLUG = {"mati": Peristiwa.MATI, "pindah-keluar": Peristiwa.PINDAH_KELUAR, "hilang": Peristiwa.HILANG,
                  "pergi": Peristiwa.PERGI, "kembali": Peristiwa.PINDAH_MASUK}
URL_OF = {Keluarga: "registry:keluarga", Individu: "registry:individu", RumahTangga: "registry:rumah_tangga",
          Bangunan: "registry:bangunan"}


def registry_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; a refusal from a selector or service becomes a 403 page in Indonesian."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "registry/403.html", {"pesan": exc.message}, status=403)
        except DataTerkunci as exc:  # submitted or approved: read-only until returned / un-approved
            return render(request, "registry/terkunci.html", {"pesan": exc.message, "kunci": exc.extra},
                          status=409)

    return wrapper


def url_of(obj: Model) -> str:
    return reverse(URL_OF[type(obj)], args=[obj.pk])


def _tampilan(request: HttpRequest, kode: str) -> TampilanPribadi:
    """The PDP door for a page of the desa ``kode``: NIK/KK masked unless the user asked (the POSTed
    "Tampilkan NIK" button or ``?nik=penuh``) and may see person-level data there."""
    return tampilan_pribadi(request.user, kode, request=request)


def _log_people(request: HttpRequest, ids: list[int], tujuan: str, *, nik_penuh: bool = False,
                aksi: str = LIHAT) -> None:
    # ``tujuan`` is stored untranslated: the log must read the same whatever the viewer's language
    catat_akses_data_pribadi(pengguna=request.user, aksi=aksi, objek_tipe=INDIVIDU_LABEL, objek_ids=ids,
                             tujuan=tujuan, rincian={"nik_penuh": nik_penuh, "kanal": "web"})


def _save(request: HttpRequest, form, save: Callable[[], Model], pesan: str) -> HttpResponse | None:
    """Run a service for a valid POSTed form. Success: message and redirect to the record.
    ``ValidationFailed``: its findings go next to the fields and the form is shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save()
    except VersiBasi as exc:
        _konflik(form, exc)
        return None
    except ValidationFailed as exc:
        # the service's own summary heads the list (e.g. "data desa ini terkunci"), then each finding
        form.add_error(None, exc.message)
        form.add_findings(exc.findings)
        return None
    messages.success(request, pesan)
    return redirect(url_of(obj.individu if isinstance(obj, Peristiwa) else obj))


def _konflik(form, exc: VersiBasi) -> None:
    """A stale correction form: nothing was written. Show who changed the record and when, the user's
    input beside the values now, and carry the current version so that saving again is a deliberate
    decision (made knowing the other change) rather than a silent overwrite."""
    form.add_error(None, _("Data ini sudah diubah pengguna lain sejak Anda membuka formulir ini. Tidak ada "
                           "yang disimpan. Bandingkan isian Anda dengan data sekarang di bawah; bila isian Anda "
                           "tetap benar, simpan sekali lagi."))
    form.konflik = {"perubahan": sel.perubahan_sejak(form.instance, form.versi()),
                    "isian": form.konflik_isian()}
    data = form.data.copy()
    data["versi"] = str(exc.extra["versi_sekarang"])
    form.data = data


def _form_page(request: HttpRequest, form, *, judul: str, kembali: str, konteks: dict | None = None,
               tombol: str = "") -> HttpResponse:
    return render(request, "registry/form.html", {
        "form": form, "judul": judul, "kembali": kembali, "tombol": tombol or _("Simpan"), **(konteks or {}),
    })


# ---------------------------------------------------------------- start and desa home


@registry_view
def mulai(request: HttpRequest) -> HttpResponse:
    desa = list(sel.desa_dalam_cakupan(user=request.user))
    if not desa:
        raise PermissionDenied(_("Anda tidak berwenang melihat data perorangan."))
    if len(desa) == 1:
        return redirect("registry:desa", desa[0].kode)
    return render(request, "registry/mulai.html", {"daftar_desa": desa})


def _desa_list(desa, jenis: str, q: str, banjar: str):
    finders = {"keluarga": sel.keluarga_cari, "rumah_tangga": sel.rumah_tangga_cari, "bangunan": sel.bangunan_cari}
    return finders[jenis](desa=desa, q=q, banjar=banjar)


@registry_view
def desa(request: HttpRequest, kode: str) -> HttpResponse:
    wilayah = sel.desa_get(user=request.user, kode=kode)
    jenis = request.GET.get("jenis", "keluarga")
    jenis = jenis if jenis in ("keluarga", "rumah_tangga", "bangunan") else "keluarga"
    q, banjar = request.GET.get("q", "").strip(), request.GET.get("banjar", "")
    hit = None
    if jenis == "keluarga" and q.isdigit() and len(q) == 16:
        hit = sel.individu_cari_nik(desa=wilayah, nik=q)
        _log_people(request, [hit.pk] if hit else [], "pencarian NIK")
    page = Paginator(_desa_list(wilayah, jenis, q, banjar), PER_HALAMAN).get_page(request.GET.get("hal"))
    tampilan = _tampilan(request, wilayah.kode)
    if tampilan.penuh and jenis == "keluarga":
        tampilan.catat(objek_tipe=Keluarga._meta.label_lower, objek_ids=[k.pk for k in page],
                       tujuan="daftar keluarga desa")
    return render(request, "registry/desa.html", {
        "desa": wilayah, "tampilan": tampilan, "ringkasan": sel.desa_ringkasan(wilayah),
        "ringkasan_adat": sel.desa_ringkasan_adat(wilayah), "jenis": jenis, "q": q,
        "banjar": banjar, "halaman": page, "hit": sel.anggota_baris([hit], tampilan=tampilan)[0] if hit else None,
        "terbaru": sel.perubahan_terbaru(desa=wilayah), "boleh_ubah": sel.boleh_ubah(request.user, wilayah.kode),
        "query": _query_without(request, "hal"),
    })


def _query_without(request: HttpRequest, key: str) -> str:
    params = request.GET.copy()
    params.pop(key, None)
    return params.urlencode()


# ---------------------------------------------------------------- families


@registry_view
def keluarga_baru(request: HttpRequest, kode: str) -> HttpResponse:
    wilayah = sel.desa_get(user=request.user, kode=kode, ubah=True)
    form = forms.KeluargaForm(request.POST or None, banjar=sel.banjar_list(wilayah),
                              banjar_adat=banjar_adat_untuk_desa(wilayah.pk))

    def save() -> Keluarga:
        values = form.kamus_values()
        return services.keluarga_create(no_kk=values.pop("no_kk", ""), alamat=values.pop("alamat", ""),
                                        banjar_kode=form.cleaned_data["banjar"], atribut=values,
                                        pengguna=request.user, banjar_adat_kode=form.banjar_adat_kode() or "")

    done = _save(request, form, save, _("Keluarga tersimpan. Tambahkan kepala keluarga dan anggotanya."))
    return done or _form_page(request, form, judul=_("Tambah keluarga"),
                              kembali=reverse("registry:desa", args=[wilayah.kode]), konteks={"desa": wilayah})


@registry_view
def keluarga(request: HttpRequest, pk: int) -> HttpResponse:
    kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk)
    tampilan = _tampilan(request, kk.desa.kode)
    penuh = tampilan.penuh
    people = sel.anggota_keluarga(kk)
    _log_people(request, [p.pk for p in people], "halaman keluarga", nik_penuh=penuh)
    households = {p.rumah_tangga for p in people if p.rumah_tangga_id}
    return render(request, "registry/keluarga.html", {
        "kk": kk, "anggota": sel.anggota_baris(people, tampilan=tampilan), "nik_penuh": penuh, "tampilan": tampilan,
        "rincian": sel.rincian(kk, kecuali={"no_kk", "alamat"}), "rumah_tangga": sorted(households, key=str),
        "peristiwa": sel.riwayat_keluarga(kk).peristiwa, "boleh_ubah": sel.boleh_ubah(request.user, kk.desa.kode),
    })


@registry_view
def keluarga_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk, ubah=True)
    form = forms.KeluargaForm(request.POST or None, instance=kk, banjar=sel.banjar_list(kk.desa),
                              banjar_adat=banjar_adat_untuk_desa(kk.desa_id))
    if request.method == "GET":
        # the correction form shows the full KK number in its input
        _log_people(request, list(kk.anggota.values_list("id", flat=True)), "koreksi data keluarga", nik_penuh=True)

    def save() -> Keluarga:
        return services.keluarga_update(keluarga=kk, data=form.kamus_values(changed_only=True),
                                        banjar_kode=form.cleaned_data["banjar"], pengguna=request.user,
                                        versi=form.versi(), banjar_adat_kode=form.banjar_adat_kode())

    done = _unchanged(request, form, kk) or _save(request, form, save, _("Perubahan data keluarga tersimpan."))
    return done or _form_page(request, form, judul=_("Koreksi data keluarga %(no_kk)s") % {"no_kk": kk.no_kk},
                              kembali=url_of(kk))


def _unchanged(request: HttpRequest, form, obj: Model) -> HttpResponse | None:
    """A correction form sent back without any change writes nothing (no empty audit rows)."""
    if request.method == "POST" and form.is_valid() and not form.has_changed():
        messages.info(request, _("Tidak ada perubahan."))
        return redirect(url_of(obj))
    return None


def _kk(request: HttpRequest, kk: Keluarga) -> str:
    return _tampilan(request, kk.desa.kode).kk(kk.no_kk)


def _person_form(request: HttpRequest, pk: int, form_class, *, initial: dict | None = None):
    kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk, ubah=True)
    return kk, form_class(request.POST or None, initial=initial)


@registry_view
def anggota_baru(request: HttpRequest, pk: int) -> HttpResponse:
    kk, form = _person_form(request, pk, forms.IndividuForm)

    def save() -> Individu:
        person = services.individu_create(keluarga=kk, data=form.kamus_values(), pengguna=request.user)
        _log_people(request, [person.pk], "pendaftaran anggota keluarga", aksi=UBAH)
        return person

    done = _save(request, form, save, _("Anggota keluarga tersimpan."))
    judul = _("Tambah anggota keluarga %(no_kk)s") % {"no_kk": _kk(request, kk)}
    return done or _form_page(request, form, judul=judul,
                              kembali=url_of(kk))


@registry_view
def kelahiran(request: HttpRequest, pk: int) -> HttpResponse:
    kk, form = _person_form(request, pk, forms.KelahiranForm,
                            initial={"hubungan_keluarga": 4, "status_kawin": 1, "kewarganegaraan": 1})

    def save() -> Individu:
        person = services.kelahiran_catat(keluarga=kk, data=form.kamus_values(), pengguna=request.user,
                                          keterangan=form.cleaned_data.get("keterangan", ""))
        _log_people(request, [person.pk], "pencatatan kelahiran", aksi=UBAH)
        return person

    done = _save(request, form, save, _("Kelahiran tercatat."))
    judul = _("Catat kelahiran di keluarga %(no_kk)s") % {"no_kk": _kk(request, kk)}
    return done or _form_page(request, form, judul=judul,
                              kembali=url_of(kk))


@registry_view
def kedatangan(request: HttpRequest, pk: int) -> HttpResponse:
    kk, form = _person_form(request, pk, forms.KedatanganForm)

    def save() -> Individu:
        person = services.kedatangan_catat(keluarga=kk, data=form.kamus_values(), pengguna=request.user,
                                           tanggal=form.cleaned_data["tanggal"], asal=form.cleaned_data["asal"])
        _log_people(request, [person.pk], "pencatatan kedatangan", aksi=UBAH)
        return person

    done = _save(request, form, save, _("Kedatangan tercatat."))
    judul = _("Catat kedatangan ke keluarga %(no_kk)s") % {"no_kk": _kk(request, kk)}
    return done or _form_page(request, form, judul=judul,
                              kembali=url_of(kk))


@registry_view
def keluarga_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    kk = sel.rekaman_get(user=request.user, model=Keluarga, pk=pk)
    riwayat = sel.riwayat_keluarga(kk)
    _log_people(request, list(kk.anggota.values_list("id", flat=True)), "riwayat keluarga")
    return _history_page(request, riwayat, judul=_("Riwayat keluarga %(no_kk)s") % {"no_kk": _kk(request, kk)},
                         kembali=url_of(kk))


def _history_page(request: HttpRequest, riwayat: sel.Riwayat, *, judul: str, kembali: str) -> HttpResponse:
    return render(request, "registry/riwayat.html", {"riwayat": riwayat, "judul": judul, "kembali": kembali})


# ---------------------------------------------------------------- people


@registry_view
def individu(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk)
    tampilan = _tampilan(request, person.desa.kode)
    penuh = tampilan.penuh
    _log_people(request, [person.pk], "halaman penduduk", nik_penuh=penuh)
    return render(request, "registry/individu.html", {
        "p": person, "baris": sel.anggota_baris([person], tampilan=tampilan)[0], "nik_penuh": penuh,
        "tampilan": tampilan,
        "keluarga": person.keluarga, "rumah_tangga": person.rumah_tangga,
        "rincian": sel.rincian(person, kecuali={"nik", "nama"}),
        "peristiwa": sel.riwayat_individu(person).peristiwa, "hidup": person.status_dasar == HIDUP,
        "boleh_ubah": sel.boleh_ubah(request.user, person.desa.kode),
    })


@registry_view
def individu_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
    form = forms.IndividuUbahForm(request.POST or None, instance=person)
    if request.method == "GET":
        # the correction form shows the full NIK in its input
        _log_people(request, [person.pk], "koreksi data penduduk", nik_penuh=True)

    def save() -> Individu:
        updated = services.individu_update(individu=person, data={**form.kamus_values(changed_only=True),
                                                                  **form.koreksi_values()}, pengguna=request.user,
                                            versi=form.versi())
        _log_people(request, [person.pk], "koreksi data penduduk", aksi=UBAH)
        return updated

    done = _unchanged(request, form, person) or _save(request, form, save, _("Perubahan data penduduk tersimpan."))
    return done or _form_page(request, form, judul=_("Koreksi data %(nama)s") % {"nama": person.nama},
                              kembali=url_of(person))


@registry_view
def individu_peristiwa(request: HttpRequest, pk: int, jenis: str) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
    kind = PERISTIWA_SLUG.get(jenis)
    if kind is None:
        raise Http404(_("Jenis peristiwa tidak dikenal."))
    form = forms.PeristiwaForm(request.POST or None, jenis=kind)

    def save() -> Peristiwa:
        data, cleaned = form.data_peristiwa(), form.cleaned_data
        if kind == Peristiwa.PINDAH_MASUK:
            event = services.kepulangan_catat(individu=person, tanggal=cleaned["tanggal"], asal=data.get("asal", ""),
                                              keterangan=cleaned["keterangan"], pengguna=request.user)
        else:
            event = services.peristiwa_catat(individu=person, jenis=kind, tanggal=cleaned["tanggal"],
                                             keterangan=cleaned["keterangan"], data=data, pengguna=request.user)
        _log_people(request, [person.pk], "pencatatan peristiwa", aksi=UBAH)
        return event

    label = _(dict(Peristiwa.JENIS_CHOICES)[kind])
    done = _save(request, form, save, _("Peristiwa %(jenis)s tercatat.") % {"jenis": label})
    return done or _form_page(request, form, judul=_("Catat %(jenis)s: %(nama)s") % {"jenis": label,
                                                                                      "nama": person.nama},
                              kembali=url_of(person), tombol=_("Catat peristiwa"))


@registry_view
def individu_pindah_kk(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
    spec = unit_spec(INDIVIDU).get("hubungan_keluarga")
    form = forms.PindahKKForm(request.POST or None, shdk=spec.pilihan() if spec else [])

    def save() -> Individu:
        target = sel.keluarga_di_desa(desa=person.desa, no_kk=form.cleaned_data["no_kk_tujuan"])
        if target is None:
            raise ValidationFailed(_("No. KK tujuan tidak ditemukan."), [Finding(
                rule="kk_tidak_ada", column="no_kk_tujuan", value=form.cleaned_data["no_kk_tujuan"],
                message=_("No. KK ini tidak terdaftar di desa ini"))])
        return services.anggota_pindah_keluarga(individu=person, keluarga=target, pengguna=request.user,
                                                hubungan_keluarga=form.cleaned_data["hubungan_keluarga"])

    done = _save(request, form, save, _("Perpindahan Kartu Keluarga tersimpan."))
    return done or _form_page(request, form, judul=_("Pindah KK: %(nama)s") % {"nama": person.nama},
                              kembali=url_of(person))


@registry_view
def individu_ganti_nik(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk, ubah=True)
    form = forms.GantiNikForm(request.POST or None)

    def save() -> Individu:
        hasil = services.nik_sementara_ganti(individu=person, nik_baru=form.cleaned_data["nik"],
                                             alasan=form.cleaned_data["alasan"], pengguna=request.user)
        _log_people(request, sorted({person.pk, hasil.individu.pk}), "ganti NIK sementara", aksi=UBAH)
        if hasil.digabung_dari is not None:
            messages.info(request, _("NIK ini sudah terdaftar: record sementara digabung ke record terdaftar."))
        return hasil.individu

    done = _save(request, form, save, _("NIK asli tersimpan."))
    return done or _form_page(request, form, judul=_("Ganti NIK sementara: %(nama)s") % {"nama": person.nama},
                              kembali=url_of(person))


@registry_view
def individu_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    person = sel.rekaman_get(user=request.user, model=Individu, pk=pk)
    _log_people(request, [person.pk], "riwayat penduduk")
    return _history_page(request, sel.riwayat_individu(person), judul=_("Riwayat %(nama)s") % {"nama": person.nama},
                         kembali=url_of(person))


@registry_view
def penduduk_xlsx(request: HttpRequest, kode: str) -> HttpResponse:
    """People of a desa as a workbook (Excel); NIK masked unless ``?nik=penuh``. Logged as an export."""
    wilayah = sel.desa_get(user=request.user, kode=kode)
    tampilan = _tampilan(request, wilayah.kode)
    people = list(sel.individu_list(desa=wilayah, status=HIDUP))
    _log_people(request, [p.pk for p in people], "ekspor daftar penduduk", nik_penuh=tampilan.penuh, aksi=EKSPOR)
    response = HttpResponse(penduduk_workbook(people, tampilan=tampilan),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="penduduk-{wilayah.kode}.xlsx"'
    return response


def penduduk_workbook(people: list[Individu], *, tampilan: TampilanPribadi) -> bytes:
    wb = Workbook(write_only=True)  # streaming: a large desa fits in little memory
    ws = wb.create_sheet(_("Penduduk"))
    lembar = LembarXlsx(ws, [_("NIK"), _("Nama"), _("Jenis kelamin"), _("Tanggal lahir"), _("Hubungan keluarga"),
                             _("No. KK"), _("Banjar"), _("Status")], lebar=(20, 32, 14, 14, 22, 20, 26, 12))
    for person, row in zip(people, sel.anggota_baris(people, tampilan=tampilan), strict=True):
        lembar.tambah([row["nik"], row["nama"], row["jenis_kelamin"], row["tanggal_lahir"],  # a date cell
                       row["hubungan_keluarga"], tampilan.kk(person.keluarga.no_kk), person.banjar.nama,
                       row["status_dasar"]])
    lembar.tutup()
    return workbook_bytes(wb)


# ---------------------------------------------------------------- households


def _bangunan_for(form, desa) -> Bangunan | None | bool:
    """The building typed on a household form: a Bangunan, None (left empty), or False (unknown)."""
    kode = form.cleaned_data.get("bangunan", "")
    if not kode:
        return None
    return sel.bangunan_di_desa(desa=desa, kode=kode) or False


def _unknown_building(form) -> ValidationFailed:
    return ValidationFailed(_("Bangunan tidak ditemukan."), [Finding(
        rule="bangunan_tidak_ada", column="bangunan", value=form.cleaned_data.get("bangunan"),
        message=_("kode bangunan tidak terdaftar di desa ini"))])


@registry_view
def rumah_tangga_baru(request: HttpRequest, kode: str) -> HttpResponse:
    wilayah = sel.desa_get(user=request.user, kode=kode, ubah=True)
    form = forms.RumahTanggaForm(request.POST or None, banjar=sel.banjar_list(wilayah))

    def save() -> RumahTangga:
        building = _bangunan_for(form, wilayah)
        if building is False:
            raise _unknown_building(form)
        return services.rumah_tangga_create(kode=form.cleaned_data["kode"], banjar_kode=form.cleaned_data["banjar"],
                                            atribut=form.kamus_values(), bangunan=building, pengguna=request.user)

    done = _save(request, form, save, _("Rumah tangga tersimpan."))
    return done or _form_page(request, form, judul=_("Tambah rumah tangga"),
                              kembali=reverse("registry:desa", args=[wilayah.kode]) + "?jenis=rumah_tangga")


@registry_view
def rumah_tangga(request: HttpRequest, pk: int) -> HttpResponse:
    rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk)
    people = sel.anggota_rumah_tangga(rt)
    _log_people(request, [p.pk for p in people], "halaman rumah tangga")
    boleh = sel.boleh_ubah(request.user, rt.desa.kode)
    return render(request, "registry/rumah_tangga.html", {
        "rt": rt, "anggota": sel.anggota_baris(people), "tampilan": _tampilan(request, rt.desa.kode),
        "rincian": sel.rincian(rt),
        "boleh_ubah": boleh, "form_anggota": _anggota_form() if boleh else None,
    })


def _anggota_form(data: Any = None) -> forms.AnggotaRumahTanggaForm:
    spec = unit_spec(INDIVIDU).get("hubungan_rumah_tangga")
    return forms.AnggotaRumahTanggaForm(data, pilihan=spec.pilihan() if spec else [])


@registry_view
@require_POST
def rumah_tangga_anggota(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person (by NIK) to the household, or take one out (``keluarkan=<id>``)."""
    rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk, ubah=True)
    if request.POST.get("keluarkan"):
        person = sel.rekaman_get(user=request.user, model=Individu, pk=int(request.POST["keluarkan"]), ubah=True)
        if person.rumah_tangga_id == rt.pk:
            services.anggota_rumah_tangga_set(individu=person, rumah_tangga=None, pengguna=request.user)
            messages.success(request, _("%(nama)s tidak lagi tercatat di rumah tangga ini.") % {"nama": person.nama})
        return redirect(url_of(rt))
    form = _anggota_form(request.POST)
    if form.is_valid():
        person = sel.individu_cari_nik(desa=rt.desa, nik=form.cleaned_data["nik"])
        _log_people(request, [person.pk] if person else [], "pencarian NIK anggota rumah tangga")
        try:
            if person is None:
                raise ValidationFailed(_("NIK tidak ditemukan."), [Finding(
                    rule="nik_tidak_ada", column="nik", message=_("NIK ini tidak terdaftar di desa ini"))])
            services.anggota_rumah_tangga_set(individu=person, rumah_tangga=rt, pengguna=request.user,
                                              hubungan_rumah_tangga=form.cleaned_data["hubungan_rumah_tangga"])
            messages.success(request, _("Anggota rumah tangga tersimpan."))
            return redirect(url_of(rt))
        except ValidationFailed as exc:
            form.add_findings(exc.findings)
    people = sel.anggota_rumah_tangga(rt)
    return render(request, "registry/rumah_tangga.html", {
        "rt": rt, "anggota": sel.anggota_baris(people), "tampilan": _tampilan(request, rt.desa.kode),
        "rincian": sel.rincian(rt),
        "boleh_ubah": True, "form_anggota": form,
    })


@registry_view
def rumah_tangga_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk, ubah=True)
    form = forms.RumahTanggaForm(request.POST or None, instance=rt, banjar=sel.banjar_list(rt.desa))

    def save() -> RumahTangga:
        building: Any = False
        if "bangunan" in form.changed_data:
            building = _bangunan_for(form, rt.desa)
            if building is False:
                raise _unknown_building(form)
        return services.rumah_tangga_update(rumah_tangga=rt, data=form.kamus_values(changed_only=True),
                                            kode=form.cleaned_data["kode"], banjar_kode=form.cleaned_data["banjar"],
                                            bangunan=building, pengguna=request.user, versi=form.versi())

    done = _unchanged(request, form, rt) or _save(request, form, save, _("Perubahan rumah tangga tersimpan."))
    return done or _form_page(request, form, judul=_("Koreksi rumah tangga %(kode)s") % {"kode": rt.kode},
                              kembali=url_of(rt))


@registry_view
def rumah_tangga_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    rt = sel.rekaman_get(user=request.user, model=RumahTangga, pk=pk)
    _log_people(request, list(rt.anggota.values_list("id", flat=True)), "riwayat rumah tangga")
    return _history_page(request, sel.riwayat_rumah_tangga(rt),
                         judul=_("Riwayat rumah tangga %(kode)s") % {"kode": rt.kode}, kembali=url_of(rt))


# ---------------------------------------------------------------- buildings


@registry_view
def bangunan_baru(request: HttpRequest, kode: str) -> HttpResponse:
    wilayah = sel.desa_get(user=request.user, kode=kode, ubah=True)
    form = forms.BangunanForm(request.POST or None, banjar=sel.banjar_list(wilayah))

    def save() -> Bangunan:
        c = form.cleaned_data
        return services.bangunan_create(kode=c["kode"], banjar_kode=c["banjar"], lat=c["lat"], lng=c["lng"],
                                        atribut=form.kamus_values(), pengguna=request.user)

    done = _save(request, form, save, _("Bangunan tersimpan."))
    return done or _form_page(request, form, judul=_("Tambah bangunan"),
                              kembali=reverse("registry:desa", args=[wilayah.kode]) + "?jenis=bangunan")


@registry_view
def bangunan(request: HttpRequest, pk: int) -> HttpResponse:
    b = sel.rekaman_get(user=request.user, model=Bangunan, pk=pk)
    return render(request, "registry/bangunan.html", {
        "b": b, "rincian": sel.rincian(b), "rumah_tangga": list(b.rumah_tangga.order_by("kode")),
        "boleh_ubah": sel.boleh_ubah(request.user, b.desa.kode),
    })


@registry_view
def bangunan_ubah(request: HttpRequest, pk: int) -> HttpResponse:
    b = sel.rekaman_get(user=request.user, model=Bangunan, pk=pk, ubah=True)
    form = forms.BangunanForm(request.POST or None, instance=b, banjar=sel.banjar_list(b.desa))

    def save() -> Bangunan:
        c = form.cleaned_data
        return services.bangunan_update(bangunan=b, data=form.kamus_values(changed_only=True), kode=c["kode"],
                                        banjar_kode=c["banjar"], lat=c["lat"], lng=c["lng"], pengguna=request.user,
                                        versi=form.versi())

    done = _unchanged(request, form, b) or _save(request, form, save, _("Perubahan bangunan tersimpan."))
    return done or _form_page(request, form, judul=_("Koreksi bangunan %(kode)s") % {"kode": b.kode},
                              kembali=url_of(b))


@registry_view
def bangunan_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    b = sel.rekaman_get(user=request.user, model=Bangunan, pk=pk)
    return _history_page(request, sel.riwayat_bangunan(b), judul=_("Riwayat bangunan %(kode)s") % {"kode": b.kode},
                         kembali=url_of(b))


# ---------------------------------------------------------------- UU PDP processing log (admins)


@registry_view
def pdp_log(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = {"pengguna": g.get("pengguna") or None, "sejak": parse_tanggal(g.get("sejak")),
               "sampai": parse_tanggal(g.get("sampai")), "objek_id": g.get("objek") or None}
    rows = pdp_log_for_user(request.user, objek_tipe=INDIVIDU_LABEL if filters["objek_id"] else None,
                            batas=5000, **filters)
    page = Paginator(rows, 50).get_page(g.get("hal"))
    return render(request, "registry/pdp_log.html", {
        "halaman": page, "pengguna_list": pdp_users(), "f": {k: g.get(k, "") for k in ("pengguna", "sejak",
                                                                                         "sampai", "objek")},
        "query": _query_without(request, "hal"),
    })
