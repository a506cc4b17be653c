"""An import moves the version of every record it changes (optimistic locking), and only of those."""

from __future__ import annotations

import pytest

from presisi.core.exceptions import VersiBasi
from presisi.imports.pipeline import impor_jalankan
from presisi.registry.history import perubahan_sejak
from presisi.registry.models import Individu, Keluarga
from presisi.registry.services import individu_update
from tests.imports.helpers import individu_rows, template_file
from tests.validation.conftest import DESA

pytestmark = pytest.mark.django_db


def run(wilayah, periode, data: bytes):
    return impor_jalankan(berkas=data, nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode)


def test_an_import_moves_the_version_of_changed_records_so_a_form_opened_before_is_stale(wilayah, periode):
    run(wilayah, periode, template_file())
    assert set(Individu.objects.values_list("versi", flat=True)) == {1}
    assert set(Keluarga.objects.values_list("versi", flat=True)) == {1}
    rows = individu_rows()
    rows[0][9] = 8
    run(wilayah, periode, template_file(individu=rows))
    head = Individu.objects.get(nik=rows[0][0])
    assert head.versi == 2 and head.pendidikan == 8
    assert set(Individu.objects.exclude(pk=head.pk).values_list("versi", flat=True)) == {1}  # unchanged rows kept
    # a correction form opened before the import (version 1) is refused; the import row names who and when
    with pytest.raises(VersiBasi):
        individu_update(individu=head, data={"pendidikan": 5}, versi=1)
    assert Individu.objects.get(pk=head.pk).pendidikan == 8
    assert perubahan_sejak(head, 1)[0].aksi == "registry.individu.diubah"
    # the same file again changes nothing and moves no version
    run(wilayah, periode, template_file(individu=rows))
    assert Individu.objects.get(pk=head.pk).versi == 2
