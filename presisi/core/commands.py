"""Base for ``presisi`` commands: ``--json`` output and domain errors printed row by row."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from presisi.core.exceptions import ApplicationError


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


class PresisiCommand(BaseCommand):
    """Subclasses implement ``run(**options) -> dict`` and ``render(result)`` for humans."""

    json_option = True

    def add_arguments(self, parser) -> None:
        if self.json_option:
            parser.add_argument("--json", action="store_true", help="Keluaran JSON untuk mesin.")

    def handle(self, *args, **options):
        try:
            result = self.run(**options)
        except ApplicationError as exc:
            if options.get("json"):
                self.stdout.write(to_json({"ok": False, **exc.as_dict()}))
            else:
                self.stderr.write(self.style.ERROR(exc.message))
                for finding in exc.findings[:200]:
                    self.stderr.write(f"  - {finding}")
                if len(exc.findings) > 200:
                    self.stderr.write(f"  … dan {len(exc.findings) - 200} kesalahan lain")
            raise CommandError("Perintah gagal; tidak ada data yang diubah.", returncode=1) from exc
        if options.get("json"):
            self.stdout.write(to_json({"ok": True, **(result or {})}))
        elif result is not None:
            self.render(result)

    def run(self, **options) -> dict[str, Any]:
        raise NotImplementedError

    def render(self, result: dict[str, Any]) -> None:
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")

    @staticmethod
    def is_tty() -> bool:
        return sys.stderr.isatty()
