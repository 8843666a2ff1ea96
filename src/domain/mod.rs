//! Pure rules of the product: no I/O, no async, no clock of their own (time is a parameter).

pub mod account;
pub mod email;
pub mod password;
pub mod session;
pub mod throttle;
