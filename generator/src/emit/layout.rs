//! Where prettyplease breaks the lines of the few constructs that emitters write as text
//! (see [`crate::format::verbatim`]), so that the text stays byte-identical to formatting the
//! tokens even when a line is longer than the margin.
//!
//! prettyplease is an Oppen printer: a *box* is printed on one line when the text from its start
//! to the next break opportunity after its end fits in what is left of the line; otherwise its
//! breaks become line breaks (all of them in a consistent box, each one whose text up to the
//! next break does not fit in an inconsistent box), and the lines inside are indented from the
//! indentation of the enclosing broken box. Each function here mirrors the boxes and breaks
//! prettyplease prints for one construct; the tests below compare each with formatting its
//! tokens, across the lengths at which the lines break.

/// prettyplease's line width, indentation step, and the least room a line gets after a break.
use super::pretty::{INDENT, MARGIN, MIN_SPACE};

// Writers that only check their lines against `TEXT_MAX_LINE` rely on it being within the margin.
const _: () = assert!(super::TEXT_MAX_LINE as isize <= MARGIN);

/// The columns left on a line that a break started at `indent`.
fn room_after_break(indent: isize) -> isize {
    (MARGIN - indent).max(MIN_SPACE)
}

/// A line break and the indentation of the next line.
fn new_line(indent: isize, out: &mut String) {
    out.push('\n');
    indentation(indent, out);
}

/// `indent` spaces.
fn indentation(indent: isize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', usize::try_from(indent).unwrap_or(0)));
}

/// Columns taken by `text` (the writers' text is identifiers, paths and punctuation: ASCII,
/// where a byte is a column; prettyplease also counts bytes).
fn width(text: &str) -> isize {
    isize::try_from(text.len()).unwrap_or(isize::MAX)
}

/// Writes a type, given as [`super::ty_text`] writes it on one line, as prettyplease prints it
/// with `room` columns left on the line, `indent` being the indentation of the enclosing broken
/// box and `trail` the width of what follows the type up to the next break opportunity (the `,`
/// after a field). Returns the columns left after the type.
///
/// The generic arguments of a path are a consistent box: on one line when they fit together
/// with the `>` and the trail; else one argument per line, one step deeper, each followed by a
/// comma, and the `>` on a line of its own at `indent`.
pub(crate) fn type_text(ty: &str, indent: isize, room: isize, trail: isize, out: &mut String) -> isize {
    let Some((open, args)) = ty.find('<').and_then(|open| Some((open, ty[open + 1..].strip_suffix('>')?))) else {
        out.push_str(ty);
        return room - width(ty);
    };
    let head = &ty[..=open];
    out.push_str(head);
    let room = room - width(head);
    if width(args) + 1 + trail <= room {
        out.push_str(&ty[open + 1..]);
        return room - width(args) - 1;
    }
    let inner = indent + INDENT;
    let mut rest = args;
    while !rest.is_empty() {
        let (arg, next) = split_first_arg(rest);
        new_line(inner, out);
        type_text(arg, inner, room_after_break(inner), if next.is_empty() { 0 } else { 1 }, out);
        out.push(',');
        rest = next;
    }
    new_line(indent, out);
    out.push('>');
    room_after_break(indent) - 1
}

/// The first of the comma-separated generic arguments in `args`, and the ones after it.
fn split_first_arg(args: &str) -> (&str, &str) {
    let mut depth = 0usize;
    for (i, b) in args.bytes().enumerate() {
        match b {
            b'<' => depth += 1,
            b'>' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => return (&args[..i], args[i + 1..].trim_start()),
            _ => {}
        }
    }
    (args, "")
}

/// A named field in a struct's body, `    pub name: Type,` and its line break.
pub(crate) fn struct_field(name: &str, ty: &str, out: &mut String) {
    out.push_str("    pub ");
    out.push_str(name);
    out.push_str(": ");
    let room = room_after_break(INDENT) - width("pub ") - width(name) - width(": ");
    type_text(ty, INDENT, room, width(","), out);
    out.push_str(",\n");
}

/// A tuple variant in an enum's body, `    Name(Type),` and its line break. The parentheses are a
/// consistent box: when `(Type),` does not fit, the type goes on a line of its own.
pub(crate) fn tuple_variant(name: &str, ty: &str, out: &mut String) {
    out.push_str("    ");
    out.push_str(name);
    let room = room_after_break(INDENT) - width(name);
    if width("(") + width(ty) + width("),") <= room {
        out.push('(');
        out.push_str(ty);
        out.push(')');
    } else {
        out.push('(');
        new_line(2 * INDENT, out);
        type_text(ty, 2 * INDENT, room_after_break(2 * INDENT), 0, out);
        out.push(',');
        new_line(INDENT, out);
        out.push(')');
    }
    out.push_str(",\n");
}

/// A top-level type alias, `pub type Name = Type;` and its line break. When the line is long,
/// the alias's boxes leave the type's own box indented from column 0.
pub(crate) fn type_alias(name: &str, ty: &str, out: &mut String) {
    out.push_str("pub type ");
    out.push_str(name);
    out.push_str(" = ");
    let room = MARGIN - width("pub type ") - width(name) - width(" = ");
    type_text(ty, 0, room, width(";"), out);
    out.push_str(";\n");
}

/// The first line of a top-level trait impl, `impl Trait for Name {` and its line break, where
/// `impl_trait` is `impl Trait` (with the impl's generics): `for Name {` goes on a line of its
/// own when the whole does not fit (the break before `for` is the only one in that line).
pub(crate) fn trait_impl_header(impl_trait: &str, name: &str, out: &mut String) {
    out.push_str(impl_trait);
    let one_line = width(impl_trait) + width(" for ") + width(name) + width(" {");
    out.push_str(if one_line <= MARGIN { " for " } else { "\nfor " });
    out.push_str(name);
    out.push_str(" {\n");
}

/// A match arm whose pattern and body have no break of their own (literals, paths) in a
/// method of an impl, `pat => body,` at three levels of indentation, and its line break. When
/// the body does not fit (the comma after it is not counted), it goes in a block.
pub(crate) fn match_arm(pattern: &str, body: &str, out: &mut String) {
    let indent = 3 * INDENT;
    indentation(indent, out);
    out.push_str(pattern);
    out.push_str(" => ");
    if width(body) <= room_after_break(indent) - width(pattern) - width(" => ") {
        out.push_str(body);
        out.push_str(",\n");
    } else {
        out.push('{');
        new_line(indent + INDENT, out);
        out.push_str(body);
        new_line(indent, out);
        out.push_str("}\n");
    }
}

/// `received Name` at the start of a top-level table macro's input (the table itself is laid
/// out by [`crate::format`]): the macro's input is a broken box indented one step, and the
/// break between the two words is taken when the name does not fit after `received`.
pub(crate) fn received_name(name: &str, out: &mut String) {
    out.push_str("received");
    if width(" ") + width(name) <= room_after_break(INDENT) - width("received") {
        out.push(' ');
    } else {
        new_line(INDENT, out);
    }
    out.push_str(name);
}

/// Writes `text` as a string literal prints (`"a \"b\""`): printable ASCII without quotes or
/// backslashes as it is, anything else escaped by `proc_macro2` itself.
pub(crate) fn string_literal(text: &str, out: &mut String) {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(text);
        out.push('"');
    } else {
        out.push_str(&proc_macro2::Literal::string(text).to_string());
    }
}

/// The `#[cfg(..)]` attribute of [`super::cfg_features`] before a top-level item, with its
/// line break (nothing for no features). The attribute's parentheses are consistent boxes: on
/// one line when it fits, else the predicate on a line of its own, and the features of an
/// `any(..)` one per line when they do not fit on that line either.
pub(crate) fn cfg_attribute(features: &[String], out: &mut String) {
    let feature = |f: &str, out: &mut String| {
        out.push_str("feature = ");
        string_literal(f, out);
    };
    let Some((first, rest)) = features.split_first() else { return };
    // The predicate on one line.
    let mut predicate = String::new();
    if !rest.is_empty() {
        predicate.push_str("any(");
    }
    feature(first, &mut predicate);
    for f in rest {
        predicate.push_str(", ");
        feature(f, &mut predicate);
    }
    if !rest.is_empty() {
        predicate.push(')');
    }
    out.push_str("#[cfg(");
    if width("#[cfg(") + width(&predicate) + width(")]") <= MARGIN {
        out.push_str(&predicate);
        out.push_str(")]\n");
        return;
    }
    new_line(INDENT, out);
    if rest.is_empty() || INDENT + width(&predicate) <= MARGIN {
        out.push_str(&predicate);
    } else {
        out.push_str("any(");
        for (i, f) in features.iter().enumerate() {
            new_line(2 * INDENT, out);
            feature(f, out);
            if i + 1 < features.len() {
                out.push(',');
            }
        }
        new_line(INDENT, out);
        out.push(')');
    }
    new_line(0, out);
    out.push_str(")]\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::format_rust;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// An identifier `len` characters long (`len` >= 1), starting with `first`.
    fn name(first: char, len: usize) -> String {
        std::iter::once(first).chain(std::iter::repeat_n('x', len - 1)).collect()
    }

    /// Types of every shape the emitters write (nested generics, several arguments, full std
    /// paths, deep nesting that reaches prettyplease's least room), `L` standing for a name.
    const SHAPES: &[&str] = &[
        "L",
        "()",
        "Option<L>",
        "Option<Option<L>>",
        "Vec<Option<L>>",
        "Option<Vec<Vec<L>>>",
        "BTreeMap<String, L>",
        "Option<BTreeMap<String, Vec<L>>>",
        "Option<Map<String, Value>>",
        "::std::option::Option<::std::vec::Vec<L>>",
        "::std::collections::BTreeMap<::std::string::String, L>",
        "L<L, Option<L>>",
        "Option<L<Vec<L>, L>>",
        "Option<DateTime<Utc>>",
        "Option<Option<Vec<Vec<Box<Option<Vec<Vec<Option<Vec<L>>>>>>>>>>",
    ];

    /// Every shape with names of every length up to past the margin.
    fn types() -> impl Iterator<Item = String> {
        SHAPES.iter().flat_map(|shape| {
            let lens: Vec<usize> = if shape.contains('L') { (1..=100).collect() } else { vec![1] };
            lens.into_iter().map(move |len| shape.replace('L', &name('T', len)))
        })
    }

    fn tokens(text: &str) -> TokenStream {
        text.parse().unwrap()
    }

    #[test]
    fn struct_fields_as_formatted() {
        let mut checked = 0;
        for ty in types() {
            for field_len in [1, 9, 30, 61] {
                for field in [name('f', field_len), format!("r#{}", name('t', field_len))] {
                    let (f, t) = (super::super::ident(&field), tokens(&ty));
                    let expected = format_rust(quote!(pub struct S { pub #f: #t, })).unwrap();
                    let mut text = String::from("pub struct S {\n");
                    struct_field(&field, &ty, &mut text);
                    text.push_str("}\n");
                    assert_eq!(text, expected, "{field}: {ty}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 5000);
    }

    #[test]
    fn tuple_variants_as_formatted() {
        for ty in types() {
            for variant_len in [1, 20, 45] {
                let variant = name('V', variant_len);
                let (v, t) = (super::super::ident(&variant), tokens(&ty));
                let expected = format_rust(quote!(pub enum E { #v(#t), })).unwrap();
                let mut text = String::from("pub enum E {\n");
                tuple_variant(&variant, &ty, &mut text);
                text.push_str("}\n");
                assert_eq!(text, expected, "{variant}({ty})");
            }
        }
    }

    #[test]
    fn type_aliases_as_formatted() {
        for ty in types() {
            for alias_len in [1, 30, 70] {
                let alias = name('A', alias_len);
                let (a, t) = (super::super::ident(&alias), tokens(&ty));
                let expected = format_rust(quote!(pub type #a = #t;)).unwrap();
                let mut text = String::new();
                type_alias(&alias, &ty, &mut text);
                assert_eq!(text, expected, "{alias} = {ty}");
            }
        }
    }

    /// Feature sets of one to five features, of every length up to past the margin, and odd
    /// characters.
    #[test]
    fn cfg_attributes_as_formatted() {
        let expected = |features: &[String]| crate::format::attribute_text(super::super::cfg_features(features)).unwrap();
        let mut broken = 0;
        for count in 1..=5 {
            for len in 1..=90 {
                let features: Vec<String> = (0..count).map(|i| format!("{}{}", "f".repeat(len), i)).collect();
                let mut text = String::new();
                cfg_attribute(&features, &mut text);
                assert_eq!(text, expected(&features), "{features:?}");
                broken += usize::from(text.lines().count() > 1);
            }
        }
        let odd = vec!["say \"hi\"".to_string(), "\u{e9}\\".to_string()];
        let mut text = String::new();
        cfg_attribute(&odd, &mut text);
        assert_eq!(text, expected(&odd));
        let mut text = String::new();
        cfg_attribute(&[], &mut text);
        assert_eq!(text, "");
        assert!(broken > 300, "{broken}");
    }

    /// Strings of printable ASCII, quotes, backslashes, control and non-ASCII characters.
    #[test]
    fn string_literals_as_printed() {
        for text in ["", "plain text ~!@#$%^&*()", "\"", "\\", "'", "\t\n\r\0", "\u{0}7", "\u{e9}", "\u{7f}", "\u{301}a"] {
            let mut out = String::new();
            string_literal(text, &mut out);
            assert_eq!(out, proc_macro2::Literal::string(text).to_string());
        }
    }

    #[test]
    fn trait_impl_headers_as_formatted() {
        let traits = ["impl ::std::convert::From<&str>", "impl<'de> ::serde::Deserialize<'de>", "impl Serialize", "impl X"];
        for impl_trait in traits {
            for len in 1..=100 {
                let type_name = name('N', len);
                let n = super::super::ident(&type_name);
                let header = tokens(impl_trait);
                let expected = format_rust(quote!(#header for #n { fn f() {} })).unwrap();
                let mut text = String::new();
                trait_impl_header(impl_trait, &type_name, &mut text);
                text.push_str("    fn f() {}\n}\n");
                assert_eq!(text, expected, "{impl_trait} for {type_name}");
            }
        }
    }
}
