"""Property-based API test: schemathesis generates requests from the OpenAPI schema for every operation
and sends them to the WSGI app as two roles (operator_desa and verifikator_kecamatan).

Checked for each response: no server error (5xx) and, for documented responses, the body conforms
to the documented schema. Examples are bounded and derandomized (``MAX_EXAMPLES`` per operation and
role), so ``make test`` stays within a couple of minutes and a failure reproduces.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
import schemathesis
from django.db import close_old_connections, connection, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 5
ROLES = ("operator", "verifikator")
CHECKS = [not_a_server_error, response_schema_conformance]
RINGKASAN: dict[str, int] = {"kasus": 0}


def masuk(user) -> dict[str, str]:
    """Headers that sign a request in as ``user`` (session cookie, CSRF token for writes): the one place
    to change if sign-in gains a second factor."""
    from tests.conftest import masuk as masuk_2fa

    client = Client()
    masuk_2fa(client, user)
    csrf = secrets.token_hex(16)
    # identity: the WSGI test transport does not undo the site's gzip
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}", "X-CSRFToken": csrf,
            "Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def data_api(django_db_setup, django_db_blocker):
    """Klungkung regions, dictionary, demo users, one family in the operator's desa, an open period."""
    from django.conf import settings as dj_settings
    from django.contrib.auth import get_user_model

    from presisi.accounts.services import demo_users_create
    from presisi.dictionary.services import kamus_load
    from presisi.periods.models import Periode
    from presisi.regions.models import Wilayah
    from presisi.regions.services import wilayah_load_csv
    from presisi.registry.models import Individu, Keluarga

    with django_db_blocker.unblock(), transaction.atomic():
        wilayah_load_csv(data=dj_settings.PRESISI_REGION_FILE)
        kamus_load()
        demo_users_create(password="presisi-demo")
        desa = get_user_model().objects.get(username="operator").profil.wilayah
        banjar = Wilayah.objects.filter(induk=desa).first() or desa
        kk = Keluarga.objects.create(no_kk="5105019900000001", desa=desa, banjar=banjar, sintetis=True)
        Individu.objects.create(nik="5105015505900001", nama="Ni Made Uji", jenis_kelamin=2, desa=desa,
                                banjar=banjar, tanggal_lahir=dt.date(1990, 5, 15), hubungan_keluarga=1,
                                keluarga=kk, sintetis=True)
        Periode.objects.create(kode="2027-S1", nama="2027-S1", tanggal_mulai=dt.date(2027, 1, 1),
                               tanggal_referensi=dt.date(2027, 6, 30))
        users = {name: get_user_model().objects.get(username=name) for name in ROLES}
        # run PostgreSQL's deferred foreign-key checks of the rows above once, not in every teardown
        connection.check_constraints()
        yield {"headers": {name: masuk(user) for name, user in users.items()}}
        transaction.set_rollback(True)
    print(f"\nschemathesis: {RINGKASAN['kasus']} requests checked")


@pytest.fixture(scope="module")
def api_schema():
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator

    raw = SchemaGenerator().get_schema(request=None, public=True)
    # the schema endpoint is drf-spectacular's own (and slow to generate five times): not under test here
    schema = schemathesis.openapi.from_dict(raw).exclude(path="/api/schema/")
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI handler closes 'old' connections at every request; inside a test transaction that would
    close the test's connection. Django's own test client switches it off the same way."""
    from django.core import signals

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")
BOUNDED = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))


def _call(case, headers) -> None:
    RINGKASAN["kasus"] += 1
    case.call_and_validate(headers=headers, checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_api_as_operator_desa(case, data_api, wsgi_in_test_transaction):
    _call(case, data_api["headers"]["operator"])


@schema.parametrize()
@BOUNDED
def test_api_as_verifikator_kecamatan(case, data_api, wsgi_in_test_transaction):
    _call(case, data_api["headers"]["verifikator"])
