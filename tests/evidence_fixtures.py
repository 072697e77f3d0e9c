"""A small corpus written for the evidence tests: one document of each kind."""

from __future__ import annotations

from pathlib import Path

from pdfmake import make_pdf

TXT = """Harbour talks, a short account

The port authority asked for a dredging fee of four million.
The shipping guild answered that any fee above two million would close the smaller yards.
\u0020\u0020\u0020
A mediator proposed a “phased fee” — two million now, more after the survey.
"""

MD = """# Fishing quota notes

The coastal towns want the quota kept
at last year's level.

```
table: quota by town

north 40
```

Inland buyers care about prices, not the quota itself.
"""

HTML = """<!doctype html><html><head><title>t</title><style>p { color: red }</style>
<script>var tracking = "ferry subsidy";</script></head>
<body><nav><ul><li>Home</li><li>News</li></ul></nav>
<h1>Ferry subsidy debate</h1>
<p>The island council wants the <b>ferry subsidy</b> doubled.</p>
<ul><li><p>Fares would fall by a third.</p></li><li>Timetables stay as they are.</li></ul>
<blockquote>We will not pay twice for the same boat.</blockquote>
<table><tr><td>cost</td><td>twelve million</td></tr></table>
<footer><p>Copyright the council</p></footer>
</body></html>"""

PDF_PAGES = [
    [
        "Budget memo on the bridge toll.",
        "The treasury expects the toll to raise nine million a year, enough to repay the loan within "
        "fifteen years if traffic keeps growing.",
    ],
    ["Annex on traffic.", "Traffic grew by three per cent a year since the bridge opened."],
]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "harbour.txt").write_text(TXT, "utf-8")
    (folder / "quota.md").write_text(MD, "utf-8")
    (folder / "ferry.html").write_text(HTML, "utf-8")
    (folder / "bridge.pdf").write_bytes(make_pdf(PDF_PAGES))
    (folder / "notes.csv").write_text("not,a,document\n", "utf-8")  # ignored: unknown suffix
    return folder
