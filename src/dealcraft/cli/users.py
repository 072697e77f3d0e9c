"""`dealcraft users`: accounts for the web app (Argon2-hashed passwords)."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import console, user_errors
from dealcraft.cli.db import DB_OPT, open_db
from dealcraft.errors import DealcraftError

users_app = typer.Typer(help="Accounts of the web app: add, list, change passwords.", no_args_is_help=True)
app.add_typer(users_app, name="users")

STDIN_OPT = typer.Option(
    False, "--password-stdin", help="Read the password from the first line of standard input."
)


def _password(from_stdin: bool) -> str:
    """The new password (checked before the database is opened)."""
    from dealcraft.store.accounts import check_new_password

    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise DealcraftError("--password-stdin: standard input is empty; pipe the password in")
        password = line.rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    check_new_password(password)
    return password


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The user name (letters, digits, _ . @ -)."),
    admin: bool = typer.Option(False, "--admin", help="Make the account an administrator."),
    password_stdin: bool = STDIN_OPT,
    db: str = DB_OPT,
) -> None:
    """Create an account (the password is asked for twice, or read from stdin)."""
    with user_errors():
        from dealcraft.store.accounts import add_user

        password = _password(password_stdin)
        with open_db(db)() as session:
            add_user(session, name, password, admin=admin)
    console.print(f"added user {name}" + (" (admin)" if admin else ""), highlight=False)


@users_app.command("list")
def list_(db: str = DB_OPT) -> None:
    """List the accounts."""
    with user_errors():
        from dealcraft.store.accounts import list_users

        with open_db(db)() as session:
            users = list_users(session)
    table = Table("user", "admin", "created")
    for u in users:
        table.add_row(u.username, "yes" if u.is_admin else "", u.created_at.strftime("%Y-%m-%d %H:%M"))
    console.print(table)


@users_app.command("passwd")
def passwd(
    name: str = typer.Argument(..., help="The user name."),
    password_stdin: bool = STDIN_OPT,
    db: str = DB_OPT,
) -> None:
    """Set a new password for an account."""
    with user_errors():
        from dealcraft.store.accounts import set_password

        password = _password(password_stdin)
        with open_db(db)() as session:
            set_password(session, name, password)
    console.print(f"password of {name} changed", highlight=False)
