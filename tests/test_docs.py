"""The examples in docs/ are executed: shell lines in docs/cli.md, TOML in docs/config.md,
hook ids in docs/pre-commit.md (the Python examples in docs/*.md run as doctests)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cleaner.config import parse_config
from conftest import ROOT, SAMPLES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOCS = ROOT / "docs"


def blocks(name: str, lang: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


COMMANDS = [
    line[2:] for block in blocks("cli.md", "console") for line in block.splitlines() if line.startswith("$ ")
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    shutil.copytree(SAMPLES, folder / "samples")
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_examples_run(command: str, workdir: Path) -> None:
    expected = re.search(r"#\s*exits (\d+)", command)
    status = int(expected.group(1)) if expected else 0
    script = command.split("#")[0]
    bindir = Path(sys.executable).parent
    env_path = f"{bindir}:{subprocess.os.environ.get('PATH', '')}"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        cwd=workdir,
        capture_output=True,
        env={**subprocess.os.environ, "PATH": env_path},
    )
    assert result.returncode == status, (command, result.stderr.decode("utf-8", "replace")[-500:])
    assert b"Traceback" not in result.stderr


def test_cli_examples_cover_every_command() -> None:
    used = {name for c in COMMANDS for name in re.findall(r"cleaner (\w+)", c)}
    assert used >= {
        "run",
        "stats",
        "explain",
        "check",
        "emit",
        "strip",
        "respace",
        "langsplit",
        "segment",
        "dedup",
        "clean",
    }


def test_config_example_is_valid() -> None:
    (example,) = blocks("config.md", "toml")
    table = tomllib.loads(example)["tool"]["cleaner"]
    config = parse_config(table, "docs/config.md", base=DOCS)
    assert config.formats == ("jsonl", "txt", "xliff") and config.abbreviations["en"] == ("Abs", "Approx")


def test_pre_commit_example_names_real_hooks() -> None:
    (example,) = blocks("pre-commit.md", "yaml")
    used = {hook["id"] for repo in yaml.safe_load(example)["repos"] for hook in repo["hooks"]}
    shipped = {
        hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert used == shipped == {"cleaner-check", "cleaner-emit"}
