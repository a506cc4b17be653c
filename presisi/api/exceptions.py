"""One place that maps domain errors to HTTP responses."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from presisi.core.exceptions import ApplicationError, NotFound, PermissionDenied, VersiBasi
from presisi.core.excerpt import cap_echoes, long_strings
from presisi.periods.locking import DataTerkunci


def exception_handler(exc, context):
    response = _response_for(exc, context)
    if response is not None and isinstance(response.data, dict | list):
        # an error answer quotes submitted values only as short excerpts (issue #11)
        request = context.get("request")
        submitted = long_strings(_submitted(request)) if request is not None else set()
        response.data = cap_echoes(response.data, submitted)
    return response


def _submitted(request) -> list:
    """The request's query and body values, without raising on a body DRF could not parse."""
    values: list = [getattr(request, "query_params", {})]
    with contextlib.suppress(Exception):  # a malformed body is already the error being answered
        values.append(request.data)
    return values


def _response_for(exc, context):
    # an id or code that names nothing (or an id too large for the database) is a 404, not a 500
    if isinstance(exc, ObjectDoesNotExist | OverflowError):
        return Response({"pesan": "Tidak ditemukan.", "temuan": []}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response(exc.as_dict(), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NotFound):
        return Response(exc.as_dict(), status=status.HTTP_404_NOT_FOUND)
    # submitted or approved data: the request is fine, the desa's state forbids it until returned
    if isinstance(exc, DataTerkunci):
        return Response(exc.as_dict(), status=status.HTTP_409_CONFLICT)
    # a write against a stale version (If-Match or body ``versi``): the client must read again
    if isinstance(exc, VersiBasi):
        return Response(exc.as_dict(), status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, ApplicationError):
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
