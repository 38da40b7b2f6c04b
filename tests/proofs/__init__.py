"""Proofs that nothing hostile gets through: fuzzing against an independent
oracle, a real threaded server under load, and a real cache in front.

Each proof is a module that runs on its own (``python -m tests.proofs.<name>``,
the full, documented run) and a pytest file that runs a shorter version in
the test command and shows that each of its counts can fail.
"""
