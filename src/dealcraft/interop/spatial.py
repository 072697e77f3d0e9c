"""Spatial actor data sets (one row per actor and issue: position, salience, capability) -> a
dealcraft scenario (plain data, ready for YAML).

The layout is the one of the expected-utility and exchange-model data sets: each issue is a
numeric scale (0-100 typically), each actor has an ideal position on it, a salience (how much
the issue matters to it) and a capability (what it can bring to bear). The conversion (see
docs/howto/import-spatial.md):

* each issue becomes a numeric issue over the data's scale (or ``--scale lo,hi``), grid ``step``;
* each actor becomes a party with ``power`` = its capability and one stakeholder, ``actor``,
  whose weights are its saliences and whose values are ideal-point losses around its positions
  (``linear`` or ``quadratic``, width = the scale's width);
* rows whose actor is ``status quo`` (or ``sq``) give each issue's status quo; the reservations
  are then each actor's utility of the status quo (no row: reservations 0);
* an actor silent on an issue (no row, or an empty position or salience) gets weight 0 there,
  with a note.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from dealcraft.errors import DealcraftError
from dealcraft.interop.ids import derive_id, unique_ids

FIELDS = ("actor", "issue", "position", "salience", "capability")
REQUIRED = ("actor", "position", "salience")
LOSSES = ("linear", "quadratic")
GRID_STEPS = 20  # default grid: the scale in 20 steps (21 points: 0, 5, ..., 100 on 0-100)
STAKEHOLDER = "actor"  # each actor becomes one party with this one stakeholder
STATUS_QUO = ("status quo", "status_quo", "statusquo", "sq")
SCALES = ((0.0, 1.0), (0.0, 10.0), (0.0, 100.0))  # the data's scale: the first that holds it

# Header names recognised for each field (compared lower-case, spaces/underscores/dashes removed).
ALIASES: dict[str, tuple[str, ...]] = {
    "actor": ("actor", "actors", "name", "player", "stakeholder", "country", "member", "party"),
    "issue": ("issue", "issues", "dimension", "topic", "question", "proposal"),
    "position": ("position", "positions", "pos", "idealpoint", "ideal", "x"),
    "salience": ("salience", "saliences", "sal", "importance", "s"),
    "capability": ("capability", "capabilities", "cap", "power", "clout", "influence", "resources", "c"),
}


@dataclass(frozen=True)
class Options:
    """How to read and convert the file (the command's options)."""

    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header name, overrides
    loss: str = "quadratic"
    scale: tuple[float, float] | None = None  # None: from the data
    step: float | None = None  # None: the scale in GRID_STEPS steps


@dataclass(frozen=True)
class Row:
    """One data row: where it is in the file and its cells (None where empty)."""

    line: int
    actor: str
    issue: str
    position: float | None
    salience: float | None
    capability: float | None


@dataclass(frozen=True)
class Imported:
    """The scenario as plain data, the header comment, and the notes for the user."""

    data: dict[str, Any]
    header: str
    notes: tuple[str, ...]


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


def parse_columns(spec: str | None) -> dict[str, str]:
    """``actor=Name,position=Pos`` -> {field: header}; a clear error for anything else."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, header = part.partition("=")
        name = name.strip().lower()
        if not sep or not header.strip():
            raise DealcraftError(
                f"cannot read --columns part {part.strip()!r}: write field=header, "
                "e.g. actor=Name,position=Pos"
            )
        if name not in FIELDS:
            raise DealcraftError(f"unknown field {name!r} in --columns: use some of {', '.join(FIELDS)}")
        out[name] = header.strip()
    return out


def parse_scale(spec: str | None) -> tuple[float, float] | None:
    """``lo,hi`` -> (lo, hi) with lo < hi; None when not given."""
    if spec is None:
        return None
    parts = spec.split(",")
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise DealcraftError(f"cannot read --scale {spec!r}: write lo,hi, e.g. --scale 0,100") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise DealcraftError(f"--scale {spec!r}: need finite numbers with lo < hi, e.g. --scale 0,100")
    return lo, hi


def import_spatial(path: Path, options: Options = Options()) -> Imported:
    """Read ``path`` and convert it (every problem is a DealcraftError naming the file, the line
    and column, and the fix)."""
    if options.loss not in LOSSES:
        raise DealcraftError(f"unknown loss {options.loss!r}: use one of {', '.join(LOSSES)}")
    rows, mapping = read_rows(path, options.columns)
    return _convert(path, rows, mapping, options)


def _open(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise DealcraftError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DealcraftError(f"{path}: cannot read it as UTF-8 text ({e})") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DealcraftError(
            f"{path}: the file is empty; it needs a header row and one row per actor and issue"
        )
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    records = [(reader.line_num, row) for row in reader]
    records = [(n, row) for n, row in records if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in records[0][1]]
    return header, records[1:]


def read_rows(path: Path, columns: Mapping[str, str]) -> tuple[list[Row], dict[str, str]]:
    """The data rows and which header each field was read from."""
    header, records = _open(path)
    mapping = _map_columns(path, header, columns)
    index = {f: header.index(h) for f, h in mapping.items()}
    rows = []
    for line, cells in records:
        cells = cells + [""] * (len(header) - len(cells))

        def cell(name: str, cells=cells) -> str:
            return cells[index[name]].strip() if name in index else ""

        actor = cell("actor")
        if not actor:
            raise DealcraftError(
                f"{path}, line {line}, column {mapping['actor']!r}: no actor name; give every row an actor"
            )
        rows.append(
            Row(
                line,
                actor,
                cell("issue"),
                _number(path, line, mapping, "position", cell("position")),
                _number(path, line, mapping, "salience", cell("salience")),
                _number(path, line, mapping, "capability", cell("capability")),
            )
        )
    if not rows:
        raise DealcraftError(f"{path}: a header but no data rows; add one row per actor and issue")
    return rows, mapping


def _map_columns(path: Path, header: list[str], columns: Mapping[str, str]) -> dict[str, str]:
    """field -> header name: the given --columns first, then the recognised names."""
    mapping: dict[str, str] = {}
    for name, wanted in columns.items():
        found = [h for h in header if h == wanted] or [h for h in header if _key(h) == _key(wanted)]
        if not found:
            raise DealcraftError(
                f"{path}: --columns {name}={wanted}: no such column; the header has {', '.join(header)}"
            )
        mapping[name] = found[0]
    for name in FIELDS:
        if name in mapping:
            continue
        found = [h for h in header if _key(h) in ALIASES[name] and h not in mapping.values()]
        if found:
            mapping[name] = found[0]
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise DealcraftError(
            f"{path}: no {' or '.join(missing)} column in the header ({', '.join(header)}); "
            f"name them with --columns, e.g. --columns {missing[0]}=YourHeader"
        )
    return mapping


def _number(path: Path, line: int, mapping: Mapping[str, str], name: str, text: str) -> float | None:
    if not text or name not in mapping:
        return None
    try:
        x = float(text)
    except ValueError:
        hint = " (write decimals with a point: 0.5, not 0,5)" if re.fullmatch(r"-?\d+,\d+", text) else ""
        raise DealcraftError(
            f"{path}, line {line}, column {mapping[name]!r}: {text!r} is not a number{hint}; "
            f"give the {name} as a number or leave the cell empty"
        ) from None
    if not math.isfinite(x):
        raise DealcraftError(
            f"{path}, line {line}, column {mapping[name]!r}: {text!r} is not a finite number"
        )
    return x


# --- conversion -----------------------------------------------------------------------------------


def _convert(path: Path, rows: list[Row], mapping: dict[str, str], options: Options) -> Imported:
    notes: list[str] = []
    default_issue = derive_id(path.stem)
    sq_rows = [r for r in rows if r.actor.strip().lower() in STATUS_QUO]
    actor_rows = [r for r in rows if r.actor.strip().lower() not in STATUS_QUO]
    if not actor_rows:
        raise DealcraftError(f"{path}: only status-quo rows; add one row per actor and issue")
    issue_labels = list(dict.fromkeys((r.issue or default_issue) for r in rows))
    actor_labels = list(dict.fromkeys(r.actor for r in actor_rows))
    cells = _cells(path, actor_rows, mapping, default_issue)
    lo, hi = _scale(path, rows, mapping, options.scale)
    step = _step(lo, hi, options.step)
    status_quo = _status_quo(path, sq_rows, mapping, issue_labels, default_issue, lo, hi, step, notes)
    issue_ids = unique_ids(issue_labels)
    party_ids = unique_ids(actor_labels)
    power = _powers(path, actor_rows, mapping, actor_labels, notes)
    issues = _issues(issue_labels, issue_ids, (lo, hi, step), status_quo)
    parties, preferences = [], {}
    width = _plain(hi - lo)
    for label, pid in zip(actor_labels, party_ids, strict=True):
        party: dict[str, Any] = {"id": pid}
        if pid != label:
            party["name"] = label
        party["power"] = _plain(power[label])
        party["stakeholders"] = [{"id": STAKEHOLDER}]
        parties.append(party)
        weights, values = _actor_preferences(
            path, label, cells, zip(issue_labels, issue_ids, strict=True), width, options.loss, notes
        )
        preferences[f"{pid}.{STAKEHOLDER}"] = {"reservation": 0.0, "weights": weights, "values": values}
    data = {
        "dealcraft": 1,
        "id": derive_id(path.stem),
        "title": path.stem,
        "parties": parties,
        "issues": issues,
        "preferences": preferences,
    }
    if len(status_quo) == len(issue_labels):
        _reservations_at_status_quo(data)
    else:
        notes.append(
            "no status-quo row: every reservation is 0 (each actor accepts every package); add rows "
            "with actor 'status quo' to make the status quo the point of disagreement"
        )
    used = ", ".join(f"{f}={h}" for f, h in mapping.items())
    header = (
        f"Imported from {path.name} by dealcraft import spatial (columns {used}).\n"
        f"Scale [{_plain(lo)}, {_plain(hi)}] in steps of {_plain(step)}; values: {options.loss} loss "
        f"around each position, width {width}; weights: saliences; power: capability; reservation: "
        + (
            "each actor's utility of the status quo."
            if len(status_quo) == len(issue_labels)
            else "0 (no status quo)."
        )
    )
    if notes:
        header += "\n" + "\n".join(f"note: {n}" for n in notes)
    return Imported(data, header, tuple(notes))


def _issues(
    labels: list[str], ids: list[str], grid: tuple[float, float, float], status_quo: dict[str, float]
) -> list[dict[str, Any]]:
    """One numeric issue per issue label, on the data's scale, with its status quo when known."""
    lo, hi, step = grid
    issues = []
    for label, iid in zip(labels, ids, strict=True):
        entry: dict[str, Any] = {"id": iid}
        if iid != label:
            entry["name"] = label
        entry["range"] = [_plain(lo), _plain(hi)]
        entry["step"] = _plain(step)
        if label in status_quo:
            entry["status_quo"] = _plain(status_quo[label])
        issues.append(entry)
    return issues


def _actor_preferences(
    path: Path,
    actor: str,
    cells: dict[tuple[str, str], Row],
    issues: Iterable[tuple[str, str]],
    width: float,
    loss: str,
    notes: list[str],
) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """An actor's weights (saliences) and values (ideal-point losses around its positions); an
    issue it is silent on gets weight 0 and a note."""
    weights: dict[str, float] = {}
    values: dict[str, dict[str, Any]] = {}
    for issue, iid in issues:
        found = cells.get((actor, issue))
        if found is None or found.position is None or found.salience is None:
            what = (
                "no row"
                if found is None
                else f"an empty {'position' if found.position is None else 'salience'}"
            )
            notes.append(f"{actor} has {what} on {issue}: weight 0 there")
            weights[iid] = 0
            continue
        weights[iid] = _plain(found.salience)
        values[iid] = {"ideal": _plain(found.position), "loss": loss, "width": width}
    if not any(w > 0 for w in weights.values()):
        raise DealcraftError(
            f"{path}: actor {actor!r} has no issue with a position and a positive salience; "
            "give it one, or drop its rows"
        )
    return weights, values


def _cells(
    path: Path, rows: list[Row], mapping: Mapping[str, str], default_issue: str
) -> dict[tuple[str, str], Row]:
    """(actor, issue) -> row; a clear error for a pair given twice or a negative salience."""
    out: dict[tuple[str, str], Row] = {}
    for r in rows:
        key = (r.actor, r.issue or default_issue)
        if key in out:
            where = f" on issue {key[1]!r}" if "issue" in mapping else ""
            raise DealcraftError(
                f"{path}, line {r.line}: actor {r.actor!r} has a second row{where} (the first is on line "
                f"{out[key].line}); keep one row per actor and issue"
                + ("" if "issue" in mapping else ", or add an issue column")
            )
        if r.salience is not None and r.salience < 0:
            raise DealcraftError(
                f"{path}, line {r.line}, column {mapping['salience']!r}: salience {r.salience:g} is "
                "negative; saliences are >= 0 (0: the issue does not matter to the actor)"
            )
        out[key] = r
    return out


def _scale(
    path: Path, rows: list[Row], mapping: Mapping[str, str], given: tuple[float, float] | None
) -> tuple[float, float]:
    """The given scale (every position must lie in it), else the first of 0-1, 0-10, 0-100 that
    holds every position, else the smallest and largest position rounded outwards."""
    positions = [(r.position, r.line) for r in rows if r.position is not None]
    if not positions:
        raise DealcraftError(f"{path}: no row has a position; fill the {mapping['position']!r} column")
    if given is not None:
        for x, line in positions:
            if not given[0] <= x <= given[1]:
                raise DealcraftError(
                    f"{path}, line {line}, column {mapping['position']!r}: position {x:g} is outside "
                    f"--scale {given[0]:g},{given[1]:g}; widen the scale or fix the position"
                )
        return given
    xs = [x for x, _ in positions]
    for lo, hi in SCALES:
        if lo <= min(xs) and max(xs) <= hi:
            return lo, hi
    lo, hi = float(math.floor(min(xs))), float(math.ceil(max(xs)))
    return (lo, hi) if lo < hi else (lo, lo + 1.0)


def _step(lo: float, hi: float, step: float | None) -> float:
    width = Decimal(repr(hi)) - Decimal(repr(lo))
    if step is None:
        return float(width / GRID_STEPS)
    if not math.isfinite(step) or step <= 0:
        raise DealcraftError(f"--step {step:g}: the step must be a positive number")
    count = width / Decimal(repr(step))
    if count != count.to_integral_value():
        raise DealcraftError(
            f"--step {step:g} does not divide the scale [{lo:g}, {hi:g}]: choose a step that does, "
            f"e.g. {float(width / GRID_STEPS):g}"
        )
    if count > 10_000:
        raise DealcraftError(f"--step {step:g} gives {int(count) + 1} points per issue: use at most 10,001")
    return step


def _status_quo(path, sq_rows, mapping, issue_labels, default_issue, lo, hi, step, notes) -> dict[str, float]:
    """issue -> status-quo grid point, from the status-quo rows (snapped to the grid)."""
    out: dict[str, float] = {}
    lines: dict[str, int] = {}
    for r in sq_rows:
        issue = r.issue or default_issue
        if issue in out:
            raise DealcraftError(
                f"{path}, line {r.line}: a second status-quo row for {issue!r} (the first is on line "
                f"{lines[issue]}); keep one"
            )
        if r.position is None:
            raise DealcraftError(
                f"{path}, line {r.line}, column {mapping['position']!r}: the status-quo row has no position; "
                "give the status quo's position on the scale"
            )
        k = round((r.position - lo) / step)
        point = float(Decimal(repr(lo)) + k * Decimal(repr(step)))
        if abs(point - r.position) > 1e-9 * max(1.0, abs(step)):
            notes.append(f"status quo of {issue} at {r.position:g} is off the grid: moved to {point:g}")
        out[issue], lines[issue] = point, r.line
    if out:
        missing = [i for i in issue_labels if i not in out]
        if missing:
            raise DealcraftError(
                f"{path}: status-quo rows are given for some issues but not for {', '.join(missing)}; "
                "add a status-quo row for each issue, or none"
            )
    return out


def _powers(path, rows: list[Row], mapping, actors: list[str], notes: list[str]) -> dict[str, float]:
    """actor -> capability: the same on every row of the actor, > 0; 1 when the data has none."""
    out: dict[str, float] = {}
    for actor in actors:
        given = [r for r in rows if r.actor == actor and r.capability is not None]
        if not given:
            if "capability" in mapping:
                notes.append(f"{actor} has no capability: power 1")
            out[actor] = 1.0
            continue
        for r in given:
            if r.capability is not None and r.capability <= 0:
                raise DealcraftError(
                    f"{path}, line {r.line}, column {mapping['capability']!r}: capability {r.capability:g} "
                    "must be > 0 (it becomes the actor's bargaining power); drop the actor or give it a "
                    "small positive capability"
                )
            if r.capability != given[0].capability:
                raise DealcraftError(
                    f"{path}, line {r.line}, column {mapping['capability']!r}: {actor!r} has capability "
                    f"{r.capability:g} here but {given[0].capability:g} on line {given[0].line}; an actor's "
                    "capability is its bargaining power in the whole negotiation: give one value, or import "
                    "each issue as its own scenario"
                )
        out[actor] = float(given[0].capability)  # type: ignore[arg-type]
    if "capability" not in mapping:
        notes.append("no capability column: every actor has power 1")
    return out


def _reservations_at_status_quo(data: dict[str, Any]) -> None:
    """Each stakeholder's reservation := its utility of the status-quo package, computed by the
    compiled model itself so that the status quo is exactly on the edge of acceptance."""
    from dealcraft.model.load import from_data

    scenario = from_data(data, "<spatial import>")
    p = scenario.params
    sq = scenario.status_quo
    for s, h in enumerate(scenario.stakeholders):
        u = sum(float(p.weights[s, i]) * float(p.values[i][s, sq[i]]) for i in range(len(sq)))
        data["preferences"][h.key]["reservation"] = round(u, 12)


def _plain(x: float) -> int | float:
    """An integral float as an int (YAML shows 100, not 100.0)."""
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)
