"""Writes to the rule catalogue: syncing the built-in rules, stewards adding condition rules."""

from __future__ import annotations

from django.db import transaction

from presisi.accounts.access import is_admin, user_profil
from presisi.accounts.models import WALIDATA
from presisi.core.audit import audit_log, model_snapshot
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.validation.engine import bawaan_catalogue
from presisi.validation.kondisi import kondisi_periksa
from presisi.validation.models import KEPARAHAN_CHOICES, UNIT_ATURAN_CHOICES, AturanValidasi

_UNITS = {u for u, _ in UNIT_ATURAN_CHOICES}
_SEVERITIES = {s for s, _ in KEPARAHAN_CHOICES}


def aturan_bawaan_sinkron() -> int:
    """Create the database row of every built-in rule that has none (idempotent; never overwrites
    a steward's change of message, severity or active flag). Returns the number created."""
    catalogue = bawaan_catalogue()
    existing = set(AturanValidasi.objects.filter(kode__in=list(catalogue)).values_list("kode", flat=True))
    missing = [
        AturanValidasi(kode=kode, nama=item["nama"], unit=item["unit"], keparahan=item["keparahan"],
                       pesan=item["pesan"], jenis=AturanValidasi.BAWAAN, kolom=item.get("kolom", ""),
                       terkunci=bool(item.get("terkunci")), aktif=True)
        for kode, item in catalogue.items() if kode not in existing
    ]
    if missing:
        with transaction.atomic():
            AturanValidasi.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def pastikan_boleh_ubah_aturan(pengguna) -> None:
    """Only walidata and admin add or change rules (PermissionDenied otherwise)."""
    _check_may_edit_rules(pengguna)


def _check_may_edit_rules(pengguna) -> None:
    if pengguna is None:
        return  # the CLI runs as the system operator
    profil = user_profil(pengguna)
    if not (is_admin(pengguna) or (profil and profil.peran == WALIDATA)):
        raise PermissionDenied("Hanya walidata atau admin yang boleh menambah atau mengubah aturan validasi.")


def _check_fields(*, kode: str, unit: str, keparahan: str, pesan: str, kondisi: str | None,
                  instance: AturanValidasi | None = None) -> list[Finding]:
    """Problems of a rule's fields; ``kondisi=None`` for built-in rules (no condition to check)."""
    findings: list[Finding] = []
    if not kode or not kode.replace("_", "").replace("-", "").isalnum() or len(kode) > 60:
        findings.append(Finding(rule="aturan_kode", column="kode", value=kode,
                                message="kode aturan hanya huruf kecil, angka, _ atau - (maks. 60 karakter)"))
    elif AturanValidasi.objects.filter(kode=kode).exclude(pk=getattr(instance, "pk", None)).exists():
        findings.append(Finding(rule="aturan_ganda", column="kode", value=kode, message="kode aturan sudah dipakai"))
    if unit not in _UNITS:
        findings.append(Finding(rule="aturan_unit", column="unit", value=unit,
                                message=f"unit harus salah satu dari: {', '.join(sorted(_UNITS))}"))
    if keparahan not in _SEVERITIES:
        findings.append(Finding(rule="aturan_keparahan", column="keparahan", value=keparahan,
                                message="keparahan harus 'error' (menolak) atau 'warning' (perlu justifikasi)"))
    if not (pesan or "").strip():
        findings.append(Finding(rule="aturan_pesan", column="pesan", value=pesan, message="pesan wajib diisi"))
    if unit in _UNITS and kondisi is not None:
        findings += kondisi_periksa(kondisi, unit)[1]
    return findings


@transaction.atomic
def aturan_tambah(*, kode: str, unit: str, keparahan: str, kondisi: str, pesan: str, nama: str = "",
                  kolom: str = "", keterangan: str = "", pengguna=None) -> AturanValidasi:
    """A condition rule written by a data steward; the condition is checked against the dictionary."""
    _check_may_edit_rules(pengguna)
    kode = (kode or "").strip().lower()
    findings = _check_fields(kode=kode, unit=unit, keparahan=keparahan, pesan=pesan, kondisi=kondisi)
    if findings:
        raise ValidationFailed(f"Aturan '{kode}' ditolak: {len(findings)} kesalahan.", findings)
    aturan = AturanValidasi.objects.create(
        kode=kode, nama=nama or kode, unit=unit, keparahan=keparahan, pesan=pesan, jenis=AturanValidasi.KONDISI,
        kondisi=kondisi.strip(), kolom=kolom, keterangan=keterangan,
        dibuat_oleh=pengguna if getattr(pengguna, "pk", None) else None,
    )
    audit_log(aksi="validation.aturan.dibuat", objek=aturan, pengguna=pengguna, sesudah=model_snapshot(aturan))
    return aturan


@transaction.atomic
def aturan_ubah(*, aturan: AturanValidasi, pengguna=None, **fields) -> AturanValidasi:
    """Change a rule: activate/deactivate, reword, change severity or condition. Locked rules
    keep their severity and stay active."""
    _check_may_edit_rules(pengguna)
    aturan = AturanValidasi.objects.select_for_update().get(pk=aturan.pk)
    allowed = {"nama", "keparahan", "pesan", "kondisi", "aktif", "kolom", "keterangan"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed("Isian tidak dikenal.", [Finding(rule="aturan_isian", column=k, message="tidak dapat "
                                                                 "diubah") for k in sorted(unknown)])
    if aturan.terkunci and (fields.get("aktif") is False or fields.get("keparahan", "error") != "error"):
        raise ValidationFailed("Aturan struktural tidak dapat dinonaktifkan atau diturunkan.", [Finding(
            rule="aturan_terkunci", column="aktif", value=aturan.kode,
            message="aturan ini selalu aktif dan selalu menolak; registri tidak dapat menyimpan data yang "
                    "melanggarnya")])
    before = model_snapshot(aturan)
    merged = {**model_snapshot(aturan), **fields}
    kondisi = merged["kondisi"] if aturan.jenis == AturanValidasi.KONDISI else None
    findings = _check_fields(kode=aturan.kode, unit=aturan.unit, keparahan=merged["keparahan"],
                             pesan=merged["pesan"], kondisi=kondisi, instance=aturan)
    if findings:
        raise ValidationFailed(f"Perubahan aturan '{aturan.kode}' ditolak.", findings)
    for key, value in fields.items():
        setattr(aturan, key, value)
    aturan.save()
    audit_log(aksi="validation.aturan.diubah", objek=aturan, pengguna=pengguna, sebelum=before,
              sesudah=model_snapshot(aturan))
    return aturan
