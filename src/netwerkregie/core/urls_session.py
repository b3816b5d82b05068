from django.urls import path

from netwerkregie.core import unsent

app_name = "session"

urlpatterns = [
    path("keep-alive/", unsent.keep_alive, name="keep_alive"),
    path("resume/<uuid:pk>/", unsent.resume, name="resume"),
]
