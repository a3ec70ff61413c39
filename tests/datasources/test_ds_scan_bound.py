"""`most_scan_pages` bounds the pages of every scan `plan_scan` may choose (the estimate's
share of a to-many level that ends in calls per parent)."""

from __future__ import annotations

from pipedrive_graphql.datasources.loading.planner import (
    MAX_SCAN_ROUNDS,
    most_scan_pages,
    plan_scan,
)


def test_no_plan_reads_more_pages_than_the_bound() -> None:
    sizes: list[tuple[int, bool] | None] = [None]
    sizes += [(rows, exact) for rows in range(0, 6000, 37) for exact in (True, False)]
    reached = 0
    for parents in range(260):
        bound = most_scan_pages(parents)
        for size in sizes:
            plan = plan_scan(parents, size)
            if plan is not None:
                assert plan.max_pages <= bound, (parents, size, plan)
                reached = max(reached, plan.max_pages)
    assert reached == most_scan_pages(259) == MAX_SCAN_ROUNDS + 1  # the bound is reached


def test_the_bound_for_a_few_parents() -> None:
    # one parent: no scan; two or three: a known size's pages and one more; many: 8 + 1
    assert [most_scan_pages(n) for n in (0, 1, 2, 3, 50)] == [0, 0, 2, 3, 9]
