"""Errors a user can act on: why a file could not be indexed.

They are raised deep in the loaders and caught at the edge (CLI, API, upload)
where the message is shown as it is.
"""


class IndexingError(Exception):
    """A file could not be indexed; the message says why and what to do."""


class UnreadableDocument(IndexingError):
    """Broken, truncated or of a format we do not read."""


class ScannedPDF(IndexingError):
    """A PDF without a text layer."""


class EncryptedPDF(IndexingError):
    """A password-protected PDF."""


class NotADisclosure(IndexingError):
    """Readable, but not a final-account disclosure (no 公开NN表, no 决算)."""


class TooLarge(IndexingError):
    """Over the configured upload size."""


class OverLimit(IndexingError):
    """Over a limit on parsing an upload (pages, characters, memory, CPU time); the message names it."""
