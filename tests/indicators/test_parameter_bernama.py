"""A definition naming a parameter by its code shows the parameter's name."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.indicators.models import Parameter
from presisi.indicators.selectors import parameter_bernama

pytestmark = pytest.mark.django_db


def test_parameter_code_becomes_its_name():
    Parameter.objects.create(kode="garis_kemiskinan", nama="Garis kemiskinan", nilai=1,
                             berlaku_dari=dt.date(2024, 1, 1))
    text = "pengeluaran di bawah parameter garis_kemiskinan terhadap penduduk"
    assert parameter_bernama(text) == "pengeluaran di bawah garis kemiskinan terhadap penduduk"
    assert parameter_bernama("parameter tidak_ada tetap") == "parameter tidak_ada tetap"
    assert parameter_bernama("") == ""
