"""``presisi sektor``: the sector dataset catalogue, deliveries and connectors at the command line.

- ``presisi sektor dataset tambah KODE --sektor S --nama N --unit U [--jenis mikro|agregat] [--jadwal J]
  [--produsen P] [--program K] [--walidata USER] [--metadata JSON] [--pemetaan JSON] [--json]``
- ``presisi sektor dataset ubah KODE [the same options] [--aktif | --nonaktif] [--json]``
- ``presisi sektor dataset daftar [--sektor S] [--json]`` and ``presisi sektor dataset lihat KODE [--json]``
- ``presisi sektor impor FILE --dataset KODE --periode P [--dry-run] [--json]``: one delivery (CSV, XLSX, JSON)
- ``presisi sektor konektor tambah --dataset KODE --jenis tarik --url URL [--format json|csv]
  [--interval-jam N] [--kredensial-jenis bearer|basic|header --kredensial-env VAR [--kredensial-header H]]``
  (the secret is read from the environment variable, never from the command line) and
  ``presisi sektor konektor daftar [--dataset KODE]``
- ``presisi sektor tarik [KONEKTOR_ID | --jatuh-tempo] --periode P [--json]``: scheduled pull now

Run on the server by its operator: the commands act as the system (no user scope); every write
is still audited.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from presisi.core.commands import PresisiCommand
from presisi.core.exceptions import Finding, NotFound, ValidationFailed
from presisi.integration import selectors as sel
from presisi.integration.models import DatasetSektor, Konektor, Pengiriman
from presisi.integration.services.dataset import dataset_buat, dataset_ubah
from presisi.integration.services.konektor import konektor_simpan, konektor_tarik, tarik_jatuh_tempo
from presisi.integration.services.pengiriman import pengiriman_terima

DATASET_OPSI = ("nama", "unit", "jenis", "jadwal", "produsen", "program", "walidata", "deskripsi")


def _json_opsi(value: str | None, option: str) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValidationFailed("JSON tidak sah.", [Finding(rule="json", column=option, value=value,
                                                           message=f"{option} harus JSON ({exc.msg})")]) from exc


def _dataset(kode: str) -> DatasetSektor:
    d = DatasetSektor.objects.select_related("sektor", "walidata").filter(kode=kode).first()
    if d is None:
        raise NotFound("Dataset tidak dikenal.", [Finding(rule="dataset", column="--dataset", value=kode, message=(
            "dataset tidak ada; lihat presisi sektor dataset daftar"))])
    return d


def _json_flag(p) -> None:
    p.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")


class Command(PresisiCommand):
    help = "Data sektoral: katalog dataset, kiriman data (impor), konektor dan penarikan terjadwal."
    json_option = False

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="aksi", required=True)
        ds = sub.add_parser("dataset", help="Katalog dataset sektoral.")
        dsub = ds.add_subparsers(dest="aksi_dataset", required=True)
        for name, help_text in (("tambah", "Tambah dataset."), ("ubah", "Ubah dataset (hanya opsi yang diberikan).")):
            p = dsub.add_parser(name, help=help_text)
            p.add_argument("kode", help="Kode dataset, mis. dinsos-pkh.")
            if name == "tambah":
                p.add_argument("--sektor", required=True, help="Kode sektor (mis. dinsos).")
            for opt in DATASET_OPSI:
                p.add_argument(f"--{opt}")
            p.add_argument("--metadata", help="JSON MS-Keg, mis. '{\"tahun\": 2026}'.")
            p.add_argument("--pemetaan", help="JSON pemetaan kolom, mis. '{\"NO KTP\": \"nik\"}'.")
            if name == "ubah":
                group = p.add_mutually_exclusive_group()
                group.add_argument("--aktif", action="store_true", default=None)
                group.add_argument("--nonaktif", action="store_true", default=None)
            _json_flag(p)
        daftar = dsub.add_parser("daftar", help="Daftar dataset.")
        daftar.add_argument("--sektor", default="")
        _json_flag(daftar)
        lihat = dsub.add_parser("lihat", help="Satu dataset dan pengirimannya.")
        lihat.add_argument("kode")
        _json_flag(lihat)

        imp = sub.add_parser("impor", help="Kirim satu berkas (CSV, XLSX, JSON) ke dataset.")
        imp.add_argument("berkas")
        imp.add_argument("--dataset", required=True)
        imp.add_argument("--periode", required=True)
        imp.add_argument("--dry-run", action="store_true", help="Periksa saja; tidak menyimpan apa pun.")
        _json_flag(imp)

        kon = sub.add_parser("konektor", help="Konektor dataset.")
        ksub = kon.add_subparsers(dest="aksi_konektor", required=True)
        kt = ksub.add_parser("tambah", help="Tambah konektor.")
        kt.add_argument("--dataset", required=True)
        kt.add_argument("--jenis", required=True, choices=[k for k, _ in Konektor.JENIS_CHOICES])
        kt.add_argument("--nama", default="")
        kt.add_argument("--url", default="")
        kt.add_argument("--format", default="json", choices=["json", "csv"])
        kt.add_argument("--interval-jam", type=int, default=24)
        kt.add_argument("--kredensial-jenis", choices=["bearer", "basic", "header"])
        kt.add_argument("--kredensial-env", help="Nama variabel lingkungan yang berisi rahasia (bukan rahasianya).")
        kt.add_argument("--kredensial-header", default="")
        _json_flag(kt)
        kd = ksub.add_parser("daftar", help="Daftar konektor.")
        kd.add_argument("--dataset", default="")
        _json_flag(kd)

        tarik = sub.add_parser("tarik", help="Tarik data dari konektor tarik sekarang.")
        tarik.add_argument("konektor", nargs="?", type=int, help="ID konektor.")
        tarik.add_argument("--jatuh-tempo", action="store_true", help="Semua konektor yang sudah waktunya.")
        tarik.add_argument("--periode", required=True)
        _json_flag(tarik)

    # ------------------------------------------------------------------------------------------ run

    def run(self, **options: Any) -> dict[str, Any]:
        aksi = options["aksi"]
        if aksi == "dataset":
            return self._dataset(options)
        if aksi == "impor":
            return self._impor(options)
        if aksi == "konektor":
            return self._konektor(options)
        return self._tarik(options)

    def _dataset(self, o: dict[str, Any]) -> dict[str, Any]:
        sub = o["aksi_dataset"]
        if sub == "daftar":
            rows = DatasetSektor.objects.select_related("sektor", "walidata").order_by("sektor__kode", "kode")
            if o.get("sektor"):
                rows = rows.filter(sektor__kode=o["sektor"])
            return {"aksi": "dataset daftar", "dataset": [sel.dataset_dict(d) for d in rows]}
        if sub == "lihat":
            d = _dataset(o["kode"])
            kiriman = [sel.pengiriman_dict(p) | {"ringkasan": None} for p in sel.pengiriman_list(dataset=d)]
            return {"aksi": "dataset lihat", "dataset": sel.dataset_dict(d), "pengiriman": kiriman}
        data = {k: o[k] for k in DATASET_OPSI if o.get(k) is not None}
        if o.get("metadata") is not None:
            data["metadata"] = _json_opsi(o["metadata"], "--metadata")
        if o.get("pemetaan") is not None:
            data["pemetaan_kolom"] = _json_opsi(o["pemetaan"], "--pemetaan")
        if sub == "tambah":
            d = dataset_buat(oleh=None, kode=o["kode"], sektor=o["sektor"], data=data)
        else:
            if o.get("aktif"):
                data["aktif"] = True
            if o.get("nonaktif"):
                data["aktif"] = False
            d = dataset_ubah(oleh=None, dataset=_dataset(o["kode"]), data=data)
        return {"aksi": f"dataset {sub}", "dataset": sel.dataset_dict(d)}

    def _impor(self, o: dict[str, Any]) -> dict[str, Any]:
        path = Path(o["berkas"])
        if not path.is_file():
            raise ValidationFailed("Berkas tidak ditemukan.", [Finding(rule="berkas", value=str(path),
                                                                      message="berkas tidak ada atau bukan berkas")])
        hasil = pengiriman_terima(_dataset(o["dataset"]), o["periode"], path.read_bytes(), path.name, oleh=None,
                                  sumber=Pengiriman.CLI, dry_run=o["dry_run"])
        return {"aksi": "impor", "dataset": o["dataset"], "periode": o["periode"], **hasil.as_dict()}

    def _konektor(self, o: dict[str, Any]) -> dict[str, Any]:
        if o["aksi_konektor"] == "daftar":
            qs = Konektor.objects.select_related("dataset").order_by("id")
            if o.get("dataset"):
                qs = qs.filter(dataset__kode=o["dataset"])
            return {"aksi": "konektor daftar", "konektor": [sel.konektor_dict(k) for k in qs]}
        secret = ""
        if o.get("kredensial_jenis"):
            var = o.get("kredensial_env") or ""
            secret = os.environ.get(var, "") if var else ""
            if not secret:
                raise ValidationFailed("Kredensial kosong.", [Finding(
                    rule="kredensial", column="--kredensial-env", value=var,
                    message="isi variabel lingkungan dengan rahasia dan beri namanya di --kredensial-env")])
        k = konektor_simpan(oleh=None, dataset=_dataset(o["dataset"]), jenis=o["jenis"], nama=o["nama"], url=o["url"],
                            format=o["format"], interval_jam=o["interval_jam"],
                            kredensial_jenis=o.get("kredensial_jenis") or "", kredensial_nilai=secret,
                            kredensial_header=o.get("kredensial_header") or "")
        return {"aksi": "konektor tambah", "konektor": sel.konektor_dict(k)}

    def _tarik(self, o: dict[str, Any]) -> dict[str, Any]:
        if o.get("jatuh_tempo"):
            hasil = tarik_jatuh_tempo(periode=o["periode"])
            return {"aksi": "tarik", "jatuh_tempo": True, "hasil": hasil}
        if not o.get("konektor"):
            raise ValidationFailed("Konektor belum dipilih.", [Finding(
                rule="konektor", message="beri ID konektor atau --jatuh-tempo")])
        k = Konektor.objects.select_related("dataset").filter(pk=o["konektor"]).first()
        if k is None:
            raise NotFound("Konektor tidak dikenal.", [Finding(rule="konektor", value=o["konektor"],
                                                               message="lihat presisi sektor konektor daftar")])
        hasil = konektor_tarik(k, periode=o["periode"])
        return {"aksi": "tarik", "konektor": k.pk, **hasil.as_dict()}

    # ------------------------------------------------------------------------------------------ humans

    def render(self, result: dict[str, Any]) -> None:
        aksi = result["aksi"]
        if aksi == "dataset daftar":
            for d in result["dataset"]:
                self.stdout.write(f"{d['kode']:<30} {d['sektor']:<12} {d['jenis']:<8} {d['unit']:<12} {d['nama']}")
            self.stdout.write(f"{len(result['dataset'])} dataset")
        elif aksi.startswith("dataset"):
            d = result["dataset"]
            self.stdout.write(f"{d['kode']} — {d['nama']} (sektor {d['sektor']}, {d['jenis']}, unit {d['unit']}, "
                              f"{'aktif' if d['aktif'] else 'nonaktif'})")
            for p in result.get("pengiriman", []):
                self.stdout.write(f"  {p['periode']} v{p['versi']} {p['jumlah_baris']} baris {p['sha256'][:12]} "
                                  f"{p['dikirim_pada']:%Y-%m-%d %H:%M} {p['dikirim_oleh'] or 'sistem'}")
        elif aksi == "konektor daftar":
            for k in result["konektor"]:
                self.stdout.write(f"{k['id']:>4} {k['dataset']:<24} {k['jenis']:<7} {k['url'] or '-'} "
                                  f"kredensial: {k['kredensial'] or '-'} {k['terakhir_status']}")
        elif aksi == "konektor tambah":
            self.stdout.write(f"konektor {result['konektor']['id']} disimpan")
        elif aksi == "tarik" and result.get("jatuh_tempo"):
            for h in result["hasil"]:
                self.stdout.write(f"konektor {h['konektor']} ({h['dataset']}): " + (
                    f"versi {h['versi']}, {h['jumlah_baris']} baris" if h["ok"] else f"gagal: {h['pesan']}"))
            self.stdout.write(f"{len(result['hasil'])} konektor jatuh tempo")
        else:
            self._laporan(result)

    def _laporan(self, r: dict[str, Any]) -> None:
        if r["dry_run"]:
            head = f"UJI COBA: tidak ada yang disimpan; akan menjadi versi {r['versi']}"
        elif r["baru"]:
            head = f"diterima: versi {r['versi']} (pengiriman #{r['pengiriman']})"
        else:
            head = f"isi sama dengan versi {r['versi']} yang sudah diterima; tidak ada yang disimpan"
        self.stdout.write(f"{head}; {r['jumlah_baris']} baris, {r['jumlah'].get('peringatan', 0)} peringatan")
        for f in r["temuan"][:200]:
            where = f"baris {f['row']}" if f["row"] else "berkas"
            self.stdout.write(f"  - {where}, kolom {f['column'] or '-'}, nilai '{f['value'] or ''}': {f['message']} "
                              f"[{f['rule']}]")
        if len(r["temuan"]) > 200:
            self.stdout.write(f"  … dan {len(r['temuan']) - 200} temuan lain")
