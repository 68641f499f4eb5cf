"""`ctm`: the pipeline from the command line. Every command takes --home (or CTM_HOME).

Exit codes: 0 done (or nothing new), 1 the quality gate held the release or a stage failed
(`inspect`: the workbook would be quarantined), 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ctm.commands import backfill, fetch_nrm, inspect, rerun, run, sql, status, submit
from pipeline.settings import ConfigurationError, get_settings

# In the order `ctm --help` lists them; each is one module of ctm/commands/.
COMMANDS = {
    command.name: command
    for command in (
        run.COMMAND,
        submit.COMMAND,
        fetch_nrm.COMMAND,
        status.COMMAND,
        sql.COMMAND,
        rerun.COMMAND,
        backfill.COMMAND,
        inspect.COMMAND,
    )
}

# Every command: what it does, examples, and its exit codes, shown by `ctm COMMAND --help`.
HELP = {name: (c.summary, c.examples, c.exit_codes) for name, c in COMMANDS.items()}


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        type=Path,
        default=argparse.SUPPRESS,
        help="data home (landing, archive, warehouse, published); default $CTM_HOME or var/",
    )
    return common


def _epilog(examples: list[str], exit_codes: dict[int, str]) -> str:
    lines = ["examples:", *(f"  {example}" for example in examples), "", "exit codes:"]
    lines += [f"  {code}  {meaning}" for code, meaning in exit_codes.items()]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="ctm",
        description=__doc__.splitlines()[0],
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="`ctm COMMAND --help` shows each command's examples and exit codes. Exit codes: 0 done, "
        "1 a known failure (said in one line), 2 bad usage or configuration.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS.values():
        command.add_arguments(
            commands.add_parser(
                command.name,
                parents=[common],
                help=command.summary,
                description=command.summary[:1].upper() + command.summary[1:] + ".",
                epilog=_epilog(command.examples, command.exit_codes),
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings(getattr(args, "home", None))
    except ConfigurationError as error:
        print(f"ctm: bad configuration: {error}", file=sys.stderr)
        return 2
    if settings.log_format != "text":
        from pipeline.logs import configure_logging

        configure_logging(settings.log_format, stream=sys.stderr)
    return COMMANDS[args.command].run(settings, args)


if __name__ == "__main__":
    sys.exit(main())
