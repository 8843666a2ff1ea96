//! The processes under test: `latchkey serve`, and the plain "hello" server for the HTTP floor.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http::Conn;

/// A server process, killed when dropped.
pub struct Process {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `path` answers 200.
    pub async fn ready(&mut self, path: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the server exited at start ({status}); see its log"));
            }
            let mut c = Conn::new(self.addr);
            if let Ok(r) = c.get(path, "").await {
                if r.status.is_success() {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!("the server at {} did not answer {path} within 60 s", self.addr));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

pub fn free_port() -> Result<SocketAddr, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    l.local_addr().map_err(|e| e.to_string())
}

/// Where `latchkey serve` keeps its data and how it reaches its database.
pub struct ServerConfig {
    pub binary: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub key_file: PathBuf,
    pub log: PathBuf,
}

impl ServerConfig {
    fn command(&self, args: &[&str]) -> Result<Command, String> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| format!("cannot open {}: {e}", self.log.display()))?;
        let log2 = log.try_clone().map_err(|e| e.to_string())?;
        let mut cmd = Command::new(&self.binary);
        cmd.args(args)
            .env("LATCHKEY_DATA_DIR", &self.data_dir)
            .env("LATCHKEY_DATABASE_URL", &self.database_url)
            .env("LATCHKEY_SECRET_KEY_FILE", &self.key_file)
            .env_remove("LATCHKEY_CONFIG")
            .env_remove("LATCHKEY_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2);
        Ok(cmd)
    }

    /// `latchkey migrate`: the schema, made by the service itself.
    pub fn migrate(&self) -> Result<(), String> {
        let status = self.command(&["migrate"])?.status().map_err(|e| self.cannot_run(e))?;
        if !status.success() {
            return Err(format!("`latchkey migrate` failed ({status}); see {}", self.log.display()));
        }
        Ok(())
    }

    pub async fn serve(&self) -> Result<Process, String> {
        let addr = free_port()?;
        let mut cmd = self.command(&["serve"])?;
        cmd.env("LATCHKEY_BIND", addr.to_string());
        // By name: security keys need a relying party that is not an IP address.
        cmd.env("LATCHKEY_PUBLIC_URL", format!("http://localhost:{}", addr.port()));
        let child = cmd.spawn().map_err(|e| self.cannot_run(e))?;
        let mut p = Process { child, addr };
        p.ready("/healthz").await?;
        Ok(p)
    }

    fn cannot_run(&self, e: std::io::Error) -> String {
        format!("cannot run {}: {e}", self.binary.display())
    }
}

/// Starts this harness again as the "hello" server (same HTTP stack, nothing else).
pub async fn hello(harness: &Path) -> Result<Process, String> {
    let addr = free_port()?;
    let child = Command::new(harness)
        .args(["hello", "--bind", &addr.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the hello server: {e}"))?;
    let mut p = Process { child, addr };
    p.ready("/").await?;
    Ok(p)
}

/// Serves "hello" on `bind` until killed: the floor for an HTTP request on this machine.
pub async fn serve_hello(bind: SocketAddr) -> Result<(), String> {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(bind).await.map_err(|e| e.to_string())?;
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

/// Resident memory of a process now and at its peak since the last reset, in MiB.
pub fn rss(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts a new peak measurement (Linux: writing 5 to clear_refs resets the high-water mark).
pub fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}
