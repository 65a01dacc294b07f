"""How cost grows with the corpus: renamed copies of the five seed documents.

A size of N documents is the five seeds (data/*.txt) and N - 5 copies of them,
each moved to a real county from the national list of divisions (the seed's
place renamed throughout its text, so each copy is another department with
the same numbers). Every size is indexed into its own temporary folder, then
answered from a fresh process. Printed per size:

- cold index s/doc (embedder loaded beforehand) and the unchanged re-index;
- engine start: stores opened, engine built and the first question answered;
- peak RSS of the answering process and the index's size on disk;
- warm p50/p95 of questions naming a department and of questions naming none;
- accuracy on those questions, checked by value (a named question must also
  cite the department it names first).

    python benchmarks/bench_scale.py --docs 5,25,100 --json scale.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import offline, settings  # noqa: E402


@dataclass(frozen=True, slots=True)
class Seed:
    """A seed document, the place it is named after and questions it answers."""

    file: str
    place: str  # replaced throughout the copy's text
    questions: tuple[tuple[str, str], ...]  # ("{place}…？", expected value in 万元 or %)
    total: float  # 收支总计, 万元
    overseas: float  # 因公出国（境）费, 万元


SEEDS = (
    Seed(
        "000_14fd902755dfec5d.txt",
        "冠县",
        (
            ("{place}人民政府办公室2024年住房公积金支出决算是多少？", "75.56"),
            ("{place}政府办2024年政府采购支出总额是多少？", "28.65"),
        ),
        2238.53,
        1.99,
    ),
    Seed(
        "001_f4ec1982bbb312b3.txt",
        "枣庄市",
        (
            ("{place}政府办2024年“死亡抚恤”支出是多少？", "22.05"),
            ("{place}政府办2024年一般公共预算财政拨款基本支出中人员经费是多少？", "2242.98"),
        ),
        4662.0,
        17.72,
    ),
    Seed(
        "002_6b8b447dd5f33aed.txt",
        "高平市",
        (
            ("{place}政府办2024年基本支出是多少？", "869.73"),
            ("{place}人民政府办公室2024年住房公积金支出是多少？", "69.09"),
        ),
        1864.57,
        7.5,
    ),
    Seed(
        "003_5bf6c4be2fcbdf28.txt",
        "阳城县",
        (
            ("{place}政务服务中心2024年一般公共预算财政拨款基本支出中人员经费是多少？", "253.96"),
            (
                "{place}政务服务中心一般公共预算财政拨款支出中，一般公共服务支出占比是多少？",
                "81.81%",
            ),
        ),
        403.05,
        0.0,
    ),
    Seed(
        "004_8e0e4eb5d50c1166.txt",
        "阳谷县",
        (
            ("{place}政府办2024年行政单位离退休支出是多少？", "73.11"),
            ("{place}人民政府办公室2024年“行政运行”（2010301）支出多少？", "1409.02"),
        ),
        1684.87,
        5.55,
    ),
)
NAMED_SAMPLE = 20  # departments asked about per size, spread over the corpus
NAMED_TIMINGS = 40  # the named questions are repeated up to this many timings
UNNAMED_ROUNDS = 2


@dataclass(frozen=True, slots=True)
class Copy:
    """One document of the scaled corpus: a seed, under its own or another place."""

    file: str
    seed: Seed
    place: str


def pick_places(count: int, texts: list[str]) -> dict[str, list[str]]:
    """Up to `count` real place names per suffix (县, 市), none printed in the seeds.

    Counties and county-level cities first, then prefecture-level cities (a
    thousand documents need more 市 than there are county-level cities). A
    name is one place only in the national list, with a two- or
    three-character stem that no seed text contains and no other pick shares
    (nor its pinyin), so each copy is named unambiguously.
    """
    from pypinyin import lazy_pinyin

    from indexing.divisions import divisions

    corpus = "".join(texts)
    picked: dict[str, list[str]] = {"县": [], "市": []}
    stems: set[str] = set()
    sounds: set[str] = set()
    unique = sorted((found[0].code, name) for name, found in divisions().items() if len(found) == 1)
    names = []
    for level in ("county", "city"):
        some = [n for code, n in unique if divisions()[n][0].level == level]
        random.Random(14).shuffle(some)
        names += some
    for name in names:
        stem, suffix = name[:-1], name[-1]
        sound = "".join(lazy_pinyin(stem))
        if (
            suffix not in picked
            or len(picked[suffix]) >= count
            or not 2 <= len(stem) <= 3
            or not re.fullmatch(r"[\u4e00-\u9fff]+", stem)
            or stem in corpus
            or sound in sounds
            or any(stem in s or s in stem for s in stems)
        ):
            continue
        picked[suffix].append(name)
        stems.add(stem)
        sounds.add(sound)
    return picked


def build_corpus(n_max: int, out: Path) -> list[Copy]:
    """The seeds, then renamed copies in a fixed order, written to `out`."""
    texts = {s.file: (ROOT / "data" / s.file).read_text(encoding="utf-8") for s in SEEDS}
    places = pick_places(n_max, list(texts.values()))
    copies = [Copy(s.file, s, s.place) for s in SEEDS]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n_max - len(SEEDS)):
        seed = SEEDS[i % len(SEEDS)]
        if not places[seed.place[-1]]:
            raise SystemExit(f"not enough distinct {seed.place[-1]} names for {n_max} documents")
        place = places[seed.place[-1]].pop(0)
        text = texts[seed.file].replace(seed.place, place)
        if len(seed.place) > 2:  # 阳谷 alone, not 冠 alone
            text = text.replace(seed.place[:-1], place[:-1])
        name = f"s{i + len(SEEDS):04d}_{Path(seed.file).stem}.txt"
        (out / name).write_text(text, encoding="utf-8")
        copies.append(Copy(name, seed, place))
    for seed in SEEDS:
        shutil.copy(ROOT / "data" / seed.file, out / seed.file)
    return copies


def questions(copies: list[Copy]) -> tuple[list[dict], list[dict]]:
    """(named, unnamed) questions with the value each answer must state."""
    from indexing.metadata import doc_id_for

    step = max(1, len(copies) // NAMED_SAMPLE)
    named = [
        {
            "q": template.format(place=c.place),
            "expect": [value],
            "doc_id": doc_id_for(c.file),
        }
        for c in copies[::step][:NAMED_SAMPLE]
        for template, value in c.seed.questions
    ]
    total = round(sum(c.seed.total for c in copies), 2)
    overseas = round(sum(c.seed.overseas for c in copies), 2)
    unnamed = [
        {"q": "哪个单位2024年政府采购支出最多？", "expect": ["1085.76"]},
        {"q": "2024年哪个单位的公务接待费最高？", "expect": ["32.73"]},
        {"q": "比较各单位2024年的机关运行经费。", "expect": ["190.89"]},
        {"q": "各单位2024年收支总计加起来是多少？", "expect": [f"{total}"]},
        {"q": "各单位2024年因公出国（境）费合计多少？", "expect": [f"{overseas}"]},
    ]
    return named, unnamed


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: the value q% of the timings stay under."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# ---- the two child processes ------------------------------------------------
def run_index(corpus: Path, index_dir: Path) -> dict:
    """Cold index of the corpus, then the same again unchanged."""
    from indexing.embeddings import get_embedder
    from indexing.pipeline import index_paths

    s = replace(settings(), index_dir=index_dir)
    get_embedder(s.embed_model).embed(["预热"])  # the encoder loads its weights lazily
    cold = index_paths([corpus], s)
    if cold.failed:
        raise SystemExit(f"indexing failed:\n{cold.summary()}")
    again = index_paths([corpus], s)
    return {
        "documents": len(cold.indexed),
        "index_s_per_doc": cold.seconds / max(1, len(cold.indexed)),
        "unchanged_s": again.seconds,
        "unchanged": len(again.unchanged),
    }


def _correct(answer, item: dict) -> bool:
    from eval.matching import includes

    if answer.declined or not all(includes(answer.text, e, "万元") for e in item["expect"]):
        return False
    return "doc_id" not in item or (
        bool(answer.citations) and answer.citations[0].doc_id == item["doc_id"]
    )


def run_serve(index_dir: Path, items: dict) -> dict:
    """A fresh answering process: start-up, warm latencies, accuracy, RSS."""
    from retrieval import ask
    from retrieval.engine import get_engine

    s = replace(settings(), index_dir=index_dir)
    named, unnamed = items["named"], items["unnamed"]
    started = time.perf_counter()
    get_engine(s)
    ask(named[0]["q"], settings=s)
    start_s = time.perf_counter() - started

    def timed(item: dict) -> tuple[float, bool]:
        t = time.perf_counter()
        answer = ask(item["q"], settings=s)
        return (time.perf_counter() - t) * 1000, _correct(answer, item)

    first = [timed(item) for item in named]
    named_ms = [ms for ms, _ in first]
    while len(named_ms) < NAMED_TIMINGS:
        named_ms += [timed(item)[0] for item in named][: NAMED_TIMINGS - len(named_ms)]
    rounds = [[timed(item) for item in unnamed] for _ in range(UNNAMED_ROUNDS)]
    unnamed_ms = [ms for r in rounds for ms, _ in r]
    right = [ok for _, ok in first] + [ok for _, ok in rounds[0]]
    asked = zip(named + unnamed, first + rounds[0], strict=True)
    wrong = [item["q"] for item, (_, ok) in asked if not ok]
    return {
        "start_s": start_s,
        "rss_mb": _peak_rss_mb(),
        "p50_named_ms": statistics.median(named_ms),
        "p95_named_ms": percentile(named_ms, 95),
        "p50_unnamed_ms": statistics.median(unnamed_ms),
        "p95_unnamed_ms": percentile(unnamed_ms, 95),
        "accuracy": sum(right) / len(right),
        "questions": len(right),
        "wrong": wrong,
    }


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(*args: str) -> dict:
    """Run a phase in its own process; its last stdout line is the JSON result."""
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


# ---- the driver ---------------------------------------------------------------
def measure(sizes: list[int], work: Path) -> dict[str, dict]:
    copies = build_corpus(max(sizes), work / "all")
    results: dict[str, dict] = {}
    for n in sizes:
        corpus, index_dir = work / f"corpus{n}", work / f"index{n}"
        corpus.mkdir()
        for c in copies[:n]:
            shutil.copy(work / "all" / c.file, corpus / c.file)
        named, unnamed = questions(copies[:n])
        items = work / f"questions{n}.json"
        items.write_text(json.dumps({"named": named, "unnamed": unnamed}, ensure_ascii=False))
        row = _child("--phase", "index", str(corpus), str(index_dir))
        row["disk_mb"] = _disk_mb(index_dir)
        row |= _child("--phase", "serve", str(index_dir), str(items))
        results[str(n)] = row
        print_row(n, row)
        sys.stdout.flush()
    return results


HEADER = (
    f"{'docs':>5} {'index s/doc':>11} {'unchanged s':>11} {'start s':>8} {'RSS MB':>7} "
    f"{'disk MB':>8} {'named p50/p95 ms':>17} {'unnamed p50/p95 ms':>19} {'accuracy':>8}"
)


def print_row(n: int, r: dict) -> None:
    print(
        f"{n:>5} {r['index_s_per_doc']:>11.2f} {r['unchanged_s']:>11.2f} {r['start_s']:>8.2f} "
        f"{r['rss_mb']:>7.0f} {r['disk_mb']:>8.1f} "
        f"{r['p50_named_ms']:>8.1f}/{r['p95_named_ms']:<8.1f} "
        f"{r['p50_unnamed_ms']:>9.1f}/{r['p95_unnamed_ms']:<9.1f} {r['accuracy']:>8.1%}"
    )
    for q in r.get("wrong", []):
        print(f"      wrong: {q}")


def main() -> None:
    offline()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="5,25,100", help="corpus sizes, comma-separated")
    parser.add_argument("--json", type=Path, help="write the figures per size to this file")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and indexes")
    # A child process: --phase index CORPUS INDEX_DIR | --phase serve INDEX_DIR QUESTIONS
    parser.add_argument("--phase", choices=("index", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "index":
        print(json.dumps(run_index(*args.paths)))
        return
    if args.phase == "serve":
        items = json.loads(args.paths[1].read_text(encoding="utf-8"))
        print(json.dumps(run_serve(args.paths[0], items)))
        return
    sizes = sorted({int(n) for n in args.docs.split(",")})
    if min(sizes) < len(SEEDS):
        parser.error(f"the smallest size is the {len(SEEDS)} seeds")
    work = Path(tempfile.mkdtemp(prefix="bench_scale_"))
    print(HEADER)
    try:
        results = measure(sizes, work)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
