"""`bureau-volant sites import FILE` and `bureau-volant sites list`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import load_settings
from storage import SiteInfo, SitesFileError, Storage, StorageError

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sites` subcommand."""
    parser = subparsers.add_parser("sites", help="sites and desks: import a file, list them")
    actions = parser.add_subparsers(dest="sites_command", required=True, metavar="ACTION")
    importer = actions.add_parser(
        "import", help="create or update sites and desks from a YAML file (idempotent)"
    )
    importer.add_argument("file", type=Path, help="sites file, e.g. examples/sites.yaml")
    importer.set_defaults(func=run_import)
    actions.add_parser("list", help="print the sites with their desk counts").set_defaults(
        func=run_list
    )


def run_import(args: argparse.Namespace) -> int:
    """Import the file given on the command line; nothing is written if it has an error."""
    return asyncio.run(_import(args.file))


def run_list(args: argparse.Namespace) -> int:
    """Print every site with its desks count, aliases, département and managers."""
    return asyncio.run(_list())


async def _import(path: Path) -> int:
    settings = load_settings()
    try:
        async with Storage.open(settings.database_url, timezone=settings.timezone) as storage:
            report = await storage.import_sites(path)
            sites = await storage.list_sites()
    except SitesFileError as error:
        print(f"bureau-volant: {path}: {error}", file=sys.stderr)
        return 1
    except StorageError as error:
        print(f"bureau-volant: {error}", file=sys.stderr)
        return 1
    print(
        f"{path}: {report.sites_created} site(s) created, {report.sites_updated} updated; "
        f"desks: {report.desks_created} created, {report.desks_deactivated} deactivated, "
        f"{report.desks_reactivated} reactivated. {len(sites)} site(s), "
        f"{sum(site.desk_count for site in sites)} desk(s) in all."
    )
    return 0


async def _list() -> int:
    settings = load_settings()
    try:
        async with Storage.open(settings.database_url, timezone=settings.timezone) as storage:
            sites = await storage.list_sites()
    except StorageError as error:
        print(f"bureau-volant: {error}", file=sys.stderr)
        return 1
    if not sites:
        print("No site yet: bureau-volant sites import examples/sites.yaml")
        return 0
    print(render_sites(sites))
    return 0


def render_sites(sites: list[SiteInfo]) -> str:
    """A plain-text table of the sites."""
    header = ("Site", "Dept", "Desks", "Open", "Aliases", "Managers")
    rows = [
        (
            site.name,
            site.department or "-",
            str(site.desk_count),
            _weekdays(site.open_weekdays),
            ", ".join(site.aliases) or "-",
            ", ".join(site.managers) or "-",
        )
        for site in sites
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
        for row in [header, *rows]
    ]
    total = sum(site.desk_count for site in sites)
    lines.append(f"{len(sites)} site(s), {total} desk(s)")
    return "\n".join(lines)


def _weekdays(days: tuple[int, ...]) -> str:
    if days == (0, 1, 2, 3, 4):
        return "Mon-Fri"
    return ",".join(WEEKDAYS[d] for d in days)
