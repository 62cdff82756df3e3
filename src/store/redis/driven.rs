//! Where the Redis connection is driven. A multiplexed connection's reads and writes run as a
//! task on the runtime that first used it, and a command sent from another thread is handed to
//! that task and its answer handed back: on a USSD hop that cost about a quarter of the
//! gateway's CPU in task switches and wake-ups (issue 13). Each actix worker is a thread with a
//! runtime of its own, so each makes a connection of its own as it starts
//! ([`Driven::drive_here`]) and its hops use that one; everything else (the outbox and case
//! workers, the command line) uses the one shared connection.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use redis::aio::ConnectionLike;
use redis::{Cmd, Pipeline, RedisFuture, Value};
use tracing::warn;

/// The kind of connection each thread drives: one Redis or a cluster.
type Inner = super::connection::Connection;
type Make = dyn Fn() -> Result<Inner, crate::store::StoreError> + Send + Sync;

/// A connection that sends each command on the calling thread's own connection when it has one,
/// on the shared one otherwise. Cheap to clone; a clone settles on one at its first command.
#[derive(Clone)]
pub struct Driven {
    shared: Arc<Shared>,
    chosen: Option<Inner>,
}

struct Shared {
    connection: Inner,
    make: Box<Make>,
}

thread_local! {
    /// This thread's own connections, by the store they belong to.
    static HERE: RefCell<Vec<(Weak<Shared>, Inner)>> = const { RefCell::new(Vec::new()) };
}

impl Driven {
    /// `connection` is the shared one; `make` makes another without dialling (it dials on first
    /// use, where it is used).
    pub fn new(
        connection: Inner,
        make: impl Fn() -> Result<Inner, crate::store::StoreError> + Send + Sync + 'static,
    ) -> Self {
        Driven { shared: Arc::new(Shared { connection, make: Box::new(make) }), chosen: None }
    }

    /// The shared connection, for what needs its kind (SCANs node by node).
    pub fn shared(&self) -> Inner {
        self.shared.connection.clone()
    }

    /// Gives the calling thread a connection of its own, driven by this thread's runtime. For
    /// threads that serve requests on a runtime of their own and keep it as long as they live
    /// (actix workers). Outside a runtime it does nothing.
    pub fn drive_here(&self) {
        if tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let mine = Arc::downgrade(&self.shared);
        HERE.with_borrow_mut(|here| {
            // Connections of stores since dropped (tests build many gateways on one thread).
            here.retain(|(store, _)| store.strong_count() > 0);
            if here.iter().any(|(store, _)| store.ptr_eq(&mine)) {
                return;
            }
            match (self.shared.make)() {
                Ok(connection) => here.push((mine, connection)),
                Err(e) => warn!(error = %e, "no Redis connection of this worker's own; it uses the shared one"),
            }
        });
    }

    /// Runs `cmd` on one node, on the connection this clone settled on: a `WAIT` must come on
    /// the connection that made the writes it waits for.
    pub async fn on_node<T: redis::FromRedisValue>(
        &mut self,
        cmd: &Cmd,
        node: &super::connection::Node,
    ) -> redis::RedisResult<T> {
        self.connection().on_node(cmd, node).await
    }

    /// The calling thread's own connection, or the shared one. A hop's commands go through this
    /// rather than a clone of the `Driven`: both workers would bump the one shared count on every
    /// call, and the cache line it sits on would travel between cores.
    pub fn here(&self) -> Inner {
        here(&self.shared)
    }

    fn connection(&mut self) -> &mut Inner {
        let shared = &self.shared;
        self.chosen.get_or_insert_with(|| here(shared))
    }
}

fn here(shared: &Arc<Shared>) -> Inner {
    let own = HERE.with_borrow(|here| {
        here.iter().find(|(store, _)| std::ptr::eq(store.as_ptr(), Arc::as_ptr(shared))).map(|(_, c)| c.clone())
    });
    own.unwrap_or_else(|| shared.connection.clone())
}

impl ConnectionLike for Driven {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        self.connection().req_packed_command(cmd)
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        self.connection().req_packed_commands(pipeline, offset, count)
    }

    fn get_db(&self) -> i64 {
        self.shared.connection.get_db()
    }
}
