"""``sitrep profile list|show|check``: the conflict profiles (:mod:`sitrep.profile`)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape

from sitrep.cli import _app as _cli

__all__ = ["profile_check_cmd", "profile_list_cmd", "profile_show_cmd"]

profile_app = typer.Typer(help="Conflict profiles: list the shipped ones, show or check one "
                               "(docs/profiles.md).", no_args_is_help=True)
_cli.app.add_typer(profile_app, name="profile")

NameArg = Annotated[str, typer.Argument(
    help="A shipped profile name (afghanistan-2021) or a folder holding profile.yaml.")]


@profile_app.command("list")
def profile_list_cmd() -> None:
    """The shipped profiles, the default first."""
    from sitrep.profile import DEFAULT_PROFILE, available_profiles, load_profile

    names = sorted(available_profiles(), key=lambda n: (n != DEFAULT_PROFILE, n))
    with _cli.sitrep_errors():
        rows = [{"name": n, "title": load_profile(n).title,
                 "default": "yes" if n == DEFAULT_PROFILE else ""} for n in names]
    _cli.print_rows(rows, "table", ["name", "title", "default"], title="conflict profiles")


@profile_app.command("show")
def profile_show_cmd(name: NameArg) -> None:
    """A profile's countries, sides and colours, unit names, dates and files (JSON)."""
    from sitrep.profile import load_profile

    with _cli.sitrep_errors():
        p = load_profile(name)
    info = p.describe()
    info["files"] = {"profile": str(p.path), "gazetteer": str(p.gazetteer),
                     "actors": [str(a) for a in p.actors]}
    typer.echo(json.dumps(info, ensure_ascii=False, indent=1))


@profile_app.command("check")
def profile_check_cmd(name: NameArg) -> None:
    """Check a profile: profile.yaml, then its gazetteer, polygons and actor books against
    each other. Exit 0 when usable, 2 with one line per problem."""
    from sitrep.profile_check import check_profile

    with _cli.sitrep_errors():
        profile, problems = check_profile(name)
    for problem in problems:
        _cli.err_console.print(f"[red]problem[/red] {escape(problem)}", highlight=False,
                               soft_wrap=True)
    if problems:
        raise typer.Exit(_cli.EXIT_ERROR)
    typer.echo(f"profile {profile.name} ({profile.path}): ok — "
               f"{len(profile.countries)} countr{'y' if len(profile.countries) == 1 else 'ies'}, "
               f"sides {', '.join(s.key for s in profile.sides.sides)}")
