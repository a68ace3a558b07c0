"""Signals of the patrons app.

`patron_forgotten` is sent (with `patron_id` and `municipality_id`) inside the transaction that
deletes a child's account, just before the row goes. Rows that point at the patron with
`on_delete=CASCADE` go with it anyway; an app that keeps personal data about the child in any
other shape (keyed by public id, in a cache, in files) connects a receiver in its
`AppConfig.ready` and forgets it there. Statistics are not personal data: they stay.
"""

from django.dispatch import Signal

patron_forgotten = Signal()

# Sent (with `patron`) when staff export a child's data on request (GDPR art. 15): each app that
# keeps rows about the child connects a receiver that returns {section name: [plain dicts]}.
patron_data_requested = Signal()
