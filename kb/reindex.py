"""`kb reindex`: segment every stored post and extract its facts again, in one transaction (after a
SudachiPy or dictionary update, new names, or a migration that emptied the indexes)."""

from __future__ import annotations

import json
from collections.abc import Callable

from kb.pipeline import analyse_post, forget_words, stored_post
from kb.segment import versions
from kb.store import Store

SEGMENTER_KEY = "segmenter"  # meta: the versions that segmented what the index holds
REINDEX_KEY = "reindex"  # meta: set by a migration that emptied the indexes


def reindex_all(store: Store, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the word index, the trigram index, the lexicon and the facts of every post with the
    installed segmenter and the user's names; returns the number of posts."""
    names = store.names.all()
    ids = store.posts.ids()
    forget_words()
    with store.transaction():
        store.writes.clear_index()
        store.writes.clear_lexicon()
        for n, post_id in enumerate(ids, start=1):
            stored = store.posts.get(post_id)
            if stored is None:
                continue
            record = analyse_post(stored_post(stored), names)
            store.writes.reindex_post(post_id, stored.text, record.passages, record.facts, record.words)
            if progress:
                progress(n, len(ids))
        store.set_meta(SEGMENTER_KEY, json.dumps(versions(), sort_keys=True))
        store.set_meta(REINDEX_KEY, None)
    store.release_free_pages()
    return len(ids)
