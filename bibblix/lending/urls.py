from django.urls import path

from . import views

app_name = "lending"
urlpatterns = [
    path("", views.my_books, name="my_books"),
    path("books/<int:book_id>/borrow/", views.borrow_book, name="borrow"),
    path("books/<int:book_id>/hold/", views.hold_book, name="hold"),
    path("books/<int:book_id>/favourite/", views.favourite_book, name="favourite"),
    path("books/<int:book_id>/finished/", views.finish_book, name="finished"),
    path("loans/<int:loan_id>/return/", views.return_book, name="return"),
    path("holds/<int:hold_id>/cancel/", views.cancel_hold, name="cancel_hold"),
]
