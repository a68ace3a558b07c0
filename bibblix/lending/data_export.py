"""Lending's part of a child's data export (patrons.data_requests): loans, holds, reading
positions, bookmarks and favourites. Erasure needs nothing here: the rows cascade."""

from .models import Bookmark, Favourite, Hold, Loan, ReadingProgress


def _when(value):
    return value.isoformat() if value else None


def patron_sections(sender, patron, **kwargs) -> dict:
    return {
        "loans": [
            {
                "book": row.book.title,
                "borrowed_at": _when(row.borrowed_at),
                "due_at": _when(row.due_at),
                "returned_at": _when(row.returned_at),
            }
            for row in Loan.objects.filter(patron=patron).select_related("book")
        ],
        "holds": [
            {
                "book": row.book.title,
                "placed_at": _when(row.placed_at),
                "fulfilled_at": _when(row.fulfilled_at),
                "cancelled_at": _when(row.cancelled_at),
            }
            for row in Hold.objects.filter(patron=patron).select_related("book")
        ],
        "reading_positions": [
            {
                "book": row.book.title,
                "locator": row.locator,
                "percentage": row.percentage,
                "updated_at": _when(row.updated_at),
                "finished_at": _when(row.finished_at),
            }
            for row in ReadingProgress.objects.filter(patron=patron).select_related("book")
        ],
        "bookmarks": [
            {
                "book": row.book.title,
                "locator": row.locator,
                "label": row.label,
                "created_at": _when(row.created_at),
            }
            for row in Bookmark.objects.filter(patron=patron).select_related("book")
        ],
        "favourites": [
            {"book": row.book.title, "created_at": _when(row.created_at)}
            for row in Favourite.objects.filter(patron=patron).select_related("book")
        ],
    }
