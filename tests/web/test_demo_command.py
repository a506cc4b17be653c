"""``presisi demo`` lives in the top layer (web), since it drives every app below it."""

from __future__ import annotations

from django.core.management import get_commands


def test_demo_command_is_registered_by_the_web_app():
    assert get_commands()["demo"] == "presisi.web"
