//! What each email says, in its recipient's language (`locales/<lang>/mail.ftl`). Codes and
//! links are secrets: they never go in the subject, which the outbox stores in plaintext.

use super::{Link, Mail, Origin};
use crate::i18n::{Locale, Msg};

/// The closing advice of a notice about a change the reader may not have made.
const NOT_YOU: &str = "mail-not-you";

/// A message to someone of `org` with only its subject, greeting and footer; each builder
/// fills in the rest.
fn base(l: &Locale, org: &str, subject: String) -> Mail {
    Mail {
        lang: l.lang.code(),
        subject,
        greeting: l.t("mail-greeting"),
        paragraphs: Vec::new(),
        code: None,
        link: None,
        after: Vec::new(),
        org_name: org.into(),
        link_hint: l.t("mail-link-hint"),
        footer: l.t1("mail-footer", "org", org),
    }
}

/// `valid_for`: how long the link works, in seconds.
pub fn verify_email(l: &Locale, org: &str, url: String, valid_for: i64) -> Mail {
    Mail {
        paragraphs: vec![l.t("mail-verify-email-body")],
        link: Some(Link { label: l.t("mail-verify-email-link"), url }),
        after: vec![l.t1("mail-verify-email-after", "valid", l.lifetime(valid_for))],
        ..base(l, org, l.t("mail-verify-email-subject"))
    }
}

/// `valid_for`: how long the link works, in seconds.
pub fn reset_password(l: &Locale, org: &str, url: String, valid_for: i64) -> Mail {
    Mail {
        paragraphs: vec![l.t("mail-reset-body")],
        link: Some(Link { label: l.t("mail-reset-link"), url }),
        after: vec![l.t1("mail-reset-after", "valid", l.lifetime(valid_for)), l.t("mail-reset-ignore")],
        ..base(l, org, l.t("mail-reset-subject"))
    }
}

/// `valid_for`: how long the link works, in seconds.
pub fn invitation(l: &Locale, org: &str, url: String, valid_for: i64) -> Mail {
    Mail {
        paragraphs: vec![l.t1("mail-invitation-body", "org", org)],
        link: Some(Link { label: l.t("mail-invitation-link"), url }),
        after: vec![l.t1("mail-invitation-after", "valid", l.lifetime(valid_for))],
        ..base(l, org, l.t1("mail-invitation-subject", "org", org))
    }
}

pub fn password_changed(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let mut paragraphs = vec![l.t("mail-password-changed-body")];
    paragraphs.extend(origin.lines(l));
    Mail { paragraphs, after: vec![l.t(NOT_YOU)], ..base(l, org, l.t("mail-password-changed-subject")) }
}

/// A one-time code. `purpose` is what the code is for, as the message's sentence ends ("Use
/// this code to log in:"): one of the `mail-code-purpose-*` messages. `valid_for`: how long the
/// code works, in seconds.
pub fn verification_code(l: &Locale, org: &str, purpose: &Msg, code: &str, valid_for: i64) -> Mail {
    Mail {
        paragraphs: vec![l.t1("mail-code-body", "purpose", l.msg(purpose))],
        code: Some(code.into()),
        after: vec![l.t1("mail-code-after", "valid", l.lifetime(valid_for)), l.t("mail-code-not-you")],
        ..base(l, org, l.t("mail-code-subject"))
    }
}

/// A notice of a security change: `subject` and `what` are message ids.
fn notice(l: &Locale, org: &str, subject: &str, what: &str, origin: &Origin<'_>, after: Vec<String>) -> Mail {
    let mut paragraphs = vec![l.t(what)];
    paragraphs.extend(origin.lines(l));
    Mail { paragraphs, after, ..base(l, org, l.t(subject)) }
}

pub fn two_factor_on(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-two-factor-on-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-two-factor-on-subject", "mail-two-factor-on-body", origin, after)
}

pub fn two_factor_off(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-two-factor-off-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-two-factor-off-subject", "mail-two-factor-off-body", origin, after)
}

pub fn recovery_key_used(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-recovery-key-used-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-recovery-key-used-subject", "mail-recovery-key-used-body", origin, after)
}

pub fn recovery_key_regenerated(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-recovery-key-regenerated-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-recovery-key-regenerated-subject", "mail-recovery-key-regenerated-body", origin, after)
}

pub fn authenticator_added(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-authenticator-added-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-authenticator-added-subject", "mail-authenticator-added-body", origin, after)
}

pub fn authenticator_removed(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t(NOT_YOU)];
    notice(l, org, "mail-authenticator-removed-subject", "mail-authenticator-removed-body", origin, after)
}

pub fn security_key_added(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-security-key-added-after"), l.t(NOT_YOU)];
    notice(l, org, "mail-security-key-added-subject", "mail-security-key-added-body", origin, after)
}

pub fn security_key_removed(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t(NOT_YOU)];
    notice(l, org, "mail-security-key-removed-subject", "mail-security-key-removed-body", origin, after)
}

pub fn two_factor_reset(l: &Locale, org: &str, origin: &Origin<'_>) -> Mail {
    let after = vec![l.t("mail-two-factor-reset-after"), l.t("mail-two-factor-reset-not-you")];
    notice(l, org, "mail-two-factor-reset-subject", "mail-two-factor-reset-body", origin, after)
}

/// "New sign-in to your Acme account": a browser the account had not used before completed a
/// sign-in. `not_me`: the "This wasn't me" link, working once for `valid_for` seconds.
pub fn new_device(l: &Locale, org: &str, origin: &Origin<'_>, not_me: String, valid_for: i64) -> Mail {
    let subject = l.t1("mail-new-device-subject", "org", org);
    alert(l, org, subject, ("mail-new-device-body", "mail-new-device-after"), origin, (not_me, valid_for))
}

/// The password was right, but the second step then failed repeatedly or was given up.
pub fn unfinished_sign_in(l: &Locale, org: &str, origin: &Origin<'_>, not_me: String, valid_for: i64) -> Mail {
    let subject = l.t("mail-unfinished-subject");
    alert(l, org, subject, ("mail-unfinished-body", "mail-unfinished-after"), origin, (not_me, valid_for))
}

/// A security alert: what happened (`body`), from where, the "This wasn't me" link and what
/// it does, and what to do if it was the reader (`after`): message ids.
fn alert(
    l: &Locale,
    org: &str,
    subject: String,
    (body, after): (&str, &str),
    origin: &Origin<'_>,
    (not_me, valid_for): (String, i64),
) -> Mail {
    let mut paragraphs = vec![l.t(body)];
    paragraphs.extend(origin.lines(l));
    Mail {
        paragraphs,
        link: Some(Link { label: l.t("mail-not-me-link"), url: not_me }),
        after: vec![l.t(after), l.t1("mail-not-me-after", "valid", l.lifetime(valid_for))],
        ..base(l, org, subject)
    }
}

/// To an organization's admin: `member` followed "This wasn't me" (`origin`: where from).
pub fn not_me_reported(l: &Locale, org: &str, member: &str, origin: &Origin<'_>) -> Mail {
    let mut paragraphs = vec![l.t1("mail-not-me-reported-body", "member", member)];
    paragraphs.extend(origin.lines(l));
    Mail {
        paragraphs,
        after: vec![l.t("mail-not-me-reported-after")],
        ..base(l, org, l.t1("mail-not-me-reported-subject", "member", member))
    }
}
