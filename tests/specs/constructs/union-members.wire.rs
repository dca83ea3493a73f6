//! Union members decoded from what real servers send: Stripe's card (not a bank account whose
//! `object` is unknown), OpenAI's tool calls (tagged by each member's constant `type`, no
//! `mapping`), an object that one member reads whole and another only in part, inline
//! members named by their tag value, a discriminator that only the union declares, sent and
//! received through the generated method, and a tag value that two members claim (OpenAI's
//! `InputItem`).

use fixture_union_members::types::{
    BankDetails, CardDetails, CardOptions, ChatCompletionMessageToolCallsItem as ToolCall, ChatCompletionResponseMessage,
    EasyInputMessage, EasyInputMessageRole, ExternalAccount, InputItem, Item, OutputMessageStatus, PaymentSource,
    RealtimeItem, RealtimeUserMessageContentItemDetail, Scope, Shape,
};
use fixture_union_members::Client;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_stripe_card_is_a_card() {
    // Stripe's card example (trimmed), and a bank account.
    let card = json!({"id": "card_1NGTaT2eZvKYlo2CZWSctn5n", "object": "card", "brand": "Visa", "last4": "4242", "status": null});
    let ExternalAccount::Card(card) = serde_json::from_value(card).unwrap() else { panic!("not a card") };
    assert_eq!((card.brand.as_str(), card.last4.as_str()), ("Visa", "4242"));
    let bank = json!({"id": "ba_1", "object": "bank_account", "last4": "6789", "status": "new", "brand": "x"});
    assert!(matches!(serde_json::from_value(bank).unwrap(), ExternalAccount::BankAccount(_)));
    // An object neither member's constant admits reads as neither.
    let other = json!({"id": "x", "object": "wallet", "last4": "1", "status": "new", "brand": "x"});
    assert!(serde_json::from_value::<ExternalAccount>(other).is_err());
}

#[test]
fn openai_tool_calls_are_tagged_by_their_constant_type() {
    let message = json!({
        "role": "assistant",
        "tool_calls": [
            {"id": "call_abc123", "type": "function", "function": {"name": "get_current_weather", "arguments": "{\"location\": \"Boston, MA\"}"}},
            {"id": "call_def456", "type": "custom", "custom": {"name": "sql", "input": "select 1"}},
            {"id": "call_new", "type": "web_search", "query": "weather"}
        ]
    });
    let message: ChatCompletionResponseMessage = serde_json::from_value(message).unwrap();
    let calls = message.tool_calls.unwrap();
    let ToolCall::ChatCompletionMessageToolCall(function) = &calls[0] else { panic!("{:?}", calls[0]) };
    assert_eq!(function.function.name, "get_current_weather");
    let ToolCall::ChatCompletionMessageCustomToolCall(custom) = &calls[1] else { panic!("{:?}", calls[1]) };
    assert_eq!(custom.custom.input, "select 1");
    // A tag this version does not know is kept as sent.
    let ToolCall::Unknown(unknown) = &calls[2] else { panic!("{:?}", calls[2]) };
    assert_eq!(unknown["query"], "weather");
}

#[test]
fn the_member_that_keeps_every_property_wins() {
    let scopes: Vec<Scope> = serde_json::from_value(json!([
        {"origin": "saml", "createdAt": 1},
        {"origin": "saml", "createdAt": 1, "teamId": "team_1"}
    ]))
    .unwrap();
    assert!(matches!(scopes[0], Scope::UserScope(_)), "{:?}", scopes[0]);
    let Scope::TeamScope(team) = &scopes[1] else { panic!("teamId dropped: {:?}", scopes[1]) };
    assert_eq!(team.team_id.as_deref(), Some("team_1"));
}

#[test]
fn inline_members_are_named_by_tag_value() {
    let shapes: Vec<Shape> =
        serde_json::from_value(json!([{"kind": "circle", "radius": 1.5}, {"kind": "square", "side": 2.0}])).unwrap();
    assert!(matches!(&shapes[0], Shape::Circle(c) if c.radius == 1.5), "{:?}", shapes[0]);
    assert!(matches!(&shapes[1], Shape::Square(s) if s.side == 2.0), "{:?}", shapes[1]);
}

#[tokio::test]
async fn a_tag_only_the_union_declares_is_sent_and_kept() {
    // The members have no `method` property: the request must still name its member, and a
    // received value re-encodes with its tag (`cargo xtask fuzz` found both lost).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(body_json(json!({"method": "card", "number": "4242"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"method": "bank", "iban": "DE89"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let stored = client.create_payment(PaymentSource::CardDetails(CardDetails::new("4242"))).await.unwrap();
    let PaymentSource::BankDetails(BankDetails { iban, .. }) = &stored else { panic!("{stored:?}") };
    assert_eq!(iban, "DE89");
    assert_eq!(serde_json::to_value(&stored).unwrap(), json!({"method": "bank", "iban": "DE89"}));
    // A member several mapping keys name is sent with the first of them.
    let debit: PaymentSource = serde_json::from_value(json!({"method": "debit_card", "number": "1"})).unwrap();
    assert_eq!(serde_json::to_value(&debit).unwrap(), json!({"method": "card", "number": "1"}));
}

#[tokio::test]
async fn a_tag_two_members_claim_selects_the_one_that_keeps_the_value() {
    // `EasyInputMessage` and `Item::OutputMessage` both say `type: message`: an output message
    // (with `id` and `status`) must not lose them by reading as the input message that comes
    // first (`cargo xtask fuzz` on OpenAI's spec).
    let items = json!([
        {"type": "message", "role": "user", "content": "hi"},
        {"type": "message", "id": "msg_1", "role": "assistant", "content": "hello", "status": "completed"},
        {"role": "developer", "content": "no tag"},
        {"type": "function_call_output", "call_id": "call_1", "output": "42"},
        {"type": "message", "content": "no role"}
    ]);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/inputs"))
        .and(body_json(json!([{"role": "user", "content": "hi"}])))
        .respond_with(ResponseTemplate::new(200).set_body_json(items.as_array().unwrap()[..4].to_vec()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let sent = InputItem::EasyInputMessage(EasyInputMessage::new(EasyInputMessageRole::User, "hi"));
    let got = client.create_inputs(vec![sent]).await.unwrap();
    assert!(matches!(&got[0], InputItem::EasyInputMessage(m) if m.content == "hi"), "{:?}", got[0]);
    let InputItem::Item(Item::OutputMessage(out)) = &got[1] else { panic!("id and status lost: {:?}", got[1]) };
    assert_eq!((out.id.as_str(), &out.status), ("msg_1", &OutputMessageStatus::Completed));
    // A value without the tag reads as the member that may leave it out.
    let InputItem::EasyInputMessage(untagged) = &got[2] else { panic!("{:?}", got[2]) };
    assert_eq!((untagged.content.as_str(), untagged.r#type.is_none()), ("no tag", true));
    assert!(matches!(&got[3], InputItem::Item(Item::FunctionCallOutput(f)) if f.output == "42"), "{:?}", got[3]);
    // A reference may leave its nullable tag out too; it keeps its `id`.
    let reference: InputItem = serde_json::from_value(json!({"id": "item_1"})).unwrap();
    assert!(matches!(&reference, InputItem::ItemReference(r) if r.id == "item_1"), "{reference:?}");
    // What no member claiming the tag reads is an error naming the first member's problem.
    let bad: Result<InputItem, _> = serde_json::from_value(items[4].clone());
    assert!(bad.unwrap_err().to_string().contains("role"));
}

#[test]
fn members_that_share_a_tag_are_told_apart_by_their_constants() {
    // Both members declare the same properties; only the constant `role` tells a user message
    // (whose content keeps `detail`) from a system message (`cargo xtask fuzz`, OpenAI realtime).
    let items: Vec<RealtimeItem> = serde_json::from_value(json!([
        {"type": "message", "role": "system", "content": [{"text": "be brief"}]},
        {"type": "message", "role": "user", "content": [{"text": "look", "detail": "low"}]}
    ]))
    .unwrap();
    assert!(matches!(&items[0], RealtimeItem::RealtimeSystemMessage(_)), "{:?}", items[0]);
    let RealtimeItem::RealtimeUserMessage(user) = &items[1] else { panic!("read as a system message: {:?}", items[1]) };
    assert_eq!(user.content[0].detail, Some(RealtimeUserMessageContentItemDetail::Low));
}

#[test]
fn a_property_that_is_any_string_is_no_constant() {
    // `suffix` is `anyOf: [string, enum: [""]]`: any text, so the object member reads it (the
    // fuzzer's Stripe payment intent options were refused as "no variant" when the one value
    // named was taken for a constant).
    let options: CardOptions = serde_json::from_value(json!({"suffix": "ACME", "network": "visa"})).unwrap();
    let CardOptions::Object(object) = &options else { panic!("not the object: {options:?}") };
    assert_eq!(object.suffix.as_ref().map(|s| s.as_str()), Some("ACME"));
    // A true constant still rules a member out.
    assert!(serde_json::from_value::<CardOptions>(json!({"network": "amex"})).is_err());
    assert!(matches!(serde_json::from_value(json!("")).unwrap(), CardOptions::String(_)));
}

/// A value without the tag that only a member of a nested union keeps whole: OpenAI's input
/// message with a `status` is an `Item`, not an `EasyInputMessage` that drops the status (found
/// by `cargo xtask fuzz` once it set optional parameters, which moved its random values).
#[test]
fn a_nested_union_member_may_leave_the_tag_out() {
    let item: InputItem = serde_json::from_value(json!({"role": "developer", "status": "in_progress", "content": "x"})).unwrap();
    let InputItem::Item(Item::InputMessage(message)) = &item else { panic!("status lost: {item:?}") };
    assert!(message.status.is_some(), "{message:?}");
    let easy: InputItem = serde_json::from_value(json!({"role": "developer", "content": "x"})).unwrap();
    assert!(matches!(easy, InputItem::EasyInputMessage(_)), "{easy:?}");
}
