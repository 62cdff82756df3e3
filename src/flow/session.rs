//! Where a survivor is in a flow, and its compact encoding for the store.
//!
//! The encoding is a few dozen bytes (the design goal is under 256): a stored session is read and
//! written on every hop. It starts with the hop count as two big-endian bytes so the store can
//! tell a save that would move a session backwards without decoding the rest.

use super::{NodeId, Urgency};

const VERSION: u8 = 2;
/// How many screens `0` can go back through.
pub const BACK_DEPTH: usize = 8;
/// How many escalations one session records.
pub const MAX_ESCALATIONS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Session {
    /// Inputs applied since the session began.
    pub hops: u16,
    /// Hash of the provider's input path (`text`) this state answers. 32 bits: it tells apart
    /// the paths of one session, and 4 bytes more would take a session with a note past a
    /// Redis allocation class (160 bytes instead of 128).
    pub path_hash: u32,
    /// Locale the session began in; `None`: it began on the language screen.
    pub began_in: Option<u8>,
    pub locale: u8,
    pub node: NodeId,
    pub page: u8,
    /// The last input was not understood: show the hint.
    pub hint: bool,
    /// Reached an end screen.
    pub ended: bool,
    /// Left with the quick exit.
    pub exited: bool,
    /// The screen is not shown yet: neutral mode sent a first SMS that names nothing, and her
    /// next message (whatever it says) shows the screen.
    pub held: bool,
    /// Screens to go back to with `0`, most recent last.
    pub back: Vec<NodeId>,
    /// Field values by field index.
    pub fields: Vec<(u8, String)>,
    pub escalations: Vec<Escalation>,
}

/// An escalate action the session went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    pub hop: u16,
    pub urgency: Urgency,
    pub category: u8,
}

impl Session {
    pub fn field(&self, field: u8) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| v.as_str())
    }

    pub fn set_field(&mut self, field: u8, value: &str) {
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some((_, v)) => value.clone_into(v),
            None => self.fields.push((field, value.to_owned())),
        }
    }

    pub fn encode(&self, fingerprint: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(48);
        out.extend(self.hops.to_be_bytes());
        out.push(VERSION);
        out.extend(fingerprint.to_be_bytes());
        out.extend(self.path_hash.to_be_bytes());
        out.push(self.began_in.unwrap_or(u8::MAX));
        out.push(self.locale);
        out.extend(self.node.to_be_bytes());
        out.push(self.page);
        out.push(
            u8::from(self.hint) | u8::from(self.ended) << 1 | u8::from(self.exited) << 2 | u8::from(self.held) << 3,
        );
        out.push(self.back.len() as u8);
        for node in &self.back {
            out.extend(node.to_be_bytes());
        }
        out.push(self.fields.len() as u8);
        for (field, value) in &self.fields {
            // Inputs are at most 60 characters (checked when the flow compiles), so 240 bytes.
            let bytes = &value.as_bytes()[..value.len().min(255)];
            out.push(*field);
            out.push(bytes.len() as u8);
            out.extend(bytes);
        }
        out.push(self.escalations.len() as u8);
        for e in &self.escalations {
            out.extend(e.hop.to_be_bytes());
            out.push(e.urgency as u8);
            out.push(e.category);
        }
        out
    }

    /// `None` for anything that is not a session made by this flow version: the caller rebuilds.
    pub fn decode(bytes: &[u8], fingerprint: u32) -> Option<Session> {
        let mut r = Reader(bytes);
        let hops = r.u16()?;
        if r.u8()? != VERSION || r.u32()? != fingerprint {
            return None;
        }
        let path_hash = r.u32()?;
        let began_in = Some(r.u8()?).filter(|b| *b != u8::MAX);
        let locale = r.u8()?;
        let node = r.u16()?;
        let page = r.u8()?;
        let flags = r.u8()?;
        let back = (0..r.u8()?).map(|_| r.u16()).collect::<Option<_>>()?;
        let fields = (0..r.u8()?)
            .map(|_| {
                let field = r.u8()?;
                let len = r.u8()? as usize;
                Some((field, String::from_utf8(r.take(len)?.to_vec()).ok()?))
            })
            .collect::<Option<_>>()?;
        let escalations = (0..r.u8()?)
            .map(|_| Some(Escalation { hop: r.u16()?, urgency: Urgency::from_u8(r.u8()?)?, category: r.u8()? }))
            .collect::<Option<_>>()?;
        if !r.0.is_empty() {
            return None;
        }
        Some(Session {
            hops,
            path_hash,
            began_in,
            locale,
            node,
            page,
            hint: flags & 1 != 0,
            ended: flags & 2 != 0,
            exited: flags & 4 != 0,
            held: flags & 8 != 0,
            back,
            fields,
            escalations,
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
}

/// Hash of an input path (FNV-1a 64, its halves folded): stable across builds and instances,
/// unlike std's hasher.
pub fn path_hash(path: &str) -> u32 {
    let h = fnv1a(&[path.as_bytes()]);
    (h ^ (h >> 32)) as u32
}

/// FNV-1a 64 of `parts` one after the other.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .flat_map(|p| p.iter())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Session {
        Session {
            hops: 7,
            path_hash: path_hash("1*2*3"),
            began_in: None,
            locale: 1,
            node: 12,
            page: 1,
            hint: true,
            ended: false,
            exited: false,
            held: true,
            back: vec![0, 3],
            fields: vec![(0, "yes".into()), (2, "baada ya saa kumi na mbili".into())],
            escalations: vec![Escalation { hop: 4, urgency: Urgency::Critical, category: 0 }],
        }
    }

    #[test]
    fn a_session_round_trips_and_stays_small() {
        let bytes = sample().encode(42);
        assert!(bytes.len() < 256, "{} bytes", bytes.len());
        assert_eq!(Session::decode(&bytes, 42), Some(sample()));
        assert_eq!(u16::from_be_bytes([bytes[0], bytes[1]]), 7, "the store reads the hop count here");
    }

    #[test]
    fn a_session_of_another_flow_version_is_not_decoded() {
        assert_eq!(Session::decode(&sample().encode(42), 43), None);
    }

    proptest! {
        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Session::decode(&bytes, 42);
        }

        #[test]
        fn truncated_sessions_are_refused(cut in 0usize..40) {
            let bytes = sample().encode(42);
            prop_assume!(cut < bytes.len());
            prop_assert_eq!(Session::decode(&bytes[..cut], 42), None);
        }
    }
}
