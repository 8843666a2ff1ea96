//! Per-address limits count clients, not addresses: an IPv6 client by its /64 (hopping between
//! the addresses of one block gets no more guesses), and an IPv4 address that arrives
//! IPv4-mapped (`::ffff:198.51.100.7`) as itself. Addresses come from a trusted proxy's
//! X-Forwarded-For, as behind a real one.

use crate::common::{Browser, TestApp};
use crate::on_both_backends;

on_both_backends!(addresses_of_one_ipv6_64_count_as_one_client, an_ipv4_mapped_address_counts_as_its_ipv4_address,);

async fn behind_a_proxy(app: TestApp) -> TestApp {
    app.restart_with(|a| {
        a.trusted_proxies = Some("127.0.0.1".into());
        a.signin_failures_per_address = Some(5);
    })
    .await
}

/// A wrong sign-in (to an unknown account, so only the address limit is shared) from `ip`.
async fn wrong_from(app: &TestApp, ip: &str, n: usize) -> u16 {
    let mut b = Browser::with_header(&app.url, Some(("x-forwarded-for", ip)));
    b.sign_in(&format!("nobody{n}@acme.example"), "wrong password").await.status
}

async fn addresses_of_one_ipv6_64_count_as_one_client(app: TestApp) {
    let app = behind_a_proxy(app).await;
    app.create_org("Acme Support", "acme.example").await;
    for i in 0..4 {
        assert_eq!(wrong_from(&app, &format!("2001:db8:1:2::{:x}", i + 1), i).await, 400);
    }
    assert_eq!(wrong_from(&app, "2001:db8:1:2:ffff:eeee:dddd:cccc", 4).await, 429, "the fifth failure locks the /64");
    assert_eq!(wrong_from(&app, "2001:db8:1:2::99", 5).await, 429, "another address of the block is locked too");
    assert_eq!(wrong_from(&app, "2001:db8:1:3::1", 6).await, 400, "the next /64 is another client");
}

async fn an_ipv4_mapped_address_counts_as_its_ipv4_address(app: TestApp) {
    let app = behind_a_proxy(app).await;
    app.create_org("Acme Support", "acme.example").await;
    for i in 0..4 {
        let ip = if i % 2 == 0 { "198.51.100.7" } else { "::ffff:198.51.100.7" };
        assert_eq!(wrong_from(&app, ip, i).await, 400);
    }
    assert_eq!(wrong_from(&app, "::ffff:198.51.100.7", 4).await, 429);
    assert_eq!(wrong_from(&app, "198.51.100.7", 5).await, 429, "the same client, however written");
    assert_eq!(wrong_from(&app, "198.51.100.8", 6).await, 400);
    let ips = app.texts("SELECT ip FROM audit_events WHERE kind = 'sign_in_failed'").await;
    assert!(ips.iter().all(|ip| ip.as_deref().is_some_and(|ip| !ip.starts_with("::ffff:"))), "{ips:?}");
}
