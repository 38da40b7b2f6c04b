"""MkDocs hook: the site's home page is the README itself, so the landing
text is written once. The README links into ``docs/`` as GitHub shows it;
on the site those pages sit one level up, so the links are rewritten here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The home page's text is the README, its repository links made site links."""
    if page.file.src_uri != "index.md":
        return markdown
    return (
        README.read_text(encoding="utf-8")
        .replace("](docs/)", "](index.md)")
        .replace("](docs/", "](")
        .replace("](CHANGELOG.md)", "](changelog.md)")
    )
