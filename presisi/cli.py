"""The ``presisi`` console command: a thin wrapper around Django's management commands.

``presisi wilayah load FILE`` is ``django-admin wilayah load FILE`` with our settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presisi.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "presisi"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
