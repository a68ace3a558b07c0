"""Scheduled insights work as a task (inline in the embedded mode, a worker in production):
run it daily after midnight; it is incremental and idempotent, so running it twice, late or
again after a crash counts nothing twice."""

from django_tasks import task

from .rollup import fill


@task()
def roll_up_statistics_task() -> dict[str, str]:
    filled = fill()
    # The national dashboards' top books are built now, not by their first visitor.
    from .services import warm_top_books

    warm_top_books()
    return {metric: day.isoformat() for metric, day in filled.items()}
