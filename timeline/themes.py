"""Finding a theme's templates and static files, with a user's own templates searched first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem

BUILT_IN = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True)
class Theme:
    """The folders a theme's templates and static files are looked up in, first match wins."""

    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]


def find_theme(name: str, project_dir: Path) -> Theme:
    """The theme called ``name`` from ``<project>/themes`` or the built-in ones.

    A ``templates/`` folder in the project is searched before the theme, so a
    user can replace one template without copying the whole theme.
    """
    candidates = [project_dir / "themes" / name, BUILT_IN / name]
    folder = next((c for c in candidates if (c / "templates").is_dir()), None)
    if folder is None:
        available = sorted({p.name for base in (project_dir / "themes", BUILT_IN) if base.is_dir()
                            for p in base.iterdir() if (p / "templates").is_dir()})
        raise InputError(Problem("timeline.yaml", f"unknown theme {name!r}; available themes: "
                                 + (", ".join(available) or "none")))
    own = project_dir / "templates"
    templates = ((own,) if own.is_dir() and own.resolve() != (folder / "templates").resolve() else ()) + (
        folder / "templates",)
    statics = tuple(p for p in (project_dir / "static", folder / "static") if p.is_dir())
    if (project_dir / "static").resolve() == (folder / "static").resolve():
        statics = (folder / "static",)
    return Theme(name, templates, statics)
