//! Attachments: an upload is kept once per content and uploader, the first first; a completed
//! task's findings and a recorded seizure say which contents they name, in their own commit.
//! And the settings a lodgement carries decide when a blue declaration's audit is due.

use std::sync::Arc;

use tamga_control::allocation::Group;
use tamga_control::task::TaskSettings;
use tamga_core::role::Role;
use tamga_store::attachments::AttachmentRecord;
use tamga_store::control::{TaskOutcome, TaskStep};
use tamga_store::lab::CaseOutcome;
use tamga_store::{sql, LodgeOutcome, Store};
use time::Duration;

use crate::control::{decided, officer};
use crate::fixtures::{declaration, lodgement, user};

fn upload(sha256: &str, by: i64, name: &str) -> AttachmentRecord {
    AttachmentRecord {
        sha256: sha256.into(),
        size: 1234,
        content_type: "image/jpeg".into(),
        file_name: name.into(),
        uploaded_by: by,
        uploaded_at: sql::now(),
    }
}

pub async fn attachments_are_recorded_and_linked(store: Arc<dyn Store>) {
    let a = user(&*store, "a", Role::Officer, None).await;
    let b = user(&*store, "b", Role::Officer, None).await;
    let photo = "ab".repeat(32);
    assert!(store.attachment_uses(&photo).await.unwrap().is_none());
    assert!(store.attachment_uploads(&photo).await.unwrap().is_empty());
    store
        .add_attachment(upload(&photo, a.id, "one.jpg"))
        .await
        .unwrap();
    store
        .add_attachment(upload(&photo, a.id, "again.jpg"))
        .await
        .unwrap();
    store
        .add_attachment(upload(&photo, b.id, "two.jpg"))
        .await
        .unwrap();
    let uploads = store.attachment_uploads(&photo).await.unwrap();
    let names: Vec<(&str, i64)> = uploads
        .iter()
        .map(|u| (u.file_name.as_str(), u.uploaded_by))
        .collect();
    assert_eq!(names, [("one.jpg", a.id), ("two.jpg", b.id)]);
    assert_eq!(uploads[0].size, 1234);
    let mut seizure = crate::seizures::seizure(None, "UZ305123456");
    seizure.photos = vec![tamga_control::finding::Attachment {
        file_name: "one.jpg".into(),
        sha256: photo.clone(),
        size: 1234,
    }];
    let CaseOutcome::Done { seizure, .. } = store.record_seizure(seizure, &a, None).await.unwrap()
    else {
        panic!("seizure not recorded")
    };
    let seizure = seizure.unwrap().id;
    let task = completed_task_naming(&store, &photo).await;
    let uses = store.attachment_uses(&photo).await.unwrap().unwrap();
    assert_eq!((uses.tasks, uses.seizures), (vec![task], vec![seizure]));
}

/// A red task completed by its examiner with one finding naming `sha256` (twice: one use).
async fn completed_task_naming(store: &Arc<dyn Store>, sha256: &str) -> i64 {
    let lodger = user(&**store, "lodger", Role::Officer, None).await;
    let exa = officer(&**store, "exa", Group::Examiner, true).await;
    officer(&**store, "chief", Group::ChiefExaminer, true).await;
    let l = lodgement(declaration("ATT-RED"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!("not accepted")
    };
    let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
    let started = store.task_step(task.id, &exa, TaskStep::Start).await;
    assert!(matches!(started.unwrap(), TaskOutcome::Done(_)));
    let attachment = serde_json::json!({"file_name": "x.jpg", "sha256": sha256, "size": 1234});
    let findings = serde_json::json!([{"item": 1, "type": "as_declared",
        "attachments": [attachment, attachment]}]);
    let step = TaskStep::Complete {
        findings: findings.to_string(),
        outcome: r#"{"findings":[],"extra_revenue":"0"}"#.into(),
        reassessment: None,
    };
    let completed = store.task_step(task.id, &exa, step).await.unwrap();
    assert!(matches!(completed, TaskOutcome::Done(_)), "{completed:?}");
    task.id
}

/// The audit of a blue declaration is due the configured number of days after acceptance.
pub async fn audit_due_days_come_from_the_lodgement(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    officer(&*store, "exa", Group::Examiner, true).await;
    for (lrn, days) in [("AUD-DEFAULT", None), ("AUD-30", Some(30u16))] {
        let mut l = lodgement(declaration(lrn), &lodger).with_risk(decided("blue"));
        if let Some(audit_due_days) = days {
            l = l.with_control(TaskSettings { audit_due_days });
        }
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("{lrn} not accepted")
        };
        let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
        let days = i64::from(days.unwrap_or(90));
        assert_eq!(
            task.due,
            Some(task.opened_at.date() + Duration::days(days)),
            "{lrn}"
        );
    }
}
