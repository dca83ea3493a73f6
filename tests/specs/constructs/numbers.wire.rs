//! Numbers arrive as the server wrote them: every float decodes to the double nearest its
//! decimal text (the crate turns on `serde_json`'s `float_roundtrip`; the default parser is one
//! unit in the last place off on these values), and integers keep their full width.

use fixture_numbers::types::Numbers;
use serde_json::json;

/// Values found against a mock server where serde_json's default float parsing is not
/// correctly rounded, and a few classic hard cases.
const FLOATS: &[&str] = &[
    "1.219397386070861e+38",
    "-15841151.598964259",
    "2.2250738585072011e-308",
    "9007199254740993.0",
    "0.30000000000000004",
    "1.7976931348623157e308",
    "5e-324",
];

#[test]
fn floats_are_correctly_rounded() {
    for text in FLOATS {
        // Rust's own parser is correctly rounded: it is the reference.
        let exact: f64 = text.parse().unwrap();
        let body = format!(
            r#"{{"i8": 0, "i16": 0, "i32": 0, "i64": 0, "u8": 0, "u16": 0, "u32": 0, "u64": 0,
                "plain_int": 0, "f32": 0, "f64": {text}, "plain_number": {text}}}"#
        );
        let numbers: Numbers = serde_json::from_str(&body).unwrap();
        assert_eq!(numbers.f64.to_bits(), exact.to_bits(), "{text} read as {:e}", numbers.f64);
        assert_eq!(numbers.plain_number.to_bits(), exact.to_bits(), "{text} read as {:e}", numbers.plain_number);
    }
}

#[test]
fn integers_keep_their_width() {
    let numbers: Numbers = serde_json::from_value(json!({
        "i8": -128, "i16": -32768, "i32": -2147483648_i64, "i64": i64::MIN, "u8": 255, "u16": 65535,
        "u32": 4294967295_u64, "u64": u64::MAX, "plain_int": 9007199254740993_i64, "f32": 1.5, "f64": 0.1,
        "plain_number": 2.25
    }))
    .unwrap();
    assert_eq!((numbers.i64, numbers.u64, numbers.plain_int), (i64::MIN, u64::MAX, 9007199254740993));
}
