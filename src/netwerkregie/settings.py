"""Production settings: everything comes from the environment, defaults are the secure ones.

Development and tests use ``settings_dev``, which only fills in development defaults for the
same variables before importing this module. See ``.env.example`` for every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from netwerkregie.configuration.api import *  # noqa: F403  (the settings by subject: configuration/)
from netwerkregie.configuration.domain import *  # noqa: F403
from netwerkregie.configuration.oidc import *  # noqa: F403
from netwerkregie.configuration.oidc import OIDC_ENABLED, OIDC_SIGN_OUT_ORIGINS
from netwerkregie.configuration.operations import *  # noqa: F403
from netwerkregie.configuration.paths import BASE_DIR, PACKAGE_DIR, VAR_DIR
from netwerkregie.env import env_bool, env_int, env_list, env_networks, env_str

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
# Demo mode exists for `make demo` only: demo accounts, visible TOTP codes, a banner on every page.
DEMO = env_bool("DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address at which people reach Netwerkregie (https://netwerkregie.gemeente.nl): the links in mail that the
# scheduler sends (the daily digest, due dates) have no request to take it from. By default the first trusted origin
# that is one address (a wildcard origin such as https://*.gemeente.nl cannot start a link).
SITE_URL = env_str("SITE_URL", next((origin for origin in CSRF_TRUSTED_ORIGINS if "*" not in origin), ""))
if SITE_URL and (not SITE_URL.startswith(("https://", "http://")) or "*" in SITE_URL):
    raise ImproperlyConfigured("SITE_URL is an address such as https://netwerkregie.gemeente.nl.")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "mailer",
    "netwerkregie.core",
    "netwerkregie.notifications",
    "netwerkregie.accounts",
    "netwerkregie.network",
    "netwerkregie.people",
    "netwerkregie.approvals",
    "netwerkregie.disclosures",
    "netwerkregie.intake",
    "netwerkregie.programmes",
    "netwerkregie.cases",
    "netwerkregie.privacy",
    "netwerkregie.catalogues",
    "netwerkregie.today",
    "netwerkregie.reports",
    "netwerkregie.search",
    "netwerkregie.sharing",
    "netwerkregie.ops",
    "netwerkregie.api",
    "netwerkregie.demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # Health probes answered before host checks, HTTPS redirect and sessions; a request id for the rest.
    "netwerkregie.ops.health.HealthAndRequestIdMiddleware",
    # The partner API's API-Version header on every answer, and problem+json for the errors Django itself
    # answers there (a host not allowed, no such path, an uncaught exception): outside all the others.
    "netwerkregie.api.middleware.ApiAnswerMiddleware",
    # The client's address for the audit log of whatever this request writes (core/client_address.py).
    "netwerkregie.core.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "netwerkregie.core.unsent.KeepUnsentWorkMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "netwerkregie.accounts.oidc.ProviderMultiFactorMiddleware",
    "netwerkregie.core.middleware.RequireMultiFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netwerkregie.urls"
WSGI_APPLICATION = "netwerkregie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "netwerkregie.core.context_processors.shell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL (or another SQLite file) through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'netwerkregie.sqlite3'}")
# Each worker keeps its connection between requests (checked before reuse) instead of opening one per
# request: a PostgreSQL connection costs milliseconds, a SQLite one its pragmas. 0 closes after each request.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 300),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # BEGIN IMMEDIATE takes the write lock up front, so a read-then-write (the audit chain)
        # never deadlocks on lock upgrade and writers are serialised.
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
        "init_command": (
            # secure_delete overwrites deleted content, so purged records leave no trace in free pages.
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;PRAGMA secure_delete=ON;"
        ),
    }
    # Tests use a file too (not memory), so WAL and concurrent writers are tested for real.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-netwerkregie.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Encryption at rest ----------------------------------------------------------------------
# Fernet keys, newest first (the first encrypts, all decrypt); rotate with rotate_field_keys.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
# Key for the keyed hashes by which identifiers (BSN) are found without storing them in plain text.
IDENTIFIER_HASH_KEY = env_str("IDENTIFIER_HASH_KEY")

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Sign-in through the municipality's identity provider (OpenID Connect): configuration/oidc.py ----
# Roles whose holders may not sign in with a local password (they use the identity provider).
LOCAL_PASSWORD_DISABLED_ROLES = env_list("LOCAL_PASSWORD_DISABLED_ROLES", [])
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("netwerkregie.accounts.oidc.ProviderBackend")

# --- Information sharing ---------------------------------------------------------------------
# Acts that wait for a second coordinator's approval: compulsory_plan, case_closure (a handover included),
# sensitive_referral (passing police or judicial data). Empty: none.
APPROVAL_REQUIRED_FOR = env_list("APPROVAL_REQUIRED_FOR", ["compulsory_plan", "case_closure", "sensitive_referral"])
# The second coordinator is no one the author arranged: an account the author created, or whose coordinator role
# the author asked for or confirmed, within this many days may not approve the author's acts.
FOUR_EYES_INDEPENDENCE_DAYS = env_int("FOUR_EYES_INDEPENDENCE_DAYS", 90, minimum=1)
# A referral not accepted or declined within this many days expires and gives the receiver nothing.
REFERRAL_ANSWER_DAYS = env_int("REFERRAL_ANSWER_DAYS", 14, minimum=1)

# Roles that can see personal data must pass a second factor (docs/architecture.md, roles table).
MFA_EXEMPT_ROLES = env_list("MFA_EXEMPT_ROLES", ["programme_officer", "analyst"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Netwerkregie")

# Lockout after repeated failures, per account (the sign-in name, in any case) and per client address
# (core/client_address.py; behind the proxy the address the proxy saw): LOGIN_FAILURE_LIMIT failures within
# LOGIN_LOCKOUT_MINUTES hold that account, or that address. A password reset lifts the account's lockout
# (core/lockout.py). Failures during a lockout do not extend it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
# An invitation link to choose a password works this long, and once.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_USERNAME_FORM_FIELD = "username"  # what the sign-in form posts (the user model's field is "email")
AXES_USERNAME_CALLABLE = "netwerkregie.core.lockout.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "netwerkregie.core.client_address.client_address"
AXES_LOCKOUT_PARAMETERS = "netwerkregie.core.lockout.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "netwerkregie.core.lockout.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in clears its account's failures (core/receivers.py), not its address's: someone guessing
# other people's passwords cannot wipe their address's count by signing in to an account of their own.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Mails with a link to set a password, at most this many per window for one account and for one client
# address (password reset; invitations count apart). Counted in the shared database cache (CACHES), so every
# worker and instance counts together. The reset page answers the same either way.
PASSWORD_RESET_MAILS_PER_ACCOUNT = env_int("PASSWORD_RESET_MAILS_PER_ACCOUNT", 3, minimum=1)
PASSWORD_RESET_MAILS_PER_ADDRESS = env_int("PASSWORD_RESET_MAILS_PER_ADDRESS", 10, minimum=1)
INVITATION_MAILS_PER_ACCOUNT = env_int("INVITATION_MAILS_PER_ACCOUNT", 3, minimum=1)
INVITATION_MAILS_PER_ADDRESS = env_int("INVITATION_MAILS_PER_ADDRESS", 30, minimum=1)
ACCOUNT_MAIL_WINDOW_MINUTES = env_int("ACCOUNT_MAIL_WINDOW_MINUTES", 60, minimum=1)

# Idle timeout: the session expires after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 15, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
# A form posted after the session ended is kept this long for its author to send again (core/unsent.py).
UNSENT_WORK_KEEP_MINUTES = env_int("UNSENT_WORK_KEEP_MINUTES", 60, minimum=5)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Transport and browser security -----------------------------------------------------------
_secure = env_bool("SECURE_TRANSPORT", True)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies whose X-Forwarded-For names the client (its right-most entry), when BEHIND_TLS_PROXY is on:
# IP addresses or networks, or * for any; gunicorn reads the same variable. From anyone else it is ignored.
FORWARDED_ALLOW_IPS = env_networks("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script and no inline style anywhere; everything is served from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *OIDC_SIGN_OUT_ORIGINS],  # signing out at the identity provider too
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    },
}

# --- The domain's terms (triage, retention, lapses, reviews, oversight): configuration/domain.py -------
# --- Operations (the audit witness, backups, the scheduler): configuration/operations.py ------------
# --- Partner API (REST framework, OpenAPI, the shared cache): configuration/api.py ------------------

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# English with the day before the month (core/formats/en); Dutch keeps Django's own formats.
FORMAT_MODULE_PATH = ["netwerkregie.core.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

# --- Static files and the municipality's look ------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# The NL Design System's CSS components, example design tokens and font come from the npm registry
# (package.json, pinned in package-lock.json; `npm ci` puts them here) and are never copied into git.
NODE_MODULES_DIR = Path(env_str("NODE_MODULES_DIR", str(BASE_DIR / "node_modules")))
# A theme is a design-token stylesheet (theme.css) and a logo (logo.svg) under
# static/netwerkregie/themes/<THEME>/; THEME_DIR serves a municipality's own from outside the code.
THEME = env_str("THEME", "lindeveen" if DEMO else "standaard")
THEME_DIR = env_str("THEME_DIR", "")
MUNICIPALITY_NAME = env_str("MUNICIPALITY_NAME", "Gemeente Lindeveen" if DEMO else "")
# Where a visitor reports an accessibility problem (the accessibility statement, /toegankelijkheid/).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL",
                                      "toegankelijkheid@demo.netwerkregie.test" if DEMO else "")
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("nlds/components", NODE_MODULES_DIR / "@utrecht" / "component-library-css" / "dist"),
    ("nlds/tokens", NODE_MODULES_DIR / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("nlds/font", NODE_MODULES_DIR / "@fontsource-variable" / "noto-sans"),
]
if THEME_DIR:
    STATICFILES_DIRS.append((f"netwerkregie/themes/{THEME}", Path(THEME_DIR)))
# Production serves collected files; development serves straight from the apps.
WHITENOISE_USE_FINDERS = env_bool("STATIC_FROM_FINDERS", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Mail -------------------------------------------------------------------------------------
# Every mail is a row in the outbox (django-mailer), written in the transaction of the act that causes it, one
# per recipient; the scheduler's send_mail job delivers them with MAILER_EMAIL_BACKEND (the EMAIL_BACKEND
# variable) and tries again with a growing wait (core.outbox). A request never waits for the mail server.
EMAIL_BACKEND = "netwerkregie.core.outbox.OutboxBackend"
MAILER_EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if MAILER_EMAIL_BACKEND in {EMAIL_BACKEND, "mailer.backend.DbBackend"}:
    raise ImproperlyConfigured("EMAIL_BACKEND is the backend that delivers the outbox (such as "
                               "django.core.mail.backends.smtp.EmailBackend), not the outbox itself.")
MAILER_ERROR_HANDLER = "netwerkregie.core.outbox.defer_on_failure"
MAILER_USE_FILE_LOCK = False  # one scheduler holds the lease; rows are locked one by one (select_for_update)
MAILER_EMAIL_LOG_MESSAGE_DATA = False  # the log of attempts keeps no bodies (no links from invitations)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually on port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, usually on port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Give EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)  # seconds; a hanging mail server holds no job for long
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "netwerkregie@localhost")

# --- Logging: no personal data in application logs; the audit log is in the database --------
# Structured: one JSON object per line (LOG_FORMAT=json, the default) with the request id, for the
# log collector; LOG_FORMAT=text for a terminal.
_LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "netwerkregie.ops.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if _LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # django-mailer names each recipient at INFO: never in the logs, whatever LOG_LEVEL says.
    "loggers": {"mailer": {"level": "WARNING"}},
}

# Who approves an act that waits for a second pair of eyes (APPROVAL_REQUIRED_FOR): holders of these roles, never
# the act's author. The approver role ("Fiatteur") always approves; add for example core_partner for the public-order
# adviser, or case_manager for a team leader, where the municipality has one coordinator.
APPROVER_ROLES = env_list("APPROVER_ROLES", ["coordinator"])
