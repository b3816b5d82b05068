import datetime
import hmac
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from netwerkregie.api.models import PREFIX_LENGTH, ApiToken, digest

# "Last used" is shown to the minute (``api_tokens list``); written at most once a minute per token.
LAST_USED_STEP = datetime.timedelta(minutes=1)


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <token>``. The request acts for the token's organisation, not for a
    person: there is no user, so a token can never open the web interface or see personal data."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: use 'Token <token>'."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token.")) from None
        record = (ApiToken.objects.select_related("organisation")
                  .filter(prefix=token[:PREFIX_LENGTH], revoked_at__isnull=True).first())
        if record is None or not hmac.compare_digest(record.digest, digest(token)):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not record.organisation.is_active:
            raise exceptions.AuthenticationFailed(_("The organisation of this token is inactive."))
        now = timezone.now()
        if record.has_expired(now):
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s: ask the municipality for a new one.")
                % {"date": f"{timezone.localtime(record.expires_at):%Y-%m-%d}"})
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_STEP:  # not a write per request
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        return AnonymousUser(), record

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
