"""Web pages. Views only adapt: they call selectors and render; access is decided in selectors."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from presisi.regions.models import Wilayah
from presisi.registry.selectors import wilayah_statistik

LEVEL_OF_CHILDREN = {1: "Kabupaten/Kota", 2: "Kecamatan", 3: "Desa/Kelurahan", 4: "Banjar Dinas/Dusun"}


def home(request):
    stats = wilayah_statistik()
    return _region_page(request, stats)


def wilayah_detail(request, kode: str):
    if not Wilayah.objects.filter(kode=kode).exists():
        raise Http404("Wilayah tidak ditemukan")
    return _region_page(request, wilayah_statistik(kode=kode))


def _region_page(request, stats):
    region = stats["wilayah"]
    crumbs = []
    depth = 0
    if region is not None:
        w = Wilayah.objects.get(kode=region["kode"])
        crumbs = [*w.leluhur(), w]
        depth = w.kedalaman
        crumbs = [c for c in crumbs if c.kedalaman >= 2]
    return render(request, "web/wilayah.html", {
        "stats": stats,
        "region": region,
        "crumbs": crumbs,
        "child_level": LEVEL_OF_CHILDREN.get(depth, "Wilayah"),
        "max_penduduk": max((c["penduduk"] for c in stats["anak"]), default=0) or 1,
    })
