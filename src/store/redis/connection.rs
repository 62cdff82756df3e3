//! The connection the store talks through: one Redis (a `ConnectionManager`) or a Redis Cluster
//! (redis-rs's async cluster connection), behind one [`Connection`], so the domain code sends
//! the same commands and scripts to either. On a cluster every command goes to the master of
//! its first key's slot, and a script's EVALSHA that meets NOSCRIPT on a node (a fresh master
//! after a failover) loads the script there and runs again (`redis::Script`).
//!
//! A cluster is named by one URL with several seed nodes:
//! `redis+cluster://[user:password@]host:port,host:port,...`, or `rediss+cluster://` for TLS.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::{ClusterClient, ClusterClientBuilder, ClusterConfig};
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use redis::{Client, Cmd, FromRedisValue, Pipeline, RedisError, RedisFuture, RedisResult, TlsCertificates, Value};
use tokio::runtime::Handle;

use super::timed;
use crate::store::StoreError;

/// The schemes that name a cluster by its seed nodes, and the scheme each seed is reached by.
const CLUSTER_SCHEMES: [(&str, &str); 2] = [("redis+cluster://", "redis://"), ("rediss+cluster://", "rediss://")];
const SINGLE_SCHEMES: [&str; 4] = ["redis://", "rediss://", "redis+unix://", "unix://"];

/// One Redis or a cluster. Cloning is cheap: every clone shares the same connections.
#[derive(Clone)]
pub enum Connection {
    Single(ConnectionManager),
    Cluster(Arc<LazyCluster>),
}

/// The cluster connection, made on first use: `Store::open` must not wait for the cluster to be
/// up, and redis-rs starts the connection's task at once. The task runs on the runtime `open`
/// was called in when there was one (the one that will drive it, as for a single Redis).
pub struct LazyCluster {
    client: ClusterClient,
    config: ClusterConfig,
    runtime: Option<Handle>,
    connection: OnceLock<ClusterConnection>,
}

impl LazyCluster {
    fn get(&self) -> ClusterConnection {
        let connect = || {
            let _entered = self.runtime.as_ref().map(Handle::enter);
            self.client.get_pending_async_connection_with_config(self.config.clone())
        };
        self.connection.get_or_init(connect).clone()
    }
}

/// Where a command is sent.
pub enum Node {
    /// Where its keys are (the only node of a single Redis).
    Keys,
    /// The master that holds this key's slot.
    SlotOf(String),
    /// One cluster node by the address the cluster gives for it.
    Address(String, u16),
}

impl Connection {
    /// `response_timeout`: how long one command may wait for its answer; a blocking command
    /// needs a connection of its own with a timeout longer than its block.
    pub fn open(url: &str, ca_pem: Option<Vec<u8>>, response_timeout: Duration) -> Result<Self, StoreError> {
        let bad_url = || StoreError::Url(redact_url(url));
        if let Some((scheme, seed_scheme)) = CLUSTER_SCHEMES.iter().find(|(s, _)| url.starts_with(s)) {
            let seeds = cluster_seeds(&url[scheme.len()..], seed_scheme).ok_or_else(bad_url)?;
            let mut builder = ClusterClientBuilder::new(seeds)
                .connection_timeout(Duration::from_millis(500))
                .response_timeout(response_timeout)
                // Room for a MOVED, a slot refresh and a retry while a replica takes over.
                .overall_response_timeout(Some(response_timeout + Duration::from_secs(1)))
                .retries(4)
                .min_retry_wait(50)
                .max_retry_wait(400);
            if let Some(root_cert) = ca_pem {
                builder = builder.certs(TlsCertificates { client_tls: None, root_cert: Some(root_cert) });
            }
            let client = builder.build().map_err(|_| bad_url())?;
            let config = ClusterConfig::new()
                .set_connection_timeout(Duration::from_millis(500))
                .set_response_timeout(response_timeout);
            let runtime = Handle::try_current().ok();
            return Ok(Connection::Cluster(Arc::new(LazyCluster {
                client,
                config,
                runtime,
                connection: OnceLock::new(),
            })));
        }
        if !SINGLE_SCHEMES.iter().any(|s| url.starts_with(s)) {
            return Err(bad_url());
        }
        let client = match ca_pem {
            Some(root_cert) => {
                Client::build_with_tls(url, TlsCertificates { client_tls: None, root_cert: Some(root_cert) })
            }
            None => Client::open(url),
        }
        .map_err(|_| bad_url())?;
        // The defaults wait 7-9 s per call during an outage (reference/crates.md §3).
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(200))
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(response_timeout));
        Ok(Connection::Single(ConnectionManager::new_lazy_with_config(client, config)?))
    }

    /// Runs `cmd` on one node. On a single Redis every node is the one server.
    pub async fn on_node<T: FromRedisValue>(&mut self, cmd: &Cmd, node: &Node) -> RedisResult<T> {
        let target = match node {
            Node::Keys => return cmd.query_async(self).await,
            Node::SlotOf(key) => SingleNodeRoutingInfo::SpecificNode(Route::with_key(key, SlotAddr::Master)),
            Node::Address(host, port) => SingleNodeRoutingInfo::ByAddress { host: host.clone(), port: *port },
        };
        match self {
            Connection::Single(c) => cmd.query_async(c).await,
            Connection::Cluster(lazy) => {
                let value = lazy.get().route_command(cmd.clone(), RoutingInfo::SingleNode(target)).await?;
                Ok(redis::from_redis_value(value)?)
            }
        }
    }

    /// Every master: the one server, or each master a cluster lists in CLUSTER SLOTS.
    pub async fn masters(&mut self) -> Result<Vec<Node>, StoreError> {
        if let Connection::Single(_) = self {
            return Ok(vec![Node::Keys]);
        }
        let ranges: Vec<Vec<Value>> = timed(redis::cmd("CLUSTER").arg("SLOTS").query_async(self)).await?;
        let mut masters: Vec<(String, u16)> = Vec::new();
        for range in ranges {
            // [first slot, last slot, [host, port, id, ..], replicas..]
            let Some(master) = range.into_iter().nth(2) else { continue };
            let address: Vec<Value> = redis::from_redis_value(master).map_err(RedisError::from)?;
            let mut fields = address.into_iter();
            if let (Some(host), Some(port)) = (fields.next(), fields.next()) {
                let host: String = redis::from_redis_value(host).map_err(RedisError::from)?;
                let port: u16 = redis::from_redis_value(port).map_err(RedisError::from)?;
                if !masters.contains(&(host.clone(), port)) {
                    masters.push((host, port));
                }
            }
        }
        Ok(masters.into_iter().map(|(host, port)| Node::Address(host, port)).collect())
    }
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(c) => c.req_packed_command(cmd),
            Connection::Cluster(lazy) => Box::pin(async move { lazy.get().req_packed_command(cmd).await }),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(lazy) => {
                Box::pin(async move { lazy.get().req_packed_commands(pipeline, offset, count).await })
            }
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(c) => c.get_db(),
            Connection::Cluster(_) => 0,
        }
    }
}

/// Every key matching a pattern, a batch at a time: a SCAN cursor belongs to one node, so on a
/// cluster each node is scanned to its end in turn.
pub struct KeyScan {
    connection: Connection,
    pattern: String,
    nodes: Vec<Node>,
    cursor: u64,
}

impl KeyScan {
    /// Scans every master.
    pub async fn everywhere(mut connection: Connection, pattern: String) -> Result<KeyScan, StoreError> {
        let nodes = connection.masters().await?;
        Ok(KeyScan { connection, pattern, nodes, cursor: 0 })
    }

    /// Scans the master of `key`'s slot: enough for a pattern under that key's hash tag.
    pub fn slot_of(connection: Connection, key: String, pattern: String) -> KeyScan {
        KeyScan { connection, pattern, nodes: vec![Node::SlotOf(key)], cursor: 0 }
    }

    /// The next batch (maybe empty), or `None` once every node is done.
    pub async fn next(&mut self) -> Result<Option<Vec<String>>, StoreError> {
        let Some(node) = self.nodes.last() else { return Ok(None) };
        let mut scan = redis::cmd("SCAN");
        scan.arg(self.cursor).arg("MATCH").arg(&self.pattern).arg("COUNT").arg(500);
        let (next, keys): (u64, Vec<String>) = timed(self.connection.on_node(&scan, node)).await?;
        if next == 0 {
            self.nodes.pop();
        }
        self.cursor = next;
        Ok(Some(keys))
    }
}

/// The seed URLs in `hosts` (`[userinfo@]host:port,host:port`), each with the userinfo.
fn cluster_seeds(hosts: &str, seed_scheme: &str) -> Option<Vec<String>> {
    let (userinfo, hosts) = match hosts.rfind('@') {
        Some(at) => (&hosts[..=at], &hosts[at + 1..]),
        None => ("", hosts),
    };
    let hosts = hosts.strip_suffix('/').unwrap_or(hosts);
    let seeds: Vec<String> = hosts.split(',').map(|h| format!("{seed_scheme}{userinfo}{}", h.trim())).collect();
    let valid =
        |h: &str| h.rsplit_once(':').is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok());
    hosts.split(',').all(|h| valid(h.trim())).then_some(seeds)
}

/// A URL fit for an error message: any password replaced.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_url_gives_one_seed_per_node_each_with_the_password() {
        assert_eq!(
            cluster_seeds(":s3cret@10.0.0.1:7000, 10.0.0.2:7001", "rediss://").unwrap(),
            ["rediss://:s3cret@10.0.0.1:7000", "rediss://:s3cret@10.0.0.2:7001"]
        );
        assert_eq!(cluster_seeds("h1:7000/", "redis://").unwrap(), ["redis://h1:7000"]);
        for bad in ["", "h1", "h1:7000,", "h1:port", ":7000", "h1:7000/0"] {
            assert!(cluster_seeds(bad, "redis://").is_none(), "{bad}");
        }
    }

    #[tokio::test]
    async fn a_bad_cluster_url_is_refused_without_its_password() {
        for url in ["redis+cluster://", "redis+cluster://:pw@h1", "redis+clusters://h1:7000"] {
            let error = Connection::open(url, None, Duration::from_secs(1)).err().unwrap().to_string();
            assert!(!error.contains("pw"), "{error}");
        }
        assert!(Connection::open("rediss+cluster://h1:7000,h2:7000", None, Duration::from_secs(1)).is_ok());
    }
}
