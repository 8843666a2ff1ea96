//! Running the real `latchkey` binary: one-shot commands and a `serve` process.

use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::TEST_KEY;

/// A free TCP port on the loopback interface (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Environment for the binary: the data dir, database, SMTP port, test key and fast hashing.
pub fn env(dir: &std::path::Path, database_url: Option<&str>, smtp_port: Option<u16>) -> Vec<(String, String)> {
    let mut e = vec![
        ("LATCHKEY_DATA_DIR".to_string(), dir.display().to_string()),
        ("LATCHKEY_SECRET_KEY".into(), TEST_KEY.into()),
        ("LATCHKEY_ARGON2_MEMORY_KIB".into(), "1024".into()),
        ("LATCHKEY_ARGON2_ITERATIONS".into(), "1".into()),
        ("LATCHKEY_MAIL_FROM".into(), "Latchkey <no-reply@latchkey.test>".into()),
    ];
    if let Some(url) = database_url {
        e.push(("LATCHKEY_DATABASE_URL".into(), url.into()));
    }
    if let Some(p) = smtp_port {
        e.push(("LATCHKEY_SMTP_URL".into(), format!("smtp://127.0.0.1:{p}")));
    }
    e
}

fn command(env: &[(String, String)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_latchkey"));
    c.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

/// Runs `latchkey ARGS` to completion, with `stdin` as standard input.
pub fn run(env: &[(String, String)], args: &[&str], stdin: Option<&str>) -> Output {
    let mut child =
        command(env).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A `latchkey serve` process.
pub struct ServeProcess {
    pub child: Child,
    pub url: String,
    pub log: std::path::PathBuf,
}

impl ServeProcess {
    /// Starts `serve` on a free port, logging to a file in `dir`, and waits until it is healthy.
    pub async fn start(env: &[(String, String)], dir: &std::path::Path) -> Self {
        Self::start_limited(env, dir, None).await
    }

    /// As `start`, with at most `open_files` file descriptors for the process (soft and hard).
    pub async fn start_limited(env: &[(String, String)], dir: &std::path::Path, open_files: Option<u64>) -> Self {
        let port = free_port();
        let log = dir.join(format!("serve-{port}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let out = std::fs::File::create(log.with_extension("out")).unwrap();
        let mut cmd = command(env);
        if let Some(n) = open_files {
            use std::os::unix::process::CommandExt;
            // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    let lim = libc::rlimit { rlim_cur: n, rlim_max: n };
                    if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let child = cmd
            .env("LATCHKEY_BIND", format!("127.0.0.1:{port}"))
            .arg("serve")
            .stdout(out)
            .stderr(file)
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(format!("{url}/healthz")).await {
                if r.status() == 200 {
                    break;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "serve did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ServeProcess { child, url, log }
    }

    pub fn stdout_text(&self) -> String {
        std::fs::read_to_string(self.log.with_extension("out")).unwrap_or_default()
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
