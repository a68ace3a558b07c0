"""Children's pages: theme shelves, search as you type, the book page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from bibblix.lib.page_cache import shared_page, visitor

from . import services
from .forms import SearchForm

PER_PAGE = 24
SHELF_ROW = 12


@shared_page(visitor)
def books(request):
    """/books/: the shelves (curated, free to try, one per theme) as rows of covers."""
    rows = services.theme_rows(SHELF_ROW)
    context = {
        "themes": [theme for theme, _books in rows],
        "theme_rows": rows,
        "free_to_try": services.free_to_try_books(limit=SHELF_ROW),
        "form": SearchForm(),
    }
    return render(request, "catalogue/books.html", context)


@shared_page(visitor)
def free_books(request):
    """/books/free/: the books anyone may read without a library card."""
    return render(
        request, "catalogue/free_books.html", {"books": services.free_to_try_books(limit=48)}
    )


@shared_page(visitor)
def theme(request, slug: str):
    """/themes/<slug>/: every book with one theme, a page at a time."""
    chosen = get_object_or_404(services.children_themes(), slug=slug)
    page = Paginator(services.theme_books(chosen), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalogue/theme.html", {"theme": chosen, "page": page})


@shared_page(visitor)
def search(request):
    """/search/?q=…: the search page; htmx asks for the results alone while the child types."""
    form = SearchForm(request.GET or None)
    query, filters = form.query_and_filters()
    results = services.search(query, filters).prefetch_related("book_contributors__contributor")
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "query": query, "page": page, "searched": bool(request.GET)}
    if context["searched"] and not page.object_list:
        # Never a dead end: a nearby query as a link, and what other children borrow most.
        context["suggestion"] = services.did_you_mean(query, filters) if query else ""
        context["popular"] = services.popular_books(limit=SHELF_ROW)
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalogue/_search_results.html", context)
    return render(request, "catalogue/search.html", context)


@shared_page(visitor)
def book_detail(request, pk: int):
    """/books/<id>/: cover, blurb, facts, series neighbours, more like this, an easier book."""
    book = (
        services.children_books()
        .filter(pk=pk)
        .prefetch_related("themes", "book_contributors__contributor")
        .first()
    )
    if book is None:
        raise Http404
    before, after = services.series_neighbours(book)
    context = {
        "book": book,
        "series_before": before,
        "series_after": after,
        "similar": services.similar_books(book),
    }
    easier = services.easier_book(book)
    context["easier"], context["easier_list"] = easier, [easier] if easier else []
    return render(request, "catalogue/book_detail.html", context)
