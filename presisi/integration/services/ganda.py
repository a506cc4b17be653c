"""Probable duplicates inside the registry (one person listed twice, a temporary and a real NIK).

``ganda_cari`` runs the linkage engine's deduplication over the registry (or one region of it) and
upserts ``PasanganGanda`` rows (``individu_a < individu_b``): open pairs get the new score, decided
pairs are never reopened. ``ganda_putuskan`` records the review: ``bukan_ganda``, or ``gabung``
through the registry's one door for writes (``registry.services.individu_gabung``: its own
permission, both records locked and kept with their history).
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.integration import selectors_tautan as sel
from presisi.integration.models import BarisSumber, KeputusanTautan, PasanganGanda
from presisi.integration.tautan import mesin
from presisi.registry.models import TIDAK_VALID, Individu
from presisi.registry.services import individu_gabung

AKSI_CARI = "integration.ganda.dicari"
AKSI_PUTUSKAN = "integration.ganda.diputuskan"
BUKAN_GANDA, GABUNG = "bukan_ganda", "gabung"
KOLOM_REGISTRI = ("id", "nik", "keluarga__no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "desa__kode",
                  "nama_ayah", "nama_ibu")


def _frame(kode_wilayah: str | None) -> tuple[dict[str, list], dict[int, int]]:
    qs = Individu.objects.exclude(status_dasar=TIDAK_VALID)
    if kode_wilayah:
        qs = qs.filter(Q(desa__kode=kode_wilayah) | Q(desa__kode__startswith=kode_wilayah + "."))
    cols: dict[str, list] = {k: [] for k in mesin.KOLOM}
    desa: dict[int, int] = {}
    for row in qs.values_list(*KOLOM_REGISTRI, "desa_id").iterator(chunk_size=20000):
        for k, v in zip(mesin.KOLOM, row[:-1], strict=True):
            cols[k].append(v)
        desa[row[0]] = row[-1]
    return cols, desa


@transaction.atomic
def ganda_cari(*, kode_wilayah: str | None = None, oleh=None) -> dict[str, Any]:
    """Find probable duplicates; returns counts (found, new, updated, already decided) and seconds."""
    mulai = time.perf_counter()
    frame, desa = _frame(kode_wilayah)
    pairs = mesin.cari_ganda(frame) if frame["id"] else []
    best: dict[tuple[int, int], mesin.Pasangan] = {}
    for p in pairs:
        a, b = sorted((int(p.id_sumber), int(p.id_registri)))
        if a != b and ((a, b) not in best or p.probabilitas > best[(a, b)].probabilitas):
            best[(a, b)] = p
    existing = {(a, b): (pk, status) for pk, a, b, status in PasanganGanda.objects.filter(
        individu_a_id__in=[k[0] for k in best]).values_list("pk", "individu_a_id", "individu_b_id", "status")} \
        if len(best) < 20000 else {(a, b): (pk, status) for pk, a, b, status in PasanganGanda.objects.values_list(
            "pk", "individu_a_id", "individu_b_id", "status")}
    new, update, decided = [], [], 0
    for (a, b), p in best.items():
        fields = {"probabilitas": float(p.probabilitas), "bobot_total": float(p.bobot_total), "bobot": p.bobot}
        if (a, b) not in existing:
            new.append(PasanganGanda(individu_a_id=a, individu_b_id=b, desa_id=desa[a], **fields))
        elif existing[(a, b)][1] == PasanganGanda.TERBUKA:
            update.append(PasanganGanda(pk=existing[(a, b)][0], **fields))
        else:
            decided += 1  # never reopened
    PasanganGanda.objects.bulk_create(new, batch_size=2000)
    PasanganGanda.objects.bulk_update(update, ["probabilitas", "bobot_total", "bobot"], batch_size=2000)
    out = {"wilayah": kode_wilayah or "", "diperiksa": len(frame["id"]), "ditemukan": len(best), "baru": len(new),
           "diperbarui": len(update), "sudah_diputuskan": decided,
           "terbuka": PasanganGanda.objects.filter(status=PasanganGanda.TERBUKA).count(),
           "detik": round(time.perf_counter() - mulai, 3)}
    audit_log(aksi=AKSI_CARI, pengguna=oleh, sesudah=out)
    return out


@transaction.atomic
def ganda_putuskan(*, pasangan: PasanganGanda, keputusan: str, oleh, dipertahankan: int | None = None,
                   alasan: str = "") -> PasanganGanda:
    """Decide an open pair: not the same person, or merge (keeping ``dipertahankan``, a or b)."""
    pair = sel.ganda_get(oleh, pasangan.pk)  # scope (404 outside)
    pair = PasanganGanda.objects.select_for_update().select_related("individu_a__desa", "individu_b__desa").get(
        pk=pair.pk)
    if pair.status != PasanganGanda.TERBUKA:
        raise ValidationFailed("Pasangan ini sudah diputuskan.", [Finding(
            rule="sudah_diputuskan", column="status", value=pair.status, message=pair.get_status_display())])
    if keputusan not in (BUKAN_GANDA, GABUNG):
        raise ValidationFailed("Keputusan tidak dikenal.", [Finding(
            rule="keputusan", column="keputusan", value=keputusan, message="bukan_ganda atau gabung")])
    before = {"status": pair.status}
    if keputusan == GABUNG:
        ids = {pair.individu_a_id: pair.individu_b, pair.individu_b_id: pair.individu_a}
        if dipertahankan not in ids:
            raise ValidationFailed("Pilih record yang dipertahankan.", [Finding(
                rule="dipertahankan", column="dipertahankan", value=dipertahankan,
                message="salah satu dari kedua record pasangan")])
        kept = pair.individu_a if dipertahankan == pair.individu_a_id else pair.individu_b
        dup = ids[dipertahankan]
        individu_gabung(dipertahankan=kept, duplikat=dup, pengguna=oleh, alasan=alasan)
        # agency rows and reviewers' decisions that named the duplicate now name the kept person
        BarisSumber.objects.filter(individu=dup).update(individu=kept)
        for k in KeputusanTautan.objects.filter(individu=dup):
            if not KeputusanTautan.objects.filter(dataset_id=k.dataset_id, kunci=k.kunci, individu=kept).exists():
                k.individu = kept
                k.save(update_fields=["individu"])
        pair.status, pair.dipertahankan = PasanganGanda.DIGABUNG, kept
    else:
        pair.status = PasanganGanda.BUKAN_GANDA
    pair.diputuskan_oleh, pair.diputuskan_pada = oleh, timezone.now()
    pair.save(update_fields=["status", "dipertahankan", "diputuskan_oleh", "diputuskan_pada"])
    audit_log(aksi=AKSI_PUTUSKAN, objek=pair, pengguna=oleh, sebelum=before,
              sesudah={"status": pair.status, "dipertahankan": pair.dipertahankan_id, "alasan": alasan})
    return pair
