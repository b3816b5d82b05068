import pytest
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from netwerkregie.core.access import AccessQuerySet, get_visible_or_404, roles_required
from netwerkregie.core.checks import personal_data_models_have_access_and_retention
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role

pytestmark = pytest.mark.django_db


def test_not_there_and_not_yours_are_the_same_404(users: dict[str, User]) -> None:
    other = users[Role.PRIVACY_OFFICER]
    assert get_visible_or_404(User.objects.all(), users[Role.ADMIN], pk=other.pk) == other
    with pytest.raises(Http404):
        get_visible_or_404(User.objects.all(), users[Role.ANALYST], pk=other.pk)
    with pytest.raises(Http404):
        get_visible_or_404(User.objects.all(), users[Role.ADMIN], pk=999_999)
    with pytest.raises(Http404):
        get_visible_or_404(User.objects.all(), users[Role.ADMIN], pk="not-a-number")


def test_an_inactive_user_sees_nothing(users: dict[str, User]) -> None:
    officer = users[Role.PRIVACY_OFFICER]
    officer.is_active = False
    assert AuditEvent.objects.visible_to(officer).query.is_empty()


def test_roles_required_answers_404_to_other_roles(users: dict[str, User]) -> None:
    @roles_required(Role.ANALYST)
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = users[Role.ANALYST]
    assert view(request).status_code == 200
    request.user = users[Role.ADMIN]
    with pytest.raises(Http404):
        view(request)


def test_a_superuser_flag_opens_nothing(users: dict[str, User]) -> None:
    nobody = users["nobody"]
    assert nobody.is_superuser is False
    assert not nobody.has_perm("core.view_auditevent")
    assert not AuditEvent.objects.visible_to(nobody).exists()


def test_the_system_check_catches_a_personal_data_model_without_access_or_retention() -> None:
    class Leaky(models.Model):
        holds_personal_data = True
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.name

    try:
        ids = {error.id for error in personal_data_models_have_access_and_retention()}
    finally:
        from django.apps import apps

        del apps.all_models["core"]["leaky"]
        apps.clear_cache()
    assert ids == {"netwerkregie.E001", "netwerkregie.E002"}


def test_the_base_queryset_refuses_to_guess() -> None:
    with pytest.raises(NotImplementedError):
        AccessQuerySet(model=User).visible_to(None)
