"""Odd input to PUT /api/v1/progress/<id> answers 200 or a 4xx, never a 500: any JSON value as the
body or as each field, floats with NaN and infinities, datetimes with any zone (years 1 to 9999),
long and odd locators."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibblix.lending.models import ReadingProgress

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)
stamps = (
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())
    | st.datetimes().map(lambda d: d.isoformat())
    | json_values
)
bodies = st.fixed_dictionaries(
    {"locator": st.text(max_size=4100) | json_values, "percentage": st.floats() | json_values},
    optional={"updated_at": stamps},
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=bodies | json_values)
def test_odd_progress_input_never_gives_a_server_error(child, book, body):
    raw = json.dumps(body)  # NaN and Infinity as JavaScript writes them
    response = child.put(f"/api/v1/progress/{book.pk}", raw, content_type="application/json")
    assert response.status_code < 500, (raw[:300], response.content[:300])
    if response.status_code == 200:
        saved = ReadingProgress.objects.get(book=book)
        assert 0.0 <= saved.percentage <= 1.0
