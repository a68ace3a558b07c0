app_name = "opds"
urlpatterns: list = []
