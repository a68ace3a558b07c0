from django.http import Http404
from django.shortcuts import render

from . import services


def book_detail(request, pk: int):
    book = (
        services.available_books()
        .filter(pk=pk)
        .prefetch_related("themes", "book_contributors__contributor")
        .first()
    )
    if book is None:
        raise Http404
    return render(request, "catalogue/book_detail.html", {"book": book})
