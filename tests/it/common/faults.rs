//! Real faults for the tests: a small tmpfs that can be filled, files made immutable, and a
//! PostgreSQL cluster of the test's own that it stops and starts (never the shared server).
//! These need root (CI runs as root); without it they fail and say why, rather than skip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{cmd:?}: {}{}", String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout)))
    }
}

#[track_caller]
fn must(cmd: &mut Command, why: &str) -> String {
    run(cmd).unwrap_or_else(|e| panic!("{why} (the fault tests need root, as in CI): {e}"))
}

/// A tmpfs of a few MiB mounted on a fresh folder; unmounted when dropped.
pub struct Tmpfs {
    pub path: PathBuf,
    _parent: tempfile::TempDir,
}

impl Tmpfs {
    pub fn mount(size_kib: u64) -> Self {
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("data");
        std::fs::create_dir(&path).unwrap();
        must(
            Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={size_kib}k,mode=0700"), "tmpfs"])
                .arg(&path),
            "cannot mount a tmpfs for the full-disk test",
        );
        Tmpfs { path, _parent: parent }
    }

    /// Fills the file system to the last byte; returns the filler file.
    pub fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        // The last partial block, byte by byte.
        while f.write_all(&[0]).is_ok() {}
        let _ = f.flush();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// A small ext4 file system in an image file, loop-mounted on a fresh folder; unmounted when
/// dropped. ext4 refuses writes to immutable files even through descriptors opened before, so
/// `chattr +i` makes a database file read-only for a running process (tmpfs does not).
pub struct Ext4 {
    pub path: PathBuf,
    _parent: tempfile::TempDir,
}

impl Ext4 {
    pub fn mount(size_mib: u64) -> Self {
        let parent = tempfile::tempdir().unwrap();
        let image = parent.path().join("disk.img");
        let path = parent.path().join("data");
        std::fs::create_dir(&path).unwrap();
        std::fs::File::create(&image).unwrap().set_len(size_mib << 20).unwrap();
        must(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image), "cannot make an ext4 image");
        must(Command::new("mount").args(["-o", "loop"]).arg(&image).arg(&path), "cannot loop-mount an ext4 image");
        Ext4 { path, _parent: parent }
    }
}

impl Drop for Ext4 {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Makes files immutable (`chattr +i`: not even root may write them) until dropped.
pub struct Immutable(Vec<PathBuf>);

impl Immutable {
    pub fn set(files: &[PathBuf]) -> Self {
        let existing: Vec<PathBuf> = files.iter().filter(|f| f.exists()).cloned().collect();
        must(Command::new("chattr").arg("+i").args(&existing), "cannot make the database files immutable");
        Immutable(existing)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").args(&self.0).status();
    }
}

/// A PostgreSQL cluster of the test's own, on a free port, run as the `postgres` user.
pub struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    pub port: u16,
    _parent: tempfile::TempDir,
}

fn postgres_bin() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("PostgreSQL's server binaries must be installed under {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().expect("no PostgreSQL server binaries under /usr/lib/postgresql")
}

impl OwnPostgres {
    pub fn start() -> Self {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("cluster");
        std::fs::create_dir(&dir).unwrap();
        // The server refuses to run as root: the cluster belongs to `postgres`.
        must(
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(parent.path()),
            "cannot hand the cluster to postgres",
        );
        must(Command::new("chmod").arg("0755").arg(parent.path()), "cannot open the cluster's parent folder");
        let bin = postgres_bin();
        must(
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(bin.join("initdb"))
                .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
                .arg(&dir),
            "cannot create a PostgreSQL cluster",
        );
        let port = super::process::free_port();
        let pg = OwnPostgres { bin, dir, port, _parent: parent };
        pg.up();
        pg
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<String, String> {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.display());
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.dir)
            .args(["-o", &options, "-l"])
            .arg(self.dir.join("server.log"))
            .args(args))
    }

    /// Starts the server and waits until it accepts connections.
    pub fn up(&self) {
        if let Err(e) = self.pg_ctl(&["-w", "-t", "60", "start"]) {
            let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            panic!("cannot start PostgreSQL: {e}\n{log}");
        }
    }

    /// Stops the server at once, as a crash would (no clean shutdown of the sessions).
    pub fn down(&self) {
        self.pg_ctl(&["-w", "-m", "immediate", "stop"]).unwrap_or_else(|e| panic!("cannot stop PostgreSQL: {e}"));
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates a database in this cluster and returns its URL.
    pub async fn database(&self, name: &str) -> String {
        super::create_database(&self.url("postgres"), name).await;
        self.url(name)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "stop"]);
    }
}

/// Polls `check` every 100 ms until it is true; returns how long it took, or panics after
/// `limit` with `what`.
pub async fn until<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what} did not happen within {limit:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
