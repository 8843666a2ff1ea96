//! Bursts of concurrent requests released together on kept-alive connections, against one
//! app or against two apps ("processes") sharing one PostgreSQL database.

use std::sync::Arc;

use tokio::sync::Barrier;

use super::browser::Page;
use super::{Backend, Browser, TestApp};
use latchkey::config::SettingsArgs;

/// The apps a burst is spread over: one on SQLite, or two on one PostgreSQL database.
pub struct Apps(pub Vec<TestApp>);

impl Apps {
    pub async fn start(backend: Backend, tweak: fn(&mut SettingsArgs)) -> Self {
        let first = TestApp::spawn_with(backend, tweak).await;
        let mut apps = vec![];
        if backend == Backend::Postgres {
            apps.push(TestApp::spawn_on(backend, first.database_url.clone(), tweak).await);
        }
        apps.insert(0, first);
        Apps(apps)
    }

    pub fn first(&self) -> &TestApp {
        &self.0[0]
    }

    /// The app the `i`-th request of a burst goes to (alternating).
    pub fn url(&self, i: usize) -> &str {
        &self.0[i % self.0.len()].url
    }

    /// Moves every app's clock (they stand for processes on one machine).
    pub fn advance(&self, seconds: i64) {
        for a in &self.0 {
            a.state.clock.advance(seconds);
        }
    }

    /// Waits until `n` verification codes have been mailed to `to` through any app; all of them.
    pub async fn codes(&self, to: &str, n: usize) -> Vec<String> {
        let start = std::time::Instant::now();
        loop {
            let codes: Vec<String> =
                self.0.iter().flat_map(|a| a.sink.find(to, "Your verification code")).map(|m| m.code()).collect();
            if codes.len() >= n {
                return codes;
            }
            assert!(start.elapsed().as_secs() < 20, "no code #{n} for {to}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Audit event kinds and details of one user, oldest first (every app shares the database).
    pub async fn events(&self, user_id: i64) -> Vec<(String, String)> {
        let rows = self.first().state.db.read(|conn| latchkey::store::audit::recent(conn, user_id, 10_000)).unwrap();
        rows.into_iter().rev().map(|r| (r.kind, r.detail.unwrap_or_default())).collect()
    }
}

/// Posts `forms[i]` from `tabs[i]` to `path`, every request released at the same moment.
pub async fn burst(tabs: Vec<Browser>, path: &str, forms: Vec<Vec<(String, String)>>) -> Vec<Page> {
    assert_eq!(tabs.len(), forms.len());
    let gate = Arc::new(Barrier::new(tabs.len()));
    let mut tasks = Vec::new();
    for (mut tab, form) in tabs.into_iter().zip(forms) {
        let (gate, path) = (gate.clone(), path.to_string());
        tasks.push(tokio::spawn(async move {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            gate.wait().await;
            tab.post(&path, &fields).await
        }));
    }
    let mut pages = Vec::new();
    for t in tasks {
        pages.push(t.await.unwrap());
    }
    pages
}

/// `n` copies of a one-field form, but `right` at index `at` (if any).
pub fn forms(
    field: &str,
    wrong: &[String],
    right: Option<(&str, usize)>,
    extra: &[(&str, &str)],
) -> Vec<Vec<(String, String)>> {
    wrong
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let value = match right {
                Some((r, at)) if at == i => r.to_string(),
                _ => w.clone(),
            };
            let mut f = vec![(field.to_string(), value)];
            f.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            f
        })
        .collect()
}

/// How many events of `kind` (with `detail`, if given) there are.
pub fn count(events: &[(String, String)], kind: &str, detail: Option<&str>) -> usize {
    events.iter().filter(|(k, d)| k == kind && detail.is_none_or(|want| d == want)).count()
}

/// The position of the first event of `kind`, if any.
pub fn first(events: &[(String, String)], kind: &str) -> Option<usize> {
    events.iter().position(|(k, _)| k == kind)
}
