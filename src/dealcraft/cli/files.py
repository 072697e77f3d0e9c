"""Commands about scenario files: check, scenarios, show, export."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.markup import escape  # user text (titles, names) is not Rich markup
from rich.table import Table

from dealcraft.cli.app import app
from dealcraft.cli.common import (
    JSON_OPT,
    SCENARIO_ARG,
    console,
    err_console,
    load_scenario,
    print_json,
    user_errors,
)
from dealcraft.cli.evidence import print_warnings
from dealcraft.errors import DealcraftError, Problem, ScenarioError
from dealcraft.model.builtins import builtin_ids, builtin_summary, builtin_text
from dealcraft.model.numeric import shown
from dealcraft.service.check import report_json, report_text


@app.command()
def check(
    file: Path = typer.Argument(..., help="Scenario file to validate."),
    corpus: Path = typer.Option(None, "--corpus", help="Also check the sources against this folder."),
    as_json: bool = typer.Option(
        False, "--json", help="Print {ok, problems: [{file, where, message, fix}]} instead of text."
    ),
) -> None:
    """Validate a scenario file and list every problem at once on stdout (exit code 1 if any).
    Warns about numbers without a source; with a corpus (--corpus or 'corpus:'), broken sources
    fail too (`dealcraft evidence check --json` gives the sources' full report)."""
    from dealcraft.model.load import load

    try:
        scenario = load(str(file))
    except ScenarioError as e:
        _check_failed(e.source, e.problems, as_json, code=1)
    except DealcraftError as e:  # not a scenario's problem (no such file...): a usage error
        _check_failed(str(file), [Problem("", str(e))], as_json, code=2)
    if as_json:
        print_json(report_json(str(file), []))
        return
    from dealcraft.service.evidence import evidence_warnings

    with user_errors():
        warned = evidence_warnings(str(file), corpus)
    print_warnings(warned)
    if warned.broken:
        raise typer.Exit(1)
    console.print(
        f"[green]ok[/] {escape(str(file))}: scenario {scenario.id!r}, {len(scenario.parties)} parties, "
        f"{len(scenario.stakeholders)} stakeholders, {len(scenario.issues)} issues, "
        f"{scenario.size:,} packages",
        highlight=False,
    )


def _check_failed(source: str, problems: list[Problem], as_json: bool, code: int) -> NoReturn:
    if as_json:
        print_json(report_json(source, problems))
    elif code == 1:  # the report is the command's output
        typer.echo(report_text(source, problems))
    else:  # could not check at all (no such file...): an error message
        err_console.print(f"[bold red]error:[/] {escape(problems[0].message)}", highlight=False)
    raise typer.Exit(code)


@app.command()
def scenarios(as_json: bool = JSON_OPT) -> None:
    """List the built-in scenarios."""
    if as_json:
        from dataclasses import asdict

        print_json({"scenarios": [asdict(builtin_summary(sid)) for sid in builtin_ids()]})
        return
    table = Table("id", "title", "parties", "issues", "packages")
    for sid in builtin_ids():
        s = builtin_summary(sid)
        table.add_row(sid, escape(s.title), str(s.parties), str(s.issues), f"{s.packages:,}")
    console.print(table)


@app.command()
def show(scenario: str = SCENARIO_ARG, as_json: bool = JSON_OPT) -> None:
    """Summarise a scenario: parties, stakeholders, issues and options, observations
    (`--json`: the whole scenario as data in the file format)."""
    with user_errors():
        sc = load_scenario(scenario)
    if as_json:
        from dealcraft.model.load import to_data

        print_json(to_data(sc))
        return
    console.print(f"[bold]{escape(sc.title)}[/] ({sc.id}) — {sc.size:,} packages", highlight=False)
    parties = Table("party", "ratification", "stakeholder", "influence", "reservation", title="Parties")
    for p in sc.parties:
        rule = "all must accept" if p.threshold is None else f"weighted ≥ {p.threshold:g}"
        for k, s in enumerate(p.stakeholders):
            h = sc.stakeholders[s]
            parties.add_row(
                escape(p.name) if k == 0 else "",
                rule if k == 0 else "",
                escape(h.name),
                f"{h.influence:g}",
                f"{sc.params.reservations[s]:.2f}",
            )
    console.print(parties)
    issues = Table("issue", "giver", "options (least → most conceded; * = status quo)", title="Issues")
    for i in sc.issues:
        if i.numeric:
            opts = f"{i.options[0]} to {i.options[-1]} in steps of {i.step:g} (*{i.options[i.status_quo]})"
        else:
            opts = ", ".join(("*" if k == i.status_quo else "") + o for k, o in enumerate(i.options))
        label = i.id if i.name == i.id else f"{i.id}\n[dim]{escape(i.name)}[/]"
        issues.add_row(label, sc.parties[i.giver].id if i.giver is not None else "—", opts)
    console.print(issues)
    if sc.observations:
        obs = Table("observation", "package (changes from status quo)", "by", "outcome", title="Observations")
        for o in sc.observations:
            change = ", ".join(f"{k}={shown(v)}" for k, v in sc.changes(o.package).items())
            by = sc.parties[o.party].id if o.party is not None else sc.stakeholders[o.stakeholder].key
            obs.add_row(o.id, change, by, "accepted" if o.expected_accept else "rejected")
        console.print(obs)


@app.command()
def export(
    scenario: str = typer.Argument(..., help="Built-in scenario id (or, with --format genius, a file)."),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    fmt: str = typer.Option("yaml", "--format", help="yaml (a built-in's file) or genius (a folder of XML)."),
) -> None:
    """Write a built-in scenario's YAML out so you can edit it, or any scenario as GENIUS XML."""
    if fmt == "genius":
        from dealcraft.cli.interop import export_genius

        export_genius(scenario, output, force)
        return
    with user_errors():
        if fmt != "yaml":
            raise DealcraftError(f"unknown format {fmt!r}: use yaml or genius")
        text = builtin_text(scenario)
        if output is None:
            typer.echo(text, nl=False)
            return
        if output.exists() and not force:
            raise DealcraftError(f"{output} exists: pass --force to overwrite it, or choose another --output")
        tmp = output.with_name(output.name + ".tmp")
        try:
            tmp.write_text(text, "utf-8")
            tmp.replace(output)
        except OSError as e:
            raise DealcraftError(f"{output}: cannot write it ({e.strerror})") from None
    err_console.print(f"wrote {output}")
