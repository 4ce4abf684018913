"""the lawyers' records: proceedings, charges, custody, milestones, hearing details, compensation, protection

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column[object]]:
    """The bookkeeping columns of every Record (persistence.base)."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "proceedings",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("accused_id", sa.Uuid(), nullable=False),
        sa.Column("court_id", sa.Uuid(), nullable=True),
        sa.Column("court_case_number", sa.String(length=100), nullable=False),
        sa.Column("pathway_key", sa.String(length=20), nullable=False),
        sa.Column("pathway_name", sa.String(length=200), nullable=False),
        sa.Column("pathway_format", sa.Integer(), nullable=False),
        sa.Column("reporting_stage", sa.String(length=40), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("prison_months", sa.Integer(), nullable=True),
        sa.Column("life_sentence", sa.Boolean(), nullable=False),
        sa.Column("fine_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("fine_currency", sa.String(length=3), nullable=False),
        sa.Column("appealed", sa.Boolean(), nullable=False),
        sa.Column("appeal_notes", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["accused_id"], ["accused.id"], name=op.f("fk_proceedings_accused_id_accused")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_proceedings_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["court_id"], ["institutions.id"], name=op.f("fk_proceedings_court_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proceedings")),
        sa.UniqueConstraint(
            "case_id", "accused_id", name=op.f("uq_proceedings_case_id_accused_id")
        ),
    )
    op.create_index(op.f("ix_proceedings_accused_id"), "proceedings", ["accused_id"])
    op.create_index(op.f("ix_proceedings_court_id"), "proceedings", ["court_id"])
    op.create_index("ix_proceedings_outcome_stage", "proceedings", ["outcome", "reporting_stage"])

    op.create_table(
        "protection_measures",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_protection_measures_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["survivors.id"],
            name=op.f("fk_protection_measures_survivor_id_survivors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protection_measures")),
    )
    op.create_index(op.f("ix_protection_measures_case_id"), "protection_measures", ["case_id"])
    op.create_index(
        op.f("ix_protection_measures_survivor_id"), "protection_measures", ["survivor_id"]
    )

    op.create_table(
        "charges",
        sa.Column("proceeding_id", sa.Uuid(), nullable=False),
        sa.Column("statute", sa.String(length=200), nullable=False),
        sa.Column("section", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("amends_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["amends_id"], ["charges.id"], name=op.f("fk_charges_amends_id_charges")
        ),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["proceedings.id"],
            name=op.f("fk_charges_proceeding_id_proceedings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
    )
    op.create_index(op.f("ix_charges_proceeding_id"), "charges", ["proceeding_id"])

    op.create_table(
        "compensation_claims",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("proceeding_id", sa.Uuid(), nullable=True),
        sa.Column("scheme", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("applied_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("awarded_on", sa.Date(), nullable=True),
        sa.Column("awarded_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_compensation_claims_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["proceedings.id"],
            name=op.f("fk_compensation_claims_proceeding_id_proceedings"),
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["survivors.id"],
            name=op.f("fk_compensation_claims_survivor_id_survivors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensation_claims")),
    )
    op.create_index(op.f("ix_compensation_claims_case_id"), "compensation_claims", ["case_id"])
    op.create_index(
        op.f("ix_compensation_claims_survivor_id"), "compensation_claims", ["survivor_id"]
    )

    op.create_table(
        "custody_events",
        sa.Column("proceeding_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["proceedings.id"],
            name=op.f("fk_custody_events_proceeding_id_proceedings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_events")),
    )
    op.create_index(
        "ix_custody_events_proceeding_id_on_date", "custody_events", ["proceeding_id", "on_date"]
    )

    op.create_table(
        "milestone_records",
        sa.Column("proceeding_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["proceedings.id"],
            name=op.f("fk_milestone_records_proceeding_id_proceedings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_records")),
        sa.UniqueConstraint(
            "proceeding_id", "seq", name=op.f("uq_milestone_records_proceeding_id_seq")
        ),
    )

    op.create_table(
        "hearing_staff",
        sa.Column("hearing_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hearing_id"], ["hearings.id"], name=op.f("fk_hearing_staff_hearing_id_hearings")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hearing_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("hearing_id", "user_id", name=op.f("pk_hearing_staff")),
    )
    op.create_index(op.f("ix_hearing_staff_user_id"), "hearing_staff", ["user_id"])

    # Existing hearings: no survivor testifies, nothing noted to prepare.
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proceeding_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("judge_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "survivor_testifies", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column("testifying_survivor_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("protection_measure_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("preparation", sa.Text(), nullable=False, server_default=""))
        batch_op.create_index(
            "ix_hearings_court_id_scheduled_at", ["court_id", "scheduled_at"], unique=False
        )
        batch_op.create_index(
            "ix_hearings_outcome_scheduled_at", ["outcome", "scheduled_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_hearings_proceeding_id"), ["proceeding_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_hearings_proceeding_id_proceedings"),
            "proceedings",
            ["proceeding_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_hearings_protection_measure_id_protection_measures"),
            "protection_measures",
            ["protection_measure_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_hearings_judge_id_partner_officials"),
            "partner_officials",
            ["judge_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_hearings_testifying_survivor_id_survivors"),
            "survivors",
            ["testifying_survivor_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_hearings_testifying_survivor_id_survivors"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_hearings_judge_id_partner_officials"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_hearings_protection_measure_id_protection_measures"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_hearings_proceeding_id_proceedings"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_hearings_proceeding_id"))
        batch_op.drop_index("ix_hearings_outcome_scheduled_at")
        batch_op.drop_index("ix_hearings_court_id_scheduled_at")
        batch_op.drop_column("preparation")
        batch_op.drop_column("protection_measure_id")
        batch_op.drop_column("testifying_survivor_id")
        batch_op.drop_column("survivor_testifies")
        batch_op.drop_column("judge_id")
        batch_op.drop_column("proceeding_id")

    op.drop_index(op.f("ix_hearing_staff_user_id"), table_name="hearing_staff")
    op.drop_table("hearing_staff")
    op.drop_table("milestone_records")
    op.drop_index("ix_custody_events_proceeding_id_on_date", table_name="custody_events")
    op.drop_table("custody_events")
    op.drop_index(op.f("ix_compensation_claims_survivor_id"), table_name="compensation_claims")
    op.drop_index(op.f("ix_compensation_claims_case_id"), table_name="compensation_claims")
    op.drop_table("compensation_claims")
    op.drop_index(op.f("ix_charges_proceeding_id"), table_name="charges")
    op.drop_table("charges")
    op.drop_index(op.f("ix_protection_measures_survivor_id"), table_name="protection_measures")
    op.drop_index(op.f("ix_protection_measures_case_id"), table_name="protection_measures")
    op.drop_table("protection_measures")
    op.drop_index("ix_proceedings_outcome_stage", table_name="proceedings")
    op.drop_index(op.f("ix_proceedings_court_id"), table_name="proceedings")
    op.drop_index(op.f("ix_proceedings_accused_id"), table_name="proceedings")
    op.drop_table("proceedings")
