"""Bulk writes of registry rows (the import's one door into the registry tables): bulk inserts
(COPY on PostgreSQL), batched updates, family-move events and their audit rows, inside the
caller's transaction.

The caller (``presisi.imports``) plans; this module writes. A plan per unit says for each row
its target record (links still as keys), what to do (``dibuat``/``diubah``/other) and which
fields change; declared identity corrections and family moves come by row index.

A changed record gets its own audit row with the fields before and after. Records created by one
import share one audit row per unit that lists their ids: an import of a whole desa creates
thousands of records at once, and one row each would double the rows written (and their index
upkeep) for no information the shared row lacks. A created record's ``dibuat`` equals that
row's ``waktu``, which is how ``registry.history`` finds a record's creation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.db import connection
from django.db.models import F
from django.utils import timezone

from presisi.core.db import bulk_insert
from presisi.core.models import AuditLog
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.regions.models import Wilayah
from presisi.registry.history import BUAT_MASSAL
from presisi.registry.identifiers import is_temporary
from presisi.registry.identitas import IDENTITY_FIELDS, KOREKSI_IDENTITAS
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, Peristiwa, RumahTangga

MODELS = {INDIVIDU: Individu, KELUARGA: Keluarga, RUMAH_TANGGA: RumahTangga, BANGUNAN: Bangunan}
MODEL_KEY = {INDIVIDU: "nik", KELUARGA: "no_kk", RUMAH_TANGGA: "kode", BANGUNAN: "kode"}
# The key of each unit in a target record (as the import template names its columns).
KEY = {INDIVIDU: "nik", KELUARGA: "no_kk", RUMAH_TANGGA: "kode_rumah_tangga", BANGUNAN: "kode_bangunan"}
INDIVIDU_FIELDS = ["nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "status_kawin",
                   "hubungan_keluarga", "pendidikan", "pekerjaan", "kewarganegaraan", "nama_ayah", "nama_ibu",
                   "hubungan_rumah_tangga"]
DIBUAT, DIUBAH = "dibuat", "diubah"
BATCH = 2000
Progress = Callable[[int, str], None]


class Koreksi(Protocol):
    alasan: str


class PindahKK(Protocol):
    no_kk_lama: str
    no_kk_baru: str


class RencanaTulis(Protocol):
    """What the writer needs of a unit's plan (``presisi.imports.plan.RencanaUnit`` is one)."""

    target: list[dict[str, Any] | None]
    aksi: list[str]
    berubah: list[list[str]]
    existing: dict[str, dict[str, Any]]
    koreksi: dict[int, Koreksi]
    pindah_kk: dict[int, PindahKK]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _safe(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


class Links:
    """Key → id (and banjar) of the desa's records, refreshed after each unit is written."""

    def __init__(self, desa: Wilayah):
        self.desa = desa
        self.ids: dict[str, dict[str, int]] = {}
        self.banjar: dict[str, int] = {}

    def refresh(self, unit: str) -> None:
        model = MODELS[unit]
        rows = model.objects.filter(desa=self.desa).values_list(MODEL_KEY[unit], "id", "banjar_id")
        self.ids[unit] = {k: i for k, i, _ in rows}
        if unit == KELUARGA:
            self.banjar = {k: b for k, _, b in rows}

    def id(self, unit: str, key: str | None) -> int | None:
        return self.ids.get(unit, {}).get(key) if key else None


def _row_values(unit: str, t: dict[str, Any], links: Links) -> dict[str, Any]:
    """Model field values of a target (links resolved to ids)."""
    if unit == INDIVIDU:
        values = {f: t.get(f) for f in INDIVIDU_FIELDS}
        values.update(keluarga_id=links.id(KELUARGA, t["no_kk"]), banjar_id=links.banjar.get(t["no_kk"]),
                      rumah_tangga_id=links.id(RUMAH_TANGGA, t.get("kode_rumah_tangga")))
    elif unit == KELUARGA:
        values = {"no_kk": t["no_kk"], "alamat": t.get("alamat") or "", "banjar_id": t["banjar_id"],
                  "banjar_adat_id": t.get("banjar_adat_id")}
    elif unit == RUMAH_TANGGA:
        values = {"kode": t["kode_rumah_tangga"], "banjar_id": t["banjar_id"],
                  "bangunan_id": links.id(BANGUNAN, t.get("kode_bangunan"))}
    else:
        values = {"kode": t["kode_bangunan"], "banjar_id": t["banjar_id"], "lat": t.get("lat"), "lng": t.get("lng")}
    values["atribut"] = t["atribut"]
    return values


def _insert(unit: str, plan: RencanaTulis, links: Links, now: dt.datetime) -> list[str]:
    """Insert the new records of a unit; returns their keys."""
    model = MODELS[unit]
    rows, keys = [], []
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    columns: list[str] | None = None
    for t, aksi in zip(plan.target, plan.aksi, strict=True):
        if aksi != DIBUAT:
            continue
        values = _row_values(unit, t, links)
        values.update(dibuat=stamp, diubah=stamp, desa_id=links.desa.pk, sintetis=False)
        if unit == INDIVIDU:
            values.update(nik_sementara=is_temporary(t["nik"]), status_dasar=HIDUP,
                          tanggal_lahir=ops.adapt_datefield_value(t["tanggal_lahir"]))
        elif unit == KELUARGA:
            values.update(no_kk_sementara=is_temporary(t["no_kk"]), no_kk_sebelumnya="", aktif=True)
        else:
            values["aktif"] = True
        values["atribut"] = _json(values["atribut"])
        if columns is None:
            columns = list(values)
        rows.append([values[c] for c in columns])
        keys.append(t[KEY[unit]])
    if rows:
        db_columns = [model._meta.get_field(c).column for c in columns]
        bulk_insert(model._meta.db_table, db_columns, rows)
    return keys


def _update(unit: str, plan: RencanaTulis, links: Links, now: dt.datetime
            ) -> tuple[list[tuple[int, dict, dict]], list[tuple[int, dict, dict]]]:
    """Update the changed records; returns (id, before, after) of the changed fields, and the same
    for declared identity corrections (their own audit entries, with the reason)."""
    model = MODELS[unit]
    objects, audit, koreksi = [], [], []
    fields: set[str] = set()
    for i, (t, aksi, changes) in enumerate(zip(plan.target, plan.aksi, plan.berubah, strict=True)):
        if aksi != DIUBAH:
            continue
        current = plan.existing[t[KEY[unit]]]
        values = _row_values(unit, t, links)
        obj = model(pk=current["id"])
        for name, value in values.items():
            setattr(obj, name, value)
        obj.diubah = now
        # optimistic locking: a form opened before the import is refused afterwards; the increment is
        # part of the same batched UPDATE (one more CASE arm per row, no extra statement)
        obj.versi = F("versi") + 1
        objects.append(obj)
        fields |= set(values)
        fix = plan.koreksi.get(i) if unit == INDIVIDU else None
        identity = [k for k in changes if k in IDENTITY_FIELDS] if fix is not None else []
        if identity:
            koreksi.append((current["id"], {k: _safe(current.get(k)) for k in identity},
                            {**{k: _safe(t.get(k)) for k in identity}, "alasan": fix.alasan}))
        rest = [k for k in changes if k not in identity]
        if rest:
            audit.append((current["id"], {k: _safe(current.get(k)) for k in rest},
                          {k: _safe(t.get(k)) for k in rest}))
    if objects:
        model.objects.bulk_update(objects, sorted(fields | {"diubah", "versi"}), batch_size=500)
        if unit == KELUARGA:
            for obj in objects:  # members follow their family card's banjar
                Individu.objects.filter(keluarga_id=obj.pk).exclude(banjar_id=obj.banjar_id).update(
                    banjar_id=obj.banjar_id, versi=F("versi") + 1)
    return audit, koreksi


def _family_moves(plan: RencanaTulis, links: Links, *, user_id: int | None, keterangan: str,
                  now: dt.datetime) -> list[list[Any]]:
    """A "Pindah KK" event per person whose No. KK changed (date, both numbers), and the families'
    audit rows (who left, who joined), so that both histories show the move."""
    if not plan.pindah_kk:
        return []
    day = timezone.localdate(now)
    events, family_rows = [], []
    for i, move in plan.pindah_kk.items():
        person_id = plan.existing[plan.target[i]["nik"]]["id"]
        events.append(Peristiwa(individu_id=person_id, jenis=Peristiwa.PINDAH_KK, tanggal=day, keterangan=keterangan,
                                data={"dari_no_kk": move.no_kk_lama, "ke_no_kk": move.no_kk_baru},
                                dicatat_oleh_id=user_id))
        family_rows.append((links.id(KELUARGA, move.no_kk_lama), "registry.keluarga.anggota_keluar",
                            {"anggota": person_id}, {"ke_no_kk": move.no_kk_baru}))
        family_rows.append((links.id(KELUARGA, move.no_kk_baru), "registry.keluarga.anggota_masuk",
                            {"dari_no_kk": move.no_kk_lama}, {"anggota": person_id}))
    Peristiwa.objects.bulk_create(events, batch_size=500)
    label = Keluarga._meta.label_lower
    out: list[list[Any]] = []
    for family_id, aksi, before, after in family_rows:
        out += _audit_rows([(family_id, before, after)], aksi=aksi, objek_tipe=label, user_id=user_id,
                           keterangan=keterangan, now=now)
    return out


def _audit_rows(rows: Iterable[tuple], *, aksi: str, objek_tipe: str, user_id: int | None, keterangan: str,
                now: dt.datetime) -> list[list[Any]]:
    stamp = connection.ops.adapt_datetimefield_value(now)
    return [[stamp, user_id, aksi, objek_tipe, str(i), None if b is None else _json(b),
             None if a is None else _json(a), keterangan] for i, b, a in rows]


def tulis_audit(rows: list[list[Any]]) -> int:
    cols = ["waktu", "pengguna", "aksi", "objek_tipe", "objek_id", "sebelum", "sesudah", "keterangan"]
    return bulk_insert(AuditLog._meta.db_table, [AuditLog._meta.get_field(c).column for c in cols], rows)


def tulis_massal(*, plans: dict[str, RencanaTulis], desa: Wilayah, pengguna=None, keterangan: str = "",
          progress: Progress | None = None) -> dict[str, dict[str, int]]:
    """Write every unit in link order (buildings → households → families → people)."""
    pastikan_dapat_diubah(desa=desa)  # checked again inside the writing transaction
    now = timezone.now()
    user_id = pengguna.pk if getattr(pengguna, "is_authenticated", False) else None
    links = Links(desa)
    for unit in (BANGUNAN, RUMAH_TANGGA, KELUARGA):
        links.refresh(unit)
    audit: list[list[Any]] = []
    counts = {}
    steps = [u for u in (BANGUNAN, RUMAH_TANGGA, KELUARGA, INDIVIDU) if u in plans]
    for n, unit in enumerate(steps, start=1):
        plan = plans[unit]
        label = MODELS[unit]._meta.label_lower
        new_keys = _insert(unit, plan, links, now)
        links.refresh(unit)
        # A created record's after-image is the record itself (later changes are audited with
        # before/after); the shared row says who created which ids from which file.
        if new_keys:
            ids = sorted(links.id(unit, k) for k in new_keys)
            audit += _audit_rows([(BUAT_MASSAL, None, {"desa": desa.kode, "jumlah": len(ids), "ids": ids})],
                                 aksi=f"registry.{unit}.dibuat", objek_tipe=label, user_id=user_id,
                                 keterangan=keterangan, now=now)
        changed, koreksi = _update(unit, plan, links, now)
        if unit == KELUARGA and changed:
            links.refresh(KELUARGA)
        audit += _audit_rows(changed, aksi=f"registry.{unit}.diubah", objek_tipe=label, user_id=user_id,
                             keterangan=keterangan, now=now)
        audit += _audit_rows(koreksi, aksi=KOREKSI_IDENTITAS, objek_tipe=label, user_id=user_id,
                             keterangan=keterangan, now=now)
        if unit == INDIVIDU:
            audit += _family_moves(plan, links, user_id=user_id, keterangan=keterangan, now=now)
        counts[unit] = {"dibuat": len(new_keys), "diubah": len({row[0] for row in changed + koreksi})}
        if progress:
            progress(70 + 20 * n // len(steps), f"menulis {unit}")
    tulis_audit(audit)
    return counts

