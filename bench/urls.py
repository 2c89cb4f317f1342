"""Peyvand's URLs plus the anchor: a plain ``values()`` view of the same contact summary."""

from django.urls import path

from bench.views import anchor_contact_list
from peyvand.config.urls import urlpatterns as peyvand_urlpatterns

urlpatterns = [
    path("bench/anchor/contacts", anchor_contact_list),
    *peyvand_urlpatterns,
]
