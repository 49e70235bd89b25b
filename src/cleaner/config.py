"""Configuration: ``[tool.cleaner]`` in the nearest ``pyproject.toml``, or ``--config FILE``.

Every key is checked: an unknown key or a value of the wrong type is a UsageError naming the
file and the key (exit status 2). Command-line flags override the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner import tomlfile
from cleaner.errors import UsageError
from cleaner.sources import Fields

STAGES = ("decode", "html", "blocks", "boilerplate", "whitespace", "language", "segment", "dedup")
OPTIONAL_STAGES = ("boilerplate", "whitespace", "language", "dedup")


@dataclass(frozen=True)
class Config:
    """Settings a run takes from the config file and the command line.

    >>> Config().formats
    ('jsonl', 'txt')
    """

    source: str = "<defaults>"
    disable: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    formats: tuple[str, ...] = ("jsonl", "txt")
    target_lang: str | None = None
    languages: tuple[str, ...] = ()
    abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    template_min_pages: int = 3
    template_min_share: float = 1 / 3
    near_duplicates: bool = True
    drop_near_duplicates: bool = False
    emit_dir: str | None = None
    jsonl_fields: Fields = field(default_factory=Fields)


# key -> (type check, description used in error messages)
_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "disable": (list, "a list of stage names"),
    "rules": (list, "a list of folders"),
    "formats": (list, "a list of format names"),
    "target-lang": (str, "a language code"),
    "languages": (list, "a list of language codes"),
    "abbreviations": (dict, "a table of language -> list of abbreviations"),
    "template-min-pages": (int, "a whole number"),
    "template-min-share": ((int, float), "a number between 0 and 1"),
    "near-duplicates": (bool, "true or false"),
    "drop-near-duplicates": (bool, "true or false"),
    "emit-dir": (str, "a folder"),
    "jsonl-fields": (dict, "a table with any of text, html, id, url"),
}


# Where TOML could name ``tool.cleaner``: a ``tool.cleaner`` key or table header (quoted or
# spaced as TOML allows), a bare ``[tool]`` table or ``tool = {...}`` to hold it, or an escape
# that could spell a key. Text with none of these has no ``[tool.cleaner]``, and is not parsed:
# importing tomllib and parsing a project's pyproject.toml took 3.5 ms of every start.
_MAY_HOLD_OURS = re.compile(r"""tool["']?\s*(?:\.\s*["']?cleaner\b|\]|=)|\\[uU]""")


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` from ``start`` upwards that has a ``[tool.cleaner]``."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
                if not _MAY_HOLD_OURS.search(text):
                    continue
                data = tomlfile.loads(text)
            except (OSError, ValueError):  # unreadable, not UTF-8, or not TOML
                continue
            if "cleaner" in data.get("tool", {}):
                return candidate
    return None


def load_config(path: str | Path | None = None, start: Path | None = None) -> Config:
    """Read ``path`` (a pyproject.toml or a cleaner TOML file) or find the nearest pyproject."""
    if path is None:
        found = find_pyproject(start or Path.cwd())
        if found is None:
            return Config()
        path = found
    path = Path(path)
    try:
        data = tomlfile.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except ValueError as exc:  # not UTF-8, or not TOML
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("cleaner", data if path.name != "pyproject.toml" else {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [tool.cleaner] must be a table")
    return parse_config(table, str(path), base=path.parent)


def parse_config(table: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Check ``table`` key by key and build a Config (relative folders resolved from ``base``)."""
    values: dict[str, Any] = {"source": source}
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise UsageError(f"{source}: unknown key '{key}' in [tool.cleaner] (known: {known})")
        kind, what = _KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise UsageError(f"{source}: '{key}' must be {what}, not {value!r}")
        values[key.replace("-", "_")] = value
    for key in ("disable", "rules", "formats", "languages"):
        if key in values:
            items = values[key]
            if not all(isinstance(v, str) for v in items):
                raise UsageError(f"{source}: '{key}' must be {_KEYS[key][1]}")
            values[key] = tuple(items)
    unknown = sorted(set(values.get("disable", ())) - set(OPTIONAL_STAGES))
    if unknown:
        raise UsageError(
            f"{source}: 'disable' names stage(s) that cannot be switched off: {', '.join(unknown)}"
        )
    if "rules" in values and base is not None:
        values["rules"] = tuple(
            str((base / r).resolve()) if not Path(r).is_absolute() else r for r in values["rules"]
        )
    if "emit_dir" in values and base is not None and not Path(values["emit_dir"]).is_absolute():
        values["emit_dir"] = str((base / values["emit_dir"]).resolve())
    share = values.get("template_min_share", 0.5)
    if not 0 < share <= 1:
        raise UsageError(f"{source}: 'template-min-share' must be a number between 0 and 1")
    if "jsonl_fields" in values:
        given = values["jsonl_fields"]
        unknown_fields = set(given) - {"text", "html", "id", "url"}
        if unknown_fields or not all(isinstance(v, str) for v in given.values()):
            raise UsageError(f"{source}: 'jsonl-fields' takes string values for text, html, id and url")
        values["jsonl_fields"] = Fields(**given)
    if "abbreviations" in values:
        abbreviations = {}
        for lang, words in values["abbreviations"].items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise UsageError(f"{source}: abbreviations.{lang} must be a list of strings")
            abbreviations[lang] = tuple(words)
        values["abbreviations"] = abbreviations
    return Config(**values)
