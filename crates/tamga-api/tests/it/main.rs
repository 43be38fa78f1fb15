//! API tests: the router driven in-process with `oneshot`, plus one over a real socket.

mod app;
mod attachments;
mod audit;
mod audit_due;
mod bad_input;
mod cargo;
mod control;
mod control_access;
mod declarations;
mod edifact;
mod lab;
mod lab_access;
mod lodge;
mod mandates;
mod openapi;
mod parties;
mod reference;
mod revenue;
mod risk;
mod seizures;
mod socket;
mod transit;
mod transit_guarantees;
mod users;
mod wco;
