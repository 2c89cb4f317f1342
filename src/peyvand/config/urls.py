from django.urls import include, path

from peyvand.api.urls import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("peyvand.web.urls")),
]
