//! The `tamga` binary end to end: real processes, real sockets.

mod audit;
mod bench;
mod cli;
mod control;
mod crash;
mod federation;
mod guarantee;
mod ingest;
mod learning;
mod learning_planted;
mod ops;
mod parties;
mod servers;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A `tamga serve` process on a free port, stopped when dropped.
#[derive(Debug)]
pub struct Server {
    child: Child,
    pub url: String,
    /// The admin token, when this server created the admin user.
    pub admin_token: Option<String>,
    /// `http://.../metrics`, when the server serves metrics.
    pub metrics_url: Option<String>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        Server::start_with(args, &[])
    }

    /// With flags of `serve` itself.
    pub fn start_with(args: &[&str], serve: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tamga"))
            .args(args)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(serve)
            .env("TAMGA_LOG__FILTER", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start tamga serve");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let mut admin_token = None;
        let mut metrics_url = None;
        let url = loop {
            let line = lines
                .next()
                .expect("tamga serve stopped before listening")
                .unwrap();
            if line.starts_with("tmg_") {
                admin_token = Some(line);
            } else if let Some(rest) = line.strip_prefix("tamga metrics on ") {
                metrics_url = Some(rest.trim().to_owned());
            } else if let Some(rest) = line.strip_prefix("tamga listening on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        Server {
            child,
            url,
            admin_token,
            metrics_url,
        }
    }
}

impl Server {
    /// Kills the process at once, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary to completion: (exit code, stdout, stderr).
pub fn tamga(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .envs(envs.iter().copied())
        .env("TAMGA_LOG__FILTER", "warn")
        .output()
        .expect("run tamga");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/declaration.json"
);
