"""aftercare and prevention: outcome assessments, care plans, services, referrals, trainings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 14:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# New tables only: nothing here rewrites an existing table, so upgrading a
# database of 100,000 cases copies no rows. A case the government led is a row
# in government_led_cases rather than a column on cases for the same reason.


def upgrade() -> None:
    op.create_table('assessment_instruments',
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('instrument_version', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_instruments')),
    sa.UniqueConstraint('instrument_id', 'instrument_version', name=op.f('uq_assessment_instruments_instrument_id_instrument_version'))
    )
    op.create_table('assessments',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.Uuid(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('basis', sa.String(length=40), nullable=False),
    sa.Column('instrument_id', sa.String(length=64), nullable=False),
    sa.Column('instrument_version', sa.String(length=32), nullable=False),
    sa.Column('instrument_digest', sa.String(length=64), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('supersedes_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_assessments_assessor_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assessments_case_id_cases')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['assessments.id'], name=op.f('fk_assessments_supersedes_id_assessments')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_assessments_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_assessments_supersedes_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index('ix_assessments_case_id_assessed_on', ['case_id', 'assessed_on'], unique=False)
        batch_op.create_index('ix_assessments_survivor_id_assessed_on', ['survivor_id', 'assessed_on'], unique=False)

    op.create_table('care_plan_goals',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('domain_key', sa.String(length=64), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('achieved_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_care_plan_goals_case_id_cases')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_care_plan_goals_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_plan_goals'))
    )
    with op.batch_alter_table('care_plan_goals', schema=None) as batch_op:
        batch_op.create_index('ix_care_plan_goals_case_id_survivor_id', ['case_id', 'survivor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_plan_goals_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('engagements',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('jurisdiction', sa.String(length=200), nullable=False),
    sa.Column('facilitators', sa.String(length=500), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_engagements_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagements'))
    )
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_engagements_country_jurisdiction_held_on', ['country', 'jurisdiction', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_held_on'), ['held_on'], unique=False)

    op.create_table('government_led_cases',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('lead_institution_id', sa.Uuid(), nullable=True),
    sa.Column('marked_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_government_led_cases_case_id_cases')),
    sa.ForeignKeyConstraint(['lead_institution_id'], ['institutions.id'], name=op.f('fk_government_led_cases_lead_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_government_led_cases')),
    sa.UniqueConstraint('case_id', name=op.f('uq_government_led_cases_case_id'))
    )
    with op.batch_alter_table('government_led_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_government_led_cases_lead_institution_id'), ['lead_institution_id'], unique=False)

    op.create_table('referrals',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('is_transfer', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('referred_by', sa.Uuid(), nullable=False),
    sa.Column('consent_id', sa.Uuid(), nullable=True),
    sa.Column('consent_summary', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('outcome_note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases')),
    sa.ForeignKeyConstraint(['consent_id'], ['consents.id'], name=op.f('fk_referrals_consent_id_consents')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_referrals_institution_id_institutions')),
    sa.ForeignKeyConstraint(['referred_by'], ['users.id'], name=op.f('fk_referrals_referred_by_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_referrals_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index('ix_referrals_case_id_referred_on', ['case_id', 'referred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('aftercare_closures',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('assessment_id', sa.Uuid(), nullable=True),
    sa.Column('requested_by', sa.Uuid(), nullable=False),
    sa.Column('approved_by', sa.Uuid(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], name=op.f('fk_aftercare_closures_approved_by_users')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_aftercare_closures_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_aftercare_closures_case_id_cases')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_aftercare_closures_requested_by_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_aftercare_closures_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_closures'))
    )
    with op.batch_alter_table('aftercare_closures', schema=None) as batch_op:
        batch_op.create_index('ix_aftercare_closures_case_id_survivor_id', ['case_id', 'survivor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftercare_closures_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_aftercare_closures_survivor_id'), ['survivor_id'], unique=False)

    op.create_table('assessment_scores',
    sa.Column('assessment_id', sa.Uuid(), nullable=False),
    sa.Column('domain_key', sa.String(length=64), nullable=False),
    sa.Column('sub_domain_key', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('score >= 1 AND score <= 4', name=op.f('ck_assessment_scores_score_range')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_scores_assessment_id_assessments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_scores')),
    sa.UniqueConstraint('assessment_id', 'sub_domain_key', name=op.f('uq_assessment_scores_assessment_id_sub_domain_key'))
    )
    op.create_table('engagement_attendees',
    sa.Column('engagement_id', sa.Uuid(), nullable=False),
    sa.Column('official_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_engagement_attendees_engagement_id_engagements')),
    sa.ForeignKeyConstraint(['official_id'], ['partner_officials.id'], name=op.f('fk_engagement_attendees_official_id_partner_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_attendees')),
    sa.UniqueConstraint('engagement_id', 'official_id', name=op.f('uq_engagement_attendees_engagement_id_official_id'))
    )
    with op.batch_alter_table('engagement_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_attendees_official_id'), ['official_id'], unique=False)

    op.create_table('engagement_institutions',
    sa.Column('engagement_id', sa.Uuid(), nullable=False),
    sa.Column('institution_id', sa.Uuid(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_engagement_institutions_engagement_id_engagements')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_engagement_institutions_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_institutions')),
    sa.UniqueConstraint('engagement_id', 'institution_id', name=op.f('uq_engagement_institutions_engagement_id_institution_id'))
    )
    with op.batch_alter_table('engagement_institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_institutions_institution_id'), ['institution_id'], unique=False)

    op.create_table('engagement_role_counts',
    sa.Column('engagement_id', sa.Uuid(), nullable=False),
    sa.Column('official_role', sa.String(length=40), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attendees >= 0', name=op.f('ck_engagement_role_counts_attendees_not_negative')),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_engagement_role_counts_engagement_id_engagements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_role_counts')),
    sa.UniqueConstraint('engagement_id', 'official_role', name=op.f('uq_engagement_role_counts_engagement_id_official_role'))
    )
    op.create_table('services_delivered',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('survivor_id', sa.Uuid(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('provider_institution_id', sa.Uuid(), nullable=True),
    sa.Column('goal_id', sa.Uuid(), nullable=True),
    sa.Column('referral_id', sa.Uuid(), nullable=True),
    sa.Column('staff_user_id', sa.Uuid(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_services_delivered_case_id_cases')),
    sa.ForeignKeyConstraint(['goal_id'], ['care_plan_goals.id'], name=op.f('fk_services_delivered_goal_id_care_plan_goals')),
    sa.ForeignKeyConstraint(['provider_institution_id'], ['institutions.id'], name=op.f('fk_services_delivered_provider_institution_id_institutions')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_services_delivered_referral_id_referrals')),
    sa.ForeignKeyConstraint(['staff_user_id'], ['users.id'], name=op.f('fk_services_delivered_staff_user_id_users')),
    sa.ForeignKeyConstraint(['survivor_id'], ['survivors.id'], name=op.f('fk_services_delivered_survivor_id_survivors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services_delivered'))
    )
    with op.batch_alter_table('services_delivered', schema=None) as batch_op:
        batch_op.create_index('ix_services_delivered_case_id_delivered_on', ['case_id', 'delivered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_services_delivered_survivor_id'), ['survivor_id'], unique=False)


def downgrade() -> None:
    # Children before parents (foreign keys); dropping a table drops its indexes.
    for table in (
        "government_led_cases",
        "engagement_role_counts",
        "engagement_attendees",
        "engagement_institutions",
        "engagements",
        "aftercare_closures",
        "services_delivered",
        "referrals",
        "care_plan_goals",
        "assessment_scores",
        "assessments",
        "assessment_instruments",
    ):
        op.drop_table(table)
