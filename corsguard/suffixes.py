"""Is a domain a public suffix (``com``, ``co.uk``, ``vercel.app``)?

A subdomain pattern on a public suffix lets anyone who can register a name
under it make credentialed requests. With the optional ``publicsuffixlist``
package (``pip install corsguard[psl]``, data shipped offline, private
section included) the check is exact; without it, only single-label
suffixes such as ``com`` are recognised.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol


class _SuffixList(Protocol):
    def is_public(self, domain: str) -> bool: ...


@lru_cache(maxsize=1)
def _suffix_list() -> _SuffixList | None:
    try:
        from publicsuffixlist import PublicSuffixList  # type: ignore[import-not-found,unused-ignore]  # noqa: PLC0415
    except ImportError:  # pragma: no cover - exercised only without the extra
        return None
    suffix_list: _SuffixList = PublicSuffixList()
    return suffix_list


def has_full_list() -> bool:
    return _suffix_list() is not None


def is_public_suffix(domain: str) -> bool:
    domain = domain.rstrip(".")
    if domain == "localhost":
        return False
    suffix_list = _suffix_list()
    if suffix_list is None:
        return "." not in domain
    return bool(suffix_list.is_public(domain))
