//! Latchkey: self-hosted account security — sign-in, sessions, email verification and the
//! Security and Credentials pages — on SQLite or PostgreSQL.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod hashing;
pub mod housekeeping;
pub mod i18n;
pub mod jose;
pub mod mail;
pub mod oidc;
pub mod qr;
pub mod secrets;
pub mod serve;
pub mod service;
pub mod state;
pub mod store;
pub mod web;
