"""Error answers quote submitted values only as short excerpts (issue #11)."""

from __future__ import annotations

from django import forms
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ErrorDetail

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.core.excerpt import ECHO_LIMIT, ELLIPSIS, LEAF_LIMIT, cap_echoes, excerpt, long_strings

BIG = "A" * 2_000_000


@given(st.text(max_size=300))
def test_excerpt_is_short_and_a_prefix(text):
    out = excerpt(text)
    assert len(out) <= ECHO_LIMIT + len(ELLIPSIS)
    assert out == text if len(text) <= ECHO_LIMIT else out == text[:ECHO_LIMIT] + ELLIPSIS


def test_findings_and_error_answers_quote_an_excerpt():
    finding = Finding(rule="x", message="terlalu panjang", value=BIG)
    assert len(finding.value) == ECHO_LIMIT + 1 and len(str(finding)) < 300
    assert len(str(ValidationFailed("x", [finding]).as_dict())) < 500
    data = {"nama": [ErrorDetail(f'"{BIG}" is not a valid choice.', code="invalid_choice")], "n": [1, -2]}
    capped = cap_echoes(data, long_strings({"nama": BIG, "q": ["pendek"]}))
    assert capped["n"] == [1, -2]
    message = capped["nama"][0]
    assert isinstance(message, ErrorDetail) and message.code == "invalid_choice"
    assert message == f'"{"A" * ECHO_LIMIT}{ELLIPSIS}" is not a valid choice.'
    # a string no submitted value explains is still cut
    assert len(cap_echoes({"x": "B" * 10_000}, set())["x"]) == LEAF_LIMIT + 1


class _Form(forms.Form):
    nama = forms.CharField(max_length=100)
    pilihan = forms.ChoiceField(choices=[("1", "satu")])
    catatan = forms.CharField(required=False, widget=forms.Textarea)


def test_a_form_shows_back_an_excerpt_of_a_refused_value_and_valid_values_whole():
    form = _Form({"nama": BIG, "pilihan": BIG, "catatan": "C" * 4000})
    assert not form.is_valid()
    html = str(form)
    assert len(html) < 20_000
    assert "A" * ECHO_LIMIT + ELLIPSIS in html and "A" * (ECHO_LIMIT + 1) not in html
    assert "C" * 4000 in html  # a valid long value is never shortened
