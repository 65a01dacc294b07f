"""The tokens of lexical search, as retrieval reads them.

They are made in `indexing.tokens`: the indexer tokenises each document once,
for its lexical segment (`indexing.lexical`), and a question must be cut the
same way. Re-exported here so retrieval modules keep one import path.
"""

from __future__ import annotations

from indexing.tokens import tokenize

__all__ = ["tokenize"]
