//! What each email says. Codes and links are secrets: they never go in the subject, which the
//! outbox stores in plaintext.

use super::{Link, Mail, Origin};

const NOT_YOU: &str = "If this was not you, reset your password now and tell your organization's administrator.";

pub fn verify_email(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: "Verify your email address".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Confirm that this email address is yours to finish setting up your account.".into()],
        code: None,
        link: Some(Link { label: "Verify email address".into(), url }),
        after: vec![format!(
            "The link works once, for {valid_for}. If you did not ask for it, you can ignore this email."
        )],
        org_name: org.into(),
    }
}

pub fn reset_password(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: "Reset your password".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Someone asked to reset the password of your account. Choose a new password here:".into()],
        code: None,
        link: Some(Link { label: "Choose a new password".into(), url }),
        after: vec![
            format!(
                "The link works once, for {valid_for}. Setting a new password signs out every session of your account."
            ),
            "If you did not ask for this, ignore this email: your password stays as it is.".into(),
        ],
        org_name: org.into(),
    }
}

pub fn invitation(org: &str, url: String, valid_for: &str) -> Mail {
    Mail {
        subject: format!("You are invited to {org}"),
        greeting: "Hello,".into(),
        paragraphs: vec![format!("An account was created for you at {org}. Choose your password to start using it.")],
        code: None,
        link: Some(Link { label: "Choose your password".into(), url }),
        after: vec![format!("The link works once, for {valid_for}.")],
        org_name: org.into(),
    }
}

pub fn password_changed(org: &str, origin: &Origin<'_>) -> Mail {
    let mut paragraphs = vec!["The password of your account was changed.".to_string()];
    paragraphs.extend(origin.lines());
    Mail {
        subject: "Your password was changed".into(),
        greeting: "Hello,".into(),
        paragraphs,
        code: None,
        link: None,
        after: vec![NOT_YOU.into()],
        org_name: org.into(),
    }
}

/// What an emailed code is for, in the words of the message.
pub fn verification_code(org: &str, purpose: &str, code: &str, valid_for: &str) -> Mail {
    Mail {
        subject: "Your verification code".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![format!("Use this code to {purpose}:")],
        code: Some(code.into()),
        link: None,
        after: vec![
            format!("The code works once, for {valid_for}. Never give it to anyone: we will never ask you for it."),
            "If you did not ask for it, someone may know your password: change it now.".into(),
        ],
        org_name: org.into(),
    }
}

fn notice(org: &str, subject: &str, what: &str, origin: &Origin<'_>, after: Vec<String>) -> Mail {
    let mut paragraphs = vec![what.to_string()];
    paragraphs.extend(origin.lines());
    Mail {
        subject: subject.into(),
        greeting: "Hello,".into(),
        paragraphs,
        code: None,
        link: None,
        after,
        org_name: org.into(),
    }
}

pub fn two_factor_on(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![
        "From now on, signing in asks for a code sent to this address, or your Recovery Key. Keep the Recovery Key you downloaded somewhere safe.".into(),
        NOT_YOU.into(),
    ];
    notice(
        org,
        "Two-factor authentication is on",
        "Two-factor authentication was turned on for your account.",
        origin,
        after,
    )
}

pub fn two_factor_off(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec!["Your account is now protected by your password only.".into(), NOT_YOU.into()];
    notice(
        org,
        "Two-factor authentication is off",
        "Two-factor authentication was turned off for your account, and its Recovery Key deleted.",
        origin,
        after,
    )
}

pub fn recovery_key_used(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![
        "That key no longer works; a new Recovery Key was shown for you to download. Two-factor authentication stays on.".into(),
        NOT_YOU.into(),
    ];
    notice(
        org,
        "Your Recovery Key was used",
        "Someone signed in to your account with your Recovery Key.",
        origin,
        after,
    )
}

pub fn recovery_key_regenerated(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec!["The previous Recovery Key no longer works.".into(), NOT_YOU.into()];
    notice(org, "Your Recovery Key was replaced", "A new Recovery Key was created for your account.", origin, after)
}

pub fn authenticator_added(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![
        "From now on, logging in asks for a code from this app. If you set it up on a new phone, the old one no longer works.".into(),
        NOT_YOU.into(),
    ];
    notice(org, "Authenticator app set up", "An authenticator app was set up for your account.", origin, after)
}

pub fn authenticator_removed(org: &str, origin: &Origin<'_>) -> Mail {
    notice(
        org,
        "Authenticator app removed",
        "The authenticator app of your account was removed.",
        origin,
        vec![NOT_YOU.into()],
    )
}

pub fn security_key_added(org: &str, origin: &Origin<'_>) -> Mail {
    let after =
        vec!["From now on, logging in can use this security key or passkey instead of a code.".into(), NOT_YOU.into()];
    notice(org, "Security key or passkey added", "A security key or passkey was added to your account.", origin, after)
}

pub fn security_key_removed(org: &str, origin: &Origin<'_>) -> Mail {
    notice(
        org,
        "Security key or passkey removed",
        "A security key or passkey was removed from your account.",
        origin,
        vec![NOT_YOU.into()],
    )
}

pub fn two_factor_reset(org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![
        "Your second factors and your Recovery Key were removed, and every session of your account was signed out. If your organization requires two-factor authentication, you will set it up again at your next log-in.".into(),
        "If you did not ask for this, tell your organization's administrator.".into(),
    ];
    notice(
        org,
        "Your two-factor authentication was reset",
        "An administrator of your organization reset two-factor authentication for your account.",
        origin,
        after,
    )
}
