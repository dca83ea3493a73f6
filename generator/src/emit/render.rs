//! Runs a crate's plan: every Rust piece emitted and formatted on worker threads, each file put
//! together from its header and its pieces in order and handed over as soon as its last piece
//! is formatted, so that a caller can write it and let it go before the rest is done.

use super::Part;
use crate::format::{format_rust, Header};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the workers share: the formatted pieces not yet put into their file, how many Rust
/// pieces each file still waits for, and the files that wait for none.
struct Progress {
    texts: HashMap<(usize, usize), Result<String, String>>,
    pending: Vec<usize>,
    ready: Vec<usize>,
    times: [Duration; 2],
}

/// Runs `plan`, calling `each(index in the plan, path, text)` for every file as soon as all its
/// pieces are formatted (in the order files complete, on the calling thread), and returns the
/// time the workers spent emitting and formatting.
///
/// Files are started in order of their costliest piece (so that no thread is left with a long
/// piece at the end), the pieces of a file one after another in plan order, so that files
/// complete one by one and at most one file's pieces wait for each other: the largest crates
/// (hundreds of megabytes of Rust) are never held whole. Which thread ran a piece never shows in
/// the output.
///
/// # Errors
///
/// Tokens that do not parse as Rust: a bug in an emitter. Files completed before it was found
/// have been handed over.
pub fn render_each(
    plan: &[(String, Vec<Part<'_>>)],
    header: &Header,
    each: &mut dyn FnMut(usize, &str, String),
) -> Result<[Duration; 2], String> {
    let rust_pieces = |parts: &[Part<'_>]| parts.iter().filter(|p| matches!(p, Part::Rust(..))).count();
    let mut order: Vec<usize> = (0..plan.len()).collect();
    let top_cost =
        |f: usize| plan[f].1.iter().map(|p| if let Part::Rust(_, cost) = p { *cost } else { 0 }).max().unwrap_or(0);
    order.sort_by_key(|&f| std::cmp::Reverse(top_cost(f)));
    let jobs: Vec<(usize, usize)> = order
        .iter()
        .flat_map(|&f| {
            plan[f].1.iter().enumerate().filter(|(_, p)| matches!(p, Part::Rust(..))).map(move |(p, _)| (f, p))
        })
        .collect();
    let pending: Vec<usize> = plan.iter().map(|(_, parts)| rust_pieces(parts)).collect();
    let ready = (0..plan.len()).filter(|&f| pending[f] == 0).collect();
    let progress = Mutex::new(Progress { texts: HashMap::new(), pending, ready, times: [Duration::ZERO; 2] });
    let next = AtomicUsize::new(0);
    // Runs one job; false when there are none left.
    let work_one = || {
        let Some(&(f, p)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) else { return false };
        let Part::Rust(emit, _) = &plan[f].1[p] else { return true };
        let t = Instant::now();
        let tokens = emit();
        let emitted = t.elapsed();
        let text = format_rust(tokens);
        let formatted = t.elapsed() - emitted;
        let mut progress = progress.lock().expect("invariant: no worker panics holding the lock");
        progress.times[0] += emitted;
        progress.times[1] += formatted;
        progress.texts.insert((f, p), text);
        progress.pending[f] -= 1;
        if progress.pending[f] == 0 {
            progress.ready.push(f);
        }
        true
    };
    // Puts together the files whose pieces are all formatted and hands them over.
    let mut failure = None;
    let mut hand_over = |each: &mut dyn FnMut(usize, &str, String)| {
        let ready = {
            let mut progress = progress.lock().expect("invariant: no worker panics holding the lock");
            std::mem::take(&mut progress.ready)
                .into_iter()
                .map(|f| {
                    let texts: Vec<_> = (0..plan[f].1.len()).map(|p| progress.texts.remove(&(f, p))).collect();
                    (f, texts)
                })
                .collect::<Vec<_>>()
        };
        for (f, texts) in ready {
            match assemble(&plan[f].1, texts, header) {
                Ok(text) => each(f, &plan[f].0, text),
                Err(e) => {
                    failure.get_or_insert(e);
                }
            }
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(|| while work_one() {});
        }
        // The calling thread works too, and between its pieces hands over what is complete.
        loop {
            hand_over(each);
            if !work_one() {
                break;
            }
        }
    });
    hand_over(each);
    match failure {
        Some(e) => Err(e),
        None => Ok(progress.into_inner().expect("invariant: the workers are done").times),
    }
}

/// A file's text: its header, then each piece (Rust pieces as formatted, in `texts` by index).
fn assemble(parts: &[Part<'_>], texts: Vec<Option<Result<String, String>>>, header: &Header) -> Result<String, String> {
    let mut text = match parts.first() {
        Some(Part::Toml(_)) => format!("{}\n", header.lines("#")),
        Some(Part::Markdown(_)) => {
            let line = header.lines("").split_whitespace().collect::<Vec<_>>().join(" ");
            format!("<!-- {line} -->\n\n")
        }
        _ => format!("{}\n", header.lines("//")),
    };
    let pieces: Vec<Option<String>> = texts.into_iter().map(Option::transpose).collect::<Result<_, _>>()?;
    text.reserve(pieces.iter().flatten().map(String::len).sum());
    for (part, piece) in parts.iter().zip(pieces) {
        match part {
            Part::Rust(..) => text.push_str(&piece.unwrap_or_default()),
            Part::RustVerbatim(src) => text.push_str(src),
            Part::Toml(src) | Part::Markdown(src) => text.push_str(src),
        }
    }
    Ok(text)
}
