"""Note search through the service against the raw FTS5 query for the same words.

    python benchmarks/note_search.py DB USER REPEAT   (password in IJMCASE_PASSWORD)

DESIGN.md's budget: a search within 2x of a raw FTS5 query for the same
words. For each query word (common, middling and rare words of the demo
notes, a prefix and a two-word search) it times ``SearchService.search``
(the first page of 50 hits: visibility, ranks, marked titles and snippets,
case codes) against the one raw SELECT on the same connection that returns
the same page from ``search_fts`` (rank order, highlight and snippet, no
visibility). One untimed warm-up of each, then ``REPEAT`` timed runs of each
in alternating order; medians. Prints one JSON object, with
``search_ratio`` the worst ratio over the words. (Not yet called by
``run.py``; it takes the same arguments as its other helpers.)
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from sqlalchemy import text

from ijmcase.domain.search_terms import parse_search
from ijmcase.persistence.engine import locate
from ijmcase.persistence.search_index import fts5_match
from ijmcase.services.auth import login
from ijmcase.services.search import SearchService

QUERIES = ("family", "shelter", "counselling", "kiln", "counsel*", "school fees")
LIMIT = 50
RAW = (
    "SELECT rowid, kind, ref, case_id, rank, highlight(search_fts, 0, '[[', ']]'), "
    "snippet(search_fts, 1, '[[', ']]', '…', 24) FROM search_fts "
    "WHERE search_fts MATCH :m ORDER BY rank LIMIT :n"
)


def main(argv: list[str]) -> int:
    db_path, user, repeat = argv[0], argv[1], int(argv[2])
    result = login(locate(db_path), user, os.environ.get("IJMCASE_PASSWORD", "demo"))
    try:
        service = SearchService(result.db, result.actor)
        figures: dict[str, dict[str, float | int]] = {}
        with result.db.engine.connect() as conn:
            for query in QUERIES:
                match = fts5_match(parse_search(query))
                matches = conn.execute(
                    text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :m"),
                    {"m": match},
                ).scalar()
                service.search(query, limit=LIMIT)
                conn.execute(text(RAW), {"m": match, "n": LIMIT + 1}).all()
                ours: list[float] = []
                raw: list[float] = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    service.search(query, limit=LIMIT)
                    ours.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    conn.execute(text(RAW), {"m": match, "n": LIMIT + 1}).all()
                    raw.append(time.perf_counter() - start)
                app, floor = statistics.median(ours), statistics.median(raw)
                figures[query] = {
                    "matches": int(matches or 0),
                    "service_ms": round(app * 1000, 2),
                    "raw_ms": round(floor * 1000, 2),
                    "ratio": round(app / floor, 2) if floor > 0 else 0.0,
                }
    finally:
        result.db.dispose()
    print(
        json.dumps({"search_ratio": max(f["ratio"] for f in figures.values()), "queries": figures})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
