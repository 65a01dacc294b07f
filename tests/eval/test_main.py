"""The command line: `python -m eval --help` works without building anything."""

from __future__ import annotations

import subprocess
import sys

from config import ROOT


def test_help_lists_every_option():
    result = subprocess.run(
        [sys.executable, "-m", "eval", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    for option in ("--gold", "--k", "--baseline", "--min-accuracy", "--out"):
        assert option in result.stdout


def test_defaults_are_dev_set_k5_and_latest_report():
    from eval.__main__ import parse_args

    args = parse_args([])
    assert ([g.name for g in args.gold], args.k, args.baseline, args.min_accuracy) == (
        ["dev.jsonl", "real_dev.jsonl"],
        5,
        False,
        None,
    )
    assert args.out == ROOT / "eval" / "reports" / "latest"
