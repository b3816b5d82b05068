"""Settings: the partner API (Django REST framework, the OpenAPI document) and the caches its counters use.
Imported by ``netwerkregie.settings``; every value comes from the environment (see ``.env.example``)."""

from netwerkregie.env import env_int, env_rate, env_str

# --- Partner API ------------------------------------------------------------------------------
# A request body larger than this is refused (413) before it is read.
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 64 * 1024, minimum=1024)
# Requests per token: a number, "/" and s, min, hour or day (e.g. "60/min"); beyond it 429 with Retry-After.
API_RATE = env_rate("API_RATE", "60/min")
# A newly issued token is valid this long; an expired one is refused (401).
API_TOKEN_VALID_DAYS = env_int("API_TOKEN_VALID_DAYS", 365, minimum=1)
# The administrator's Vandaag lists tokens that expire within this many days.
API_TOKEN_EXPIRY_NOTICE_DAYS = env_int("API_TOKEN_EXPIRY_NOTICE_DAYS", 30, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["netwerkregie.api.authentication.OrganisationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["netwerkregie.api.permissions.HasOrganisationToken"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["netwerkregie.api.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_CLASSES": ["netwerkregie.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {},
    "EXCEPTION_HANDLER": "netwerkregie.api.problems.problem_exception_handler",
}
# The default cache stays Django's local memory (per process). The API's rate limit must be counted
# across every gunicorn worker, so it has a database cache (table made by migration api 0003).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counters every gunicorn worker must share: the partner API's rate and the account-mail limits.
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "api_rate_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000}},
}
# The partner API's full version (semver), in the OpenAPI document and in every answer's API-Version header.
# The major version is in the path (/api/v1); raise the minor for an addition, the patch for a fix.
API_VERSION = "1.1.0"
# Who integrators write to about the partner API (the OpenAPI document's info.contact).
API_CONTACT_NAME = env_str("API_CONTACT_NAME", "Netwerkregie, functioneel beheer")
API_CONTACT_EMAIL = env_str("API_CONTACT_EMAIL", env_str("DEFAULT_FROM_EMAIL", "netwerkregie@localhost"))
# Empty: this installation's own API documentation page (/api/docs/).
API_CONTACT_URL = env_str("API_CONTACT_URL", "")
SPECTACULAR_SETTINGS = {
    "TITLE": "Netwerkregie partner API",
    "DESCRIPTION": (
        "For partner systems (a school's pupil administration, a care or police system) of a municipality's "
        "network for radicalisation prevention. A partner system submits an early signal about behaviour it "
        "saw or heard, and later reads the status of its own signals: never their handling.\n\n"
        "Every request carries the organisation's token (`Authorization: Token <token>`), issued by the "
        "municipality. Every answer carries the `API-Version` header. Every error is a problem description "
        "(`application/problem+json`, RFC 9457); a validation error lists the fields in `invalid-params`, "
        "with a reason in the language of `Accept-Language` (Dutch by default, or English).\n\n"
        "The valid codes for a submission are listed by `GET /observation-categories` and `GET /neighbourhoods`."
    ),
    "VERSION": API_VERSION,
    "CONTACT": {"name": API_CONTACT_NAME, "email": API_CONTACT_EMAIL, "url": API_CONTACT_URL or "/api/docs/"},
    "LICENSE": {"name": "EUPL-1.2", "url": "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"},
    # The server is this installation's /api/v1, filled in from the request that asks for the document.
    "SERVERS": [{"url": "/api/v1", "description": "This installation"}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "PREPROCESSING_HOOKS": ["netwerkregie.api.schema.only_current_paths"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "netwerkregie.api.schema.document_every_answer"],
    "TAGS": [
        {"name": "signals", "description": "Submit a signal and read its status."},
        {"name": "codes", "description": "The codes a submission takes, versioned with the municipality's catalogue."},
        {"name": "documentation", "description": "This document."},
    ],
    "ENUM_NAME_OVERRIDES": {"SignalStatusEnum": "netwerkregie.intake.models.SubmitterStatus"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
