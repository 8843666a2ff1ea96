//! An organization's two-factor policy, folded into one answer for one member at one time:
//! what must this member do now?

use super::factor::Factors;

/// The methods an organization accepts as a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Methods {
    pub email: bool,
    pub authenticator: bool,
}

impl Methods {
    pub const ALL: Methods = Methods { email: true, authenticator: true };

    /// "email,authenticator" (the stored form); unknown names are refused.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut m = Methods { email: false, authenticator: false };
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "email" => m.email = true,
                "authenticator" => m.authenticator = true,
                other => return Err(format!("'{other}' is not a method: use email, authenticator or both")),
            }
        }
        if !m.email && !m.authenticator {
            return Err("allow at least one method: email, authenticator or both".into());
        }
        Ok(m)
    }

    pub fn as_str(self) -> &'static str {
        match (self.email, self.authenticator) {
            (true, true) => "email,authenticator",
            (true, false) => "email",
            (false, true) => "authenticator",
            (false, false) => "",
        }
    }

    /// Whether the factors include a method this organization accepts.
    pub fn satisfied_by(self, f: Factors) -> bool {
        (self.email && f.email_code) || (self.authenticator && f.authenticator)
    }
}

/// An organization's policy as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// When "Require Two-Factor Authentication" was turned on; `None`: it is off.
    pub required_since: Option<i64>,
    pub grace_days: i64,
    pub methods: Methods,
}

impl Policy {
    pub const OFF: Policy = Policy { required_since: None, grace_days: 0, methods: Methods::ALL };

    /// The moment members without an allowed method must set one up.
    pub fn deadline(&self) -> Option<i64> {
        self.required_since.map(|since| since + self.grace_days.max(0) * 86_400)
    }

    /// Whether `new` asks more of members than `self` does (so a preview is due first).
    pub fn tightened_by(&self, new: &Policy) -> bool {
        match (self.required_since, new.required_since) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(_), Some(_)) => {
                new.grace_days < self.grace_days
                    || (self.methods.email && !new.methods.email)
                    || (self.methods.authenticator && !new.methods.authenticator)
            }
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

pub fn resolve(policy: &Policy, factors: Factors, now: i64) -> Requirement {
    let Some(deadline) = policy.deadline() else { return Requirement::None };
    if policy.methods.satisfied_by(factors) {
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

    const NONE: Factors = Factors { email_code: false, authenticator: false, recovery_key: false };
    const EMAIL: Factors = Factors { email_code: true, authenticator: false, recovery_key: true };
    const APP: Factors = Factors { email_code: false, authenticator: true, recovery_key: true };

    fn required(since: i64, grace_days: i64, methods: Methods) -> Policy {
        Policy { required_since: Some(since), grace_days, methods }
    }

    #[test]
    fn without_the_requirement_nothing_is_asked() {
        assert_eq!(resolve(&Policy::OFF, NONE, 1000), Requirement::None);
    }

    #[test]
    fn without_grace_a_member_without_two_factor_must_enrol_at_once() {
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), NONE, 1000), Requirement::EnrolNow);
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), EMAIL, 1000), Requirement::Satisfied);
        assert_eq!(resolve(&required(1000, 0, Methods::ALL), APP, 1000), Requirement::Satisfied);
    }

    #[test]
    fn a_grace_period_lets_members_in_until_its_deadline() {
        let p = required(1000, 7, Methods::ALL);
        let deadline = 1000 + 7 * 86_400;
        assert_eq!(resolve(&p, NONE, deadline - 1), Requirement::Grace { deadline });
        assert_eq!(resolve(&p, NONE, deadline), Requirement::EnrolNow);
        assert_eq!(resolve(&p, EMAIL, deadline + 1), Requirement::Satisfied);
    }

    #[test]
    fn a_member_with_only_a_disallowed_method_must_set_up_an_allowed_one() {
        let app_only = required(1000, 0, Methods { email: false, authenticator: true });
        assert_eq!(resolve(&app_only, EMAIL, 2000), Requirement::EnrolNow);
        assert_eq!(resolve(&app_only, APP, 2000), Requirement::Satisfied);
    }

    #[test]
    fn methods_parse_from_their_names_and_need_one_at_least() {
        assert_eq!(Methods::parse("email, authenticator").unwrap(), Methods::ALL);
        assert_eq!(Methods::parse("authenticator").unwrap().as_str(), "authenticator");
        assert!(Methods::parse("sms").unwrap_err().contains("'sms'"));
        assert!(Methods::parse("").is_err());
    }

    #[test]
    fn turning_on_shortening_grace_or_dropping_a_method_tightens_the_policy() {
        let on = required(1000, 7, Methods::ALL);
        assert!(Policy::OFF.tightened_by(&on));
        assert!(on.tightened_by(&required(1000, 0, Methods::ALL)));
        assert!(on.tightened_by(&required(1000, 7, Methods { email: false, authenticator: true })));
        assert!(!on.tightened_by(&required(1000, 14, Methods::ALL)));
        assert!(!on.tightened_by(&Policy::OFF));
    }
}
