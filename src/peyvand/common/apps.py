from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "peyvand.common"
    label = "common"
