use super::*;
use crate::domain::authn::{Authn, SecondFactor, ACR_TWO_FACTOR};

const NOW: i64 = 1_000_000;
const CB: &str = "https://reports.acme.example/cb";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn raw(pairs: &[(&str, &str)]) -> RawRequest {
    let q = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    serde_urlencoded::from_str(&q).unwrap()
}

fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("response_type", "code"),
        ("scope", "openid email"),
        ("state", "s1"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

fn parse(pairs: &[(&str, &str)], public: bool) -> Result<AuthRequest, OidcError> {
    AuthRequest::parse(&raw(pairs), "c1", CB, public, NOW)
}

fn with<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut p: Vec<_> = good().into_iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).collect();
    p.extend(extra.iter().filter(|(_, v)| !v.is_empty()));
    p
}

#[test]
fn a_code_request_with_pkce_is_taken_as_asked() {
    let r = parse(&with(&[("nonce", "n1"), ("max_age", "300"), ("login_hint", " ada@acme.example ")]), true).unwrap();
    assert_eq!(r.scope, Scopes { openid: true, email: true, ..Scopes::default() });
    assert_eq!((r.state.as_deref(), r.nonce.as_deref()), (Some("s1"), Some("n1")));
    assert_eq!(r.challenge.as_deref(), Some(CHALLENGE));
    assert_eq!((r.max_age, r.login_hint.as_deref(), r.created_at), (Some(300), Some("ada@acme.example"), NOW));
    assert!(!r.two_factor);
}

#[test]
fn each_broken_parameter_gets_its_error_code() {
    let code = |pairs: Vec<(&str, &str)>, public: bool| parse(&pairs, public).unwrap_err().code;
    use ErrorCode::*;
    assert_eq!(code(with(&[("response_type", "token")]), true), UnsupportedResponseType);
    assert_eq!(code(with(&[("response_type", "code id_token")]), true), UnsupportedResponseType);
    assert_eq!(code(with(&[("response_type", "")]), true), InvalidRequest);
    assert_eq!(code(with(&[("scope", "email profile")]), true), InvalidScope);
    assert_eq!(code(with(&[("response_mode", "fragment")]), true), InvalidRequest);
    assert_eq!(code(with(&[("code_challenge_method", "plain")]), true), InvalidRequest);
    assert_eq!(code(with(&[("code_challenge", "short")]), true), InvalidRequest);
    assert_eq!(code(with(&[("prompt", "none login")]), true), InvalidRequest);
    assert_eq!(code(with(&[("prompt", "sometimes")]), true), InvalidRequest);
    assert_eq!(code(with(&[("max_age", "-1")]), true), InvalidRequest);
    assert_eq!(code(with(&[("request", "eyJ")]), true), RequestNotSupported);
    assert_eq!(code(with(&[("request_uri", "https://x")]), true), RequestUriNotSupported);
    let long = "s".repeat(MAX_STATE + 1);
    let pairs: Vec<(&str, &str)> =
        good().into_iter().filter(|(k, _)| *k != "state").chain([("state", long.as_str())]).collect();
    assert_eq!(code(pairs, true), InvalidRequest);
}

#[test]
fn pkce_is_required_of_public_clients_and_a_confidential_one_sends_pkce_or_a_nonce() {
    let no_pkce: Vec<_> = good().into_iter().filter(|(k, _)| !k.starts_with("code_challenge")).collect();
    assert_eq!(parse(&no_pkce, true).unwrap_err().code, ErrorCode::InvalidRequest);
    assert_eq!(parse(&no_pkce, false).unwrap_err().code, ErrorCode::InvalidRequest, "neither PKCE nor a nonce");
    let nonce_only: Vec<_> = no_pkce.iter().copied().chain([("nonce", "n1")]).collect();
    assert_eq!(parse(&nonce_only, false).unwrap().challenge, None);
    assert_eq!(parse(&nonce_only, true).unwrap_err().code, ErrorCode::InvalidRequest, "a public client needs PKCE");
    assert!(parse(&good(), false).unwrap().challenge.is_some());
}

#[test]
fn the_verifier_of_rfc_7636_appendix_b_matches_its_challenge() {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    assert_eq!(challenge_of(verifier), CHALLENGE);
    assert!(verifier_matches(CHALLENGE, verifier));
    assert!(!verifier_matches(CHALLENGE, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX"));
    // Too short, or with a character outside the unreserved set.
    assert!(!verifier_matches(&challenge_of("abc"), "abc"));
    let spaced = format!("{} x", "a".repeat(43));
    assert!(!verifier_matches(&challenge_of(&spaced), &spaced));
}

#[test]
fn acr_values_can_ask_for_two_factors_and_unknown_scopes_are_ignored() {
    let acr = format!("urn:other {ACR_TWO_FACTOR}");
    let r = parse(&with(&[("acr_values", acr.as_str()), ("scope", "openid groups offline_access")]), true).unwrap();
    assert!(r.two_factor);
    assert_eq!(r.scope.as_string(), "openid offline_access");
}

#[test]
fn scopes_say_what_they_disclose() {
    let s = Scopes::parse("openid email profile offline_access");
    assert_eq!(s.as_string(), "openid email profile offline_access");
    let said = |s: Scopes| s.disclosures().iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(said(s), vec!["know your name and email address", "stay signed in as you when you are not using it"]);
    assert_eq!(said(Scopes::parse("openid")), vec!["know who you are in your organization"]);
    assert!(s.covers(Scopes::parse("openid email")));
    assert!(!Scopes::parse("openid email").covers(s));
}

#[test]
fn responses_keep_the_registered_query_and_encode_values() {
    assert_eq!(response_url(CB, &[("code", "a b"), ("state", "x&y")]), format!("{CB}?code=a+b&state=x%26y"));
    assert_eq!(
        response_url("https://a.example/cb?t=1", &[("error", "access_denied")]),
        "https://a.example/cb?t=1&error=access_denied"
    );
}

fn req(extra: &[(&'static str, &'static str)]) -> AuthRequest {
    parse(&with(extra), true).unwrap()
}

const APP: AppFacts = AppFacts { org_id: 1, require_2fa: false, third_party: false };

fn session() -> SessionFacts {
    SessionFacts {
        org_id: 1,
        auth_time: NOW - 100,
        authn: Authn::with(SecondFactor::EmailCode),
        has_two_factor: true,
        has_security_key: false,
        held: false,
        consented_at: None,
    }
}

#[test]
fn a_session_is_reused_unless_the_request_says_otherwise() {
    use Decision::*;
    let r = req(&[]);
    assert_eq!(decide(&r, APP, None, NOW), LogIn);
    assert_eq!(decide(&r, APP, Some(session()), NOW), Issue);
    assert_eq!(decide(&req(&[("prompt", "none")]), APP, None, NOW), Fail(ErrorCode::LoginRequired));
    // prompt=login and max_age ask for a sign-in after the request (or within max_age).
    assert_eq!(decide(&req(&[("prompt", "login")]), APP, Some(session()), NOW), LogIn);
    let fresh = SessionFacts { auth_time: NOW, ..session() };
    assert_eq!(decide(&req(&[("prompt", "login")]), APP, Some(fresh), NOW + 5), Issue);
    assert_eq!(decide(&req(&[("max_age", "60")]), APP, Some(session()), NOW), LogIn);
    assert_eq!(decide(&req(&[("max_age", "600")]), APP, Some(session()), NOW), Issue);
    assert_eq!(decide(&req(&[("max_age", "0")]), APP, Some(fresh), NOW + 3), Issue);
    assert_eq!(
        decide(&req(&[("max_age", "60"), ("prompt", "none")]), APP, Some(session()), NOW),
        Fail(ErrorCode::LoginRequired)
    );
}

#[test]
fn another_organizations_member_is_not_signed_in_to_the_application() {
    let other = SessionFacts { org_id: 2, ..session() };
    assert_eq!(decide(&req(&[]), APP, Some(other), NOW), Decision::WrongOrganization);
    assert_eq!(decide(&req(&[("prompt", "none")]), APP, Some(other), NOW), Decision::Fail(ErrorCode::LoginRequired));
}

#[test]
fn two_factors_are_required_by_the_policy_the_application_or_the_request() {
    use Decision::*;
    let held = SessionFacts { held: true, authn: Authn::PASSWORD, has_two_factor: false, ..session() };
    assert_eq!(decide(&req(&[]), APP, Some(held), NOW), SetUpTwoFactor);
    assert_eq!(decide(&req(&[("prompt", "none")]), APP, Some(held), NOW), Fail(ErrorCode::InteractionRequired));
    let strict = AppFacts { require_2fa: true, ..APP };
    let password_only = SessionFacts { authn: Authn::PASSWORD, has_two_factor: false, ..session() };
    assert_eq!(decide(&req(&[]), strict, Some(password_only), NOW), SetUpTwoFactor);
    assert_eq!(decide(&req(&[]), APP, Some(password_only), NOW), Issue);
    assert_eq!(decide(&req(&[("acr_values", ACR_TWO_FACTOR)]), APP, Some(password_only), NOW), SetUpTwoFactor);
    // An account with a factor this session did not use signs in with it.
    let step_up = SessionFacts { has_two_factor: true, ..password_only };
    assert_eq!(decide(&req(&[]), strict, Some(step_up), NOW), LogIn);
    assert_eq!(decide(&req(&[]), strict, Some(session()), NOW), Issue);
}

#[test]
fn a_remembered_device_serves_applications_unless_they_ask_for_a_second_factor_at_the_sign_in() {
    use Decision::*;
    let remembered = SessionFacts { authn: Authn::with(SecondFactor::RememberedDevice), auth_time: NOW, ..session() };
    assert_eq!(decide(&req(&[]), APP, Some(remembered), NOW + 5), Issue);
    let strict = AppFacts { require_2fa: true, ..APP };
    assert_eq!(decide(&req(&[]), strict, Some(remembered), NOW + 5), Issue, "the policy's two factors");
    for asks in [&[("acr_values", ACR_TWO_FACTOR)][..], &[("max_age", "600")][..]] {
        assert_eq!(decide(&req(asks), APP, Some(remembered), NOW + 5), LogIn, "{asks:?}");
        let mut quiet = asks.to_vec();
        quiet.push(("prompt", "none"));
        assert_eq!(decide(&req(&quiet), APP, Some(remembered), NOW + 5), Fail(ErrorCode::LoginRequired));
        // The second step the sign-in then asked for satisfies it.
        assert_eq!(decide(&req(asks), APP, Some(SessionFacts { auth_time: NOW, ..session() }), NOW + 5), Issue);
    }
}

#[test]
fn a_phishing_resistant_sign_in_is_asked_for_with_acr_values_and_only_a_key_gives_it() {
    use crate::domain::authn::{Key, SecondFactor, ACR_PHISHING_RESISTANT};
    use Decision::*;
    let phr = req(&[("acr_values", ACR_PHISHING_RESISTANT)]);
    assert!(phr.phishing_resistant && !phr.two_factor);
    // A session with an app code: the account's key is asked for, or one is set up.
    assert_eq!(decide(&phr, APP, Some(SessionFacts { has_security_key: true, ..session() }), NOW), LogIn);
    assert_eq!(decide(&phr, APP, Some(session()), NOW), SetUpTwoFactor);
    let quiet = req(&[("acr_values", ACR_PHISHING_RESISTANT), ("prompt", "none")]);
    assert_eq!(decide(&quiet, APP, Some(session()), NOW), Fail(ErrorCode::InteractionRequired));
    let key = Key { hardware: true, user_verified: true };
    let with_key =
        SessionFacts { authn: Authn::with(SecondFactor::SecurityKey(key)), has_security_key: true, ..session() };
    assert_eq!(decide(&phr, APP, Some(with_key), NOW), Issue);
    let passkey = SessionFacts { authn: Authn::passkey(key), ..with_key };
    assert_eq!(decide(&phr, APP, Some(passkey), NOW), Issue);
    // A key satisfies a request for two factors too.
    assert_eq!(decide(&req(&[("acr_values", ACR_TWO_FACTOR)]), APP, Some(passkey), NOW), Issue);
}

#[test]
fn third_party_applications_get_consent_once_and_prompt_consent_asks_again() {
    use Decision::*;
    let third = AppFacts { third_party: true, ..APP };
    assert_eq!(decide(&req(&[]), third, Some(session()), NOW), Consent);
    assert_eq!(decide(&req(&[("prompt", "none")]), third, Some(session()), NOW), Fail(ErrorCode::ConsentRequired));
    let consented = SessionFacts { consented_at: Some(NOW - 50), ..session() };
    assert_eq!(decide(&req(&[]), third, Some(consented), NOW), Issue);
    assert_eq!(decide(&req(&[("prompt", "consent")]), third, Some(consented), NOW), Consent);
    let just_now = SessionFacts { consented_at: Some(NOW + 1), ..session() };
    assert_eq!(decide(&req(&[("prompt", "consent")]), third, Some(just_now), NOW + 2), Issue);
    assert_eq!(decide(&req(&[("prompt", "consent")]), APP, Some(session()), NOW), Consent);
}
