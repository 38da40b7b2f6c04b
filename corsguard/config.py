"""Build a policy and its path rules from a settings mapping or the environment (B2.4).

Public entry point; the implementation lives in ``corsguard._pipeline.config``.
"""

from corsguard._pipeline.config import Configuration, load

__all__ = ["Configuration", "load"]
