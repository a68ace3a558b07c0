from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("books/", views.books, name="books"),
    path("books/free/", views.free_books, name="free_books"),
    path("books/<int:pk>/", views.book_detail, name="book"),
    path("themes/<slug:slug>/", views.theme, name="theme"),
    path("search/", views.search, name="search"),
]
