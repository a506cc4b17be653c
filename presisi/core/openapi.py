"""Small OpenAPI response shapes shared by the API views (drf-spectacular raw schemas)."""

# a JSON array of free-form objects (lists built from dicts, without a serializer)
DAFTAR_OBJEK = {200: {"type": "array", "items": {"type": "object", "additionalProperties": True}}}
