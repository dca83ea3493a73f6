//! Runs a crate's plan: every Rust piece emitted and formatted on worker threads, then each
//! file put together from its header and its pieces in order.

use super::Part;
use crate::format::{format_rust, Header};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A generated crate's files: relative path and text.
pub type Files = Vec<(String, String)>;

/// Every file of `plan` as its path and text, and the time the workers spent emitting and
/// formatting (added up over the threads). Pieces start costliest first, so that no thread is
/// left with a long piece at the end; which thread ran a piece never shows in the output.
///
/// # Errors
///
/// Tokens that do not parse as Rust: a bug in an emitter.
pub fn render(plan: &[(String, Vec<Part<'_>>)], header: &Header) -> Result<(Files, [Duration; 2]), String> {
    let mut jobs: Vec<(usize, usize, usize)> = plan
        .iter()
        .enumerate()
        .flat_map(|(f, (_, parts))| parts.iter().enumerate().map(move |(p, part)| (f, p, part)))
        .filter_map(|(f, p, part)| match part {
            Part::Rust(_, cost) => Some((f, p, *cost)),
            _ => None,
        })
        .collect();
    jobs.sort_by_key(|&(.., cost)| std::cmp::Reverse(cost));
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    let work = || {
        while let Some(&(f, p, _)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            let Part::Rust(emit, _) = &plan[f].1[p] else { continue };
            let t = Instant::now();
            let tokens = emit();
            let emitted = t.elapsed();
            let text = format_rust(tokens);
            let times = [emitted, t.elapsed() - emitted];
            done.lock().expect("invariant: no worker panics holding the lock").push(((f, p), text, times));
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
    let mut texts = std::collections::HashMap::new();
    let mut times = [Duration::ZERO; 2];
    for (at, text, [emit, format]) in done.into_inner().expect("invariant: the workers are done") {
        times[0] += emit;
        times[1] += format;
        texts.insert(at, text?);
    }
    let mut files = Vec::new();
    for (f, (path, parts)) in plan.iter().enumerate() {
        let mut text = match parts.first() {
            Some(Part::Toml(_)) => format!("{}\n", header.lines("#")),
            Some(Part::Markdown(_)) => {
                let line = header.lines("").split_whitespace().collect::<Vec<_>>().join(" ");
                format!("<!-- {line} -->\n\n")
            }
            _ => format!("{}\n", header.lines("//")),
        };
        for (p, part) in parts.iter().enumerate() {
            match part {
                Part::Rust(..) => text.push_str(&texts.remove(&(f, p)).unwrap_or_default()),
                Part::RustVerbatim(src) => text.push_str(src),
                Part::Toml(src) | Part::Markdown(src) => text.push_str(src),
            }
        }
        files.push((path.clone(), text));
    }
    Ok((files, times))
}
