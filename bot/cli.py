"""The terminal front door: ``paperbot ask | chat | eval | eval-ir | run``.

The same PaperService answers here and in Discord. ``ask`` and ``chat`` never import discord
(start-up time); ``run`` does, lazily. Exit codes: 0 for any answer (including "nothing found"),
2 for bad usage, a missing corpus or an invalid config, with a one-line message and no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import sys
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .errors import PaperBotError

log = logging.getLogger("paperbot")
QUESTIONS = Path("tests/eval/questions.yaml")
CONVERSATION_SETS = (
    ("dev conversations", Path("tests/eval/conversations.yaml")),
    ("held-out conversations", Path("tests/eval/heldout/conversations.yaml")),
    ("held-out conversations, session 14", Path("tests/eval/heldout/session14/conversations.yaml")),
)
LATER_HELDOUT = (("held-out, session 14", Path("tests/eval/heldout/session14/questions.yaml")),)  # written later, never seen


def _common(parser: argparse.ArgumentParser, state: bool = False) -> None:
    parser.add_argument(
        "--corpus", type=Path, action="append", help="corpus file or folder (repeatable; default from config: corpus/)"
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (default: config.yaml)")
    if state:
        parser.add_argument(
            "--init-state",
            action="store_true",
            help="start a new state database where one existed, or re-create its missing tables",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperbot", description="Ask a corpus of research papers questions.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question (or one per line of stdin with '-')")
    ask.add_argument("question", nargs="+", help="the question, or '-' to read questions from standard input")
    ask.add_argument("--json", action="store_true", help="print a JSON object (JSON Lines with '-')")
    ask.add_argument(
        "--limit",
        type=int,
        default=None,
        help="most records in a ranked topic search and in JSON's records, for every intent (default 100)",
    )
    ask.add_argument("--chart", type=Path, default=None, help="also write a papers-per-year PNG chart to this file")
    _common(ask)
    chat = sub.add_parser("chat", help="a conversation: follow-ups refine or refer to the previous answer (Ctrl-D leaves)")
    chat.add_argument(
        "--json", action="store_true", help="print one JSON object per message: the keys of ask --json plus context"
    )
    _common(chat)
    ev = sub.add_parser("eval", help="accuracy on an evaluation set of questions")
    ev.add_argument(
        "file",
        type=Path,
        nargs="?",
        default=QUESTIONS,
        help="a questions or conversations YAML file (default: the question sets, then the conversation sets)",
    )
    ev.add_argument(
        "--heldout",
        type=Path,
        default=None,
        help="also report a held-out set (default: tests/eval/heldout/questions.yaml when it exists)",
    )
    ev.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="print every failing question of the dev sets (held-out failures stay unprinted)",
    )
    _common(ev)
    ir = sub.add_parser("eval-ir", help="nDCG@10, MAP@100, Recall@100 on a test collection")
    ir.add_argument("dir", type=Path, help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    ir.add_argument("--run", type=Path, default=None, help="write a TREC run file here")
    ir.add_argument("--top", type=int, default=100, help="documents per query in the run (default 100)")
    index = sub.add_parser("index", help="build (or check) the persisted index next to the corpus, with a progress bar")
    index.add_argument("--rebuild", action="store_true", help="rebuild even when the stored index is up to date")
    index.add_argument(
        "--verify", action="store_true", help="also check every store file against its checksum (a damaged store is rebuilt)"
    )
    index.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    index.add_argument(
        "--backend",
        choices=["builtin", "xapian"],
        default="builtin",
        help="xapian: also write Xapian shard databases (see --shards, --out)",
    )
    index.add_argument("--shards", type=int, default=2, help="with --backend xapian: how many shard databases (default 2)")
    index.add_argument("--out", type=Path, default=None, help="with --backend xapian: the folder for shard-0 .. shard-{N-1}")
    _common(index)
    ingest = sub.add_parser(
        "ingest", help="add new records (files, folders, feeds) to the database and index; prints what was new"
    )
    ingest.add_argument("paths", type=Path, nargs="*", help="files or folders of records (none: re-read the corpus folder)")
    ingest.add_argument("--feeds", action="store_true", help="also fetch every configured arXiv feed now")
    _common(ingest, state=True)
    digest = sub.add_parser("digest", help="print a channel's next digest (nothing is posted or marked)")
    digest.add_argument("--preview", action="store_true", help="print the digest (the default and only action here)")
    digest.add_argument("--channel", type=int, default=None, help="a subscribed channel id (its filter and last digest)")
    digest.add_argument("--since", type=str, default=None, help="YYYY-MM-DD: records first seen after this day began")
    digest.add_argument(
        "--filter", type=str, default="", help="a filter in the question language, e.g. 'diffusion' or 'with Luke Metz'"
    )
    _common(digest, state=True)
    watch = sub.add_parser("watch", help="print what a user's watches would DM now (nothing is sent or marked)")
    watch.add_argument("--preview", action="store_true", help="print the DMs (the default and only action here)")
    watch.add_argument("--user", type=int, required=True, help="the Discord user id whose watches to preview")
    _common(watch, state=True)
    init = sub.add_parser(
        "init", help="set up a folder to run from: a commented config.yaml and corpus/ with the example profile page"
    )
    init.add_argument("dir", type=Path, help="the folder (created if missing)")
    run = sub.add_parser("run", help="start the Discord bot (token from DISCORD_TOKEN)")
    run.add_argument("--sync", action="store_true", help="force a slash-command sync at start-up")
    run.add_argument("--shards", default=None, help="gateway shards this process runs, e.g. 0-3 or 0,2,5-7 (with --shard-count)")
    run.add_argument(
        "--shard-count", type=int, default=None, help="how many shards all processes run together (alone: all of them here)"
    )
    _common(run, state=True)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    explicit = args.config is not None
    path = args.config if explicit else Path("config.yaml")
    return load_settings(path, required=explicit)


def _service(args: argparse.Namespace) -> Any:
    from bot.digest.library import Library

    service = Library.answering(_settings(args), args.corpus)
    for warning in service.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return service


def _print_answer(answer: Any, as_json: bool, limit: int, note: str = "") -> None:
    """The answer as text, or as one line of JSON (at most ``limit`` records) written as UTF-8 bytes whatever the locale."""
    if not as_json:
        print(answer.text)
        return
    data = answer.as_json(limit)
    if note:
        data["input_note"] = note
    sys.stdout.flush()
    sys.stdout.buffer.write(json.dumps(data, ensure_ascii=False).encode("utf-8", "replace") + b"\n")


QUESTION_BYTES = 4096  # a longer line of standard input is cut here (and says so): one line never fills memory


def read_questions(stream: Any) -> Any:
    """(question, note) for each non-blank line of a byte stream. Bytes that are not UTF-8 are replaced
    with U+FFFD and the note says so; a line over ``QUESTION_BYTES`` is cut, and the note says that too."""
    while line := stream.readline(QUESTION_BYTES + 1):
        notes = []
        if len(line) > QUESTION_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass  # the rest of an overlong line
            line = line[:QUESTION_BYTES]
            notes.append(f"the question was cut to {QUESTION_BYTES} bytes")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("utf-8", "replace")
            notes.append("bytes that are not UTF-8 were replaced with U+FFFD")
        if text.strip():
            yield text.strip(), "; ".join(notes)


def cmd_ask(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise PaperBotError("--limit must be at least 1")
    service = _service(args)
    limit = args.limit or service.settings.search.result_cap  # records in JSON, for every intent
    if args.question == ["-"]:
        for question, note in read_questions(sys.stdin.buffer):
            _print_answer(service.ask(question, result_cap=args.limit), args.json, limit, note)
            sys.stdout.flush()
        return 0
    answer = service.ask(" ".join(args.question), result_cap=args.limit)
    _print_answer(answer, args.json, limit)
    if args.chart:
        args.chart.write_bytes(service.chart(answer))
        print(f"chart written to {args.chart}", file=sys.stderr)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """One conversation: at a terminal, a prompt; otherwise one message per line of standard input."""
    from bot.answer.conversation import Conversations

    service = _service(args)
    chat = service.settings.chat
    conversation = Conversations(service, chat.context_minutes, chat.context_cap)
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (history and line editing for input())
        print(
            f"paperbot: {len(service.index)} papers. Ask a question, then follow up ('and with code?', 'who wrote the second one?', 'more');"
        )
        print("'start over' forgets the conversation, 'help' shows examples, Ctrl-D leaves.")
    while True:
        try:
            message = input("> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            message = None
        if message is None or (not interactive and not message):
            if interactive:
                print()
            return 0
        if not message.strip():
            continue
        answer = conversation.say("terminal", message.strip())
        if args.json:
            print(json.dumps({**answer.as_json(), "context": answer.follows}, ensure_ascii=False))
        else:
            print(answer.text, end="\n\n")
        sys.stdout.flush()


def cmd_eval(args: argparse.Namespace) -> int:
    """Question accuracy, and turn accuracy on conversations (the dev set and, when present, the held-out one)."""
    from bot.eval.conversations import is_conversation_file, run_conversations
    from bot.eval.questions import run_eval

    service = _service(args)
    heldout = args.heldout or Path("tests/eval/heldout/questions.yaml")
    sets = [("dev", args.file)]
    if is_conversation_file(args.file):
        sets += [("held-out", args.heldout)] if args.heldout else []
    else:
        sets += [("held-out", heldout)] if heldout.exists() and heldout.resolve() != args.file.resolve() else []
        sets += [(name, path) for name, path in LATER_HELDOUT if args.file == QUESTIONS and not args.heldout and path.is_file()]
        sets += [(name, path) for name, path in CONVERSATION_SETS if args.file == QUESTIONS and path.is_file()]
    for name, path in sets:
        conversations = is_conversation_file(path)
        report = run_conversations(service, path) if conversations else run_eval(service, path)
        for failure in report.failures if args.verbose and not name.startswith("held-out") else []:
            print(f"FAIL {failure}")  # a held-out set's failures are never printed: they would be tuned on
        what = "conversation turns" if conversations else "questions"
        print(f"{name} ({path}): {report.passed}/{report.total} {what} answered correctly ({report.accuracy:.1%})")
        print("\n".join(report.lines()))
    return 0


def cmd_eval_ir(args: argparse.Namespace) -> int:
    from bot.eval.ir import evaluate_collection

    result = evaluate_collection(args.dir, top=args.top, run_path=args.run)
    print(f"{args.dir.name}: {result.queries} queries, {result.docs} documents")
    for name, value in result.measures.items():
        print(f"{name}\t{value:.4f}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    import time

    from tqdm import tqdm

    from bot.search.store import open_corpus, store_folder, verified

    settings = _settings(args)
    paths = args.corpus or list(settings.corpus)
    started = time.perf_counter()
    tqdm.monitor_interval = 0  # no monitor thread: the build forks its workers only from a single-threaded process
    with tqdm(
        unit=" records", desc="indexing", file=sys.stderr, disable=args.quiet, delay=0.5
    ) as bar:  # shown once a build takes a while
        loaded = open_corpus(paths, rebuild=args.rebuild, progress=bar)
        problems: list[str] = []
        if args.verify:
            loaded, problems = verified(paths, loaded)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    how = "up to date, loaded" if loaded.from_store else "rebuilt (the store was damaged)" if problems else "built"
    print(f"{len(loaded.index)} records, {len(loaded.index.vocab)} terms: index {how} in {time.perf_counter() - started:.2f} s")
    for problem in problems:
        print(f"damaged: {problem}")
    if loaded.folder is None:
        print(f"store: not saved at {store_folder(paths)} (see the warning above); the index was built in memory")
        return 2
    size = sum(f.stat().st_size for f in loaded.folder.iterdir())
    checked = ", every checksum verified" if args.verify and not problems else ""
    print(f"store: {loaded.folder} ({size / 1e6:.1f} MB{checked})")
    if args.backend == "xapian":
        return _index_shards(args, settings)
    return 0


def _index_shards(args: argparse.Namespace, settings: Settings) -> int:
    """Xapian shards of the records the bot answers from (corpus files and stored records), from the built-in index."""
    import time

    from tqdm import tqdm

    from bot.digest.library import Library
    from bot.search.xapian_build import build_shards

    if args.out is None or args.shards < 1:
        raise PaperBotError("--backend xapian needs --out DIR and --shards N (1 or more)")
    local = settings.model_copy(update={"search": settings.search.model_copy(update={"backend": "builtin"})})
    index = Library.answering(local, args.corpus).index
    started = time.perf_counter()
    with tqdm(total=len(index), unit=" records", desc="sharding", file=sys.stderr, disable=args.quiet, delay=0.5) as bar:
        paths = build_shards(index, args.out, args.shards, bar.update)
    size = sum(f.stat().st_size for p in paths for f in p.iterdir())
    print(f"{len(index)} records in {args.shards} Xapian shards in {time.perf_counter() - started:.2f} s ({size / 1e6:.1f} MB)")
    for k, path in enumerate(paths):
        print(f"serve: xapian-tcpsrv --interface 127.0.0.1 --port {33301 + k} {path}")
    return 0


def _library(args: argparse.Namespace) -> Any:
    from bot.digest.library import Library, clock_from_env

    library = Library.open(_settings(args), args.corpus, clock_from_env(), init_state=args.init_state)
    for warning in library.service.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return library


def _paper_line(paper: Any) -> str:
    return f"+ {paper.date.isoformat()}  {paper.title}  ({paper.id})"


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    library = _library(args)
    try:
        added = library.reload()
        for paper in added:
            print(_paper_line(paper))
        if args.paths:
            bar = lambda papers: tqdm(papers, unit=" records", desc="ingesting", file=sys.stderr, disable=len(papers) < 2000)  # noqa: E731
            new, warnings = library.ingest_paths(args.paths, bar)
            for warning in warnings:
                print(f"warning: {warning}", file=sys.stderr)
            for paper in new:
                print(_paper_line(paper))
            added += new
        if args.feeds:
            for result in library.fetch_feeds(force=True):
                if result.error:
                    print(f"warning: feed {result.query!r}: {result.error}", file=sys.stderr)
                for paper in result.added:
                    print(_paper_line(paper))
                added += result.added
        print(f"{len(added)} new {'record' if len(added) == 1 else 'records'}; {len(library.service.index)} in the index")
    finally:
        library.close()
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    import datetime as dt

    library = _library(args)
    try:
        since = None
        if args.since:
            try:
                since = dt.datetime.combine(dt.date.fromisoformat(args.since), dt.time(), dt.UTC)
            except ValueError:
                raise PaperBotError(f"--since {args.since!r} is not a date as YYYY-MM-DD") from None
        if args.channel is not None and library.store.subscription(args.channel) is None:
            print(f"note: channel {args.channel} has no subscription; showing an unfiltered preview", file=sys.stderr)
        run = library.preview(args.channel, since, args.filter)
        print(run.answer.text)
    finally:
        library.close()
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    """Each of the user's watches: its id and state, then the DM it would send now (the bot's rendering)."""
    from bot.watch.service import WatchList

    library = _library(args)
    try:
        watches = WatchList(library)
        mine = watches.watches(args.user)
        if not mine:
            print(f"user {args.user} has no watches")
        for watch in mine:
            batch = watches.preview(watch)
            state = f"paused ({watch.paused})" if watch.paused else watch.mode
            print(f"# watch {watch.id}: {watch.question} [{state}]")
            print(batch.answer.text if batch.papers else "nothing new matches it: no DM would be sent")
            print()
    finally:
        library.close()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .starter import write_starter

    for path in write_starter(args.dir):
        print(f"wrote {path}")
    print(f'next: paperbot ask --config {args.dir / "config.yaml"} "papers on diffusion"')
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.digest.shards import Shards
    from bot.discord.app import run_bot

    shards = Shards.parse(args.shards, args.shard_count) if args.shards is not None or args.shard_count is not None else None
    return run_bot(_settings(args), args.corpus, force_sync=args.sync, init_state=args.init_state, shards=shards)


COMMANDS = {
    "init": cmd_init,
    "ingest": cmd_ingest,
    "digest": cmd_digest,
    "watch": cmd_watch,
    "index": cmd_index,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "eval": cmd_eval,
    "eval-ir": cmd_eval_ir,
    "run": cmd_run,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return COMMANDS[args.command](args)
    except PaperBotError as exc:
        print(f"paperbot: {exc.user_message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except MemoryError as exc:
        return _out_of_memory(str(exc))
    except ImportError as exc:  # a library's shared object that could not be mapped is memory refused too
        if "failed to map segment" not in str(exc) and "cannot allocate memory" not in str(exc).lower():
            raise
        return _out_of_memory(str(exc))
    except OSError as exc:  # ENOMEM from the system (an import's directory listing under a low limit)
        if exc.errno != errno.ENOMEM:
            raise
        return _out_of_memory(str(exc))
    except SystemError as exc:  # what CPython raises when an allocation inside C code fails without MemoryError
        if "without exception set" not in str(exc) and "without error" not in str(exc):
            raise
        return _out_of_memory(str(exc))


def _out_of_memory(detail: str) -> int:
    detail = f" ({detail[:200]})" if detail else ""
    print(
        f"paperbot: out of memory{detail}: free some memory, raise the limit (ulimit -v), or use a smaller corpus",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main())
