//! A line-breaking printer that lays out text the way `prettyplease` does, for emitters that
//! write their items as text (skipping `quote!`, `syn` and `prettyplease`, the costliest part of
//! generating a large API).
//!
//! The printer is the classic Oppen algorithm that `prettyplease` is built on: text is a stream
//! of words, breaks and boxes. A box that fits on the rest of the line is printed flat; a box
//! that does not breaks all its breaks (a consistent box) or only those that must (an
//! inconsistent box). `prettyplease` streams; this printer measures the whole stream first and
//! then prints it, which decides every break the same way (a box's size is its flat width up to
//! the next break after it, in both).
//!
//! An emitter describes an item with the same boxes and breaks `prettyplease` uses for that
//! syntax; [`Pp`]'s construct methods (`call_args`, `generic_args`, `signature`, ..) hold those
//! choices. Tests compare the text with formatting the tokens, construct by construct and for
//! whole generated crates.

use std::borrow::Cow;

/// The width `prettyplease` fills lines to (the one definition the text writers share).
pub(crate) const MARGIN: isize = 89;
/// Deeply indented lines still get this much room.
pub(crate) const MIN_SPACE: isize = 60;
/// One level of indentation.
pub(crate) const INDENT: isize = 4;
/// The size of a break that always breaks (and of any box holding one).
const SIZE_INFINITY: isize = 0xffff;

#[derive(Clone, Copy, Default)]
struct Break {
    offset: isize,
    blank: isize,
    pre_break: Option<char>,
    post_break: &'static str,
    no_break: Option<char>,
    if_nonempty: bool,
    never: bool,
}

enum Tok<'a> {
    Text(Cow<'a, str>),
    Break(Break),
    Begin { offset: isize, consistent: bool },
    End,
}

#[derive(Clone, Copy)]
enum Frame {
    Fits,
    Broken { indent: usize, consistent: bool },
}

/// A stream of words, breaks and boxes, printed by [`Pp::print_into`].
#[derive(Default)]
pub(crate) struct Pp<'a> {
    toks: Vec<Tok<'a>>,
    /// Boxes to close with a minimum width (`end_with_max_width`): index of the `End` and
    /// the width above which the box breaks.
    max_widths: Vec<(usize, isize)>,
}

impl<'a> Pp<'a> {
    pub(crate) fn new() -> Self {
        Pp::default()
    }

    // --- Primitives ------------------------------------------------------------------------

    pub(crate) fn word(&mut self, text: impl Into<Cow<'a, str>>) {
        self.toks.push(Tok::Text(text.into()));
    }

    pub(crate) fn cbox(&mut self, offset: isize) {
        self.toks.push(Tok::Begin { offset, consistent: true });
    }

    pub(crate) fn ibox(&mut self, offset: isize) {
        self.toks.push(Tok::Begin { offset, consistent: false });
    }

    /// Closes a box. A box holding only a break disappears with it; a trailing
    /// break-if-nonempty is dropped.
    pub(crate) fn end(&mut self) {
        if let Some(Tok::Break(b)) = self.toks.last() {
            let b = *b;
            if matches!(self.toks.len().checked_sub(2).map(|i| &self.toks[i]), Some(Tok::Begin { .. })) {
                self.toks.truncate(self.toks.len() - 2);
                return;
            }
            if b.if_nonempty {
                self.toks.pop();
            }
        }
        self.toks.push(Tok::End);
    }

    /// Closes a box that breaks whenever its flat width exceeds `max`.
    pub(crate) fn end_with_max_width(&mut self, max: isize) {
        let before = self.toks.len();
        self.end();
        if self.toks.len() > before {
            self.max_widths.push((self.toks.len() - 1, max));
        }
    }

    fn brk(&mut self, b: Break) {
        self.toks.push(Tok::Break(b));
    }

    pub(crate) fn zerobreak(&mut self) {
        self.brk(Break::default());
    }

    pub(crate) fn space(&mut self) {
        self.brk(Break { blank: 1, ..Break::default() });
    }

    pub(crate) fn nbsp(&mut self) {
        self.word(" ");
    }

    pub(crate) fn break_if_nonempty(&mut self) {
        self.brk(Break { blank: 1, if_nonempty: true, ..Break::default() });
    }

    pub(crate) fn hardbreak(&mut self) {
        self.brk(Break { blank: SIZE_INFINITY, ..Break::default() });
    }

    pub(crate) fn hardbreak_if_nonempty(&mut self) {
        self.brk(Break { blank: SIZE_INFINITY, if_nonempty: true, ..Break::default() });
    }

    pub(crate) fn neverbreak(&mut self) {
        self.brk(Break { never: true, ..Break::default() });
    }

    pub(crate) fn trailing_comma(&mut self, is_last: bool) {
        if is_last {
            self.brk(Break { pre_break: Some(','), ..Break::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    pub(crate) fn trailing_comma_or_space(&mut self, is_last: bool) {
        if is_last {
            self.brk(Break { blank: 1, pre_break: Some(','), ..Break::default() });
        } else {
            self.word(",");
            self.space();
        }
    }

    /// Moves the line start of the last break (when the last token is one).
    pub(crate) fn offset(&mut self, offset: isize) {
        if let Some(Tok::Break(b)) = self.toks.last_mut() {
            b.offset += offset;
        }
    }

    /// A break that, when taken, ends the line with `pre` and starts the next with `post`.
    pub(crate) fn break_with(&mut self, offset: isize, pre: Option<char>, post: &'static str, no_break: Option<char>) {
        self.brk(Break { offset, pre_break: pre, post_break: post, no_break, ..Break::default() });
    }

    // --- Printing --------------------------------------------------------------------------

    /// Each token's size: a word's length; a box's flat width, and a break's flat width to the
    /// next break, both measured up to the next break after them at their level or outside.
    fn sizes(&self) -> Vec<isize> {
        let mut sizes = vec![0isize; self.toks.len()];
        let mut right = 0isize;
        let mut stack: Vec<usize> = Vec::new();
        // Resolves pending sizes the way a new break does: every token of closed boxes, then the
        // last break at the current level.
        fn resolve(stack: &mut Vec<usize>, toks: &[Tok<'_>], sizes: &mut [isize], right: isize) {
            let mut depth = 0usize;
            while let Some(&i) = stack.last() {
                match toks[i] {
                    Tok::Begin { .. } => {
                        if depth == 0 {
                            break;
                        }
                        stack.pop();
                        sizes[i] += right;
                        depth -= 1;
                    }
                    Tok::End => {
                        stack.pop();
                        sizes[i] = 1;
                        depth += 1;
                    }
                    Tok::Break(_) => {
                        stack.pop();
                        sizes[i] += right;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Text(_) => unreachable!("words are never pending"),
                }
            }
        }
        let mut max_widths = self.max_widths.iter().peekable();
        for (i, tok) in self.toks.iter().enumerate() {
            match tok {
                Tok::Text(s) => {
                    sizes[i] = s.len() as isize;
                    right += s.len() as isize;
                }
                Tok::Begin { .. } => {
                    sizes[i] = -right;
                    stack.push(i);
                }
                Tok::End => {
                    if let Some(&&(at, max)) = max_widths.peek() {
                        if at == i {
                            max_widths.next();
                            // The matching begin is still pending: if the box is wider than
                            // `max`, an infinitely wide empty word forces it to break.
                            let mut depth = 1;
                            for &j in stack.iter().rev() {
                                match self.toks[j] {
                                    Tok::Begin { .. } => {
                                        depth -= 1;
                                        if depth == 0 {
                                            if sizes[j] < 0 && sizes[j] + right > max {
                                                right += SIZE_INFINITY;
                                            }
                                            break;
                                        }
                                    }
                                    Tok::End => depth += 1,
                                    _ => {}
                                }
                            }
                        }
                    }
                    sizes[i] = -1;
                    stack.push(i);
                }
                Tok::Break(b) => {
                    resolve(&mut stack, &self.toks, &mut sizes, right);
                    sizes[i] = -right;
                    stack.push(i);
                    right += b.blank;
                }
            }
        }
        // Whatever is still pending runs to the end of the stream.
        for &i in &stack {
            match self.toks[i] {
                Tok::End => sizes[i] = 1,
                _ => sizes[i] += right,
            }
        }
        sizes
    }

    /// Prints the stream at the end of `out`, starting at column `indent` (the enclosing items'
    /// indentation), and empties it, keeping its buffers for the next stream (a file's items are laid out one by one: each is independent of the others).
    pub(crate) fn print_into(&mut self, indent: usize, out: &mut String) {
        let sizes = self.sizes();
        self.max_widths.clear();
        let mut space = (MARGIN - indent as isize).max(MIN_SPACE);
        let mut stack: Vec<Frame> = Vec::new();
        let mut cur_indent = indent;
        let mut pending = indent;
        for (tok, size) in self.toks.drain(..).zip(sizes) {
            match tok {
                Tok::Text(s) => {
                    out.extend(std::iter::repeat_n(' ', pending));
                    pending = 0;
                    out.push_str(&s);
                    space -= s.len() as isize;
                }
                Tok::Begin { offset, consistent } => {
                    if size > space {
                        stack.push(Frame::Broken { indent: cur_indent, consistent });
                        cur_indent = (cur_indent as isize + offset).max(0) as usize;
                    } else {
                        stack.push(Frame::Fits);
                    }
                }
                Tok::End => {
                    if let Some(Frame::Broken { indent, .. }) = stack.pop() {
                        cur_indent = indent;
                    }
                }
                Tok::Break(b) => {
                    let fits = b.never
                        || match stack.last().copied().unwrap_or(Frame::Broken { indent: 0, consistent: false }) {
                            Frame::Fits => true,
                            Frame::Broken { consistent: true, .. } => false,
                            Frame::Broken { consistent: false, .. } => size <= space,
                        };
                    if fits {
                        pending += b.blank.max(0) as usize;
                        space -= b.blank;
                        if let Some(c) = b.no_break {
                            out.push(c);
                            space -= c.len_utf8() as isize;
                        }
                    } else {
                        if let Some(c) = b.pre_break {
                            out.extend(std::iter::repeat_n(' ', pending));
                            out.push(c);
                        }
                        out.push('\n');
                        let line = cur_indent as isize + b.offset;
                        pending = line.max(0) as usize;
                        space = (MARGIN - line).max(MIN_SPACE);
                        if !b.post_break.is_empty() {
                            out.extend(std::iter::repeat_n(' ', pending));
                            pending = 0;
                            out.push_str(b.post_break);
                            space -= b.post_break.len() as isize;
                        }
                    }
                }
            }
        }
    }
}
