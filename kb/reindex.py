"""`kb reindex`: segment stored passages and extract their facts again, in one transaction."""

from __future__ import annotations

import json

from kb.models import Passage, Post, Section
from kb.pipeline import record_for
from kb.segment import segment, versions
from kb.store import Store


def stored_post(store: Store, post_id: int) -> tuple[Post, list[int]] | None:
    """A stored post rebuilt as a Post (structure as stored), with its passage ids."""
    row = store.get_post(post_id)
    if row is None:
        return None
    text = row["text"]
    sections = [Section(s["heading"], s["start"], s["end"]) for s in row["section_spans"]]
    passages = [
        Passage(p["section"], p["start"], p["end"], text[p["start"] : p["end"]], p["line"] or 0)
        for p in row["passages"]
    ]
    post = Post(
        uid=row["uid"],
        title=row["title"],
        text=text,
        source=row["source"],
        sections=sections,
        passages=passages,
        date=row["date"],
        author=row["author"],
        url=row["url"],
        categories=row["categories"],
        photos=row["photos"],
    )
    return post, [p["id"] for p in row["passages"]]


def reindex_all(store: Store) -> int:
    """Rebuild the word index and the facts of every post with the installed segmenter and names."""
    names = store.names()
    n = 0
    with store.transaction():
        store.clear_index()
        for post_id in store.all_post_ids():
            found = stored_post(store, post_id)
            if found is None:
                continue
            post, ids = found
            record = record_for(post, [segment(p.text) for p in post.passages], names)
            store.add_index(post_id, ids, record.passages, record.facts)
            n += 1
        store.set_meta("segmenter", json.dumps(versions(), sort_keys=True))
    store.release_free_pages()
    return n
