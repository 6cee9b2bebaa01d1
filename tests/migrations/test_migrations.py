"""Alembic migrations are the only source of the schema: models and migrations must not drift."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import backoffice.models  # noqa: F401
from backoffice import migrate
from backoffice.db import Base, make_engine


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_every_constraint_follows_the_naming_convention(engine):
    inspector = inspect(engine)
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for fk in inspector.get_foreign_keys(table):
            assert fk["name"] and fk["name"].startswith(f"fk_{table}_"), (table, fk)
        for uq in inspector.get_unique_constraints(table):
            assert uq["name"].startswith(f"uq_{table}_"), (table, uq)


def test_downgrade_to_nothing_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    migrate.upgrade(url)
    from alembic import command

    command.downgrade(migrate.alembic_config(url), "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        couriers = dict(conn.execute(text("SELECT name, code FROM couriers")).all())
    engine.dispose()
    assert couriers["邮政"] == "youzhengguonei" and couriers["京东"] == "jd" and couriers["圆通"] == "yuantong"
