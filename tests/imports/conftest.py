from tests.validation.conftest import periode, wilayah  # noqa: F401  (shared fixtures)
