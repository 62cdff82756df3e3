//! A private Redis Cluster: three masters and three replicas, six redis-server processes on free
//! loopback ports, made with `redis-cli --cluster create`. A node is declared failed after
//! `cluster-node-timeout` (1 s here), so a killed master's replica takes over within seconds.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::Value;

pub struct TestCluster {
    dir: PathBuf,
    /// Port and process of each node; a killed node's process is gone.
    nodes: Mutex<Vec<(u16, Option<Child>)>>,
}

/// One line of CLUSTER NODES: (port, id, is master, id of its master).
struct NodeLine {
    port: u16,
    id: String,
    master: bool,
    of: String,
}

impl TestCluster {
    pub fn start() -> Self {
        let dir = super::private_dir("cluster");
        // Ports for clients and for the cluster bus, all held until chosen so none repeats.
        let listeners: Vec<_> = (0..12).map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap()).collect();
        let ports: Vec<u16> = listeners.iter().map(|l| l.local_addr().unwrap().port()).collect();
        drop(listeners);
        let mut nodes = Vec::new();
        for i in 0..6 {
            let (port, bus) = (ports[i], ports[i + 6]);
            let dir = dir.join(port.to_string());
            std::fs::create_dir_all(&dir).unwrap();
            let child = Command::new("redis-server")
                .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--cluster-port", &bus.to_string()])
                .args(["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"])
                .args(["--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no"])
                .args(["--enable-debug-command", "local"])
                .arg("--dir")
                .arg(&dir)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .spawn()
                .expect("redis-server is not on PATH: run the tests through scripts/test, which installs it");
            nodes.push((port, Some(child)));
        }
        let cluster = TestCluster { dir, nodes: Mutex::new(nodes) };
        for port in cluster.live_ports() {
            wait_for(|| query(port, &["PING"]).is_ok(), "a cluster node to start");
        }
        let addresses: Vec<String> = cluster.live_ports().iter().map(|p| format!("127.0.0.1:{p}")).collect();
        let out = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("redis-cli is not on PATH");
        assert!(out.status.success(), "redis-cli --cluster create: {}", String::from_utf8_lossy(&out.stdout));
        cluster.wait_until_settled(3);
        cluster
    }

    /// Seed nodes: the first three, as an operator would list them.
    pub fn url(&self) -> String {
        let nodes = self.nodes.lock().unwrap();
        let seeds: Vec<String> = nodes[..3].iter().map(|(p, _)| format!("127.0.0.1:{p}")).collect();
        format!("redis+cluster://{}", seeds.join(","))
    }

    /// Every live node agrees the cluster is up, with `replicas` replicas in sync. In sync means
    /// each has acknowledged its master once: until then Redis 7 holds the replication stream
    /// back, and a `WAIT` cannot be confirmed.
    fn wait_until_settled(&self, replicas: usize) {
        wait_for(
            || {
                self.live_ports().iter().all(|p| info(*p, "CLUSTER", "cluster_state:ok"))
                    && self.topology().iter().filter(|n| !n.master).count() == replicas
                    && self
                        .topology()
                        .iter()
                        .filter(|n| !n.master)
                        .all(|n| info(n.port, "INFO", "master_link_status:up"))
                    && self.topology().iter().filter(|n| n.master).all(|n| !info(n.port, "INFO", "offset=0,"))
            },
            "the cluster to settle",
        );
    }

    fn live_ports(&self) -> Vec<u16> {
        self.nodes.lock().unwrap().iter().filter(|(_, child)| child.is_some()).map(|(p, _)| *p).collect()
    }

    fn topology(&self) -> Vec<NodeLine> {
        let Ok(Value::SimpleString(text)) = query(self.live_ports()[0], &["CLUSTER", "NODES"]).map(to_text) else {
            return Vec::new();
        };
        text.lines()
            .filter(|l| !l.contains("fail") && !l.contains("noaddr"))
            .filter_map(|line| {
                let f: Vec<&str> = line.split_whitespace().collect();
                let port = f.get(1)?.split(['@', ':']).nth(1)?.parse().ok()?;
                Some(NodeLine { port, id: f[0].to_owned(), master: f[2].contains("master"), of: f[3].to_owned() })
            })
            .collect()
    }

    /// The port of the master that holds `key`'s slot: the one that serves it (the others,
    /// replicas included, answer MOVED); 0 while none does.
    pub fn master_of(&self, key: &str) -> u16 {
        let masters: Vec<NodeLine> = self.topology().into_iter().filter(|n| n.master).collect();
        masters.iter().find(|m| query(m.port, &["EXISTS", key]).is_ok()).map_or(0, |m| m.port)
    }

    /// `CLUSTER FAILOVER` on the replica of the master holding `key`: the replica catches up,
    /// takes over, and the old master becomes its replica. Returns once every node sees it.
    pub fn fail_over(&self, key: &str) -> Duration {
        let started = Instant::now();
        let replica = self.replica_of(self.master_of(key));
        query(replica, &["CLUSTER", "FAILOVER"]).expect("CLUSTER FAILOVER");
        wait_for(|| self.master_of(key) == replica, "the replica to take over");
        self.wait_until_settled(3);
        started.elapsed()
    }

    /// SIGKILL to the master holding `key`: its replica takes over once the others have not heard
    /// from it for `cluster-node-timeout`. Returns once every live node sees the new master.
    pub fn kill_master(&self, key: &str) -> Duration {
        let started = Instant::now();
        let master = self.master_of(key);
        let replica = self.replica_of(master);
        for (port, child) in self.nodes.lock().unwrap().iter_mut() {
            if let Some(mut process) = child.take_if(|_| *port == master) {
                process.kill().unwrap();
                process.wait().unwrap();
            }
        }
        wait_for(|| self.master_of(key) == replica, "the replica to take over");
        self.wait_until_settled(2);
        started.elapsed()
    }

    /// Puts the replica of the master holding `key` to sleep for `secs` (DEBUG SLEEP, sent
    /// without waiting for its answer): it stays connected but confirms nothing meanwhile.
    /// Keep the connection until it wakes.
    pub fn stall_replica_of(&self, key: &str, secs: u32) -> redis::Connection {
        let replica = self.replica_of(self.master_of(key));
        let client = redis::Client::open(format!("redis://127.0.0.1:{replica}")).unwrap();
        let mut connection = client.get_connection_with_timeout(Duration::from_secs(1)).unwrap();
        let sleep = redis::cmd("DEBUG").arg("SLEEP").arg(secs).get_packed_command();
        connection.send_packed_command(&sleep).unwrap();
        connection
    }

    /// How many times a node has run `command` (INFO commandstats).
    pub fn calls(&self, port: u16, command: &str) -> u64 {
        let Ok(Value::SimpleString(text)) = query(port, &["INFO", "commandstats"]).map(to_text) else { return 0 };
        let prefix = format!("cmdstat_{command}:calls=");
        text.lines().find_map(|l| l.strip_prefix(&prefix)?.split(',').next()?.parse().ok()).unwrap_or(0)
    }

    fn replica_of(&self, master: u16) -> u16 {
        let topology = self.topology();
        let id = &topology.iter().find(|n| n.port == master).unwrap().id;
        topology.iter().find(|n| &n.of == id).expect("the master has a replica").port
    }

    /// KEYS * on each master.
    pub fn keys_by_master(&self) -> Vec<Vec<String>> {
        let mut by_master = Vec::new();
        for node in self.topology().into_iter().filter(|n| n.master) {
            let keys = match query(node.port, &["KEYS", "*"]) {
                Ok(Value::Array(items)) => items.into_iter().map(|v| redis::from_redis_value(v).unwrap()).collect(),
                other => panic!("KEYS answered {other:?}"),
            };
            by_master.push(keys);
        }
        by_master
    }

    /// FLUSHALL on every master.
    pub fn flush(&self) {
        for node in self.topology().into_iter().filter(|n| n.master) {
            query(node.port, &["FLUSHALL"]).unwrap();
        }
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        for (_, child) in self.nodes.lock().unwrap().iter_mut() {
            if let Some(mut process) = child.take() {
                let _ = process.kill();
                let _ = process.wait();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn info(port: u16, section: &str, want: &str) -> bool {
    let args: &[&str] = if section == "CLUSTER" { &["CLUSTER", "INFO"] } else { &["INFO", "replication"] };
    match query(port, args).map(to_text) {
        Ok(Value::SimpleString(text)) => text.contains(want),
        _ => false,
    }
}

/// A bulk string as text, so callers match one shape.
fn to_text(value: Value) -> Value {
    match value {
        Value::BulkString(bytes) => Value::SimpleString(String::from_utf8_lossy(&bytes).into_owned()),
        other => other,
    }
}

/// One command to one node on a connection of its own (setup and checks only).
pub fn query(port: u16, args: &[&str]) -> redis::RedisResult<Value> {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}"))?;
    let mut connection = client.get_connection_with_timeout(Duration::from_secs(1))?;
    connection.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut cmd = redis::cmd(args[0]);
    for arg in &args[1..] {
        cmd.arg(*arg);
    }
    cmd.query(&mut connection)
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "waited 20 s for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
