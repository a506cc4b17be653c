"""The form renderer of every Django form (``FORM_RENDERER``): a field with an error shows back at
most a short excerpt of what was submitted, so a 2 MB value is not echoed into the page."""

from __future__ import annotations

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList

from presisi.core.excerpt import LEAF_LIMIT, cap_echoes, excerpt, long_strings

# A value the field could never accept (longer than its max_length, or longer than this for
# fields without one) is shown shortened; valid values always come back whole.
SHOWN_MAX = 5000


class ExcerptBoundField(BoundField):
    @property
    def errors(self) -> ErrorList:
        # Django's own messages quote the value too ("%(value)s bukan salah satu pilihan ...")
        errors = super().errors
        submitted = long_strings(self.data) if self.form.is_bound else set()
        if not submitted and all(len(str(e)) <= LEAF_LIMIT for e in errors):
            return errors
        capped = errors.copy()  # keeps the CSS class and renderer
        capped.data = [cap_echoes(str(e), submitted) for e in errors]
        return capped

    def value(self) -> Any:
        value = super().value()
        if isinstance(value, str) and self.form.is_bound and self.errors:
            limit = getattr(self.field, "max_length", None) or SHOWN_MAX
            if len(value) > limit:
                return excerpt(value)
        return value


class Renderer(DjangoTemplates):
    bound_field_class = ExcerptBoundField
