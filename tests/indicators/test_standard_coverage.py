"""Every indicator of the standard YAML set is computed by hand in one of the test_standard_* modules.

Each module's COVERED list holds exactly the codes its expectation tables assert; a new indicator in
presisi/indicators/standard/indikator/*.yaml without a hand-made test makes this fail.
"""

from __future__ import annotations

import functools

import yaml

from presisi.indicators.services import STANDARD_DIR
from tests.indicators.test_standard_ekonomi_pariwisata import COVERED as EKONOMI_PARIWISATA
from tests.indicators.test_standard_infrastruktur_dasar import COVERED as INFRASTRUKTUR_DASAR
from tests.indicators.test_standard_kebencanaan import COVERED as KEBENCANAAN
from tests.indicators.test_standard_kemiskinan import COVERED as KEMISKINAN
from tests.indicators.test_standard_kependudukan import COVERED as KEPENDUDUKAN
from tests.indicators.test_standard_kesehatan import COVERED as KESEHATAN
from tests.indicators.test_standard_ketenagakerjaan import COVERED as KETENAGAKERJAAN
from tests.indicators.test_standard_komposit import COVERED as KOMPOSIT
from tests.indicators.test_standard_layanan_publik import COVERED as LAYANAN_PUBLIK
from tests.indicators.test_standard_lingkungan import COVERED as LINGKUNGAN
from tests.indicators.test_standard_pendidikan import COVERED as PENDIDIKAN
from tests.indicators.test_standard_wilayah_kepulauan import COVERED as WILAYAH_KEPULAUAN
from tests.integration.test_spasial_paparan import COVERED_INFRASTRUKTUR as SPASIAL_INFRASTRUKTUR
from tests.integration.test_spasial_paparan import COVERED_KEBENCANAAN as SPASIAL_KEBENCANAAN

COVERED_BY_THEME = {
    "ekonomi_pariwisata": EKONOMI_PARIWISATA, "infrastruktur_dasar": INFRASTRUKTUR_DASAR + SPASIAL_INFRASTRUKTUR,
    "kebencanaan": KEBENCANAAN + SPASIAL_KEBENCANAAN, "kemiskinan": KEMISKINAN, "kependudukan": KEPENDUDUKAN,
    "kesehatan": KESEHATAN,
    "ketenagakerjaan": KETENAGAKERJAAN, "komposit": KOMPOSIT, "layanan_publik": LAYANAN_PUBLIK,
    "lingkungan": LINGKUNGAN, "pendidikan": PENDIDIKAN, "wilayah_kepulauan": WILAYAH_KEPULAUAN,
}


@functools.cache
def standard_codes() -> dict[str, str]:
    """kode → tema, from the YAML files loaded by indikator_load()."""
    codes = {}
    for path in sorted((STANDARD_DIR / "indikator").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc.get("indikator", []):
            codes[item["kode"]] = item.get("tema") or doc["tema"]
    return codes


def test_every_standard_indicator_has_a_hand_made_test():
    codes = standard_codes()
    covered = [kode for theme in COVERED_BY_THEME.values() for kode in theme]
    missing = sorted(set(codes) - set(covered))
    assert missing == [], f"standard indicators without a hand-made test: {missing}"
    assert sorted(set(covered) - set(codes)) == [], "tests for indicators that are not in the standard set"
    assert len(covered) == len(set(covered)), "an indicator is covered twice"


def test_each_module_covers_its_own_theme():
    codes = standard_codes()
    for theme, covered in COVERED_BY_THEME.items():
        assert {codes[k] for k in covered} == {theme}, theme
    assert set(COVERED_BY_THEME) == set(codes.values())
    assert len(codes) == 102 + 27  # + spatial exposure and network length (integration)
