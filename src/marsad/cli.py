"""The `marsad` command.

    marsad analyze PATH|-|FILE.jsonl ... [--published YYYY-MM-DD] [--format text|json|jsonl]
                          [--output FILE] [--ner fast|accurate] [--quiet]
    marsad compare "A" "B" [--json]
    marsad eval ner|times|stance PATH [--json] [--ner fast|accurate]
    marsad resources build [--force]

Errors print one line, `marsad: error: …`, and exit with status 2.  With many inputs
(several paths, or a .jsonl of records) the models load once, each analysis is one line
of JSON Lines, a bad input gets its own error line and the batch goes on; the exit status
is 2 when any input failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from marsad.document import NER_MODES
from marsad.errors import InputError, MarsadError, OptionError

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

    analyze = commands.add_parser("analyze", help="analyse articles")
    analyze.add_argument("paths", nargs="+", metavar="PATH",
                         help="a text or HTML file (UTF-8/16/32 or Windows-1256), - for stdin, "
                              "or a .jsonl of records {text|content, title, source, url, "
                              "published|date, id}")
    analyze.add_argument("--published", help="publication date YYYY-MM-DD (anchors relative dates)")
    analyze.add_argument("--source", help="the outlet")
    analyze.add_argument("--title", help="the headline")
    analyze.add_argument("--url", help="the article's address")
    analyze.add_argument("--id", dest="doc_id", help="a stable document id (default: content hash)")
    analyze.add_argument("--format", choices=("text", "json", "jsonl"), default=None,
                         help="one document: text (default) or json; many: JSON Lines "
                              "(json and jsonl) or text reports")
    analyze.add_argument("--output", "-o", help="write to FILE instead of standard output")
    analyze.add_argument("--ner", choices=NER_MODES, default="fast",
                         help="entity tagger: the fast CRF (default) or the accurate e5 "
                              "encoder, about 80x slower (needs marsad[accurate])")
    analyze.add_argument("--max-bytes", type=int, default=None,
                         help="refuse inputs larger than this (default 5 MiB, or $MARSAD_MAX_BYTES)")
    analyze.add_argument("--quiet", "-q", action="store_true",
                         help="no progress bar and no warnings on stderr (errors still show)")

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
    from marsad.inputs import count_documents, is_jsonl, parse_published

    parse_published(args.published)  # a bad date is refused before any work
    _check_cache_dir()
    if len(args.paths) == 1 and not is_jsonl(args.paths[0]):
        return _analyze_one(args)
    if args.title or args.url or args.doc_id:
        raise OptionError("--title, --url and --id name one document; with many inputs give "
                          "them per record in a .jsonl")
    return _analyze_batch(args, count_documents(args.paths))


def _analyze_one(args: argparse.Namespace) -> int:
    """One input: errors end the run; json is one pretty document (../shared/eval relies on it)."""
    from marsad.inputs import read_input

    decoded = read_input(args.paths[0], max_bytes=args.max_bytes)
    meta = {"published": args.published, "source": args.source, "title": args.title,
            "url": args.url, "doc_id": args.doc_id}
    data = _run(decoded.text, decoded.warnings, meta, args, decoded.name, _warn)
    if args.format == "json":
        _write(args.output, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "jsonl":
        _write(args.output, json.dumps(data, ensure_ascii=False) + "\n")
    else:
        _write_report(args.output, data)
    return 0


def _run(text: str, warnings: list[str], meta: dict, args: argparse.Namespace, name: str,
         warn) -> dict:
    from marsad.analysis import analyze
    from marsad.inputs import future_warning, parse_published

    published = parse_published(meta.get("published") or args.published)
    analysis = analyze(text, published=published, source=meta.get("source") or args.source,
                       title=meta.get("title"), url=meta.get("url"), doc_id=meta.get("doc_id"),
                       ner=args.ner)
    future = future_warning(published)
    analysis.document.warnings[:0] = warnings + ([future] if future else [])
    if not args.quiet:
        for warning in analysis.document.warnings:
            warn(warning if name in warning else f"{name}: {warning}")
    return analysis.to_dict()


def _analyze_batch(args: argparse.Namespace, total: int) -> int:
    """Many inputs: one JSON line (or report) each; a bad input is reported and skipped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    errors = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
    progress = Progress("[progress.description]{task.description}", BarColumn(),
                        MofNCompleteColumn(), TimeRemainingColumn(), console=errors,
                        disable=args.quiet or total <= 1 or not errors.is_interactive,
                        transient=True, redirect_stdout=False, redirect_stderr=False)
    sink = _Sink(args.output, args.format or "jsonl")
    failed = done = 0
    with progress, sink:
        task = progress.add_task("analysing", total=total)
        for record in _batch_records(args):
            try:
                if record.error:
                    raise record.error
                data = _run(record.text, record.warnings, record.meta, args, record.name,
                            lambda m: errors.print(f"marsad: warning: {m}"))
                sink.write(data)
                done += 1
                if done == 1:  # models loaded: the CLI owns its process, so it opts in
                    from marsad.analyzer import Analyzer

                    Analyzer.settle()
            except MarsadError as exc:
                failed += 1
                errors.print(f"marsad: error: {_named(exc, record.name)}")
            except BrokenPipeError:
                raise  # the reader went away: stop, as for one input
            except Exception as exc:  # noqa: BLE001 - one input's failure must not end the batch
                failed += 1
                errors.print(f"marsad: error: {record.name}: internal error "
                             f"({exc.__class__.__name__}: {exc})")
            progress.advance(task)
    if failed or not args.quiet:
        status = "error" if failed else "done"
        errors.print(f"marsad: {status}: analysed {done} of {done + failed} inputs"
                     + (f", {failed} failed" if failed else ""))
    return EXIT_USAGE if failed else 0


def _named(exc: MarsadError, name: str) -> str:
    message = str(exc)
    return message if name in message else f"{name}: {message}"


def _batch_records(args: argparse.Namespace):
    from marsad.inputs import Record, is_jsonl, read_input, read_records

    for path in args.paths:
        try:
            if is_jsonl(path):
                yield from read_records(path, max_bytes=args.max_bytes)
                continue
            decoded = read_input(path, max_bytes=args.max_bytes)
            yield Record(decoded.name, decoded.text, decoded.warnings, {})
        except InputError as exc:
            yield Record(path, error=exc)


class _Sink:
    """Where batch results go: JSON Lines, or text reports one after another."""

    def __init__(self, output: str | None, fmt: str):
        self.output, self.fmt = output, fmt
        self.handle = sys.stdout
        self.owned = False

    def __enter__(self) -> _Sink:
        if self.output:
            try:
                self.handle = open(self.output, "w", encoding="utf-8")  # noqa: SIM115
                self.owned = True
            except OSError as exc:
                raise OptionError(f"cannot write --output {self.output}: {exc.strerror}") from None
        return self

    def __exit__(self, *exc) -> None:
        if self.owned:
            self.handle.close()

    def write(self, data: dict) -> None:
        if self.fmt == "text":
            from rich.console import Console

            from marsad.report import render_report

            to_file = self.owned
            render_report(data, Console(file=self.handle, no_color=to_file,
                                        width=160 if to_file else None))
        else:
            self.handle.write(json.dumps(data, ensure_ascii=False) + "\n")
            self.handle.flush()


def _check_cache_dir() -> None:
    """A one-line error for a cache directory that cannot hold the gazetteer, before any work."""
    from marsad.knowledge.gazetteer import cache_dir, gazetteer_path

    directory = cache_dir()
    if gazetteer_path().is_file():
        return  # built already: reading is all that is needed
    hint = "set MARSAD_CACHE_DIR to a writable directory"
    if directory.exists() and not directory.is_dir():
        raise OptionError(f"cache directory {directory} is a file, not a directory; {hint}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OptionError(f"cannot create cache directory {directory}: {exc.strerror}; "
                          f"{hint}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OptionError(f"cache directory {directory} is not writable; {hint}")


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

    for label, statement in (("A", args.a), ("B", args.b)):
        if not statement.strip():
            raise OptionError(f"compare needs two statements; {label} is empty")
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
        _check_cache_dir()
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

    _check_cache_dir()
    path = build_gazetteer(force=args.force)
    print(f"gazetteer ready: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
