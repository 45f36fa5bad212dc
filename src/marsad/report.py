"""The readable text report of one analysis, rendered with rich.

A section with nothing in it is left out.  A table that cannot fit the console without
cutting words (Arabic words broken mid-word read as other words) is printed as one
small label/value block per row instead, which wraps only between words.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def render_report(data: dict[str, Any], console: Console) -> None:
    """Print the contract dict `data` as sections with English labels."""
    console.print(_document_panel(data))
    names = {e["id"]: e["name"] for e in data["entities"]}
    for table in (_entities_table(data["entities"]), _times_table(data["times"]),
                  _quantities_table(data["quantities"]),
                  _events_table(data["events"], names, data["document"]["text"]),
                  _claims_table(data["claims"], names),
                  _contradictions(data["contradictions"], data["claims"])):
        _print_table(console, table)
    for warning in data.get("warnings", []):
        console.print(Text(f"warning: {warning}", style="yellow"))


def _document_panel(data: dict[str, Any]) -> Panel:
    doc = data["document"]
    lines = [
        f"id: {doc['id']}",
        f"published: {doc['published'] or 'unknown'}    language: {doc['language']}",
        f"source: {doc['source'] or '-'}    title: {doc['title'] or '-'}",
        f"characters: {len(doc['text'])}",
        (f"found: {len(data['entities'])} entities, {len(data['times'])} times, "
         f"{len(data['quantities'])} quantities, {len(data['events'])} events, "
         f"{len(data['claims'])} claims, {len(data['contradictions'])} contradictions"),
    ]
    return Panel("\n".join(lines), title="Document", title_align="left", style="bold")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold cyan", expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _print_table(console: Console, table: Table) -> None:
    """The table, or nothing when empty, or label/value blocks when it is too wide."""
    if not table.row_count:
        return
    if _fit_columns(table, console.width):
        console.print(table)
        return
    console.print(Text(str(table.title), style="bold cyan"))
    labels = [str(column.header) for column in table.columns]
    cells = [list(column.cells) for column in table.columns]
    for row in range(table.row_count):
        block = Table.grid(padding=(0, 1))
        block.add_column(style="dim", no_wrap=True)
        block.add_column(overflow="fold")
        for label, column in zip(labels, cells, strict=True):
            if str(column[row]).strip():
                block.add_row(label, column[row])
        console.print(block)
        console.print()


def _fit_columns(table: Table, width: int) -> bool:
    """Fix column widths so that no word is cut; False when even that does not fit.

    rich shrinks the widest columns first, below their longest word, which cuts words;
    fixed widths of at least the longest word (spare room shared in proportion to what
    each column could use) keep every break between words.
    """
    texts = [[str(column.header)] + [str(cell) for cell in column.cells] for column in table.columns]
    least = [max(cell_len(word) for text in col for word in text.split() or [""]) for col in texts]
    most = [max(cell_len(line) for text in col for line in text.splitlines() or [""])
            for col in texts]
    room = width - (3 * len(texts) + 1)  # a space either side and a border per column
    if sum(least) > room:
        return False
    spare, wants = room - sum(least), [m - n for m, n in zip(most, least, strict=True)]
    total_want = sum(wants)
    for column, low, want in zip(table.columns, least, wants, strict=True):
        extra = want if total_want <= spare else spare * want // total_want
        column.width = max(1, low + extra)
    return True


def _entities_table(entities: list[dict[str, Any]]) -> Table:
    table = _table("Entities", "id", "type", "name", "English", "mentions", "actor", "place")
    for e in entities:
        actor = f"{e['actor']['category']} ({e['actor']['country_code'] or '-'})" if e["actor"] else ""
        place = ""
        if e["place"]:
            p = e["place"]
            place = f"{p['name_en']}, {p['country_code']} ({p['lat']:.2f}, {p['lon']:.2f})"
        table.add_row(e["id"], e["type"], e["name"], e["name_en"] or "", str(len(e["mentions"])),
                      actor, place)
    return table


def _times_table(times: list[dict[str, Any]]) -> Table:
    table = _table("Times", "id", "text", "value", "precision")
    for t in times:
        table.add_row(t["id"], t["text"], t["value"] or "", t["precision"])
    return table


def _quantities_table(quantities: list[dict[str, Any]]) -> Table:
    table = _table("Quantities", "text", "value", "qualifier", "unit")
    for q in quantities:
        table.add_row(q["text"], "" if q["value"] is None else str(q["value"]), q["qualifier"],
                      q["unit"] or "")
    return table


def _events_table(events: list[dict[str, Any]], names: dict[str, str], text: str) -> Table:
    table = _table("Events", "id", "type", "actor 1", "actor 2", "where", "when", "killed",
                   "civilians", "evidence")
    for v in events:
        when = v["date"]["start"] or ""
        if v["date"]["end"] and v["date"]["end"] != v["date"]["start"]:
            when += f" … {v['date']['end']}"
        evidence = _in_context(text, v["evidence"][0]) if v["evidence"] else ""
        table.add_row(
            v["id"], f"{v['event_type']} / {v['sub_event_type']}",
            names.get(v["actor1"], ""), names.get(v["actor2"], ""), names.get(v["location"], ""),
            when, "" if v["fatalities"] is None else str(v["fatalities"]),
            "yes" if v["civilian_targeting"] else "no", evidence)
    return table


def _in_context(text: str, span: dict[str, int], width: int = 30) -> str:
    """The cue with a few words either side, so a reader can check it: "… «قصف» …"."""
    lo, hi = max(0, span["start"] - width), span["end"] + width
    before = text[lo:span["start"]].split("\n")[-1]
    after = text[span["end"]:hi].split("\n")[0]
    if lo > 0 and not text[lo - 1].isspace():  # whole words only
        before = before.split(" ", 1)[1] if " " in before else ""
    if hi < len(text) and not text[hi].isspace():
        after = after.rsplit(" ", 1)[0] if " " in after else ""
    return f"…{before}«{text[span['start']:span['end']]}»{after}…"


def _claims_table(claims: list[dict[str, Any]], names: dict[str, str]) -> Table:
    table = _table("Claims", "id", "speaker", "cue", "stance", "quote", "hedged", "content")
    for c in claims:
        speaker = names.get(c["speaker"]) or c["speaker_text"] or ""
        stance = Text(c["stance"], style="red" if c["stance"] == "deny" else "green")
        table.add_row(c["id"], speaker, c["cue"]["text"], stance, c["quote"],
                      "yes" if c["hedged"] else "no", c["content"]["text"])
    return table


def _contradictions(items: list[dict[str, Any]], claims: list[dict[str, Any]]) -> Table:
    table = _table("Contradictions", "id", "kind", "claims", "explanation")
    for x in items:
        table.add_row(x["id"], Text(x["kind"], style="magenta"), " vs ".join(x["claims"]),
                      x["explanation"])
    return table
