//! The Situation Center's figures: what each customs post did today and in the last hour, its
//! open controls, its alerts, and its lodgement-to-release time (the WCO Time Release Study's
//! measure), read by a few indexed aggregate queries. Days are UTC days.

use time::OffsetDateTime;

/// What changes whenever a declaration is lodged or changes status, a control task moves, or a
/// seizure is recorded: servers compare it to notice events made by any server sharing the
/// database.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Marker {
    pub last_declaration: i64,
    pub last_update: Option<String>,
    pub last_task_event: i64,
    pub last_seizure: i64,
    /// posts: the latest crossing with an alert.
    pub last_crossing_alert: i64,
}

/// One post's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostFigures {
    pub office: String,
    /// Lodged in the last 60 minutes, counted by whole minutes (the current one included).
    pub last_hour: i64,
    pub today: i64,
    /// Today's risk decisions by channel.
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Control tasks not completed or cancelled, and when the oldest was opened.
    pub open_controls: i64,
    pub oldest_open: Option<OffsetDateTime>,
    pub seizures_today: i64,
    pub releases_today: i64,
    /// The median lodgement-to-release time of today's releases, in seconds.
    pub median_release_seconds: Option<i64>,
}

impl PostFigures {
    /// Red decisions and seizures of the day: the post's red alerts.
    pub fn alerts(&self) -> i64 {
        self.red + self.seizures_today
    }
}

/// Something a supervisor should see at once.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertKind {
    /// A red decision; `explanation` is the decision's document (JSON) for the reasons.
    Red {
        mrn: String,
        explanation: String,
    },
    Seizure {
        id: i64,
        case_number: String,
    },
    /// posts: a crossing at a border post that raised alerts (their kinds).
    Crossing {
        id: i64,
        plate: String,
        kinds: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub office: String,
    pub at: OffsetDateTime,
    pub kind: AlertKind,
}

/// Every post with activity, and the latest alerts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overview {
    pub posts: Vec<PostFigures>,
    pub alerts: Vec<Alert>,
}

/// Declarations lodged in one hour at a post, by channel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HourBar {
    /// `YYYY-MM-DD HH`, UTC.
    pub hour: String,
    pub lodged: i64,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
}

/// A recent declaration at a post.
#[derive(Debug, Clone, PartialEq)]
pub struct Recent {
    pub mrn: String,
    pub accepted_at: OffsetDateTime,
    pub status: String,
    pub channel: Option<String>,
}

/// An examiner's control work at a post over a period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OfficerFigures {
    pub name: String,
    pub completed: i64,
    /// Completed on the (UTC) day the task was opened.
    pub same_day: i64,
    /// Completed with a finding other than "as declared".
    pub hits: i64,
    /// Tasks drawn again for someone else while allocated to this officer.
    pub reallocated_away: i64,
}

/// One post's page: its hours, recent declarations and officers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostDetail {
    pub hours: Vec<HourBar>,
    pub recent: Vec<Recent>,
    pub officers: Vec<OfficerFigures>,
}
