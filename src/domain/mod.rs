//! Pure rules of the product: no I/O, no async, no clock of their own (time is a parameter).

pub mod account;
pub mod application;
pub mod audit;
pub mod authn;
pub mod codes;
pub mod device;
pub mod email;
pub mod factor;
pub mod forward;
pub mod oidc;
pub mod password;
pub mod policy;
pub mod recovery_key;
pub mod session;
pub mod signin;
pub mod text;
pub mod throttle;
pub mod totp;
