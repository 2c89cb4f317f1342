from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "peyvand.web"
    label = "web"
