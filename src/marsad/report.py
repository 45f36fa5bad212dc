"""The readable text report of one analysis, rendered with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text


def render_report(data: dict[str, Any], console: Console) -> None:
    """Print the contract dict `data` as sections with English labels."""
    console.print(_document_panel(data))
    names = {e["id"]: e["name"] for e in data["entities"]}
    console.print(_entities_table(data["entities"]))
    console.print(_times_table(data["times"]))
    console.print(_quantities_table(data["quantities"]))
    console.print(_events_table(data["events"], names, data["document"]["text"]))
    console.print(_claims_table(data["claims"], names))
    console.print(_contradictions(data["contradictions"], data["claims"]))
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
    before = text[max(0, span["start"] - width):span["start"]].split("\n")[-1]
    after = text[span["end"]:span["end"] + width].split("\n")[0]
    return f"…{before}«{text[span['start']:span['end']]}»{after}…"


def _claims_table(claims: list[dict[str, Any]], names: dict[str, str]) -> Table:
    table = _table("Claims", "id", "speaker", "cue", "stance", "quote", "hedged", "content")
    for c in claims:
        speaker = names.get(c["speaker"]) or c["speaker_text"] or ""
        stance = Text(c["stance"], style="red" if c["stance"] == "deny" else "green")
        table.add_row(c["id"], speaker, c["cue"]["text"], stance, c["quote"],
                      "yes" if c["hedged"] else "no", c["content"]["text"])
    return table


def _contradictions(items: list[dict[str, Any]], claims: list[dict[str, Any]]) -> Group | Table:
    table = _table("Contradictions", "id", "kind", "claims", "explanation")
    for x in items:
        table.add_row(x["id"], Text(x["kind"], style="magenta"), " vs ".join(x["claims"]),
                      x["explanation"])
    return table
