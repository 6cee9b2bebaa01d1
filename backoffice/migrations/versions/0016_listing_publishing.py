"""catalog: a listing can be publishing (handed to the outbox, waiting for the platform's item id)

Revision ID: 0016
Revises: 0010
Create Date: 2026-11-23 19:00:00
"""
from alembic import op

revision = '0016'
down_revision = '0010'
branch_labels = None
depends_on = None


def _status_check(statuses: str) -> None:
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_listings_status_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_listings_status_known'), f"status IN ({statuses})")


def upgrade() -> None:
    _status_check("'draft', 'ready', 'publishing', 'published', 'archived'")


def downgrade() -> None:
    op.execute("UPDATE listings SET status = 'ready' WHERE status = 'publishing'")
    _status_check("'draft', 'ready', 'published', 'archived'")
