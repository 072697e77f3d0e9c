"""`dealcraft users` and `dealcraft db`: the same --db everywhere, user errors as exit code 2."""

from __future__ import annotations

from typer.testing import CliRunner

from dealcraft.cli import app

runner = CliRunner()


def test_users_and_db_commands(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    r = runner.invoke(app, ["db", "upgrade", "--db", db])
    assert r.exit_code == 0 and "revision 0001" in r.output
    r = runner.invoke(
        app, ["users", "add", "ada", "--admin", "--password-stdin", "--db", db], input="long enough pw\n"
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "add", "bob", "--db", db], input="another pw!\nanother pw!\n")
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["users", "list", "--db", db])
    assert r.exit_code == 0 and "ada" in r.output and "yes" in r.output and "bob" in r.output
    r = runner.invoke(
        app, ["users", "passwd", "bob", "--password-stdin", "--db", db], input="a third password\n"
    )
    assert r.exit_code == 0


def test_user_errors_exit_2(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner.invoke(app, ["users", "add", "ada", "--password-stdin", "--db", db], input="long enough pw\n")
    cases = [
        (["users", "add", "ada", "--password-stdin", "--db", db], "long enough pw\n", "already exists"),
        (["users", "add", "cy", "--password-stdin", "--db", db], "short\n", "too short"),
        (["users", "add", "cy", "--password-stdin", "--db", db], "", "standard input is empty"),
        (["users", "passwd", "zed", "--password-stdin", "--db", db], "long enough pw\n", "no user"),
        (["users", "list", "--db", "mysql://x@y/z"], "", "unsupported database"),
        (
            ["db", "upgrade", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x"],
            "",
            "cannot open the database",
        ),
    ]
    for args, stdin, message in cases:
        r = runner.invoke(app, args, input=stdin)
        assert r.exit_code == 2, (args, r.output)
        assert message in r.output and "Traceback" not in r.output


def test_default_database_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALCRAFT_DB", f"sqlite:///{tmp_path / 'env.db'}")
    r = runner.invoke(app, ["db", "where"])
    assert r.exit_code == 0 and "env.db" in r.output
    monkeypatch.delenv("DEALCRAFT_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    r = runner.invoke(app, ["db", "where"])
    assert r.exit_code == 0 and str(tmp_path / "xdg" / "dealcraft" / "dealcraft.db") in r.output.replace(
        "\n", ""
    )
