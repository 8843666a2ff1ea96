//! An organization's two-factor policy, folded into one answer for one member at one time:
//! what must this member do now, and which of their ways in count?

use super::factor::Factors;

/// The methods an organization accepts as a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Methods {
    pub email: bool,
    pub authenticator: bool,
    /// A security key or passkey.
    pub security_key: bool,
}

const NAMES: [&str; 3] = ["email", "authenticator", "key"];

impl Methods {
    pub const ALL: Methods = Methods { email: true, authenticator: true, security_key: true };
    pub const NONE: Methods = Methods { email: false, authenticator: false, security_key: false };

    /// "email,authenticator,key" (the stored form); unknown names are refused.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut m = Methods::NONE;
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "email" => m.email = true,
                "authenticator" => m.authenticator = true,
                "key" => m.security_key = true,
                other => {
                    return Err(format!(
                        "'{other}' is not a method: use email, authenticator or key (a security key or passkey)"
                    ))
                }
            }
        }
        if m == Methods::NONE {
            return Err("allow at least one method: email, authenticator or key".into());
        }
        Ok(m)
    }

    pub fn as_str(self) -> String {
        let on = [self.email, self.authenticator, self.security_key];
        NAMES.iter().zip(on).filter(|(_, on)| *on).map(|(n, _)| *n).collect::<Vec<_>>().join(",")
    }

    /// Whether the factors include a method this organization accepts.
    pub fn satisfied_by(self, f: Factors) -> bool {
        (self.email && f.email_code) || (self.authenticator && f.authenticator) || (self.security_key && f.security_key)
    }

    /// Whether every method of `self` is also in `other`.
    fn within(self, other: Methods) -> bool {
        (!self.email || other.email)
            && (!self.authenticator || other.authenticator)
            && (!self.security_key || other.security_key)
    }
}

/// An organization's policy as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// When "Require Two-Factor Authentication" was turned on; `None`: it is off.
    pub required_since: Option<i64>,
    pub grace_days: i64,
    pub methods: Methods,
    /// When "Require a security key or passkey for admins" was turned on; `None`: it is off.
    /// Admins then sign in with a key only (the phishing-resistant way), and an admin without
    /// one must add one, after the same grace period.
    pub admin_keys_since: Option<i64>,
}

impl Policy {
    pub const OFF: Policy =
        Policy { required_since: None, grace_days: 0, methods: Methods::ALL, admin_keys_since: None };

    /// The moment members without an allowed method must set one up.
    pub fn deadline(&self) -> Option<i64> {
        self.required_since.map(|since| since + self.grace_days.max(0) * 86_400)
    }

    /// The moment admins without a key must add one.
    pub fn admin_keys_deadline(&self) -> Option<i64> {
        self.admin_keys_since.map(|since| since + self.grace_days.max(0) * 86_400)
    }

    /// Whether `new` asks more of members than `self` does (so a preview is due first).
    pub fn tightened_by(&self, new: &Policy) -> bool {
        let admins = self.admin_keys_since.is_none() && new.admin_keys_since.is_some();
        let members = match (self.required_since, new.required_since) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(_), Some(_)) => new.grace_days < self.grace_days || !self.methods.within(new.methods),
        };
        admins || members
    }

    /// Whether a member with these factors has what the policy asks of them (or it asks
    /// nothing), once every deadline has passed.
    pub fn met_by(&self, f: Factors, admin: bool) -> bool {
        if self.keys_only(admin) {
            f.security_key
        } else {
            self.required_since.is_none() || self.methods.satisfied_by(f)
        }
    }

    /// Whether the rule for admins applies to this member.
    fn keys_only(&self, admin: bool) -> bool {
        admin && self.admin_keys_since.is_some()
    }

    /// The ways in that count for this member at sign-in: an admin under "Require a security
    /// key or passkey for admins" who has a key is asked for the key (or the Recovery Key), not
    /// for a code a fake page could relay.
    pub fn usable(&self, f: Factors, admin: bool) -> Factors {
        if self.keys_only(admin) && f.security_key {
            Factors { email_code: false, authenticator: false, ..f }
        } else {
            f
        }
    }
}

/// What a member must do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Nothing is required.
    None,
    /// Required, and the member has an allowed method.
    Satisfied,
    /// Required; the member has no allowed method yet but may go on until `deadline`.
    Grace { deadline: i64 },
    /// Required and overdue: the member can reach nothing but the set-up.
    EnrolNow,
}

/// What `policy` asks of a member with these factors now; `admin`: whether the member is one of
/// the organization's admins.
pub fn resolve(policy: &Policy, factors: Factors, admin: bool, now: i64) -> Requirement {
    let deadline = if policy.keys_only(admin) { policy.admin_keys_deadline() } else { policy.deadline() };
    let Some(deadline) = deadline else { return Requirement::None };
    if policy.met_by(factors, admin) {
        Requirement::Satisfied
    } else if now < deadline {
        Requirement::Grace { deadline }
    } else {
        Requirement::EnrolNow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Factors = Factors { email_code: false, authenticator: false, security_key: false, recovery_key: false };
    const EMAIL: Factors = Factors { email_code: true, recovery_key: true, ..NONE };
    const APP: Factors = Factors { authenticator: true, recovery_key: true, ..NONE };
    const KEY: Factors = Factors { security_key: true, recovery_key: true, ..NONE };
    const APP_ONLY: Methods = Methods { authenticator: true, ..Methods::NONE };

    fn required(since: i64, grace_days: i64, methods: Methods) -> Policy {
        Policy { required_since: Some(since), grace_days, methods, admin_keys_since: None }
    }

    #[test]
    fn without_the_requirement_nothing_is_asked() {
        assert_eq!(resolve(&Policy::OFF, NONE, false, 1000), Requirement::None);
    }

    #[test]
    fn without_grace_a_member_without_two_factor_must_enrol_at_once() {
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), NONE, false, 1000), Requirement::EnrolNow);
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), EMAIL, false, 1000), Requirement::Satisfied);
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), APP, false, 1000), Requirement::Satisfied);
    }

    #[test]
    fn a_grace_period_lets_members_in_until_its_deadline() {
        let p = required(1000, 7, Methods::ALL);
        let deadline = 1000 + 7 * 86_400;
        assert_eq!(resolve(&p, NONE, false, deadline - 1), Requirement::Grace { deadline });
        assert_eq!(resolve(&p, NONE, false, deadline), Requirement::EnrolNow);
        assert_eq!(resolve(&p, EMAIL, false, deadline + 1), Requirement::Satisfied);
    }

    #[test]
    fn a_member_with_only_a_disallowed_method_must_set_up_an_allowed_one() {
        let app_only = required(1000, 0, APP_ONLY);
        assert_eq!(resolve(&app_only, EMAIL, false, 2000), Requirement::EnrolNow);
        assert_eq!(resolve(&app_only, APP, false, 2000), Requirement::Satisfied);
    }

    #[test]
    fn methods_parse_from_their_names_and_need_one_at_least() {
        assert_eq!(Methods::parse("email, authenticator, key").unwrap(), Methods::ALL);
        assert_eq!(Methods::parse("authenticator").unwrap().as_str(), "authenticator");
        assert_eq!(Methods::parse("key,email").unwrap().as_str(), "email,key");
        assert_eq!(Methods::parse(&Methods::ALL.as_str()).unwrap(), Methods::ALL);
        assert!(Methods::parse("sms").unwrap_err().contains("'sms'"));
        assert!(Methods::parse("").is_err());
    }

    #[test]
    fn turning_on_shortening_grace_or_dropping_a_method_tightens_the_policy() {
        let on = required(1000, 7, Methods::ALL);
        assert!(Policy::OFF.tightened_by(&on));
        assert!(on.tightened_by(&required(1000, 0, Methods::ALL)));
        assert!(on.tightened_by(&required(1000, 7, APP_ONLY)));
        assert!(!on.tightened_by(&required(1000, 14, Methods::ALL)));
        assert!(!on.tightened_by(&Policy::OFF));
    }

    #[test]
    fn a_security_key_satisfies_the_requirement_when_keys_are_allowed() {
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), KEY, false, 2000), Requirement::Satisfied);
        assert_eq!(resolve(&required(1000, 0, APP_ONLY), KEY, false, 2000), Requirement::EnrolNow);
    }

    #[test]
    fn keys_for_admins_hold_admins_without_a_key_after_the_grace_period_and_spare_members() {
        let p = Policy { admin_keys_since: Some(1000), grace_days: 1, ..Policy::OFF };
        assert_eq!(resolve(&p, APP, false, 1000), Requirement::None);
        assert_eq!(resolve(&p, APP, true, 1000), Requirement::Grace { deadline: 1000 + 86_400 });
        assert_eq!(resolve(&p, APP, true, 1000 + 86_400), Requirement::EnrolNow);
        assert_eq!(resolve(&p, KEY, true, 1000 + 86_400), Requirement::Satisfied);
        // With 2FA required for everyone too, members are held by that rule, admins by theirs.
        let both = Policy { required_since: Some(1000), ..p };
        assert_eq!(resolve(&both, NONE, false, 1000 + 86_400), Requirement::EnrolNow);
        assert_eq!(resolve(&both, EMAIL, false, 1000 + 86_400), Requirement::Satisfied);
        assert_eq!(resolve(&both, EMAIL, true, 1000 + 86_400), Requirement::EnrolNow);
    }

    #[test]
    fn an_admin_with_a_key_under_the_rule_is_offered_only_the_key_and_the_recovery_key() {
        let p = Policy { admin_keys_since: Some(1000), ..Policy::OFF };
        let all = Factors { email_code: true, authenticator: true, security_key: true, recovery_key: true };
        assert_eq!(p.usable(all, true), KEY);
        assert_eq!(p.usable(all, false), all);
        // Without a key the admin signs in as before (and is held at the set-up when overdue).
        assert_eq!(p.usable(APP, true), APP);
        assert_eq!(Policy::OFF.usable(all, true), all);
    }

    #[test]
    fn turning_on_keys_for_admins_or_dropping_keys_tightens_the_policy() {
        let on = required(1000, 7, Methods::ALL);
        assert!(on.tightened_by(&Policy { admin_keys_since: Some(2000), ..on }));
        assert!(on.tightened_by(&required(1000, 7, Methods { security_key: false, ..Methods::ALL })));
        assert!(!Policy { admin_keys_since: Some(2000), ..on }.tightened_by(&on));
    }
}
