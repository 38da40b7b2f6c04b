"""What a whole-API scan covers: the URL given, the lines of --input, the
paths of an --openapi document. A target that cannot be used is an error of
its own (said per line or per document) and the rest are scanned.

OpenAPI 3 (``servers``) and Swagger 2 (``schemes``, ``host``, ``basePath``)
in JSON; YAML when PyYAML happens to be installed (corsguard itself needs
only the standard library). Path parameters are filled from --param, else
from the document's example, default or first enum value, else a value of
the declared type; a parameter nothing fills is an error for that path.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from corsguard.cli import wire

_MAX_DOCUMENT = 10 << 20
_METHODS = ("get", "put", "post", "delete", "patch", "options", "head")
_PARAMETER = re.compile(r"\{([^{}]+)\}")
_BY_TYPE = {"integer": "1", "number": "1", "boolean": "true", "string": "example"}


@dataclass
class Targets:
    urls: list[str] = field(default_factory=list)
    # (where, what is wrong): a line of --input, a path of --openapi, the document itself.
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, url: str, where: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.errors.append((where, f"{url!r} is not an http:// or https:// URL"))
        elif url not in self.urls:
            self.urls.append(url)


def collect(args: argparse.Namespace) -> Targets:
    found = Targets()
    if args.url is not None:
        found.add(args.url, "the command line")
    if args.input is not None:
        _from_file(args.input, found)
    if args.openapi is not None:
        params = dict(item.split("=", 1) for item in args.param)
        _from_openapi(args.openapi, args.base_url, params, found)
    return found


def _from_file(path: str, found: Targets) -> None:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read(_MAX_DOCUMENT).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise wire.UsageError(f"--input {path}: cannot read it ({error})") from None
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if text and not text.startswith("#"):
            found.add(text, f"{path}:{number}")


def load_document(source: str) -> dict[str, Any]:
    """The OpenAPI document as a mapping; ValueError says why it is not one."""
    try:
        if urlsplit(source).scheme in ("http", "https"):
            with urllib.request.urlopen(source, timeout=wire.DEFAULT_TIMEOUT) as response:
                raw = response.read(_MAX_DOCUMENT)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(_MAX_DOCUMENT)
    except OSError as error:
        raise ValueError(f"cannot read it ({error})") from None
    text = raw.decode("utf-8", errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        document = _yaml(text, error)
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ValueError("not an OpenAPI document: no 'paths' mapping")
    return document


def _yaml(text: str, error: json.JSONDecodeError) -> Any:
    try:
        yaml: Any = importlib.import_module("yaml")
    except ImportError:
        raise ValueError(f"not JSON ({error}); for YAML, convert it to JSON or install PyYAML") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise ValueError(f"not JSON ({error}) and not YAML ({problem})") from None


def base_url(document: dict[str, Any], given: str | None, source: str) -> str:
    if given:
        return given.rstrip("/")
    servers = document.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict) and "url" in servers[0]:
        url = str(servers[0]["url"]).rstrip("/")
    elif "host" in document:
        schemes = document.get("schemes") or ["https"]
        url = f"{schemes[0]}://{document['host']}{document.get('basePath', '')}".rstrip("/")
    else:
        url = ""
    if url.startswith("/") and urlsplit(source).scheme in ("http", "https"):
        parts = urlsplit(source)
        url = f"{parts.scheme}://{parts.netloc}{url}"
    if not urlsplit(url).hostname:
        raise ValueError("no server URL in the document: pass --base-url")
    return url


def _from_openapi(source: str, given: str | None, params: dict[str, str], found: Targets) -> None:
    try:
        document = load_document(source)
        root = base_url(document, given, source)
    except ValueError as error:
        found.errors.append((f"--openapi {source}", str(error)))
        return
    for path, item in document["paths"].items():
        if not isinstance(item, dict) or not any(method in item for method in _METHODS):
            continue
        try:
            filled = fill(str(path), _parameters(item), params)
        except ValueError as error:
            found.errors.append((f"{source} {path}", str(error)))
            continue
        found.add(root + filled, f"{source} {path}")


def _parameters(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The path parameters declared on the path and on its operations, by name."""
    declared: dict[str, dict[str, Any]] = {}
    for holder in [item, *(item[m] for m in _METHODS if isinstance(item.get(m), dict))]:
        for parameter in holder.get("parameters", []) or []:
            if isinstance(parameter, dict) and parameter.get("in") == "path" and "name" in parameter:
                declared.setdefault(str(parameter["name"]), parameter)
    return declared


def fill(path: str, declared: dict[str, dict[str, Any]], given: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in given:
            return quote(given[name], safe="")
        example = _example(declared.get(name, {}))
        if example is None:
            raise ValueError(f"no value for the path parameter {{{name}}}: pass --param {name}=VALUE")
        return quote(example, safe="")

    return _PARAMETER.sub(value, path)


def _example(parameter: dict[str, Any]) -> str | None:
    nested = parameter.get("schema")
    schema: dict[str, Any] = nested if isinstance(nested, dict) else parameter
    for holder in (parameter, schema):
        for key in ("example", "default"):
            if holder.get(key) is not None:
                return str(holder[key])
        if isinstance(holder.get("enum"), list) and holder["enum"]:
            return str(holder["enum"][0])
    return _BY_TYPE.get(str(schema.get("type", "")))
