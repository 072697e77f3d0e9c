"""Exit codes that mean one thing, and no raw traceback for anything but `--debug`.

0 success; 1 problems found in the input (``check``) or a negative verdict; 2 usage or input
errors; 3 internal errors (a bug: short message, 'please report', the traceback only with
``--debug`` or ``DEALCRAFT_DEBUG=1``).
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click
import typer
from typer.core import TyperGroup

from dealcraft.cli import progress
from dealcraft.errors import DealcraftError

EXIT_OK, EXIT_FOUND, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
DEBUG_ENV = "DEALCRAFT_DEBUG"
REPORT = "this is a bug in dealcraft: please report it with the command and the scenario file"


class _State:
    debug = False


def set_debug(value: bool | None) -> bool | None:
    """Typer callback of --debug: show tracebacks of internal errors from now on."""
    if value:
        _State.debug = True
    return value


def debug_enabled() -> bool:
    """Whether --debug or DEALCRAFT_DEBUG asks for tracebacks."""
    return _State.debug or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def internal_error(error: BaseException) -> int:
    """Tell the user about a bug in a few lines (the traceback with --debug); the exit code."""
    if debug_enabled():
        traceback.print_exception(error, file=sys.stderr)
    kind = "out of memory" if isinstance(error, MemoryError) else type(error).__name__
    text = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    print(f"internal error: {kind}{': ' + text if text else ''}", file=sys.stderr)
    hint = "" if debug_enabled() else f" (run with --debug or {DEBUG_ENV}=1 for the traceback)"
    print(f"{REPORT}{hint}", file=sys.stderr)
    return EXIT_INTERNAL


def user_error(error: DealcraftError) -> int:
    """Print a user error on stderr; its exit code."""
    print(f"error: {error}", file=sys.stderr)
    return EXIT_INPUT


# how Click/Typer end a command on purpose (exit codes, usage errors): passed through untouched
_PASS: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, SystemExit)
for _click in (click, getattr(typer, "_click", click)):  # recent Typer vendors its own Click
    _PASS += tuple(
        getattr(_click.exceptions, name)
        for name in ("Exit", "ClickException", "Abort")
        if hasattr(_click.exceptions, name)
    )


class GuardedGroup(TyperGroup):
    """The command group: whatever a command raises ends as a clear message and exit code."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Reset per-command state: one process may run many commands (tests, notebooks)."""
        _State.debug = False  # one process may run many commands (tests, notebooks)
        progress.reset()
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn anything it raises into a message and an exit code."""
        try:
            return super().invoke(ctx)
        except _PASS:
            raise
        except DealcraftError as e:  # a user error that escaped a command's own handling
            raise typer.Exit(user_error(e)) from None
        except Exception as e:  # noqa: BLE001  (the point: nothing escapes as a traceback)
            if debug_enabled():
                raise
            raise typer.Exit(internal_error(e)) from None


def run(app: Any) -> None:
    """Run the Typer app as a program: the outermost guard (errors outside any command too)."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except DealcraftError as e:
        sys.exit(user_error(e))
    except Exception as e:  # noqa: BLE001
        code = internal_error(e)
        sys.exit(code)
