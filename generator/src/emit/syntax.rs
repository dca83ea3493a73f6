//! A small Rust syntax tree for the code emitted per operation (request builders and `Client`
//! methods), written two ways:
//! - [`Item::layout`]: the final text, laid out by [`super::pretty::Pp`] with the boxes and
//!   breaks `prettyplease` uses for each construct. This is how it is emitted: GitHub's 1,200
//!   operations are most of the tokens of a crate, and parsing and printing them with `syn`
//!   and `prettyplease` took most of the generation time.
//! - [`Item::source`]: flat Rust source, parsed to tokens and formatted like any other item.
//!   Tests (`emit::tokens_only`) compare the two for every crate they generate.
//!
//! Only the constructs the emitters use are here, each laid out as `prettyplease` lays out its
//! `syn` counterpart.

use super::pretty::{Pp, INDENT};

/// A type: a path with generic arguments on its last segment (`Option<types::Pet>`), a
/// lifetime argument, a reference, `()` or `impl Trait`.
#[derive(Clone, Debug)]
pub(crate) enum Ty {
    Path(String, Vec<Ty>),
    Lifetime(&'static str),
    Ref(Option<&'static str>, bool, Box<Ty>),
    Unit,
    Impl(Box<Ty>),
}

impl Ty {
    pub(crate) fn path(p: impl Into<String>) -> Ty {
        Ty::Path(p.into(), Vec::new())
    }

    pub(crate) fn generic(p: impl Into<String>, args: Vec<Ty>) -> Ty {
        Ty::Path(p.into(), args)
    }
}

/// A pattern: a word (identifier, literal, `_`, range, `mut x`), a tuple-struct pattern, or
/// alternatives (`consistent` when a case is not a literal or `_`, as `prettyplease` breaks them).
#[derive(Clone, Debug)]
pub(crate) enum Pat {
    Word(String),
    TupleStruct(String, Vec<Pat>),
    Or(Vec<Pat>, bool),
}

/// An expression.
#[derive(Clone, Debug)]
pub(crate) enum Expr {
    /// A path or a literal, as written.
    Word(String),
    /// `path(args)`.
    Call(String, Vec<Expr>),
    /// `receiver.method(args)`.
    Method(Box<Expr>, &'static str, Vec<Expr>),
    /// `base.member`.
    Field(Box<Expr>, String),
    /// `&expr`.
    Ref(Box<Expr>),
    /// `[a, b]`.
    Array(Vec<Expr>),
    /// `expr?`.
    Try(Box<Expr>),
    /// `left = right`.
    Assign(Box<Expr>, Box<Expr>),
    /// `Path { field: value, shorthand }`.
    Struct(String, Vec<(String, Option<Expr>)>),
    /// `match scrutinee { pat => body, }`.
    Match(Box<Expr>, Vec<(Pat, Expr)>),
    /// `if let pat = expr { stmts }`.
    IfLet(Pat, Box<Expr>, Vec<Stmt>),
    /// `{ stmts }` (as a match arm's body).
    Block(Vec<Stmt>),
}

impl Expr {
    pub(crate) fn word(w: impl Into<String>) -> Expr {
        Expr::Word(w.into())
    }

    pub(crate) fn call(f: impl Into<String>, args: Vec<Expr>) -> Expr {
        Expr::Call(f.into(), args)
    }

    pub(crate) fn method(self, name: &'static str, args: Vec<Expr>) -> Expr {
        Expr::Method(Box::new(self), name, args)
    }

    pub(crate) fn field(self, member: impl Into<String>) -> Expr {
        Expr::Field(Box::new(self), member.into())
    }

    pub(crate) fn reference(self) -> Expr {
        Expr::Ref(Box::new(self))
    }

    pub(crate) fn try_(self) -> Expr {
        Expr::Try(Box::new(self))
    }
}

/// A statement.
#[derive(Clone, Debug)]
pub(crate) enum Stmt {
    /// `let pat = init;`
    Let(String, Expr),
    /// `expr;`
    Semi(Expr),
    /// An expression without `;` (a block's value, or an `if`).
    Expr(Expr),
    /// A nested function.
    Item(FnItem),
}

/// An outer attribute: a doc line (the attribute's value, as `doc_attrs` writes it) or any
/// other attribute as one line of text.
#[derive(Clone, Debug)]
pub(crate) enum Attr {
    Doc(String),
    Line(String),
}

/// A function argument: a receiver (`self`, `&self`, `mut self`) or `pat: Type`.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Receiver(&'static str),
    Typed(String, Ty),
}

#[derive(Clone, Debug)]
pub(crate) struct FnItem {
    pub attrs: Vec<Attr>,
    pub public: bool,
    pub name: String,
    pub args: Vec<Arg>,
    pub ret: Option<Ty>,
    pub body: Vec<Stmt>,
}

/// A `pub struct` with `pub(crate)` named fields.
#[derive(Clone, Debug)]
pub(crate) struct Struct {
    pub attrs: Vec<Attr>,
    pub name: String,
    pub lifetimes: Vec<&'static str>,
    pub fields: Vec<(String, Ty)>,
}

#[derive(Clone, Debug)]
pub(crate) enum ImplItem {
    Fn(FnItem),
    Type(&'static str, Ty),
}

#[derive(Clone, Debug)]
pub(crate) struct Impl {
    pub attrs: Vec<Attr>,
    pub lifetimes: Vec<&'static str>,
    pub trait_: Option<&'static str>,
    pub self_ty: Ty,
    pub items: Vec<ImplItem>,
}

#[derive(Clone, Debug)]
pub(crate) enum Item {
    Struct(Struct),
    Impl(Impl),
}

// --- Layout (the final text) ----------------------------------------------------------------

impl Item {
    /// Lays the items out at the top level of a file.
    pub(crate) fn layout_all(items: &[Item]) -> String {
        // Each top-level item is laid out on its own (they are independent: each starts a
        // line and ends with a line break), which keeps the printer's buffers small.
        let mut out = String::new();
        let mut p = Pp::new();
        for item in items {
            p.cbox(0);
            item.layout(&mut p);
            p.end();
            p.print_into(0, &mut out);
        }
        out
    }

    fn layout<'a>(&'a self, p: &mut Pp<'a>) {
        match self {
            Item::Struct(s) => {
                attrs(p, &s.attrs);
                p.cbox(INDENT);
                p.word("pub struct ");
                p.word(s.name.as_str());
                generics(p, &s.lifetimes);
                p.nbsp();
                p.word("{");
                p.hardbreak_if_nonempty();
                for (name, t) in &s.fields {
                    p.word("pub(crate) ");
                    p.word(name.as_str());
                    p.word(": ");
                    ty(p, t);
                    p.word(",");
                    p.hardbreak();
                }
                p.offset(-INDENT);
                p.end();
                p.word("}");
                p.hardbreak();
            }
            Item::Impl(i) => {
                attrs(p, &i.attrs);
                p.cbox(INDENT);
                p.ibox(-INDENT);
                p.cbox(INDENT);
                p.word("impl");
                generics(p, &i.lifetimes);
                p.end();
                p.nbsp();
                if let Some(t) = i.trait_ {
                    p.word(t);
                    p.space();
                    p.word("for ");
                }
                ty(p, &i.self_ty);
                p.end();
                p.nbsp();
                p.word("{");
                p.hardbreak_if_nonempty();
                for item in &i.items {
                    match item {
                        ImplItem::Fn(f) => function(p, f),
                        ImplItem::Type(name, t) => {
                            p.cbox(INDENT);
                            p.word("type ");
                            p.word(*name);
                            p.word(" = ");
                            p.neverbreak();
                            p.ibox(-INDENT);
                            ty(p, t);
                            p.end();
                            p.word(";");
                            p.end();
                            p.hardbreak();
                        }
                    }
                }
                p.offset(-INDENT);
                p.end();
                p.word("}");
                p.hardbreak();
            }
        }
    }
}

fn attrs<'a>(p: &mut Pp<'a>, attrs: &'a [Attr]) {
    for a in attrs {
        match a {
            Attr::Doc(value) => {
                p.word("///");
                p.word(value.trim_end_matches(' '));
            }
            Attr::Line(text) => p.word(text.as_str()),
        }
        p.hardbreak();
    }
}

fn generics(p: &mut Pp<'_>, lifetimes: &[&'static str]) {
    if lifetimes.is_empty() {
        return;
    }
    p.word("<");
    p.cbox(0);
    p.zerobreak();
    for (i, l) in lifetimes.iter().enumerate() {
        p.word(*l);
        p.trailing_comma(i + 1 == lifetimes.len());
    }
    p.offset(-INDENT);
    p.end();
    p.word(">");
}

fn ty<'a>(p: &mut Pp<'a>, t: &'a Ty) {
    match t {
        Ty::Path(path, args) => {
            p.word(path.as_str());
            if !args.is_empty() {
                p.word("<");
                p.cbox(INDENT);
                p.zerobreak();
                for (i, a) in args.iter().enumerate() {
                    ty(p, a);
                    p.trailing_comma(i + 1 == args.len());
                }
                p.offset(-INDENT);
                p.end();
                p.word(">");
            }
        }
        Ty::Lifetime(l) => p.word(*l),
        Ty::Ref(lifetime, mutable, elem) => {
            p.word("&");
            if let Some(l) = lifetime {
                p.word(*l);
                p.nbsp();
            }
            if *mutable {
                p.word("mut ");
            }
            ty(p, elem);
        }
        Ty::Unit => p.word("()"),
        Ty::Impl(bound) => {
            p.word("impl ");
            ty(p, bound);
        }
    }
}

fn function<'a>(p: &mut Pp<'a>, f: &'a FnItem) {
    attrs(p, &f.attrs);
    p.cbox(INDENT);
    if f.public {
        p.word("pub ");
    }
    p.word("fn ");
    p.word(f.name.as_str());
    p.word("(");
    p.neverbreak();
    p.cbox(0);
    p.zerobreak();
    for (i, a) in f.args.iter().enumerate() {
        match a {
            Arg::Receiver(r) => p.word(*r),
            Arg::Typed(name, t) => {
                p.word(name.as_str());
                p.word(": ");
                ty(p, t);
            }
        }
        p.trailing_comma(i + 1 == f.args.len());
    }
    p.offset(-INDENT);
    p.end();
    p.word(")");
    p.cbox(-INDENT);
    if let Some(t) = &f.ret {
        p.word(" -> ");
        ty(p, t);
    }
    p.end();
    p.nbsp();
    p.word("{");
    p.hardbreak_if_nonempty();
    stmts(p, &f.body);
    p.offset(-INDENT);
    p.end();
    p.word("}");
    p.hardbreak();
}

fn stmts<'a>(p: &mut Pp<'a>, body: &'a [Stmt]) {
    for s in body {
        match s {
            Stmt::Let(pat, init) => {
                p.ibox(0);
                p.word("let ");
                p.word(pat.as_str());
                p.word(" = ");
                p.neverbreak();
                expr(p, init);
                p.end();
                p.word(";");
                p.hardbreak();
            }
            Stmt::Semi(e) => {
                p.ibox(0);
                expr_bol(p, e, true);
                p.word(";");
                p.end();
                p.hardbreak();
            }
            Stmt::Expr(e) => {
                p.ibox(0);
                expr_bol(p, e, true);
                if matches!(e, Expr::Assign(..)) {
                    p.word(";");
                }
                p.end();
                p.hardbreak();
            }
            Stmt::Item(f) => function(p, f),
        }
    }
}

/// A receiver short enough that a method call on it at the start of a line is not broken
/// before the `.` (`self`, `f`).
fn is_short_ident(e: &Expr) -> bool {
    matches!(e, Expr::Word(w) if w.len() as isize <= INDENT && w.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

/// Whether a condition is followed by a break (rather than a plain space) before its `{`.
fn needs_newline_if_wrap(e: &Expr) -> bool {
    match e {
        Expr::Assign(..) | Expr::Field(..) | Expr::Method(..) => true,
        Expr::Ref(inner) | Expr::Try(inner) => needs_newline_if_wrap(inner),
        Expr::IfLet(_, inner, _) => needs_newline_if_wrap(inner),
        _ => false,
    }
}

fn expr_bol<'a>(p: &mut Pp<'a>, e: &'a Expr, bol: bool) {
    match e {
        Expr::Field(base, member) => {
            p.cbox(INDENT);
            prefix_field(p, base, member, bol);
            p.end();
        }
        Expr::Method(..) => method(p, e, bol),
        Expr::Try(inner) => {
            expr_bol(p, inner, bol);
            p.word("?");
        }
        _ => expr(p, e),
    }
}

fn method<'a>(p: &mut Pp<'a>, e: &'a Expr, bol: bool) {
    let Expr::Method(receiver, ..) = e else { return };
    p.cbox(INDENT);
    let unindent = bol && is_short_ident(receiver);
    prefix_method(p, e, bol, unindent);
    p.end();
}

fn prefix_method<'a>(p: &mut Pp<'a>, e: &'a Expr, bol: bool, unindent: bool) {
    let Expr::Method(receiver, name, args) = e else { return };
    prefix_subexpr(p, receiver, bol);
    if !(bol && is_short_ident(receiver)) {
        p.zerobreak();
    }
    p.word(".");
    p.word(*name);
    p.cbox(if unindent { -INDENT } else { 0 });
    p.word("(");
    call_args(p, args);
    p.word(")");
    p.end();
}

fn prefix_field<'a>(p: &mut Pp<'a>, base: &'a Expr, member: &'a str, bol: bool) {
    prefix_subexpr(p, base, bol);
    if !(bol && is_short_ident(base)) {
        p.zerobreak();
    }
    p.word(".");
    p.word(member);
}

fn prefix_subexpr<'a>(p: &mut Pp<'a>, e: &'a Expr, bol: bool) {
    match e {
        Expr::Call(f, args) => {
            p.word(f.as_str());
            p.word("(");
            call_args(p, args);
            p.word(")");
        }
        Expr::Field(base, member) => prefix_field(p, base, member, bol),
        Expr::Method(..) => prefix_method(p, e, bol, false),
        Expr::Try(inner) => {
            prefix_subexpr(p, inner, bol);
            p.word("?");
        }
        _ => {
            p.cbox(-INDENT);
            expr(p, e);
            p.end();
        }
    }
}

fn call_args<'a>(p: &mut Pp<'a>, args: &'a [Expr]) {
    if let [one] = args {
        // `prettyplease` does not break around a single block-like argument (`()` included).
        if matches!(one, Expr::Array(_) | Expr::Struct(..) | Expr::Block(_)) || matches!(one, Expr::Word(w) if w == "()") {
            expr(p, one);
            return;
        }
    }
    p.cbox(INDENT);
    p.zerobreak();
    for (i, a) in args.iter().enumerate() {
        expr(p, a);
        p.trailing_comma(i + 1 == args.len());
    }
    p.offset(-INDENT);
    p.end();
}

fn pat<'a>(p: &mut Pp<'a>, pt: &'a Pat) {
    match pt {
        Pat::Word(w) => p.word(w.as_str()),
        Pat::TupleStruct(path, elems) => {
            p.word(path.as_str());
            p.word("(");
            p.cbox(INDENT);
            p.zerobreak();
            for (i, e) in elems.iter().enumerate() {
                pat(p, e);
                p.trailing_comma(i + 1 == elems.len());
            }
            p.offset(-INDENT);
            p.end();
            p.word(")");
        }
        Pat::Or(cases, consistent) => {
            if *consistent {
                p.cbox(0);
            } else {
                p.ibox(0);
            }
            for (i, c) in cases.iter().enumerate() {
                if i > 0 {
                    p.space();
                    p.word("| ");
                }
                pat(p, c);
            }
            p.end();
        }
    }
}

fn expr<'a>(p: &mut Pp<'a>, e: &'a Expr) {
    match e {
        Expr::Word(w) => p.word(w.as_str()),
        Expr::Call(f, args) => {
            p.word(f.as_str());
            p.word("(");
            call_args(p, args);
            p.word(")");
        }
        Expr::Method(..) => method(p, e, false),
        Expr::Field(..) | Expr::Try(..) => expr_bol(p, e, false),
        Expr::Ref(inner) => {
            p.word("&");
            expr(p, inner);
        }
        Expr::Array(elems) => {
            if elems.is_empty() {
                p.word("[]");
                return;
            }
            p.word("[");
            p.cbox(INDENT);
            p.zerobreak();
            for (i, a) in elems.iter().enumerate() {
                expr(p, a);
                p.trailing_comma(i + 1 == elems.len());
            }
            p.offset(-INDENT);
            p.end();
            p.word("]");
        }
        Expr::Assign(left, right) => {
            p.ibox(0);
            expr(p, left);
            p.word(" = ");
            p.neverbreak();
            expr(p, right);
            p.end();
        }
        Expr::Struct(path, fields) => {
            p.cbox(INDENT);
            p.ibox(-INDENT);
            p.word(path.as_str());
            p.end();
            p.word(" {");
            p.break_if_nonempty();
            for (i, (member, value)) in fields.iter().enumerate() {
                p.word(member.as_str());
                if let Some(v) = value {
                    p.word(": ");
                    p.ibox(0);
                    expr(p, v);
                    p.end();
                }
                p.trailing_comma_or_space(i + 1 == fields.len());
            }
            p.offset(-INDENT);
            p.end_with_max_width(34);
            p.word("}");
        }
        Expr::Match(scrutinee, arms) => {
            p.ibox(0);
            p.word("match ");
            condition(p, scrutinee);
            p.word("{");
            p.neverbreak();
            p.cbox(INDENT);
            p.hardbreak_if_nonempty();
            for (pt, body) in arms {
                arm(p, pt, body);
                p.hardbreak();
            }
            p.offset(-INDENT);
            p.end();
            p.word("}");
            p.end();
        }
        Expr::IfLet(pt, value, then) => {
            p.cbox(INDENT);
            p.word("if ");
            p.cbox(-INDENT);
            p.cbox(0);
            p.ibox(0);
            p.word("let ");
            p.ibox(0);
            pat(p, pt);
            p.end();
            p.word(" = ");
            p.neverbreak();
            p.ibox(0);
            expr(p, value);
            p.end();
            p.end();
            if needs_newline_if_wrap(value) {
                p.space();
            } else {
                p.nbsp();
            }
            p.end();
            p.end();
            if then.is_empty() {
                p.word("{}");
            } else {
                p.word("{");
                p.hardbreak();
                stmts(p, then);
                p.offset(-INDENT);
                p.word("}");
            }
            p.end();
        }
        Expr::Block(body) => block(p, body),
    }
}

fn condition<'a>(p: &mut Pp<'a>, e: &'a Expr) {
    p.cbox(0);
    expr(p, e);
    if needs_newline_if_wrap(e) {
        p.space();
    } else {
        p.nbsp();
    }
    p.end();
}

fn block<'a>(p: &mut Pp<'a>, body: &'a [Stmt]) {
    p.word("{");
    p.neverbreak();
    p.cbox(INDENT);
    p.hardbreak_if_nonempty();
    stmts(p, body);
    p.offset(-INDENT);
    p.end();
    p.word("}");
}

fn arm<'a>(p: &mut Pp<'a>, pt: &'a Pat, body: &'a Expr) {
    p.ibox(0);
    pat(p, pt);
    p.word(" => ");
    // A block holding one expression is printed as that expression.
    let mut body = body;
    while let Expr::Block(stmts) = body {
        match stmts.as_slice() {
            [Stmt::Expr(inner)] => body = inner,
            _ => break,
        }
    }
    if let Expr::Block(stmts) = body {
        block(p, stmts);
    } else {
        // Every expression emitted in an arm reads as a statement and needs no `;`; calls
        // need a `,` after them, block-like expressions do not.
        let comma = !matches!(body, Expr::Match(..) | Expr::IfLet(..) | Expr::Block(_));
        p.neverbreak();
        p.cbox(INDENT);
        p.break_with(0, Some('{'), "", None);
        expr_bol(p, body, true);
        p.break_with(-INDENT, None, "}", comma.then_some(','));
        p.end();
    }
    p.end();
}

// --- Source (for the token path) -------------------------------------------------------------

impl Item {
    /// Flat Rust source for the item (attributes as written, docs as `#[doc]` attributes).
    pub(crate) fn source(&self, out: &mut String) {
        match self {
            Item::Struct(s) => {
                src_attrs(out, &s.attrs);
                out.push_str("pub struct ");
                out.push_str(&s.name);
                src_generics(out, &s.lifetimes);
                out.push_str(" {");
                for (name, t) in &s.fields {
                    out.push_str("pub(crate) ");
                    out.push_str(name);
                    out.push_str(": ");
                    src_ty(out, t);
                    out.push(',');
                }
                out.push('}');
            }
            Item::Impl(i) => {
                src_attrs(out, &i.attrs);
                out.push_str("impl");
                src_generics(out, &i.lifetimes);
                out.push(' ');
                if let Some(t) = i.trait_ {
                    out.push_str(t);
                    out.push_str(" for ");
                }
                src_ty(out, &i.self_ty);
                out.push_str(" {");
                for item in &i.items {
                    match item {
                        ImplItem::Fn(f) => src_fn(out, f),
                        ImplItem::Type(name, t) => {
                            out.push_str("type ");
                            out.push_str(name);
                            out.push_str(" = ");
                            src_ty(out, t);
                            out.push(';');
                        }
                    }
                }
                out.push('}');
            }
        }
    }
}

impl Ty {
    /// The type as Rust source.
    pub(crate) fn source_of(t: &Ty, out: &mut String) {
        src_ty(out, t);
    }
}

impl Expr {
    /// The expression as Rust source (also a key for comparing expressions).
    pub(crate) fn source_of(e: &Expr) -> String {
        let mut out = String::new();
        src_expr(&mut out, e);
        out
    }
}

fn src_attrs(out: &mut String, attrs: &[Attr]) {
    for a in attrs {
        match a {
            Attr::Doc(value) => {
                out.push_str("#[doc = ");
                out.push_str(&crate::format::raw_literal(value).to_string());
                out.push(']');
            }
            Attr::Line(text) => out.push_str(text),
        }
        out.push('\n');
    }
}

fn src_generics(out: &mut String, lifetimes: &[&str]) {
    if !lifetimes.is_empty() {
        out.push('<');
        out.push_str(&lifetimes.join(", "));
        out.push('>');
    }
}

fn src_ty(out: &mut String, t: &Ty) {
    match t {
        Ty::Path(path, args) => {
            out.push_str(path);
            if !args.is_empty() {
                out.push('<');
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    src_ty(out, a);
                }
                out.push('>');
            }
        }
        Ty::Lifetime(l) => out.push_str(l),
        Ty::Ref(lifetime, mutable, elem) => {
            out.push('&');
            if let Some(l) = lifetime {
                out.push_str(l);
                out.push(' ');
            }
            if *mutable {
                out.push_str("mut ");
            }
            src_ty(out, elem);
        }
        Ty::Unit => out.push_str("()"),
        Ty::Impl(bound) => {
            out.push_str("impl ");
            src_ty(out, bound);
        }
    }
}

fn src_fn(out: &mut String, f: &FnItem) {
    src_attrs(out, &f.attrs);
    if f.public {
        out.push_str("pub ");
    }
    out.push_str("fn ");
    out.push_str(&f.name);
    out.push('(');
    for (i, a) in f.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match a {
            Arg::Receiver(r) => out.push_str(r),
            Arg::Typed(name, t) => {
                out.push_str(name);
                out.push_str(": ");
                src_ty(out, t);
            }
        }
    }
    out.push(')');
    if let Some(t) = &f.ret {
        out.push_str(" -> ");
        src_ty(out, t);
    }
    out.push_str(" {");
    src_stmts(out, &f.body);
    out.push('}');
}

fn src_stmts(out: &mut String, body: &[Stmt]) {
    for s in body {
        match s {
            Stmt::Let(pat, init) => {
                out.push_str("let ");
                out.push_str(pat);
                out.push_str(" = ");
                src_expr(out, init);
                out.push(';');
            }
            Stmt::Semi(e) => {
                src_expr(out, e);
                out.push(';');
            }
            Stmt::Expr(e) => {
                src_expr(out, e);
                out.push(' ');
            }
            Stmt::Item(f) => src_fn(out, f),
        }
    }
}

fn src_list(out: &mut String, items: &[Expr]) {
    for (i, a) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        src_expr(out, a);
    }
}

fn src_pat(out: &mut String, pt: &Pat) {
    match pt {
        Pat::Word(w) => out.push_str(w),
        Pat::TupleStruct(path, elems) => {
            out.push_str(path);
            out.push('(');
            for (i, e) in elems.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                src_pat(out, e);
            }
            out.push(')');
        }
        Pat::Or(cases, _) => {
            for (i, c) in cases.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                src_pat(out, c);
            }
        }
    }
}

fn src_expr(out: &mut String, e: &Expr) {
    match e {
        Expr::Word(w) => out.push_str(w),
        Expr::Call(f, args) => {
            out.push_str(f);
            out.push('(');
            src_list(out, args);
            out.push(')');
        }
        Expr::Method(receiver, name, args) => {
            src_expr(out, receiver);
            out.push('.');
            out.push_str(name);
            out.push('(');
            src_list(out, args);
            out.push(')');
        }
        Expr::Field(base, member) => {
            src_expr(out, base);
            out.push('.');
            out.push_str(member);
        }
        Expr::Ref(inner) => {
            out.push('&');
            src_expr(out, inner);
        }
        Expr::Array(elems) => {
            out.push('[');
            src_list(out, elems);
            out.push(']');
        }
        Expr::Try(inner) => {
            src_expr(out, inner);
            out.push('?');
        }
        Expr::Assign(left, right) => {
            src_expr(out, left);
            out.push_str(" = ");
            src_expr(out, right);
        }
        Expr::Struct(path, fields) => {
            out.push_str(path);
            out.push_str(" { ");
            for (i, (member, value)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(member);
                if let Some(v) = value {
                    out.push_str(": ");
                    src_expr(out, v);
                }
            }
            out.push_str(" }");
        }
        Expr::Match(scrutinee, arms) => {
            out.push_str("match ");
            src_expr(out, scrutinee);
            out.push_str(" {");
            for (pt, body) in arms {
                src_pat(out, pt);
                out.push_str(" => ");
                src_expr(out, body);
                out.push(',');
            }
            out.push('}');
        }
        Expr::IfLet(pt, value, then) => {
            out.push_str("if let ");
            src_pat(out, pt);
            out.push_str(" = ");
            src_expr(out, value);
            out.push_str(" {");
            src_stmts(out, then);
            out.push('}');
        }
        Expr::Block(body) => {
            out.push('{');
            src_stmts(out, body);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(prefix: &str, len: usize) -> String {
        let mut s = prefix.to_string();
        while s.len() < len {
            s.push(char::from(b'a' + (s.len() % 26) as u8));
        }
        s
    }

    /// Items using every construct, with names `n` characters long.
    fn items(n: usize) -> Vec<Item> {
        let long = |p: &str| name(p, n);
        let ty_long = Ty::generic(
            "Result",
            vec![Ty::path(format!("types::{}", long("Ok"))), Ty::generic("Error", vec![Ty::path(format!("types::{}", long("Err")))])],
        );
        let call = |f: &str, args: Vec<Expr>| Expr::call(f.to_string(), args);
        let arms = vec![
            (
                Pat::Or((0..n / 8 + 1).map(|i| Pat::Word(format!("{}", 200 + i))).collect(), false),
                Expr::Match(
                    Box::new(call("runtime::json", vec![Expr::word("raw").reference()])),
                    vec![
                        (
                            Pat::TupleStruct("Ok".into(), vec![Pat::Word("v".into())]),
                            call("Ok", vec![call(&format!("types::{}::Variant", long("Outcome")), vec![Expr::word("v")])]),
                        ),
                        (
                            Pat::TupleStruct("Err".into(), vec![Pat::Word("e".into())]),
                            call("Err", vec![call("runtime::decode_error", vec![Expr::word("raw"), Expr::word("e")])]),
                        ),
                    ],
                ),
            ),
            (
                Pat::Or(vec![Pat::Word("400..=499".into()), Pat::Word("500..=599".into())], true),
                call("Err", vec![call("runtime::api_error", vec![Expr::word("raw"), Expr::word(format!("types::{}::Unit", long("E")))])]),
            ),
            (Pat::Word("204".into()), call("Ok", vec![Expr::word("()")])),
            (
                Pat::Word("205".into()),
                Expr::Block(vec![
                    Stmt::Let("v".into(), call("runtime::text", vec![Expr::word("raw").reference()])),
                    Stmt::Expr(call("Ok", vec![Expr::word("v")])),
                ]),
            ),
            (Pat::Word("_".into()), call("Err", vec![call("runtime::unexpected", vec![Expr::word("raw")])])),
        ];
        let request = Expr::call(
            "Request::new",
            vec![
                Expr::word("this").field("client"),
                Expr::word("::reqwest::Method::GET"),
                call(
                    "runtime::path",
                    vec![
                        Expr::Array(vec![Expr::word("\"/repos/\""), Expr::word(format!("\"/{}\"", long("x")))]).reference(),
                        Expr::Array(vec![Expr::word("this").field(long("owner")).reference()]).reference(),
                    ],
                )
                .reference(),
            ],
        )
        .method("auth", vec![Expr::Array(vec![call("Auth::Header", vec![Expr::word(format!("\"{}\"", long("k")))])]).reference()]);
        let body = vec![
            Stmt::Let("mut request".into(), request),
            Stmt::Expr(Expr::IfLet(
                Pat::TupleStruct("Some".into(), vec![Pat::Word("value".into())]),
                Box::new(Expr::word("this").field(long("param")).reference()),
                vec![Stmt::Semi(Expr::word("request").method("query", vec![Expr::word(format!("\"{}\"", long("q"))), Expr::word("value")]))],
            )),
            Stmt::Semi(
                Expr::word("request")
                    .method("json_body", vec![Expr::word("body")])
                    .method("map_err", vec![Expr::word(format!("Error::{}", long("Invalid")))])
                    .try_(),
            ),
            Stmt::Semi(Expr::word("request").method(
                "raw_body",
                vec![Expr::word("\"text/plain\""), Expr::word(long("body")).method("clone", vec![]).method("into_bytes", vec![])],
            )),
            Stmt::Semi(Expr::Assign(
                Box::new(Expr::word("self").field(long("field"))),
                Box::new(call("Some", vec![Expr::word("value").method("into", vec![])])),
            )),
            Stmt::Expr(Expr::Match(Box::new(Expr::word("raw").field("status").method("as_u16", vec![])), arms)),
        ];
        let inner = FnItem {
            attrs: vec![Attr::Line("#[inline]".into())],
            public: false,
            name: "request".into(),
            args: vec![Arg::Typed("this".into(), Ty::generic(long("Builder"), vec![Ty::Lifetime("'_")]))],
            ret: Some(ty_long.clone()),
            body,
        };
        let method = FnItem {
            attrs: vec![Attr::Doc(format!(" Docs {}  ", long("d"))), Attr::Doc(String::new()), Attr::Line("#[inline]".into())],
            public: true,
            name: long("method"),
            args: vec![
                Arg::Receiver("&self"),
                Arg::Typed("owner".into(), Ty::Impl(Box::new(Ty::generic("Into", vec![Ty::path("String")])))),
                Arg::Typed(long("arg"), Ty::generic("Option", vec![Ty::path(format!("types::{}", long("T")))])),
            ],
            ret: Some(Ty::generic(format!("builder::{}", long("B")), vec![Ty::Lifetime("'_")])),
            body: vec![
                Stmt::Item(inner),
                Stmt::Expr(Expr::Struct(
                    format!("builder::{}", long("B")),
                    vec![
                        ("client".into(), Some(Expr::word("self"))),
                        (long("arg"), None),
                        ("owner".into(), Some(Expr::word("owner").method("into", vec![]))),
                        ("page".into(), Some(Expr::word("None"))),
                    ],
                )),
            ],
        };
        let short_struct = Expr::Struct("B".into(), vec![("client".into(), Some(Expr::word(long("s"))))]);
        vec![
            Item::Struct(Struct {
                attrs: vec![Attr::Line("#[cfg(feature = \"x\")]".into()), Attr::Line("#[derive(Clone)]".into())],
                name: long("Builder"),
                lifetimes: vec!["'a"],
                fields: vec![
                    ("client".into(), Ty::Ref(Some("'a"), false, Box::new(Ty::path("Client")))),
                    (long("field"), Ty::generic("Option", vec![Ty::generic("Vec", vec![Ty::path(format!("types::{}", long("T")))])])),
                    ("unit".into(), Ty::Unit),
                ],
            }),
            Item::Impl(Impl {
                attrs: vec![],
                lifetimes: vec!["'a"],
                trait_: Some("::std::future::IntoFuture"),
                self_ty: Ty::generic(long("Builder"), vec![Ty::Lifetime("'a")]),
                items: vec![
                    ImplItem::Type("Output", ty_long),
                    ImplItem::Fn(FnItem {
                        attrs: vec![],
                        public: false,
                        name: "fmt".into(),
                        args: vec![
                            Arg::Receiver("&self"),
                            Arg::Typed("f".into(), Ty::Ref(None, true, Box::new(Ty::generic("::std::fmt::Formatter", vec![Ty::Lifetime("'_")])))),
                        ],
                        ret: Some(Ty::path("::std::fmt::Result")),
                        body: vec![Stmt::Expr(Expr::word("f").method("write_str", vec![Expr::word(format!("\"{}\"", long("S")))]))],
                    }),
                    ImplItem::Fn(FnItem {
                        attrs: vec![],
                        public: true,
                        name: "send".into(),
                        args: vec![Arg::Receiver("mut self")],
                        ret: None,
                        body: vec![Stmt::Semi(short_struct), Stmt::Expr(Expr::word("self").method("send", vec![]))],
                    }),
                ],
            }),
            Item::Impl(Impl { attrs: vec![], lifetimes: vec![], trait_: None, self_ty: Ty::path("Client"), items: vec![ImplItem::Fn(method)] }),
        ]
    }

    /// The layout of every construct equals formatting its source with `prettyplease`, for
    /// names of every length from short to well past the margin (each break decided both ways).
    #[test]
    fn layout_equals_prettyplease() {
        for n in 1..=110 {
            let items = items(n);
            let mut source = String::new();
            for item in &items {
                item.source(&mut source);
            }
            let tokens: proc_macro2::TokenStream = source.parse().unwrap();
            let expected = crate::format::format_rust(tokens).unwrap();
            let actual = Item::layout_all(&items);
            assert!(actual == expected, "names of {n} characters:\n--- layout\n{actual}\n--- prettyplease\n{expected}");
        }
    }
}
