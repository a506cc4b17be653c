from tests.validation.conftest import _reference_data, periode, wilayah  # noqa: F401  (shared fixtures)
