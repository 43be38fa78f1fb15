//! API tests: the router driven in-process with `oneshot`, plus one over a real socket.

/// Runs each named `async fn(TestApp)` as two tests, one on SQLite and one on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(crate::app::TestApp::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(crate::app::TestApp::postgres().await).await;
                }
            }
        )+
    };
}

mod access;
mod advance;
mod app;
mod attachments;
mod audit;
mod audit_due;
mod bad_input;
mod cargo;
mod control;
mod control_access;
mod crossings;
mod declarations;
mod edifact;
mod federation;
mod federation_transit;
mod forwarded;
mod lab;
mod lab_access;
mod limits;
mod lodge;
mod mandates;
mod metrics;
mod openapi;
mod parties;
mod reference;
mod revenue;
mod risk;
mod seizures;
mod shape;
mod socket;
mod tokens;
mod transit;
mod transit_enquiry;
mod transit_formats;
mod transit_guarantees;
mod users;
mod wco;
