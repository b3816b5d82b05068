"""Development and test settings: only development defaults, then the production module.

Every value here is a default for an environment variable that ``settings`` reads, so the
code paths are the same as in production. Nothing in this module is fit for a real server.
"""

import base64
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

_var = Path(os.environ.get("NETWERKREGIE_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
(_var / "static").mkdir(parents=True, exist_ok=True)
_key_file = _var / "dev-secret-key"
if not _key_file.exists():
    _key_file.write_text(secrets.token_urlsafe(50))


def _default(name: str, value: str) -> None:
    """A development default, unless the variable is given (itself, or as a file by NAME_FILE)."""
    if f"{name}_FILE" not in os.environ:
        os.environ.setdefault(name, value)


_default("SECRET_KEY", _key_file.read_text().strip())


def _dev_secret(name: str, make: object) -> str:
    path = _var / f"dev-{name}"
    if not path.exists():
        path.write_text(make())  # type: ignore[operator]
        path.chmod(0o600)
    return path.read_text().strip()


_default(
    "FIELD_ENCRYPTION_KEYS", _dev_secret("field-key", lambda: Fernet.generate_key().decode())
)
_default("IDENTIFIER_HASH_KEY", _dev_secret("hash-key", lambda: secrets.token_urlsafe(48)))
_default("BACKUP_ENCRYPTION_KEY", _dev_secret(
    "backup-key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()))
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_TRANSPORT", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("STATIC_FROM_FINDERS", "1")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from netwerkregie.settings import *  # noqa: E402, F403
