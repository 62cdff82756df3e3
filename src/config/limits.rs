//! The HTTP server's limits: what one slow or hostile client can hold.

use serde::Deserialize;

/// The HTTP server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// Longest a request may take from its headers to its answer, the body included (actix's
    /// own timeout covers only the headers): a client that trickles its body is cut off with
    /// 408 and its connection closed.
    pub request_timeout_secs: u64,
    /// Open connections at most, across the server's threads. The default leaves room, under
    /// the usual limit of 1024 open files, for Redis, the providers' APIs and the logs; more
    /// clients wait in the listen backlog until one leaves or is cut off.
    pub max_connections: usize,
    /// Threads that serve HTTP; 0: one per CPU, at most 4.
    pub workers: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings { request_timeout_secs: 10, max_connections: 512, workers: 0 }
    }
}

impl HttpSettings {
    /// The serving threads, and each one's share of the connection cap.
    pub fn threads_and_share(&self) -> (usize, usize) {
        let threads = match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()).min(4),
            n => n,
        };
        (threads, (self.max_connections / threads).max(1))
    }

    pub(super) fn check(&self) -> Result<(), String> {
        if !(1..=120).contains(&self.request_timeout_secs) {
            return Err("http.request_timeout_secs must be between 1 and 120".into());
        }
        if !(1..=100_000).contains(&self.max_connections) {
            return Err("http.max_connections must be between 1 and 100000".into());
        }
        Ok(())
    }
}
