from django.urls import path

from . import views

app_name = "motivation"
urlpatterns = [
    path("challenges/", views.challenges, name="challenges"),
    path("challenges/<int:challenge_id>/join/", views.join_challenge, name="join"),
    path("challenges/<int:challenge_id>/diploma/", views.diploma, name="diploma"),
    path("badges/", views.badges, name="badges"),
    path("ratings/<int:book_id>/", views.rate_book, name="rate"),
]
