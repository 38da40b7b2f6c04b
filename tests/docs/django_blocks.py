"""The Django blocks of a page, run in a fresh ``django-admin startproject``.

- ``<!-- django-settings: REQUESTS -->``: the block is appended to the
  ``settings.py`` of a new project; ``manage.py check`` must pass;
- ``<!-- django-more: REQUESTS -->``: the block is appended to the settings of
  the page's current project (a later section adding to the same project);
- ``<!-- django-urls: REQUESTS -->``: the block is the project's ``urls.py``.

REQUESTS is ``METHOD /path from ORIGIN``, optionally ``gets VALUE`` (the
``Access-Control-Allow-Origin`` expected, ``none`` for no header; the Origin
itself when left out), several separated by ``;``. They are sent with
Django's test client once the page's URLconf is written, so a settings block
may ask for a view the next block routes.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tests.docs.blocks import Block

if TYPE_CHECKING:
    from tests.docs.runner import Page

BIN = Path(sys.executable).parent

PROBE = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"
django.setup()
from django.test import Client
answer = Client().{method}("{path}", HTTP_ORIGIN="{origin}", HTTP_HOST="localhost")
print("ACAO=" + answer.headers.get("Access-Control-Allow-Origin", "none"))
"""


def settings(page: Page, block: Block) -> None:
    from tests.docs.runner import shell  # noqa: PLC0415

    page.finish()
    page.count += 1
    page.project = page.scratch / f"django{page.count}"
    page.project.mkdir()
    shell(f"{BIN / 'django-admin'} startproject mysite .", page.project)
    more(page, block)


def more(page: Page, block: Block) -> None:
    from tests.docs.runner import shell  # noqa: PLC0415

    assert page.project, f"{block.id}: {block.marker} needs a django-settings block above it"
    with (page.project / "mysite" / "settings.py").open("a", encoding="utf-8") as written:
        written.write("\n" + block.text)
    code, said = shell(f"{sys.executable} manage.py check", page.project)
    assert code == 0, f"{block.id}: manage.py check failed:\n{said}"
    page.pending = block


def urls(page: Page, block: Block) -> None:
    assert page.project, f"{block.id}: a django-urls block needs a django-settings block above it"
    (page.project / "mysite" / "urls.py").write_text(block.text, encoding="utf-8")
    page.pending = block if block.argument else page.pending


def probe(page: Page, block: Block) -> None:
    """Sends the requests the block's marker asks for; each must get the ACAO it names."""
    from tests.docs.runner import REQUEST, shell  # noqa: PLC0415

    assert page.project is not None
    for written in filter(None, (part.strip() for part in block.argument.split(";"))):
        asked = REQUEST.match(written)
        assert asked, f"{block.id}: write each request as 'GET /path from https://origin [gets VALUE]'"
        script = PROBE.format(method=asked["method"].lower(), path=asked["path"], origin=asked["origin"])
        _, said = shell(f"{sys.executable} -c {shlex.quote(script)}", page.project)
        expected = asked["acao"] or asked["origin"]
        got = [line[5:] for line in said.splitlines() if line.startswith("ACAO=")]
        assert got == [expected], f"{block.id}: {written}: got {said}"
