"""The report codes for what a peer's configuration meant that corsguard
cannot carry over as written (issue 21): each unfaithful construct found in
real projects' configurations has its own code, so the replay tests can tell
which report line explains which header difference, and the README's codes
table can say what each means.
"""

from __future__ import annotations

CHECKS: dict[str, str] = {
    "any-origin-regex": "an origin regex matched every origin (re.match of '/*', '^.*$' ...): it means any origin",
    "literal-resource": "a flask-cors resource without regex characters matched that one path exactly",
    "path-matches-all": "a path regex matched every path (re.match of '' or '/*'): CORS applies everywhere",
    "browser-header": "a header name pages can never set or read (dnt, origin, cookie ...) is dropped: no effect",
    "scheme-less-origin": "an origin without a scheme: http or https is yours to decide, corsguard does not guess",
    "star-headers": "'*' allowed headers are answered '*, authorization': other sites may now send Authorization",
    "unknown-option": "a keyword argument flask-cors ignored (it logged 'Unknown option'): a typo?",
    "regex-refused": "a translated pattern corsguard refuses at start-up: the reason, and a TODO to decide",
    "star-not-wildcard": "'*' in an origins list was compared as text and matched no origin: dropped",
    "insecure-origin-credentials": "a plain-http origin with credentials: corsguard refuses it unless you decide",
    "star-exposed-credentials": "exposed headers '*' with credentials exposed nothing (read as a name): dropped",
    "not-a-list": "a setting of the wrong type (a string where a list was meant): carried over as meant, to confirm",
    "refused-setting": "a translated setting corsguard's loader refuses: its reason, as a TODO",
}
