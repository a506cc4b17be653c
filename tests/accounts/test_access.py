"""Roles are scoped to a region; scope is enforced in selectors and access helpers."""

from __future__ import annotations

import pytest

from presisi.accounts.access import can_see_personal_data, filter_by_scope, in_scope
from presisi.accounts.services import demo_users_create, pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.regions.models import Wilayah

pytestmark = pytest.mark.django_db


def test_demo_users_cover_every_role_and_are_idempotent(wilayah_klungkung, kamus):
    logins = demo_users_create()
    assert {login.username for login in logins} == {"operator", "verifikator", "walidata", "analis", "admin"}
    assert len(demo_users_create()) == 5
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 5
    walidata = get_user_model().objects.get(username="walidata")
    assert set(walidata.profil.sektor.values_list("kode", flat=True)) == {"dinkes", "dinsos"}


def test_role_must_match_region_level(wilayah_klungkung):
    with pytest.raises(ValidationFailed) as err:
        pengguna_create(username="x", password="rahasia-panjang", peran="operator_desa", wilayah_kode="51.05.01")
    assert err.value.findings[0].rule == "cakupan_wilayah"


def test_scope_limits_regions_and_personal_data(wilayah_klungkung):
    op = pengguna_create(username="op", password="rahasia-panjang", peran="operator_desa",
                         wilayah_kode="51.05.01.2001")
    analis = pengguna_create(username="an", password="rahasia-panjang", peran="analis", wilayah_kode="51.05")
    assert in_scope(op, "51.05.01.2001") and in_scope(op, "51.05.01.2001.003")
    assert not in_scope(op, "51.05.01.2002") and not in_scope(op, "51.05.01")
    assert can_see_personal_data(op, "51.05.01.2001")
    assert not can_see_personal_data(op, "51.05.01.2002")
    # an analyst works with aggregates only, even inside the regency
    assert in_scope(analis, "51.05.02.2001") and not can_see_personal_data(analis, "51.05.02.2001")
    seen = filter_by_scope(Wilayah.objects.all(), op, field="kode")
    assert list(seen.values_list("kode", flat=True)) == ["51.05.01.2001"]
    from django.contrib.auth.models import AnonymousUser

    assert filter_by_scope(Wilayah.objects.all(), AnonymousUser(), field="kode").count() == 0
