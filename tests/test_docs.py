"""Every setting and command is documented (as datasette's tests/test_docs.py does).

The settings are the environment variables that `config.Settings` reads, found
by running its declaration against a recording environment, so a new setting
fails here until the README's configuration table (and config.py's own) has it.
"""

from __future__ import annotations

import os

import pytest

import config
from config import ROOT
from juesuan.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


class RecordingEnviron(dict[str, str]):
    """An empty environment that remembers which variables were looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.looked_up: list[str] = []

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.looked_up.append(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.looked_up.append(key)
        return super().__getitem__(key)


@pytest.fixture(scope="module")
def variables() -> list[str]:
    """The JUESUAN_* variables that Settings() reads."""
    environ = RecordingEnviron()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", environ)
        config.Settings()
    found = sorted({name for name in environ.looked_up if name.startswith("JUESUAN_")})
    assert "JUESUAN_DATA_DIR" in found and "JUESUAN_PORT" in found
    return found


def table_variables(text: str) -> list[str]:
    """The first cell of each table row that names a JUESUAN_ variable."""
    return [row.split("|")[1].strip() for row in text.splitlines() if row.startswith("| JUESUAN_")]


def readme_section(heading: str) -> str:
    return README.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def test_every_setting_is_in_the_readme_configuration_table(variables: list[str]) -> None:
    documented = table_variables(readme_section("## Configuration"))
    assert [name for name in variables if name not in documented] == []


def test_the_readme_configuration_table_has_no_setting_config_does_not_read(
    variables: list[str],
) -> None:
    documented = table_variables(readme_section("## Configuration"))
    assert [name for name in documented if name not in variables] == []
    assert len(documented) == len(set(documented))


def test_every_setting_is_in_the_table_of_config_docstring(variables: list[str]) -> None:
    assert sorted(table_variables(config.__doc__ or "")) == variables


def test_every_juesuan_command_is_in_the_readme() -> None:
    (commands,) = [a for a in build_parser()._actions if a.dest == "command"]
    section = readme_section("## The package and the `juesuan` command")
    assert [name for name in commands.choices if f"juesuan {name}" not in section] == []
