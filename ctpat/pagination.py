from collections.abc import Callable, Iterable

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Numbered pages that stay fast deep into a large, ordered queryset.

    A plain OFFSET makes the database read and throw away every full row before the
    page. Here the OFFSET walks only the ids (an index-only scan when an index covers
    the filter and the order); then `fetch(ids)` loads just those rows, with whatever
    joins the page shows, and they are put back in order. `fetch` gets ids that already
    passed the list's filters and access scope, so it does not repeat them (repeating
    them can mislead the planner into scanning the whole scope).
    """

    def __init__(self, object_list, per_page, *, fetch: Callable[[list], Iterable], **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(
            self.object_list.prefetch_related(None).values_list("pk", flat=True)[
                bottom : bottom + self.per_page
            ]
        )
        by_id = {row.pk: row for row in self.fetch(ids)}
        return self._get_page([by_id[i] for i in ids if i in by_id], number, self)
