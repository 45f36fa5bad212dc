"""The `marsad` command.

    marsad analyze PATH|- [--published YYYY-MM-DD] [--format text|json] [--output FILE]
                          [--ner fast|accurate]
    marsad compare "A" "B" [--json]
    marsad eval ner|times|stance PATH [--json] [--ner fast|accurate]
    marsad resources build [--force]

Errors print one line, `marsad: error: …`, and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from marsad.document import NER_MODES
from marsad.errors import MarsadError, OptionError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line with no usage dump."""

    def error(self, message: str):  # type: ignore[override]
        raise OptionError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="marsad", description="Read Arabic conflict news into events, "
                     "claims and contradictions.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    analyze = commands.add_parser("analyze", help="analyse one article")
    analyze.add_argument("path", help="a UTF-8 or Windows-1256 text file, or - for stdin")
    analyze.add_argument("--published", help="publication date YYYY-MM-DD (anchors relative dates)")
    analyze.add_argument("--source", help="the outlet")
    analyze.add_argument("--title", help="the headline")
    analyze.add_argument("--url", help="the article's address")
    analyze.add_argument("--id", dest="doc_id", help="a stable document id (default: content hash)")
    analyze.add_argument("--format", choices=("text", "json"), default="text")
    analyze.add_argument("--output", "-o", help="write to FILE instead of standard output")
    analyze.add_argument("--ner", choices=NER_MODES, default="fast",
                         help="entity tagger: the fast CRF (default) or the accurate e5 "
                              "encoder, about 80x slower (needs marsad[accurate])")
    analyze.add_argument("--max-bytes", type=int, default=None,
                         help="refuse inputs larger than this (default 5 MiB, or $MARSAD_MAX_BYTES)")

    compare = commands.add_parser("compare", help="do two statements agree, disagree or neither?")
    compare.add_argument("a")
    compare.add_argument("b")
    compare.add_argument("--json", action="store_true")

    evaluate = commands.add_parser("eval", help="score marsad on public gold data")
    evaluate.add_argument("task", choices=("ner", "times", "stance"))
    evaluate.add_argument("path")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--ner", choices=NER_MODES, default="fast",
                          help="for `eval ner`: which entity tagger the pipeline runs")

    res = commands.add_parser("resources", help="build the local resource cache")
    res.add_argument("action", choices=("build",))
    res.add_argument("--force", action="store_true", help="rebuild even when the cache exists")
    return parser


def _version() -> str:
    from marsad import __version__

    return f"marsad {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except MarsadError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return 0


def _error(message: str) -> None:
    print(f"marsad: error: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"marsad: warning: {message}", file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "analyze":
        return _analyze(args)
    if args.command == "compare":
        return _compare(args)
    if args.command == "eval":
        return _evaluate(args)
    if args.command == "resources":
        return _resources(args)
    raise OptionError(f"unknown command {args.command!r}")


def _analyze(args: argparse.Namespace) -> int:
    from marsad.analysis import analyze
    from marsad.inputs import parse_published, read_input

    published = parse_published(args.published)
    decoded = read_input(args.path, max_bytes=args.max_bytes)
    analysis = analyze(decoded.text, published=published, source=args.source, title=args.title,
                       url=args.url, doc_id=args.doc_id, ner=args.ner)
    analysis.document.warnings[:0] = decoded.warnings
    for warning in analysis.document.warnings:
        _warn(warning if decoded.name in warning else f"{decoded.name}: {warning}")
    data = analysis.to_dict()
    if args.format == "json":
        _write(args.output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _write_report(args.output, data)
    return 0


def _write(output: str | None, content: str) -> None:
    if output:
        try:
            Path(output).write_text(content, encoding="utf-8")
        except OSError as exc:
            raise OptionError(f"cannot write --output {output}: {exc.strerror}") from None
    else:
        sys.stdout.write(content)


def _write_report(output: str | None, data: dict) -> None:
    from rich.console import Console

    from marsad.report import render_report

    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                render_report(data, Console(file=handle, no_color=True, width=160))
        except OSError as exc:
            raise OptionError(f"cannot write --output {output}: {exc.strerror}") from None
    else:
        render_report(data, Console())


def _compare(args: argparse.Namespace) -> int:
    from marsad.extract.compare import compare

    result = compare(args.a, args.b)
    if args.json:
        print(json.dumps({"label": result.label, "score": round(result.score, 4),
                          "reason": result.reason}, ensure_ascii=False))
    else:
        print(f"{result.label}  (score {result.score:.2f})  {result.reason}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        raise OptionError(f"no such gold file: {path}")
    if args.task == "ner":
        from marsad.evaluate.ner import evaluate_ner as run
        from marsad.evaluate.ner import format_ner_report as fmt
    elif args.task == "times":
        from marsad.evaluate.times import evaluate_times as run
        from marsad.evaluate.times import format_times_report as fmt
    else:
        from marsad.evaluate.stance import evaluate_stance as run
        from marsad.evaluate.stance import format_stance_report as fmt
    result = run(path, ner=args.ner) if args.task == "ner" else run(path)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else fmt(result))
    return 0


def _resources(args: argparse.Namespace) -> int:
    from marsad.knowledge.gazetteer import build_gazetteer

    path = build_gazetteer(force=args.force)
    print(f"gazetteer ready: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
