//! Escalation: the rota of who is on call, the policy of whom to page and when, cases, and the
//! commands counsellors send by SMS. Everything here is pure; the engine runs it against the
//! store and the outbox (this module sends nothing itself).

pub mod case;
pub mod commands;
pub mod policy;
pub mod rota;
pub mod triage;
