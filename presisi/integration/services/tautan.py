"""Linking a delivery's rows to registry people, and reviewers' decisions.

A run (``tautan_jalankan``) goes in three steps, cheapest first, so that a second delivery of the same
file costs almost nothing:

1. **Decisions.** ``KeputusanTautan`` is keyed on the source record's identity (``kunci``), not on a
   delivery row: an accepted person links the row (``metode = keputusan``); a rejected person is never
   proposed again for that record. A rerun applies them first, so it never undoes one.
2. **Reuse.** Rows of the dataset's earlier linked deliveries with the same ``kunci`` that were linked
   keep their person (no engine call). When the registry has not changed since that run (its stamp:
   count, latest change, sum of versions), every earlier outcome is reused, candidates included: the
   engine is deterministic, it would answer the same.
3. **Engine.** Only the rest goes to ``presisi.integration.tautan.mesin`` (Splink), against every
   registry person of the regency that is not ``TIDAK_VALID`` (dead and moved people too, so that
   "listed by the agency but dead/moved in the registry" can be reported as a discrepancy).

Outcomes are written in bulk (PostgreSQL: COPY into a temporary table and one UPDATE … FROM; SQLite: one
prepared UPDATE executed per row; candidates by COPY / executemany); the
delivery's ``ringkasan["tautan"]`` keeps the figures; the discrepancy report follows every run and
every decision (``selisih_hitung``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from presisi.core.audit import audit_log
from presisi.core.db import bulk_insert, is_postgres
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.integration import selectors_tautan as sel
from presisi.integration.models import (
    METODE_KEPUTUSAN,
    MIKRO,
    TANPA_PASANGAN,
    TERIMA,
    TERTAUT,
    TINJAU,
    TOLAK,
    BarisSumber,
    KandidatTautan,
    KeputusanTautan,
    Pengiriman,
)
from presisi.integration.services.selisih import selisih_hitung
from presisi.integration.tautan import mesin
from presisi.registry.models import TIDAK_VALID, Individu

AKSI_JALANKAN = "integration.tautan.dijalankan"
AKSI_PUTUSKAN = "integration.tautan.diputuskan"
TERATAS = 3  # candidates kept per row
LAMA_DIPAKAI = 3  # earlier linked deliveries looked at for reuse
KOLOM_BARIS = ("id", "kunci", "nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_ayah",
               "nama_ibu", "status_tautan", "metode", "individu_id", "skor")
KOLOM_REGISTRI = ("id", "nik", "keluarga__no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "desa__kode",
                  "nama_ayah", "nama_ibu")


@dataclass
class RingkasanTautan:
    pengiriman_id: int
    tertaut: int = 0
    tinjau: int = 0
    tanpa_pasangan: int = 0
    dari_keputusan: int = 0  # rows settled by a remembered decision
    dipakai_ulang: int = 0  # rows whose earlier outcome was reused (no engine call)
    ke_mesin: int = 0  # rows the engine linked in this run
    ditulis: int = 0  # rows whose stored outcome changed (the others were already right, e.g. prefilled)
    detik: float = 0.0
    detik_mesin: float = 0.0
    mesin: dict = field(default_factory=dict)
    fase: dict = field(default_factory=dict)  # seconds per phase (read, reuse, frames, engine, write, report)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Hasil:
    status: str
    metode: str
    individu: int | None
    skor: float | None


# ---------------------------------------------------------------- helpers


def _keputusan(dataset_id: int) -> dict[str, tuple[int | None, set[int]]]:
    """kunci → (accepted person or None, rejected people). The latest acceptance wins."""
    out: dict[str, tuple[int | None, set[int]]] = {}
    for kunci, individu, keputusan in (KeputusanTautan.objects.filter(dataset_id=dataset_id)
                                       .order_by("diputuskan_pada", "id")
                                       .values_list("kunci", "individu_id", "keputusan")):
        terima, tolak = out.get(kunci, (None, set()))
        if keputusan == TERIMA:
            terima = individu
        else:
            tolak.add(individu)
            if terima == individu:
                terima = None
        out[kunci] = (terima, tolak)
    return out


def registri_cap() -> str:
    """A cheap stamp of the registry's state: any write moves the count, the latest change or a version."""
    agg = Individu.objects.aggregate(n=Count("id"), t=Max("diubah"), v=Sum("versi"))
    return f"{agg['n']}:{agg['t'].isoformat() if agg['t'] else '-'}:{agg['v'] or 0}"


def _tidak_valid() -> set[int]:
    """Merged-away records (few): never linked again, whatever was decided or linked before."""
    return set(Individu.objects.filter(status_dasar=TIDAK_VALID).values_list("pk", flat=True))


def _lama(p: Pengiriman, cap: str) -> tuple[dict[str, tuple], dict[int, list[tuple]]]:
    """Outcomes of the dataset's latest earlier linked deliveries, by kunci (newest wins), and the
    candidates of the ones that may be reused whole (registry unchanged since)."""
    earlier = list(Pengiriman.objects.filter(dataset_id=p.dataset_id, ditautkan_pada__isnull=False)
                   .exclude(pk=p.pk).order_by("-ditautkan_pada", "-id")[:LAMA_DIPAKAI])
    outcome: dict[str, tuple] = {}
    whole_ids: set[int] = set()
    for old in reversed(earlier):  # oldest first: newer ones overwrite
        same = (old.ringkasan or {}).get("tautan", {}).get("registri_cap") == cap
        for row in (BarisSumber.objects.filter(pengiriman=old).exclude(status_tautan="belum")
                    .values_list("kunci", "status_tautan", "metode", "individu_id", "skor", "id")):
            if row[1] == TERTAUT or same:
                outcome[row[0]] = (*row, same)
        if same:
            whole_ids.add(old.pk)
    kandidat: dict[int, list[tuple]] = defaultdict(list)
    wanted = {v[5] for v in outcome.values() if v[6] and v[1] == TINJAU}
    if wanted:
        for row in (KandidatTautan.objects.filter(baris__pengiriman_id__in=whole_ids)
                    .values_list("baris_id", "individu_id", "probabilitas", "bobot_total", "bobot", "peringkat")):
            if row[0] in wanted:
                kandidat[row[0]].append(row[1:])
    return outcome, kandidat


def _registri_frame() -> dict[str, list]:
    cols: dict[str, list] = {k: [] for k in mesin.KOLOM}
    for row in Individu.objects.exclude(status_dasar=TIDAK_VALID).values_list(*KOLOM_REGISTRI).iterator(
            chunk_size=20000):
        for k, v in zip(mesin.KOLOM, row, strict=True):
            cols[k].append(v)
    return cols


def _sumber_frame(rows: list[tuple]) -> dict[str, list]:
    cols: dict[str, list] = {k: [] for k in mesin.KOLOM}
    for row in rows:
        values = (row[0], *row[2:10])  # without kunci and the current outcome
        for k, v in zip(mesin.KOLOM, values, strict=True):
            cols[k].append(v if v != "" else None)
    return cols


def _pasangan(row: tuple, id_sumber: int) -> mesin.Pasangan:
    individu, probabilitas, bobot_total, bobot = row[0], row[1], row[2], row[3]
    if isinstance(bobot, str):
        bobot = json.loads(bobot)
    return mesin.Pasangan(id_sumber=id_sumber, id_registri=individu, probabilitas=probabilitas,
                          bobot_total=bobot_total, bobot=bobot, metode=_metode_dari(bobot))


def _metode_dari(bobot: list[dict]) -> str:
    return "nik" if any(b.get("kolom") == "nik" and float(b.get("bobot") or 0) > 0 for b in bobot or []) \
        else "probabilistik"


def _hasil_dari(cands: list[mesin.Pasangan], status: str | None = None) -> _Hasil:
    """One row's outcome from its candidates (best first); ``status``: the engine's own verdict, if any."""
    status = status or mesin.status_dari(cands)
    if not cands:
        return _Hasil(TANPA_PASANGAN, "", None, None)
    best = cands[0]
    individu = best.id_registri if status in (TERTAUT, TINJAU) else None
    return _Hasil(status, best.metode if status == TERTAUT else "", individu, float(best.probabilitas))


def _tulis(hasil: dict[int, _Hasil], kandidat: list[tuple]) -> None:
    """Outcomes and candidates in bulk (see the module docstring)."""
    table = connection.ops.quote_name(BarisSumber._meta.db_table)
    if is_postgres():
        # one round trip per 60k rows: COPY into a temporary table, then one UPDATE … FROM
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE tautan_hasil_sementara (id bigint PRIMARY KEY, status varchar(15), "
                           "metode varchar(15), individu bigint, skor double precision) ON COMMIT DROP")
            bulk_insert("tautan_hasil_sementara", ["id", "status", "metode", "individu", "skor"],
                        ((pk, h.status, h.metode, h.individu, h.skor) for pk, h in hasil.items()))
            cursor.execute("ANALYZE tautan_hasil_sementara")  # a join plan from real numbers
            cursor.execute(f"UPDATE {table} AS b SET status_tautan = h.status, metode = h.metode, "
                           "individu_id = h.individu, skor = h.skor FROM tautan_hasil_sementara AS h WHERE b.id = h.id")
            cursor.execute("DROP TABLE tautan_hasil_sementara")
    else:
        sql = f"UPDATE {table} SET status_tautan = %s, metode = %s, individu_id = %s, skor = %s WHERE id = %s"
        params = [(h.status, h.metode, h.individu, h.skor, pk) for pk, h in hasil.items()]
        with connection.cursor() as cursor:
            for i in range(0, len(params), 20000):
                cursor.executemany(sql, params[i:i + 20000])
    bulk_insert(KandidatTautan._meta.db_table,
                ["baris_id", "individu_id", "probabilitas", "bobot_total", "bobot", "peringkat"], kandidat)


def _kandidat_baris(baris_id: int, cands: list[mesin.Pasangan]) -> list[tuple]:
    """The candidates kept for a row: the best one (its explanation, or the nearest person of an unmatched row)
    and every other one inside the review band. Those below it can never change the row's outcome, and
    60,000 rows × 3 candidates would be most of a run's writing time."""
    return [(baris_id, c.id_registri, float(c.probabilitas), float(c.bobot_total),
             json.dumps(c.bobot, ensure_ascii=False), i + 1) for i, c in enumerate(cands)
            if i == 0 or c.probabilitas >= mesin.AMBANG_TINJAU]


def pastikan_boleh_jalankan(user, pengiriman: Pengiriman) -> None:
    """Running the linkage of a delivery: the dataset's walidata (his sectors) or the admin."""
    if user is None:
        return
    role = sel.peran(user)
    if role not in (sel.WALIDATA, sel.ADMIN) or not sel.boleh_dataset(user, pengiriman.dataset):
        raise PermissionDenied("Hanya walidata sektor dataset ini atau admin yang dapat menjalankan penautan.")


def _ingat(kunci: str, keputusan: dict, lama: dict, kandidat_lama: dict, gone: set[int]
           ) -> tuple[_Hasil, list[tuple]] | None:
    """A record's outcome from memory (decision, else an earlier delivery's), with the candidates to copy;
    None: the engine must link it."""
    terima, tolak = keputusan.get(kunci, (None, set()))
    if terima and terima not in gone:
        return _Hasil(TERTAUT, METODE_KEPUTUSAN, terima, 1.0), []
    old = lama.get(kunci)
    if not old or (old[3] is not None and (old[3] in tolak or old[3] in gone)):
        return None
    _, status, metode, individu, skor, old_id, _whole = old
    if status == TERTAUT and metode == METODE_KEPUTUSAN:
        return None  # a decision no longer standing (withdrawn or merged away): link afresh
    if status == TINJAU:
        cands = sorted(kandidat_lama.get(old_id, []), key=lambda c: c[4])
        if any(c[0] in tolak or c[0] in gone for c in cands):
            return None
        return _Hasil(status, metode, individu, skor), cands
    return _Hasil(status, metode, individu, skor), []


def hasil_terdahulu(dataset_id: int, kunci: list[str]) -> dict[str, tuple[str, str, int | None, float | None]]:
    """For the delivery service: the remembered outcome of each record (decisions, then the dataset's
    earlier deliveries), ``kunci → (status_tautan, metode, individu_id, skor)``, so new rows can be
    inserted with it already set; ``tautan_jalankan`` then writes only what differs (for 60,000 reused
    rows: nothing), copies the review candidates and sends the rest to the engine."""
    p = Pengiriman(pk=None, dataset_id=dataset_id)
    keputusan = _keputusan(dataset_id)
    lama, kandidat_lama = _lama(p, registri_cap())
    gone = _tidak_valid()
    out = {}
    for k in kunci:
        ingat = _ingat(k, keputusan, lama, kandidat_lama, gone)
        if ingat is not None:
            out[k] = (ingat[0].status, ingat[0].metode, ingat[0].individu, ingat[0].skor)
    return out


# ---------------------------------------------------------------- the run


@transaction.atomic
def tautan_jalankan(pengiriman: Pengiriman, *, oleh=None) -> RingkasanTautan:
    """Link every row of one delivery (decisions → reuse → engine), store outcomes and candidates."""
    mulai = time.perf_counter()
    jam = [mulai]

    def fase(nama: str) -> None:
        now = time.perf_counter()
        ringkasan.fase[nama] = round(now - jam[0], 3)
        jam[0] = now

    p = Pengiriman.objects.select_for_update().select_related("dataset").get(pk=pengiriman.pk)
    pastikan_boleh_jalankan(oleh, p)
    if p.dataset.jenis != MIKRO:
        raise ValidationFailed("Hanya dataset data mikro yang ditautkan ke registri.", [Finding(
            rule="jenis_dataset", column="dataset", value=p.dataset.kode, message="dataset agregat tidak ditautkan")])
    if p.status != Pengiriman.DITERIMA:
        raise ValidationFailed("Pengiriman ditolak tidak ditautkan.", [Finding(
            rule="status_pengiriman", column="pengiriman", value=p.pk, message="status ditolak")])
    ringkasan = RingkasanTautan(pengiriman_id=p.pk)
    rows = list(BarisSumber.objects.filter(pengiriman=p).values_list(*KOLOM_BARIS))
    KandidatTautan.objects.filter(baris__pengiriman=p).delete()  # a rerun starts afresh (decisions stay)
    fase("baca")
    keputusan = _keputusan(p.dataset_id)
    cap = registri_cap()
    lama, kandidat_lama = _lama(p, cap)
    gone = _tidak_valid()
    fase("keputusan_dan_lama")
    hasil: dict[int, _Hasil] = {}
    kandidat: list[tuple] = []
    sisa: list[tuple] = []
    for row in rows:
        pk, kunci = row[0], row[1]
        ingat = _ingat(kunci, keputusan, lama, kandidat_lama, gone)
        if ingat is None:
            sisa.append(row)
            continue
        h, cands = ingat
        hasil[pk] = h
        if h.metode == METODE_KEPUTUSAN:
            ringkasan.dari_keputusan += 1
        else:
            ringkasan.dipakai_ulang += 1
        kandidat += _kandidat_baris(pk, [_pasangan(c, pk) for c in cands])
    fase("pakai_ulang")
    if sisa:
        frames = _registri_frame(), _sumber_frame(sisa)
        fase("bingkai")
        engine = mesin.tautkan(*frames, teratas=TERATAS + 2)
        fase("mesin")
        ringkasan.detik_mesin = round(engine.detik, 3)
        ringkasan.mesin = {k: v for k, v in (engine.info or {}).items() if isinstance(v, str | int | float)}
        status_mesin = (engine.info or {}).get("status") or {}
        per_row: dict[int, list[mesin.Pasangan]] = defaultdict(list)
        for pair in engine.pasangan:
            per_row[pair.id_sumber].append(pair)
        kunci_of = {row[0]: row[1] for row in sisa}
        for pk in kunci_of:
            tolak = keputusan.get(kunci_of[pk], (None, set()))[1]
            cands = sorted((c for c in per_row.get(pk, []) if c.id_registri not in tolak),
                           key=lambda c: -c.probabilitas)[:TERATAS]
            # the engine's outcome carries its one-to-one resolution across rows (a person already taken
            # by a better row sends this one to review); a rejected candidate voids it: decide again here
            hasil[pk] = _hasil_dari(cands, None if tolak else status_mesin.get(pk))
            kandidat += _kandidat_baris(pk, cands)
        ringkasan.ke_mesin = len(sisa)
    sekarang = {row[0]: row[10:14] for row in rows}
    berubah = {pk: h for pk, h in hasil.items() if (h.status, h.metode, h.individu, h.skor) != tuple(sekarang[pk])}
    _tulis(berubah, kandidat)
    ringkasan.ditulis = len(berubah)
    fase("tulis")
    for h in hasil.values():
        setattr(ringkasan, h.status, getattr(ringkasan, h.status) + 1)
    ringkasan.detik = round(time.perf_counter() - mulai, 3)
    p.ringkasan = {**(p.ringkasan or {}), "tautan": {**ringkasan.as_dict(), "registri_cap": cap}}
    p.ditautkan_pada = timezone.now()
    p.save(update_fields=["ringkasan", "ditautkan_pada"])
    audit_log(aksi=AKSI_JALANKAN, objek=p, pengguna=oleh, sesudah={
        k: v for k, v in ringkasan.as_dict().items() if k != "mesin"})
    selisih_hitung(p)
    fase("selisih")
    return ringkasan


# ---------------------------------------------------------------- decisions


def _hasil_baris(row: BarisSumber, terima: int | None, tolak: set[int]) -> _Hasil:
    """A row's outcome from its stored candidates and the decisions on its record."""
    if terima:
        skor = (KandidatTautan.objects.filter(baris=row, individu_id=terima).values_list("probabilitas", flat=True)
                .first())
        return _Hasil(TERTAUT, METODE_KEPUTUSAN, terima, 1.0 if skor is None else skor)
    cands = [_pasangan(c, row.pk) for c in KandidatTautan.objects.filter(baris=row).exclude(individu_id__in=tolak)
             .order_by("-probabilitas", "peringkat").values_list("individu_id", "probabilitas", "bobot_total", "bobot")]
    return _hasil_dari(cands)


def _snap(row: BarisSumber) -> dict[str, Any]:
    return {"status_tautan": row.status_tautan, "metode": row.metode, "individu": row.individu_id, "skor": row.skor}


@transaction.atomic
def tautan_putuskan(*, baris: BarisSumber, individu: Individu, keputusan: str, oleh, alasan: str = "") -> BarisSumber:
    """A reviewer's decision on (source record × person): remembered under the record's ``kunci`` for every
    later delivery, applied at once to the dataset's rows of that record, audited; the discrepancy report of
    each touched delivery is recomputed."""
    row = sel.baris_get(oleh, baris.pk)  # scope again, inside the transaction (404 outside)
    if keputusan not in (TERIMA, TOLAK):
        raise ValidationFailed("Keputusan tidak dikenal.", [Finding(rule="keputusan", column="keputusan",
                                                                    value=keputusan, message="terima atau tolak")])
    if individu.status_dasar == TIDAK_VALID:
        raise ValidationFailed("Orang ini sudah digabung ke record lain.", [Finding(
            rule="individu_tidak_valid", column="individu", value=individu.pk,
            message="pilih record yang dipertahankan")])
    dataset = row.pengiriman.dataset
    now = timezone.now()
    if keputusan == TERIMA:
        # accepting one person means the record is no other person accepted before
        for other in KeputusanTautan.objects.select_for_update().filter(dataset=dataset, kunci=row.kunci,
                                                                         keputusan=TERIMA).exclude(individu=individu):
            other.keputusan, other.diputuskan_oleh = TOLAK, oleh
            other.alasan = (alasan or "diganti keputusan terima lain")[:300]
            other.save()
    k, _created = KeputusanTautan.objects.update_or_create(
        dataset=dataset, kunci=row.kunci, individu=individu,
        defaults={"keputusan": keputusan, "alasan": (alasan or "")[:300], "diputuskan_oleh": oleh,
                  "diputuskan_pada": now})
    terima, tolak = _keputusan(dataset.pk).get(row.kunci, (None, set()))
    touched = []
    for same in (BarisSumber.objects.select_for_update().filter(pengiriman__dataset=dataset, kunci=row.kunci)
                 .exclude(status_tautan="belum").select_related("pengiriman")):
        before = _snap(same)
        h = _hasil_baris(same, terima, tolak)
        same.status_tautan, same.metode, same.individu_id, same.skor = h.status, h.metode, h.individu, h.skor
        same.save(update_fields=["status_tautan", "metode", "individu", "skor"])
        touched.append((same, before))
    audit_log(aksi=AKSI_PUTUSKAN, objek=k, pengguna=oleh,
              sebelum={"baris": {s.pk: b for s, b in touched}},
              sesudah={"keputusan": keputusan, "individu": individu.pk, "dataset": dataset.kode, "alasan": alasan,
                       "baris": {s.pk: _snap(s) for s, _ in touched}})
    for pengiriman_id in sorted({s.pengiriman_id for s, _ in touched}):
        selisih_hitung(Pengiriman.objects.get(pk=pengiriman_id))
    row.refresh_from_db()
    return row


def tanggal_iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
