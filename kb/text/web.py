"""Web addresses written in a post's text: their parts are no words of the post (IR in …/IR/info is
no IR), for the word index (kb.terms) and for matching and highlighting (kb.search.engine)."""

from __future__ import annotations

import re

URL = re.compile(r"(?:https?://|www\.)[^\s　<>「」『』()（）]+", re.I)
