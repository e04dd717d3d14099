"""Stride's URL configuration."""

from django.contrib import admin
from django.urls import include, path

from stride.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("stride.api.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("stride.web.urls")),
]
