"""customer service

Revision ID: 0014
Revises: 0006
Create Date: 2026-11-23 17:28:03.174594
"""
import datetime

from alembic import op
import sqlalchemy as sa
import backoffice.db


revision = '0014'
down_revision = '0006'
branch_labels = None
depends_on = ('0003', '0004', '0005')  # orders, shops and couriers are referenced

# The shop's defaults (SPEC §5); staff edit them on the service rules page.
SETTINGS = {
    "id": 1, "bad_ratings": "neutral,bad",
    "bad_words": "差评,质量差,做工差,破损,开线,掉色,有味道,假货,色差,欺骗,垃圾,失望",
    "review_reply": "亲爱的{buyer}，感谢您的五星好评！包包有任何问题随时找我们客服哦，期待您再次光临娜好呀～",
    "first_answer_hours": 24, "investigation_working_days": 3, "complaint_follow_up_days": 3,
    "new_customer_visit_days": 7, "regular_customer_visit_months": 2, "weekly_report_due_hour": 12,
}


def upgrade() -> None:
    op.create_table('service_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bad_ratings', sa.String(length=32), nullable=False),
    sa.Column('bad_words', sa.Text(), nullable=False),
    sa.Column('review_reply', sa.Text(), nullable=False),
    sa.Column('first_answer_hours', sa.Integer(), nullable=False),
    sa.Column('investigation_working_days', sa.Integer(), nullable=False),
    sa.Column('complaint_follow_up_days', sa.Integer(), nullable=False),
    sa.Column('new_customer_visit_days', sa.Integer(), nullable=False),
    sa.Column('regular_customer_visit_months', sa.Integer(), nullable=False),
    sa.Column('weekly_report_due_hour', sa.Integer(), nullable=False),
    sa.Column('updated_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_settings'))
    )
    op.create_table('complaint_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('submitted_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_complaint_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_reports')),
    sa.UniqueConstraint('week_start', name=op.f('uq_complaint_reports_week_start'))
    )
    op.create_table('shift_handovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handed_by_id', sa.Integer(), nullable=False),
    sa.Column('handed_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('open_issues', sa.Integer(), nullable=False),
    sa.Column('overdue_issues', sa.Integer(), nullable=False),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_shift_handovers_acknowledged_by_id_users')),
    sa.ForeignKeyConstraint(['handed_by_id'], ['users.id'], name=op.f('fk_shift_handovers_handed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift_handovers'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('buyer', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('courier_code', sa.String(length=32), nullable=True),
    sa.Column('product', sa.String(length=128), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('received_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_answer_due', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_answered_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('investigation_due', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('investigated_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('follow_up_due', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('followed_up_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('follow_up_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'answered', 'investigated', 'closed')", name=op.f('ck_complaints_status_known')),
    sa.ForeignKeyConstraint(['courier_code'], ['couriers.code'], name=op.f('fk_complaints_courier_code_couriers')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_complaints_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_complaints_order_id_orders')),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_complaints_staff_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_complaints_received_at', ['received_at'], unique=False)

    op.create_table('customer_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('buyer', sa.String(length=64), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('solution', sa.Text(), nullable=False),
    sa.Column('promised_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('solved_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('solved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'solved')", name=op.f('ck_customer_issues_status_known')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_customer_issues_assignee_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_customer_issues_created_by_id_users')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_customer_issues_order_id_orders')),
    sa.ForeignKeyConstraint(['solved_by_id'], ['users.id'], name=op.f('fk_customer_issues_solved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_issues'))
    )
    with op.batch_alter_table('customer_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_issues_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_customer_issues_status_pinned', ['status', 'pinned'], unique=False)

    op.create_table('follow_up_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('buyer_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('visited_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('visited_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("kind IN ('new', 'regular')", name=op.f('ck_follow_up_visits_kind_known')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_follow_up_visits_order_id_orders')),
    sa.ForeignKeyConstraint(['visited_by_id'], ['users.id'], name=op.f('fk_follow_up_visits_visited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_visits'))
    )
    with op.batch_alter_table('follow_up_visits', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_visits_buyer', ['platform', 'buyer_id', 'visited_at'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('platform_review_id', sa.String(length=64), nullable=False),
    sa.Column('platform_order_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('buyer', sa.String(length=64), nullable=True),
    sa.Column('rating', sa.String(length=8), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('reviewed_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('verdict', sa.String(length=8), nullable=False),
    sa.Column('verdict_reason', sa.String(length=200), nullable=False),
    sa.Column('reply_message_id', sa.Integer(), nullable=True),
    sa.Column('received_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rating IN ('good', 'neutral', 'bad')", name=op.f('ck_reviews_rating_known')),
    sa.CheckConstraint("verdict IN ('good', 'bad', 'neutral')", name=op.f('ck_reviews_verdict_known')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_reviews_order_id_orders')),
    sa.ForeignKeyConstraint(['reply_message_id'], ['sync_outbox.id'], name=op.f('fk_reviews_reply_message_id_sync_outbox')),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], name=op.f('fk_reviews_shop_id_shops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('shop_id', 'platform_review_id', name=op.f('uq_reviews_shop_id_platform_review_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_reviews_verdict_reviewed_at', ['verdict', 'reviewed_at'], unique=False)

    op.create_table('supervisor_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', backoffice.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', backoffice.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'done')", name=op.f('ck_supervisor_tasks_status_known')),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_supervisor_tasks_done_by_id_users')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_supervisor_tasks_review_id_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_tasks')),
    sa.UniqueConstraint('kind', 'review_id', name=op.f('uq_supervisor_tasks_kind_review_id'))
    )
    with op.batch_alter_table('supervisor_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_supervisor_tasks_status_id', ['status', 'id'], unique=False)
    columns = [sa.column(k) for k in SETTINGS] + [sa.column("updated_at", backoffice.db.UTCDateTime(timezone=True))]
    op.bulk_insert(sa.table("service_settings", *columns),
                   [{**SETTINGS, "updated_at": datetime.datetime.now(datetime.timezone.utc)}])


def downgrade() -> None:
    with op.batch_alter_table('supervisor_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_supervisor_tasks_status_id')

    op.drop_table('supervisor_tasks')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_verdict_reviewed_at')
        batch_op.drop_index(batch_op.f('ix_reviews_order_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('follow_up_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_visits_buyer')

    op.drop_table('follow_up_visits')
    with op.batch_alter_table('customer_issues', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_issues_status_pinned')
        batch_op.drop_index(batch_op.f('ix_customer_issues_order_id'))

    op.drop_table('customer_issues')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_received_at')
        batch_op.drop_index(batch_op.f('ix_complaints_order_id'))

    op.drop_table('complaints')
    op.drop_table('shift_handovers')
    op.drop_table('complaint_reports')
    op.drop_table('service_settings')
