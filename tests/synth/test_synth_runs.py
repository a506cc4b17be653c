"""Runs that need their own database state: boundaries loaded, and repeated runs (determinism, --ganti)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, shape

from presisi.regions.models import Wilayah
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu
from presisi.synth.services import synth_generate

pytestmark = pytest.mark.django_db


def test_buildings_lie_inside_their_desa_polygon(boundaries, dictionary):
    synth_generate(scale=0.005, seed=3)
    polygons = {d.id: shape(d.geometri) for d in Wilayah.objects.desa_kelurahan()}
    points = list(Bangunan.objects.values_list("desa_id", "lat", "lng"))
    assert points and all(polygons[d].contains(Point(lng, lat)) for d, lat, lng in points)
    assets = AsetDesa.objects.values_list("desa_id", "lat", "lng")
    assert all(polygons[d].contains(Point(lng, lat)) for d, lat, lng in assets)


def test_same_seed_gives_identical_rows_and_ganti_replaces(regions, dictionary):
    def snapshot():
        people = Individu.objects.order_by("nik").values_list(
            "nik", "nama", "tanggal_lahir", "atribut", "keluarga__no_kk", "banjar__kode", "rumah_tangga__kode",
            "nama_ayah", "pekerjaan")
        buildings = Bangunan.objects.order_by("kode").values_list("kode", "lat", "lng", "atribut", "banjar__kode")
        desa = DataDesa.objects.order_by("desa__kode").values_list("desa__kode", "atribut")
        return list(people), list(buildings), list(desa)

    first = synth_generate(scale=0.005, seed=11)
    before = snapshot()
    again = synth_generate(scale=0.005, seed=11, ganti=True)
    assert again.dihapus["individu"] == first.individu and again.banjar_dibuat == 0
    assert snapshot() == before
    synth_generate(scale=0.005, seed=12, ganti=True)
    assert snapshot()[0] != before[0]
    assert Individu.objects.count() == Individu.objects.filter(sintetis=True).count()
