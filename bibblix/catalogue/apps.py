from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "bibblix.catalogue"
