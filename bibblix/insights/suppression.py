"""Small counts are hidden outside the association, here and nowhere else (not in templates).

Method (docs/insights.md, "Suppression"):

1. Primary: a count from 1 to 4 is hidden (None; pages show "–", exports leave the cell empty).
   0 is shown: that no child did something points to no one.
2. Secondary, per table that has a total: when hidden cells could be worked out from the total
   minus the cells shown, more cells are hidden, smallest first, until at least two cells are
   hidden and the hidden cells add up to 5 or more (or every cell is hidden). One hidden cell
   would be the total minus the rest; two hidden cells of 1 and 2 would be narrowed to "3 in
   all". The total itself is hidden when it is under 5.
3. Figures that are not counts of children's actions in a table (averages, per-capita rates) are
   hidden when the count they come from is hidden.

The association's staff see every figure: `for_association=True` returns the input unchanged.
"""

from collections.abc import Hashable, Mapping
from typing import TypeVar

SMALL = 5
K = TypeVar("K", bound=Hashable)


def is_small(value: int | None) -> bool:
    """Whether a count must be hidden on its own (1 to 4)."""
    return value is not None and 0 < value < SMALL


def suppress_value(value: int | None, *, for_association: bool) -> int | None:
    """One figure on its own: hidden (None) when it is a small count and the viewer is not
    the association."""
    if for_association or not is_small(value):
        return value
    return None


def suppress_cells(
    cells: Mapping[K, int], *, for_association: bool, has_total: bool = True
) -> dict[K, int | None]:
    """The cells of one table row or column (key → count) with small counts hidden (None) and,
    when the table shows their total, enough further cells hidden that the total does not give
    the hidden ones away."""
    shown: dict[K, int | None] = dict(cells)
    if for_association:
        return shown
    hidden = {key for key, value in cells.items() if is_small(value)}
    if has_total and hidden:
        candidates = sorted(
            (key for key in cells if key not in hidden and cells[key] > 0),
            key=lambda key: (cells[key], str(key)),
        )
        while candidates and (len(hidden) < 2 or sum(cells[k] for k in hidden) < SMALL):
            hidden.add(candidates.pop(0))
    for key in hidden:
        shown[key] = None
    return shown


def hidden_beyond_small(small_count: int, small_sum: int) -> int:
    """How many further cells `suppress_cells` hides in a table with a total, besides its
    `small_count` small cells adding up to `small_sum`: the smallest cells of SMALL or more, in
    (value, key) order. One at most: any such cell lifts the hidden sum to SMALL or more and
    makes at least two hidden. (For reading a table's largest cells without all of them.)"""
    return int(small_count > 0 and (small_count < 2 or small_sum < SMALL))


def suppress_table(
    cells: Mapping[K, int], *, for_association: bool
) -> tuple[dict[K, int | None], int | None]:
    """Cells and their total, suppressed together: (cells, total)."""
    total = sum(cells.values())
    return (
        suppress_cells(cells, for_association=for_association),
        suppress_value(total, for_association=for_association),
    )
