"""The workflow calls the validation and indicator apps directly (no adapters): real-app checks,
and the structure that replaced the adapters (no lazy imports, no services↔tasks loop)."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from pathlib import Path

import pytest

import presisi.updates
from presisi.core.exceptions import ValidationFailed
from presisi.regions.models import Wilayah
from presisi.updates import selectors, services, tasks
from presisi.updates.workflow import HasilValidasi
from presisi.validation.services import validasi_jalankan
from tests.updates.conftest import DESA

pytestmark = pytest.mark.django_db
UPDATES = Path(presisi.updates.__file__).parent


def _keluarga(nik_kepala: str):
    """One family in a banjar of DESA, stored with the ORM so a record may break a rule."""
    from presisi.regions.services import wilayah_load_csv
    from presisi.registry.models import HIDUP, Individu, Keluarga

    banjar_kode = f"{DESA}.001"
    if not Wilayah.objects.filter(kode=banjar_kode).exists():
        wilayah_load_csv(data=f"kode,nama,tingkat,kode_induk\n{banjar_kode},Kaja,banjar,{DESA}\n")
    banjar = Wilayah.objects.get(kode=banjar_kode)
    kel = Keluarga.objects.create(no_kk="5105010303150001", banjar=banjar, desa=banjar.induk, atribut={})
    Individu.objects.create(nik=nik_kepala, nama="I Wayan Sudarma", jenis_kelamin=1,
                            tanggal_lahir=dt.date(1980, 3, 12), hubungan_keluarga=1, status_kawin=2, agama=4,
                            pendidikan=5, pekerjaan=9, status_dasar=HIDUP, nama_ayah="I Made Rai",
                            nama_ibu="Ni Nyoman Sari", keluarga=kel, banjar=banjar, desa=banjar.induk,
                            atribut={})


def test_real_validation_gates_the_submission(periode, pengguna, kamus, monkeypatch):
    from presisi.updates.models import Pengajuan
    from presisi.updates.services import pengajuan_ajukan

    monkeypatch.setattr(services, "validasi_jalankan", validasi_jalankan)  # the real validation app
    _keluarga(nik_kepala="123")  # an impossible NIK: an error for any rule set
    desa = Wilayah.objects.get(kode=DESA)
    hasil = HasilValidasi.dari_ringkasan(validasi_jalankan(desa=desa, periode=periode, pengguna=pengguna["op"]))
    assert hasil.tersedia and hasil.galat >= 1
    pengajuan = Pengajuan.objects.get(periode=periode, desa=desa)
    with pytest.raises(ValidationFailed, match="galat"):
        pengajuan_ajukan(pengajuan=pengajuan, pengguna=pengguna["op"])


def test_real_validation_summary_is_read_in_scope(periode, pengguna, monkeypatch):
    monkeypatch.undo()  # the real selector, not the fixture's stand-in
    assert selectors.validasi_rekap(periode=periode, user=pengguna["wali"]) == {}  # nothing validated yet


def test_real_indicator_entry_points_accept_the_task_arguments():
    from presisi.indicators.engine import hitung_indikator
    from presisi.indicators.snapshot import snapshot_bekukan, snapshot_cairkan

    for fn in (snapshot_bekukan, snapshot_cairkan, hitung_indikator):
        assert {"periode", "desa"} <= set(inspect.signature(fn).parameters)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at top level?) of every ``from … import`` in a file."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    return [(node.module or "", id(node) in top) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)]


def test_updates_imports_other_apps_at_top_level_only_and_tasks_never_import_services():
    assert not (UPDATES / "adapters.py").exists()
    for path in UPDATES.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lazy = [m for m, top in _imports(path) if m.startswith("presisi.") and not top]
        assert lazy == [], f"{path.name}: lazy imports {lazy}"
    tasks_imports = {m for m, _ in _imports(Path(tasks.__file__))}
    assert not {m for m in tasks_imports if m.startswith("presisi.updates.") and m != "presisi.updates.models"}
