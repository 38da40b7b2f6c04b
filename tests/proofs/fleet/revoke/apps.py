"""A data migration that revokes an origin: one of the fleet proof's change paths."""

from django.apps import AppConfig


class RevokeConfig(AppConfig):
    name = "tests.proofs.fleet.revoke"
    label = "fleet_revoke"
