from django import template

from bibblix.lending import services

register = template.Library()


@register.simple_tag
def book_lending_state(book, patron) -> dict:
    """What the book page's lending buttons show for this child and book."""
    state = {"loan": None, "hold": None, "queue_place": None, "favourite": False}
    if patron is None or book is None:
        return state
    state["loan"] = services.active_loan_for(patron, book.pk)
    state["favourite"] = services.is_favourite(patron, book.pk)
    if state["loan"] is not None:
        state["days_left"] = services.days_left(state["loan"])
        return state
    hold = services.open_hold_for(patron, book.pk)
    if hold is not None:
        hold.position = services.queue_position(hold)
        state["hold"] = hold
    elif book.licence_model == "concurrent":
        state["queue_place"] = services.newcomer_queue_place(book)
        if state["queue_place"] is not None:
            state["expected_back"] = services.expected_back(book.pk)
    return state
