"""Cold indexing time of the shipped corpus (with embeddings) and no-change re-index.

Targets on the 2-core machine: < 60 s cold, < 2 s unchanged.
    python benchmarks/bench_indexing.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import offline, settings  # noqa: E402


def main() -> None:
    offline()
    from indexing.embeddings import get_embedder
    from indexing.pipeline import index_paths

    with tempfile.TemporaryDirectory() as tmp:
        s = replace(settings(), index_dir=Path(tmp))
        started = time.perf_counter()
        get_embedder(s.embed_model).embed(["预热"])  # the encoder loads its weights lazily
        load = time.perf_counter() - started
        cold = index_paths([s.data_dir], s)
        again = index_paths([s.data_dir], s)
        print(f"embedding model load:   {load:6.2f} s ({s.embed_model})")
        print(f"cold index (5 docs):    {cold.seconds:6.2f} s  target < 60 s")
        print(f"  {cold.summary().splitlines()[1]}")
        print(f"unchanged re-index:     {again.seconds:6.2f} s  target < 2 s")
        print(f"cores: {os.cpu_count()}")


if __name__ == "__main__":
    main()
