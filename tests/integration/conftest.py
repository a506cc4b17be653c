"""Fixtures shared by the integration tests."""

PASSWORD = "presisi-uji-spasial-9"
