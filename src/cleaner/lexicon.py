"""Word tables (``{word: cost}``) as compact tries, built once and kept in a disk cache.

Whitespace repair looks words up in tables derived from wordfreq and symspellpy: about 330,000
English words and 240,000 word pairs. Built as Python dicts they took about 1.2 s and 200 MB
in every process, which a pre-commit hook on one file, and each worker of ``-j 2``, paid
again. A :class:`Lexicon` holds the same table as a MARISA trie (the words) and an array of
costs (by the trie's key id). It is built on first use and saved to a cache folder; later
processes read it back in milliseconds. The costs are the same floats, so cuts do not change.

The cache folder is ``$CLEANER_CACHE_DIR`` when set (an empty value turns the disk cache off),
else the user's cache folder (``platformdirs``). A file is named by a digest of what its table
is made from: cleaner's own source, the parameters, and where and when the packages the words
come from were installed, so an upgrade, a reinstall or an edit rebuilds it. Files are written
atomically; a file that cannot be read is rebuilt, and a folder that cannot be written leaves the
table in memory.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import importlib.util
import mmap
import os
import struct
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar, overload

import marisa_trie

from cleaner.writers.atomic import write_atomic

_MAGIC = b"cleaner-lexicon-1\n"
_HEADER = struct.Struct("<Q")  # the number of words


class Lexicon:
    """A read-only ``{word: cost}`` table: exact lookups and every word that starts a string."""

    __slots__ = ("_costs", "_source", "_trie")

    def __init__(self, trie: marisa_trie.Trie, costs: Sequence[float], source: object = None) -> None:
        if len(trie) != len(costs):
            raise ValueError(f"{len(trie)} words but {len(costs)} costs")
        self._trie = trie
        self._costs = costs
        self._source = source  # the buffer the trie and costs are read from in place, if any

    @classmethod
    def from_mapping(cls, table: Mapping[str, float]) -> Lexicon:
        """The lexicon of ``table`` (the empty string, which a trie cannot hold, is left out).

        >>> lexicon = Lexicon.from_mapping({"at": 5.0, "atom": 9.5})
        >>> lexicon.get("atom"), lexicon.get("ato"), "at" in lexicon
        (9.5, None, True)
        >>> lexicon.prefixes("atoms")
        [(2, 5.0), (4, 9.5)]
        """
        trie = marisa_trie.Trie(word for word in table if word)
        costs = array.array("d", bytes(8 * len(trie)))
        for word, key in trie.iteritems():
            costs[key] = table[word]
        return cls(trie, costs)

    @overload
    def get(self, word: str) -> float | None: ...

    @overload
    def get(self, word: str, default: float) -> float: ...

    def get(self, word: str, default: float | None = None) -> float | None:
        """The cost of ``word``, or ``default`` when the table lacks it."""
        key = self._trie.get(word)
        return default if key is None else self._costs[key]

    def __contains__(self, word: object) -> bool:
        return word in self._trie

    def count_in(self, words: Iterable[str]) -> int:
        """How many of ``words`` the table holds (repeats counted), in one pass at C speed."""
        return sum(map(self._trie.__contains__, words))

    def __len__(self) -> int:
        return len(self._trie)

    def items(self) -> Iterator[tuple[str, float]]:
        """Every (word, cost), in no promised order."""
        costs = self._costs
        for word, key in self._trie.iteritems():
            yield word, costs[key]

    def prefixes(self, text: str) -> list[tuple[int, float]]:
        """(length, cost) of every word that ``text`` starts with, shortest first."""
        costs = self._costs
        return [(len(word), costs[key]) for word, key in self._trie.iter_prefixes_with_ids(text)]

    def to_bytes(self) -> bytes:
        """The lexicon as one blob: a header, the costs (little-endian doubles), the trie."""
        costs = array.array("d", self._costs)
        if sys.byteorder != "little":
            costs.byteswap()
        return _MAGIC + _HEADER.pack(len(costs)) + costs.tobytes() + self._trie.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes | memoryview) -> Lexicon:
        """Read back :meth:`to_bytes`; ValueError when the blob is not one.

        The trie and the costs are used where they lie in ``blob`` (kept alive with the
        lexicon), not copied: read from a file mapped into memory, the pages come from the
        system's file cache, shared by every process that reads the same table.
        """
        view = memoryview(blob)
        if bytes(view[: len(_MAGIC)]) != _MAGIC or len(view) < len(_MAGIC) + _HEADER.size:
            raise ValueError("not a cleaner lexicon")
        (count,) = _HEADER.unpack_from(view, len(_MAGIC))
        start = len(_MAGIC) + _HEADER.size
        if len(view) < start + 8 * count:
            raise ValueError("truncated lexicon")
        costs: Sequence[float]
        if sys.byteorder == "little":
            costs = view[start : start + 8 * count].cast("d")
        else:
            costs = array.array("d", view[start : start + 8 * count].tobytes())
            costs.byteswap()
        trie = marisa_trie.Trie()
        try:
            trie.map(view[start + 8 * count :])
        except Exception as exc:  # marisa raises its own error types for a damaged trie
            raise ValueError(f"damaged lexicon trie ({exc})") from exc
        return cls(trie, costs, view)


def cache_folder() -> Path | None:
    """Where lexicons are cached: ``$CLEANER_CACHE_DIR``, else the user's cache folder.

    None (no disk cache) when ``CLEANER_CACHE_DIR`` is set to the empty string.
    """
    configured = os.environ.get("CLEANER_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("cleaner", appauthor=False))


def cache_key(parameters: str, packages: tuple[str, ...]) -> str:
    """A digest of what a table is made from: cleaner's own source, the parameters, packages.

    Any edit of cleaner's modules rebuilds the tables (about a second, once), so a change to
    how a table is built can never be hidden by an old cache file; so does installing another
    version of a package the words come from (see :func:`installed`).
    """
    digest = hashlib.sha256(_MAGIC + parameters.encode() + _source_digest())
    for package in packages:
        digest.update(f"{package}={installed(package)}".encode())
    return digest.hexdigest()[:20]


def installed(package: str) -> str:
    """Where ``package`` is installed and when its module file was written ("?" if it is not).

    Installing any version, or the same again, writes the file anew, so the key changes. This
    is found without importing the package, and without ``importlib.metadata``, whose import
    alone took 17 ms of every run's start.
    """
    try:
        spec = importlib.util.find_spec(package)
        origin = spec.origin if spec is not None else None
        if origin is None:
            return "?"
        stat = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return "?"
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


@functools.lru_cache(maxsize=1)
def _source_digest() -> bytes:
    """A digest of the Python version and every module of cleaner, read once per process."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.digest()


def cached_lexicon(
    name: str, build: Callable[[], Mapping[str, float]], parameters: str = "", packages: tuple[str, ...] = ()
) -> Lexicon:
    """The lexicon of ``build()``, read from the disk cache when there, else built and saved."""
    return cached(
        name,
        lambda: Lexicon.from_mapping(build()),
        Lexicon.to_bytes,
        Lexicon.from_bytes,
        parameters,
        packages,
        mapped=True,
    )


T = TypeVar("T")


def cached(
    name: str,
    build: Callable[[], T],
    dump: Callable[[T], bytes],
    load: Callable[[bytes], T],
    parameters: str = "",
    packages: tuple[str, ...] = (),
    mapped: bool = False,
) -> T:
    """``build()``, or what ``load`` reads back from the disk cache, where ``dump`` saved it.

    ``load`` raises ValueError for a file that is not what it expects: it is built again.
    With ``mapped``, ``load`` is given the file mapped into memory (read-only) instead of its
    bytes, and may keep using it. Cache files are only ever replaced whole (renamed into
    place), so a mapping keeps the file it was made of.
    """
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{name}-{cache_key(parameters, packages)}.lexicon"
    try:
        value = load(_mapped(path) if mapped else path.read_bytes())  # type: ignore[arg-type]
    except (OSError, ValueError):
        pass
    else:
        mark_used(path)
        return value
    value = build()
    with contextlib.suppress(OSError):  # a folder we cannot write costs speed, never a result
        _save(path, dump(value))
    return value


def _mapped(path: Path) -> memoryview:
    """The file at ``path`` mapped read-only into memory (ValueError for an empty file)."""
    with path.open("rb") as handle:
        return memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))


def _save(path: Path, blob: bytes) -> None:
    """Write ``blob`` to ``path`` atomically, then drop the least used other versions of the table."""
    write_atomic(path, blob)
    stem = path.name.rsplit("-", 1)[0]
    drop_old_versions(path, f"{stem}-*.lexicon")


KEEP_VERSIONS = 4  # versions of one cache file kept side by side, the most recently used


def drop_old_versions(path: Path, pattern: str, keep: int = KEEP_VERSIONS) -> None:
    """Delete the files beside ``path`` matching ``pattern``, but for the ``keep`` used last.

    Installs of cleaner that differ (a project's environment and pre-commit's, or two
    versions) share the user's cache folder, each with its own version of a table. Keeping
    only the newest made each run rebuild what the other had just replaced (about a second
    a run). Reading a file marks it used (:func:`mark_used`), so the versions in use stay and
    those of an old install go.
    """
    others = [other for other in path.parent.glob(pattern) if other != path]
    others.sort(key=_last_used, reverse=True)
    for old in others[max(0, keep - 1) :]:
        with contextlib.suppress(OSError):
            old.unlink(missing_ok=True)


def mark_used(path: Path) -> None:
    """Note that ``path`` was just read (its modification time), so that it is kept."""
    with contextlib.suppress(OSError):  # a folder we cannot write costs nothing here
        os.utime(path)


def _last_used(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # gone meanwhile (another process dropped it): first to go
        return 0
