"""403/404/400/500 pages: styled like the site, in the visitor's language (issue #13)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.utils import translation

from presisi import urls
from presisi.web import views

pytestmark = pytest.mark.django_db


def _english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_handlers_are_the_styled_views():
    assert urls.handler400 == "presisi.web.views.bad_request"
    assert urls.handler403 == "presisi.web.views.permission_denied"
    assert urls.handler404 == "presisi.web.views.page_not_found"
    assert urls.handler500 == "presisi.web.views.server_error"


@pytest.mark.parametrize(("lang", "judul", "kembali"), [
    ("id", "Halaman tidak ditemukan", "Kembali ke beranda"),
    ("en", "Page not found", "Back to home"),
])
def test_404_is_styled_in_both_languages(client, lang, judul, kembali):
    if lang == "en":
        _english(client)
    response = client.get("/tidak-ada-halaman-ini/")
    body = response.content.decode()
    assert response.status_code == 404
    assert f'lang="{lang}"' in body and "web/presisi.css" in body
    assert f"<h1 id=\"galat-judul\">{judul}</h1>" in body and kembali in body
    assert "tidak-ada-halaman-ini" not in body.split("<main", 1)[1].split("</main>")[0]  # no URL dump


@pytest.mark.parametrize(("lang", "judul"), [("id", "Akses ditolak"), ("en", "Access denied")])
def test_403_csrf_refusal_is_styled_in_both_languages(lang, judul):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = lang
    response = client.post("/akun/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE=lang)
    body = response.content.decode()
    assert response.status_code == 403
    assert f'lang="{lang}"' in body and "web/presisi.css" in body and judul in body
    assert "CSRF verification failed" not in body


def test_domain_refusal_escaping_a_view_is_a_styled_403(rf):
    from presisi.core.exceptions import PermissionDenied
    from presisi.web.middleware import NotFoundMiddleware

    request = rf.get("/registri/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        response = NotFoundMiddleware(lambda r: None).process_exception(
            request, PermissionDenied("Your role cannot open this."))
    assert response.status_code == 403
    assert "Your role cannot open this." in response.content.decode()


@pytest.mark.parametrize(("lang", "judul"), [("id", "Terjadi kesalahan pada server"), ("en", "Server error")])
def test_500_renders_without_database_or_context(lang, judul, monkeypatch):
    request = RequestFactory().get("/")  # no user, no session: the 500 page needs neither

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    monkeypatch.setattr(connections["default"], "cursor", no_database)
    with translation.override(lang):
        response = views.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert f'lang="{lang}"' in body and "web/presisi.css" in body and judul in body


@pytest.mark.parametrize(("lang", "judul"), [("id", "Permintaan tidak dapat diproses"), ("en", "Bad request")])
def test_400_is_styled(lang, judul):
    with translation.override(lang):
        response = views.bad_request(RequestFactory().get("/"), Exception("rusak"))
    assert response.status_code == 400
    assert judul in response.content.decode() and "web/presisi.css" in response.content.decode()


def test_disallowed_host_is_the_styled_400():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()


def test_api_menu_opens_the_browsable_documentation(client):
    home = client.get("/").content.decode()
    assert '<a href="/api/docs/">API</a>' in home
    docs = client.get("/api/docs/")
    body = docs.content.decode()
    assert docs.status_code == 200 and docs["Content-Type"].startswith("text/html")
    assert "swagger-ui" in body and "<style" not in body and "cdn" not in body.lower()
    csp = docs["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    # the init script is a second request to the same view, and it points at the raw schema
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
    for src in ("swagger-ui-bundle.js", "swagger-ui.css"):
        url = next(part.split('"')[0] for part in body.split('="')[1:] if src in part.split('"')[0])
        assert client.get(url).status_code == 200, url
    # the raw schema stays where it was
    assert client.get("/api/schema/").status_code == 200
