"""The JSON every command prints with `--json`: a documented contract other tools rely on (keys are
only ever added). Japanese stays unescaped; values are plain JSON types."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.models import FoundFact, PassageHit, PostHit, PostSummary, SearchResult, StoredPost, Topic
from kb.views import words

if TYPE_CHECKING:
    from kb.api import FactList, Info, Removal
    from kb.importer import ImportReport


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def post(p: PostSummary) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "title_from": p.title_from,
        "date": p.date,
        "author": p.author,
        "url": p.url,
        "source": p.source,
        "sources": list(p.sources),
        "categories": list(p.categories),
        "sections": list(p.headings),
        "photos": p.photos,
    }


def posts(items: Sequence[PostSummary]) -> list[dict[str, Any]]:
    return [post(p) for p in items]


def stored_post(p: StoredPost) -> dict[str, Any]:
    return {**post(p.summary), "text": p.text[p.body_start :]}


def passage(p: PassageHit) -> dict[str, Any]:
    return {
        "passage_id": p.passage_id,
        "section": p.section,
        "text": p.text,
        "highlights": [list(s) for s in p.highlights],
        "match": p.match,
        "line": p.line,
    }


def hit(h: PostHit) -> dict[str, Any]:
    """A post that matched. The keys of its best passage are at the top (the contract of kb 0.1,
    whose hits were passages), the post's own and every shown passage beside them."""
    best = h.passages[0] if h.passages else None
    return {
        "post_id": h.post_id,
        "title": h.title,
        "date": h.date,
        "section": best.section if best else None,
        "text": best.text if best else h.title,
        "highlights": [list(s) for s in (best.highlights if best else h.title_highlights)],
        "score": h.score,
        "match": h.match,
        "source": h.source,
        "sources": list(h.sources),
        "url": h.url,
        "line": best.line if best else None,
        "passage_id": best.passage_id if best else None,
        "title_highlights": [list(s) for s in h.title_highlights],
        "matched_passages": h.matched_passages,
        "passages": [passage(p) for p in h.passages],
    }


def search(result: SearchResult, *, passages: bool = False) -> list[dict[str, Any]]:
    """Posts best first; with ``passages`` one object per passage (post keys repeated)."""
    if not passages:
        return [hit(h) for h in result.hits]
    out = []
    for h in result.hits:
        base = {
            k: v for k, v in hit(h).items() if k not in ("passages", "title_highlights", "matched_passages")
        }
        for p in h.passages:
            out.append({**base, **passage(p)})
    return out


def fact(f: FoundFact) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "surface": f.surface,
        "written": f.written,
        "figure": words.fact_figure(f),
        "value": f.value,
        "value_max": f.value_max,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "note": f.note,
        "post_id": f.post_id,
        "title": f.title,
        "date": f.date,
        "section": f.section,
        "sentence": f.sentence,
        "start": f.start,
        "end": f.end,
        "source": f.source,
        "url": f.url,
        "line": f.line,
        "mentions": f.mentions,
    }


def facts(found: FactList) -> list[dict[str, Any]]:
    return [fact(f) for f in found.facts]


def topic(t: Topic) -> dict[str, Any]:
    return {
        "heading": t.heading,
        "posts": t.posts,
        "post_ids": list(t.post_ids),
        "quantity": t.quantities,
        "date_facts": t.dates,
        "org": t.orgs,
        "place": t.places,
        "first_date": t.first_date,
        "last_date": t.last_date,
    }


def topics(items: Sequence[Topic]) -> list[dict[str, Any]]:
    return [topic(t) for t in items]


def info(i: Info) -> dict[str, Any]:
    c = i.counts
    return {
        "db": i.db,
        "schema": i.schema,
        "files": c.files,
        "posts": c.posts,
        "sections": c.sections,
        "passages": c.passages,
        "facts": c.facts,
        "names": c.names,
        "synonyms": c.synonyms,
        "segmenter": i.segmenter,
        "installed": i.installed,
    }


def import_report(r: ImportReport) -> dict[str, Any]:
    return {
        "db": r.db,
        "files": r.file_count,
        **{k: r.total(k) for k in ("added", "updated", "unchanged", "duplicate", "removed")},
        "moved": [{"path": f.path, "from": f.moved_from} for f in r.moved],
        **{k: r.total(k) for k in ("sections", "passages", "facts")},
        "seconds": round(r.seconds, 3),
        "skipped": [{"path": f.path, "reason": f.reason} for f in r.skipped],
        "warnings": [{"path": f.path, "warning": w} for f in r.files for w in f.warnings],
    }


def pairs(items: Sequence[tuple[str, str]], keys: tuple[str, str]) -> list[dict[str, str]]:
    return [{keys[0]: a, keys[1]: b} for a, b in items]


def removal(r: Removal) -> dict[str, Any]:
    return {
        "posts": posts(r.posts),
        "kept": posts(r.kept),
        "files": [path for _, path in r.files],
    }
