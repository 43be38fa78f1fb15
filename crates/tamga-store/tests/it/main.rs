//! The store contract: every test runs on SQLite and on PostgreSQL.

mod attachments;
mod audit;
mod audit_actions;
mod cargo;
mod contract;
mod control;
mod control_steps;
mod federation;
mod fixtures;
mod lab;
mod ops;
mod parties;
mod party_list;
mod postgres_cluster;
mod retention;
mod revenue;
mod risk;
mod seizures;
mod sqlite_durability;
mod task_lists;
mod transit;

/// Runs one contract test against both backends.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = tamga_store::testing::TestStore::sqlite().await;
                    crate::$name(db.store.clone()).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = tamga_store::testing::TestStore::postgres().await;
                    crate::$name(db.store.clone()).await;
                }
            }
        )+
    };
}

on_both_backends!(
    a_party_lists_every_declaration_it_is_on_once,
    users_and_tokens,
    lodge_assigns_an_mrn_and_keeps_history,
    identical_resubmission_returns_the_same_mrn,
    a_used_lrn_with_other_content_is_refused,
    lrns_are_unique_per_declarant_only,
    declarants_see_only_their_own,
    list_filters_and_paginates,
    transitions_follow_the_lifecycle,
    concurrent_lodgements_get_distinct_mrns,
    assessments_payments_and_release,
    unassessed_declarations_take_no_payment,
    tariffs_and_rates_are_kept,
    reassessments_are_new_versions,
    unit_values_build_valuation_references,
    cargo_reports_are_stored_once,
    risk_documents_are_versioned,
    decisions_and_outcomes_feed_the_statistics,
    red_capacity_is_counted_in_the_lodgement,
    tallies_follow_decisions_and_outcomes,
    parties_are_registered_once_and_changed,
    mandates_are_granted_between_registered_parties,
    revoking_a_mandate_keeps_it_with_an_end,
    revoking_never_extends_a_mandate,
    channels_open_their_control_tasks,
    only_eligible_officers_are_drawn,
    tasks_wait_when_nobody_is_on_duty,
    green_is_released_once_paid,
    red_control_runs_to_release,
    task_lists_page_through_every_task,
    supervisors_reallocate_and_suspend,
    samples_keep_custody_and_four_eyes,
    seizures_open_and_join_cases,
    attachments_are_recorded_and_linked,
    audit_due_days_come_from_the_lodgement,
    every_declaration_change_writes_one_entry,
    every_registry_and_targeting_change_writes_one_entry,
    every_control_step_writes_one_entry,
    tokens_are_issued_listed_and_revoked,
    closed_declarations_are_masked_once,
    explanations_reports_and_seizures_are_masked,
    transit_movements_run_their_lifecycle,
    guarantees_never_go_below_zero,
    overdue_movements_are_enquired_then_recovered,
);

use attachments::*;
use audit_actions::*;
use cargo::*;
use contract::*;
use control::*;
use control_steps::*;
use lab::*;
use ops::*;
use parties::*;
use party_list::*;
use retention::*;
use revenue::*;
use risk::*;
use seizures::*;
use task_lists::*;

// --- federation
on_both_backends!(
    the_outbox_sends_each_conversation_in_order,
    the_inbox_accepts_once_and_records_replays,
    feedback_is_given_once_on_a_received_alert,
    the_signing_key_is_made_once,
);
use federation::*;
use transit::*;
