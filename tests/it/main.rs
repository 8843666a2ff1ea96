//! Black-box tests: the real app on a real database (each test its own), real SMTP, real HTTP.
//! Tests that run on both databases are named `<behaviour>::on_sqlite` / `::on_postgres`.

mod common;

mod addresses;
mod admins;
mod apps;
mod authenticator;
mod bench;
mod browser;
mod busy_office;
mod cli;
mod devices;
mod devices_browser;
mod faults;
mod forward_auth;
mod guessing;
mod languages;
mod languages_browser;
mod layers;
mod mail;
mod multi_process;
mod oidc;
mod oidc_browser;
mod oidc_flows;
mod oidc_races;
mod oidc_refusals;
mod org_members;
mod org_policy;
mod passwords;
mod proxies;
mod recovery_proof;
mod second_step;
mod security;
mod security_keys;
mod security_keys_browser;
mod sessions;
mod setup;
mod signin;
mod slow_clients;
mod two_factor;
mod upgrade;
mod verification;
mod ways_in;
