"""The OpenAPI schema generates without a single drf-spectacular warning (names, operationIds)."""

from __future__ import annotations

import pytest
from django.core.management import call_command


def test_schema_generation_emits_no_warning(capsys):
    # --fail-on-warn raises when any warning or error was emitted while generating
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err


def test_deploy_check_includes_spectacular(settings):
    assert settings.SPECTACULAR_SETTINGS.get("ENABLE_DJANGO_DEPLOY_CHECK", True) is True


@pytest.mark.parametrize("path", ["/api/v1/impor/", "/api/v1/statistik/"])
def test_operation_ids_unique(path):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)]
    assert len(ids) == len(set(ids))
    assert path in schema["paths"]
