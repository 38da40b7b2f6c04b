"""A version row and the triggers that bump it on any write to the origins (B14)."""

from typing import Any

from django.db import migrations, models

ORIGINS = "corsguard_origins_allowedorigin"
BUMP = "UPDATE corsguard_origins_version SET version = version + 1 WHERE id = 1"

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION corsguard_origins_bump() RETURNS trigger AS $$ "
    f"BEGIN {BUMP}; RETURN NULL; END; $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER corsguard_origins_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {ORIGINS} "
    "FOR EACH STATEMENT EXECUTE PROCEDURE corsguard_origins_bump()",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS corsguard_origins_changed ON {ORIGINS}",
    "DROP FUNCTION IF EXISTS corsguard_origins_bump()",
]
SQLITE = [
    f"CREATE TRIGGER corsguard_origins_{event.lower()} AFTER {event} ON {ORIGINS} BEGIN {BUMP}; END"
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS corsguard_origins_{event}" for event in ("insert", "update", "delete")]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create(apps: Any, schema_editor: Any) -> None:
    apps.get_model("corsguard_origins", "OriginsVersion").objects.using(schema_editor.connection.alias).create(
        id=1, version=1
    )
    _run(schema_editor, {"postgresql": POSTGRESQL, "sqlite": SQLITE})


def drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("corsguard_origins", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="OriginsVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "corsguard_origins_version", "verbose_name": "allowed origins version"},
        ),
        migrations.RunPython(create, drop),
    ]
