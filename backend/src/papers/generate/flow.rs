//! The flow network behind [`super::max_draw`] and [`super::generate`]: rules on one side,
//! classes of interchangeable questions on the other, and the maximum flow between them.

use std::collections::{BTreeMap, VecDeque};

/// A flow network as edge lists; edge `e ^ 1` is the reverse of edge `e`.
struct Graph {
    to: Vec<usize>,
    cap: Vec<usize>,
    adj: Vec<Vec<usize>>,
}

impl Graph {
    fn add(&mut self, a: usize, b: usize, capacity: usize) -> usize {
        let e = self.to.len();
        self.adj[a].push(e);
        self.to.push(b);
        self.cap.push(capacity);
        self.adj[b].push(e + 1);
        self.to.push(a);
        self.cap.push(0);
        e
    }
}

/// Rule `i` needs `count` questions; `classes` are groups of interchangeable questions (same
/// set of matching rules). Returns the flow from each rule to each class.
pub(super) struct Network {
    /// Rules reachable from each class, and the class sizes.
    pub(super) classes: Vec<(Vec<usize>, Vec<usize>)>,
}

impl Network {
    /// Groups the questions matched by any rule (`matches[r]`: the questions rule `r`
    /// matches) into classes, in a deterministic order.
    pub(super) fn build(matches: &[&[usize]]) -> Network {
        let mut signature: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (r, rule) in matches.iter().enumerate() {
            for q in *rule {
                let sig = signature.entry(*q).or_default();
                if sig.last() != Some(&r) {
                    sig.push(r);
                }
            }
        }
        let mut classes: BTreeMap<Vec<usize>, Vec<usize>> = BTreeMap::new();
        for (q, sig) in signature {
            classes.entry(sig).or_default().push(q);
        }
        Network {
            classes: classes.into_iter().collect(),
        }
    }

    /// Maximum flow (Edmonds–Karp) visiting classes in `order`; returns the total and the
    /// flow rule → class (indexed like `self.classes`).
    pub(super) fn max_flow(&self, counts: &[usize], order: &[usize]) -> (usize, Vec<Vec<usize>>) {
        let r = counts.len();
        let c = self.classes.len();
        // Nodes: 0 source, 1..=r rules, r+1..=r+c classes, r+c+1 sink.
        let n = r + c + 2;
        let sink = n - 1;
        let mut g = Graph {
            to: Vec::new(),
            cap: Vec::new(),
            adj: vec![Vec::new(); n],
        };
        for (i, count) in counts.iter().enumerate() {
            g.add(0, 1 + i, *count);
        }
        // rule → class edges, remembered to read the flow back.
        let mut rule_class_edge: Vec<(usize, usize, usize)> = Vec::new();
        for &k in order {
            let (sig, members) = &self.classes[k];
            for &rule in sig {
                let e = g.add(1 + rule, 1 + r + k, usize::MAX / 4);
                rule_class_edge.push((rule, k, e));
            }
            g.add(1 + r + k, sink, members.len());
        }
        let Graph { to, mut cap, adj } = g;
        let mut total = 0;
        loop {
            let mut prev: Vec<Option<usize>> = vec![None; n];
            let mut seen = vec![false; n];
            seen[0] = true;
            let mut queue = VecDeque::from([0usize]);
            while let Some(u) = queue.pop_front() {
                if u == sink {
                    break;
                }
                for &e in &adj[u] {
                    let v = to[e];
                    if !seen[v] && cap[e] > 0 {
                        seen[v] = true;
                        prev[v] = Some(e);
                        queue.push_back(v);
                    }
                }
            }
            if !seen[sink] {
                break;
            }
            let mut push = usize::MAX;
            let mut v = sink;
            while let Some(e) = prev[v] {
                push = push.min(cap[e]);
                v = to[e ^ 1];
            }
            let mut v = sink;
            while let Some(e) = prev[v] {
                cap[e] -= push;
                cap[e ^ 1] += push;
                v = to[e ^ 1];
            }
            total += push;
        }
        let mut flow = vec![vec![0; c]; r];
        for (rule, k, e) in rule_class_edge {
            // The reverse edge's capacity is the flow sent.
            flow[rule][k] += cap[e ^ 1];
        }
        (total, flow)
    }
}
