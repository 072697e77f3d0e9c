"""Write a report file atomically: a temporary file in the same folder, then a rename, so an
interrupted run never leaves a half-written report behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from dealcraft.errors import DealcraftError


def check_target(path: Path, force: bool) -> None:
    """Fail before any work if the report could not be written (or would overwrite silently)."""
    if path.exists() and not force:
        raise DealcraftError(f"{path}: the file exists; give --force to overwrite it or -o another name")
    if path.is_dir():
        raise DealcraftError(f"{path}: is a folder; give a file name with -o (e.g. -o {path}/report.html)")
    folder = path.parent
    if not folder.is_dir():
        raise DealcraftError(f"{path}: the folder {folder} does not exist; create it or choose another -o")
    try:  # the only reliable test (permissions, read-only mounts, special file systems)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise DealcraftError(f"{path}: cannot write in {folder} ({e.strerror}); choose another -o") from None


def write_atomic(path: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp)`` to fill a temporary file next to ``path``, then rename it into place."""
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        writer(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        raise DealcraftError(f"{path}: cannot write it ({e.strerror}); choose another -o") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """Write text atomically, so a failed run never leaves half a file at the target."""
    write_atomic(path, lambda tmp: tmp.write_text(text, "utf-8"))
