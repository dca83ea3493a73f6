//! Spec diffing: single-change pairs (each built from one base spec and one edit) with their
//! kind, wire/Rust classification and location; a realistic multi-change pair (an evolution of
//! the vendored Peeker spec) snapshotted as text and JSON; and determinism.

use sdkgen::diff::{diff, Change, Kind, Level, Report, Spec};
use std::path::Path;

/// A small API with one of most things: request-only, response-only and shared schemas, an
/// enum used both ways, an `allOf` and a `oneOf`, path-level and header parameters.
const BASE: &str = r##"
openapi: 3.1.0
info:
  title: Pets
  version: 1.0.0
servers:
  - url: https://api.example.com/v1
security:
  - Bearer: []
paths:
  /pets:
    get:
      operationId: listPets
      description: Lists pets.
      parameters:
        - in: query
          name: limit
          schema:
            type: integer
            format: int32
        - in: query
          name: kind
          schema:
            $ref: '#/components/schemas/Kind'
      responses:
        '200':
          description: Pets.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Pet'
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewPet'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
        '400':
          description: Bad request.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
        '422':
          description: Invalid pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
  /pets/{petId}:
    parameters:
      - in: path
        name: petId
        required: true
        schema:
          type: string
    get:
      operationId: getPet
      parameters:
        - in: header
          name: X-Trace
          schema:
            type: string
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Pet'
    delete:
      operationId: deletePet
      responses:
        '204':
          description: Deleted.
components:
  schemas:
    Kind:
      type: string
      enum:
        - dog
        - cat
    Pet:
      type: object
      required:
        - id
        - name
        - kind
      properties:
        id:
          type: integer
          format: int64
        name:
          type: string
        kind:
          $ref: '#/components/schemas/Kind'
        tag:
          type: string
        status:
          type: string
          enum:
            - available
            - sold
        owner:
          $ref: '#/components/schemas/Owner'
        shape:
          $ref: '#/components/schemas/Shape'
        labels:
          type: object
          additionalProperties:
            type: string
    Owner:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          properties:
            email:
              type: string
    Named:
      type: object
      required:
        - name
      properties:
        name:
          type: string
    Contact:
      type: object
      properties:
        phone:
          type: string
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
    Circle:
      type: object
      required:
        - radius
      properties:
        radius:
          type: number
    Square:
      type: object
      required:
        - side
      properties:
        side:
          type: number
    Triangle:
      type: object
      required:
        - base
      properties:
        base:
          type: number
    NewPet:
      type: object
      required:
        - name
      properties:
        name:
          type: string
        tag:
          type: string
        kind:
          $ref: '#/components/schemas/Kind'
    Error:
      type: object
      required:
        - message
      properties:
        message:
          type: string
    Unused:
      type: object
      properties:
        note:
          type: string
  securitySchemes:
    Bearer:
      type: http
      scheme: bearer
"##;

/// `text` with `from` replaced by `to`, exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "the edit target must occur exactly once: {from:?}");
    text.replacen(from, to, 1)
}

fn load(text: &str) -> Spec {
    Spec::load(text.as_bytes()).unwrap_or_else(|d| panic!("test spec must load:\n{}", d.render("test.yaml")))
}

fn run(old: &str, new: &str) -> Report {
    diff(&load(old), &load(new))
}

/// What one change must be.
struct Expect {
    kind: Kind,
    wire: bool,
    rust: bool,
    level: Level,
    location: &'static str,
    /// Text the message must contain to say where the change is.
    place: &'static str,
}

const fn expect(kind: Kind, wire: bool, rust: bool, location: &'static str, place: &'static str) -> Expect {
    let level = if wire || rust { Level::Major } else { Level::Patch };
    Expect { kind, wire, rust, level, location, place }
}

impl Expect {
    const fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }
}

/// Diffs `old` against `new`, asserts that the changes are exactly `expected` (in any order, by
/// kind and location) and each has its classification and names its place.
fn check(old: &str, new: &str, expected: &[Expect]) -> Report {
    let report = run(old, new);
    let shown = report.render_text();
    assert_eq!(report.changes.len(), expected.len(), "change count\n{shown}");
    for e in expected {
        let c: &Change = report
            .changes
            .iter()
            .find(|c| c.kind == e.kind && c.location == e.location)
            .unwrap_or_else(|| panic!("no {} at {}\n{shown}", e.kind, e.location));
        assert_eq!((c.wire, c.rust), (e.wire, e.rust), "wire/Rust of {} at {}\n{shown}", e.kind, e.location);
        assert_eq!(c.breaking(), e.wire || e.rust);
        assert_eq!(c.level, e.level, "level of {} at {}\n{shown}", e.kind, e.location);
        assert!(c.message.contains(e.place), "message of {} must name {:?}: {}", e.kind, e.place, c.message);
    }
    let semver = expected.iter().map(|e| e.level).max().unwrap_or(Level::Patch);
    assert_eq!(report.semver(), semver);
    assert_eq!(report.to_json()["semver"], semver.as_str());
    report
}

/// The new version is `BASE` with one edit.
fn changed(from: &str, to: &str, expected: &[Expect]) -> Report {
    check(BASE, &edit(BASE, from, to), expected)
}

/// The old version is `BASE` with one edit (for removals: the edit adds what the new one lacks).
fn reverted(from: &str, to: &str, expected: &[Expect]) -> Report {
    check(&edit(BASE, from, to), BASE, expected)
}

use Kind::*;

const LIMIT: &str = "        - in: query\n          name: limit\n          schema:\n            type: integer\n            format: int32\n";
const DELETE: &str = "    delete:\n      operationId: deletePet\n";

// ----- operations ------------------------------------------------------------------------------

#[test]
fn operation_added() {
    let op =
        "    patch:\n      operationId: renamePet\n      responses:\n        '204':\n          description: Renamed.\n";
    changed(
        DELETE,
        &format!("{op}{DELETE}"),
        &[expect(OperationAdded, false, false, "PATCH /pets/{petId}", "PATCH /pets/{petId}").level(Level::Minor)],
    );
}

#[test]
fn operation_removed() {
    let op =
        "    patch:\n      operationId: renamePet\n      responses:\n        '204':\n          description: Renamed.\n";
    reverted(
        DELETE,
        &format!("{op}{DELETE}"),
        &[expect(OperationRemoved, true, true, "PATCH /pets/{petId}", "PATCH /pets/{petId}")],
    );
}

#[test]
fn operation_deprecated_is_a_patch() {
    changed(
        DELETE,
        &format!("{DELETE}      deprecated: true\n"),
        &[expect(OperationDeprecated, false, false, "DELETE /pets/{petId}", "DELETE /pets/{petId}")],
    );
}

#[test]
fn operation_id_renames_the_method() {
    let r = changed(
        "operationId: deletePet",
        "operationId: removePet",
        &[expect(OperationRenamed, false, true, "DELETE /pets/{petId}", "DELETE /pets/{petId}")],
    );
    assert!(r.changes[0].message.contains("`Client::delete_pet`"), "{}", r.changes[0].message);
}

// ----- parameters ------------------------------------------------------------------------------

#[test]
fn optional_parameter_added_is_minor() {
    let offset = "        - in: query\n          name: offset\n          schema:\n            type: integer\n";
    changed(
        LIMIT,
        &format!("{LIMIT}{offset}"),
        &[expect(ParameterAdded, false, false, "/paths/~1pets/get/parameters/1", "GET /pets").level(Level::Minor)],
    );
}

#[test]
fn required_parameter_added_breaks_both() {
    let owner = "        - in: query\n          name: owner\n          required: true\n          schema:\n            type: string\n";
    let r = changed(
        LIMIT,
        &format!("{LIMIT}{owner}"),
        &[expect(ParameterAdded, true, true, "/paths/~1pets/get/parameters/1", "GET /pets")],
    );
    assert!(
        r.changes[0].message.contains("new argument `owner` of `Client::list_pets` (calls must pass it)"),
        "{}",
        r.changes[0].message
    );
}

#[test]
fn parameter_removed_breaks_rust_only() {
    changed(LIMIT, "", &[expect(ParameterRemoved, false, true, "/paths/~1pets/get/parameters/0", "GET /pets")]);
}

#[test]
fn parameter_becomes_required() {
    changed(
        "          name: limit\n",
        "          name: limit\n          required: true\n",
        &[expect(
            ParameterRequiredChanged,
            true,
            true,
            "/paths/~1pets/get/parameters/0",
            "GET /pets: query parameter `limit`",
        )],
    );
}

#[test]
fn parameter_becomes_optional_breaks_rust_only() {
    reverted(
        "          name: X-Trace\n",
        "          name: X-Trace\n          required: true\n",
        &[expect(
            ParameterRequiredChanged,
            false,
            true,
            "/paths/~1pets~1{petId}/get/parameters/0",
            "header parameter `X-Trace`",
        )],
    );
}

#[test]
fn parameter_location_changed_breaks_the_wire_only() {
    // The builder setter keeps its name and type: Rust code is unaffected.
    changed(
        "        - in: header\n          name: X-Trace",
        "        - in: query\n          name: X-Trace",
        &[expect(
            ParameterLocationChanged,
            true,
            false,
            "/paths/~1pets~1{petId}/get/parameters/0",
            "GET /pets/{petId}",
        )],
    );
}

#[test]
fn parameter_style_changed() {
    changed(
        "          name: limit\n",
        "          name: limit\n          style: form\n          explode: false\n",
        &[expect(ParameterStyleChanged, true, false, "/paths/~1pets/get/parameters/0", "query parameter `limit`")],
    );
}

#[test]
fn path_variable_renamed_is_a_patch() {
    let old = BASE;
    let new = edit(&edit(BASE, "  /pets/{petId}:", "  /pets/{id}:"), "        name: petId", "        name: id");
    // Declared on the path item: reported once for the path's operations.
    check(
        old,
        &new,
        &[expect(ParameterRenamed, false, false, "/paths/~1pets~1{id}/parameters/0", "GET, DELETE /pets/{id}")],
    );
}

#[test]
fn parameter_type_changed() {
    changed(
        "            type: integer\n            format: int32\n",
        "            type: string\n",
        &[expect(
            TypeChanged,
            true,
            true,
            "/paths/~1pets/get/parameters/0/schema",
            "GET /pets: query parameter `limit`",
        )],
    );
}

#[test]
fn parameter_format_widened_is_fine_on_the_wire() {
    // int32 -> int64: every value an old client sends is still valid; the setter takes i64.
    changed(
        "            format: int32\n",
        "            format: int64\n",
        &[expect(FormatChanged, false, true, "/paths/~1pets/get/parameters/0/schema", "query parameter `limit`")],
    );
}

// ----- request bodies --------------------------------------------------------------------------

#[test]
fn optional_request_body_added() {
    let body = "      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/Named'\n";
    changed(
        DELETE,
        &format!("{DELETE}{body}"),
        &[expect(RequestBodyAdded, false, false, "/paths/~1pets~1{petId}/delete/requestBody", "DELETE /pets/{petId}")
            .level(Level::Minor)],
    );
}

#[test]
fn request_body_removed_breaks_rust() {
    let body = "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/NewPet'\n";
    changed(body, "", &[expect(RequestBodyRemoved, false, true, "/paths/~1pets/post/requestBody", "POST /pets")]);
}

#[test]
fn request_body_becomes_optional_breaks_rust() {
    // The body moves from a method argument to a builder setter.
    let from = "      requestBody:\n        required: true\n";
    changed(
        from,
        "      requestBody:\n        required: false\n",
        &[expect(
            RequestBodyRequiredChanged,
            false,
            true,
            "/paths/~1pets/post/requestBody",
            "POST /pets: request body",
        )],
    );
}

const FORM: &str = "          application/x-www-form-urlencoded:\n            schema:\n              $ref: '#/components/schemas/NewPet'\n";
const JSON_BODY: &str =
    "          application/json:\n            schema:\n              $ref: '#/components/schemas/NewPet'\n";

#[test]
fn media_type_added() {
    changed(
        JSON_BODY,
        &format!("{JSON_BODY}{FORM}"),
        &[expect(
            MediaTypeAdded,
            false,
            false,
            "/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded",
            "POST /pets: request body",
        )
        .level(Level::Minor)],
    );
}

#[test]
fn media_type_the_client_sends_removed() {
    // A media type the client does not use: nothing breaks.
    reverted(
        JSON_BODY,
        &format!("{JSON_BODY}{FORM}"),
        &[expect(
            MediaTypeRemoved,
            false,
            false,
            "/paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded",
            "POST /pets: request body",
        )],
    );
    // Old: JSON and form (the client sends JSON); new: form only.
    let old = edit(BASE, JSON_BODY, &format!("{JSON_BODY}{FORM}"));
    let new = edit(BASE, JSON_BODY, FORM);
    check(
        &old,
        &new,
        &[expect(
            MediaTypeRemoved,
            true,
            false,
            "/paths/~1pets/post/requestBody/content/application~1json",
            "POST /pets: request body",
        )],
    );
}

// ----- responses -------------------------------------------------------------------------------

const E422: &str = "        '422':\n          description: Invalid pet.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Error'\n";

#[test]
fn error_response_added_with_the_same_error_type() {
    let e409 = E422.replace("'422'", "'409'").replace("Invalid pet.", "Conflict.");
    changed(
        E422,
        &format!("{E422}{e409}"),
        &[expect(ResponseAdded, false, false, "/paths/~1pets/post/responses/409", "POST /pets").level(Level::Minor)],
    );
}

#[test]
fn error_response_removed() {
    changed(E422, "", &[expect(ResponseRemoved, false, false, "/paths/~1pets/post/responses/422", "POST /pets")]);
}

#[test]
fn success_response_added_breaks_both() {
    // The old client treats 202 as unexpected; the success type becomes a per-status enum.
    let accepted = "        '202':\n          description: Queued.\n";
    changed(
        "        '400':\n",
        &format!("{accepted}        '400':\n"),
        &[expect(ResponseAdded, true, true, "/paths/~1pets/post/responses/202", "POST /pets")],
    );
}

// ----- schemas: properties ---------------------------------------------------------------------

const PET_TAG: &str = "        tag:\n          type: string\n        status:";
const NEWPET_TAG: &str = "        tag:\n          type: string\n        kind:";

#[test]
fn optional_property_added_to_a_response_type_is_minor() {
    changed(
        PET_TAG,
        &PET_TAG.replace("        status:", "        color:\n          type: string\n        status:"),
        &[expect(PropertyAdded, false, false, "/components/schemas/Pet/properties/color", "schema `Pet`")
            .level(Level::Minor)],
    );
}

/// Two inline objects of one shape: the generator merges the second into the first
/// (`pub type GetLinksResponseSecond = GetLinksResponseFirst`).
const TWIN_LINKS: &str = r##"openapi: 3.0.3
info: {title: T, version: "1.0.0"}
paths:
  /links:
    get:
      operationId: getLinks
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  first:
                    type: object
                    properties:
                      href: {type: string}
                  second:
                    type: object
                    properties:
                      href: {type: string}
"##;

#[test]
fn a_merged_twin_that_gains_a_property_is_only_that_addition() {
    let new = format!("{TWIN_LINKS}                      title: {{type: string}}\n");
    let place = "/paths/~1links/get/responses/200/content/application~1json/schema/properties/second/properties/title";
    let r = check(TWIN_LINKS, &new, &[expect(PropertyAdded, false, false, place, "GET /links").level(Level::Minor)]);
    assert!(r.changes[0].message.contains("GetLinksResponseSecond::title"), "{}", r.changes[0].message);
    // And back: the type merges again, which removes the field from Rust.
    let r = check(&new, TWIN_LINKS, &[expect(PropertyRemoved, false, true, place, "GET /links")]);
    assert!(r.changes[0].message.contains("GetLinksResponseSecond::title"), "{}", r.changes[0].message);
}

#[test]
fn optional_property_added_to_a_request_type_is_an_addition() {
    // Request types are `#[non_exhaustive]` and built with `new` and setters: a new optional
    // field is a new setter (tests/specs/evolution checks that code built against the old
    // crate compiles against the new one).
    let r = changed(
        NEWPET_TAG,
        &NEWPET_TAG.replace("        kind:", "        color:\n          type: string\n        kind:"),
        &[expect(PropertyAdded, false, false, "/components/schemas/NewPet/properties/color", "schema `NewPet`")
            .level(Level::Minor)],
    );
    assert_eq!(r.changes[0].reaches, ["POST /pets"], "names the operations it reaches");
}

#[test]
fn required_property_added_to_a_request_type_breaks_both() {
    let from = "    NewPet:\n      type: object\n      required:\n        - name\n";
    let new = edit(
        &edit(BASE, from, &format!("{from}        - age\n")),
        NEWPET_TAG,
        &NEWPET_TAG.replace("        kind:", "        age:\n          type: integer\n        kind:"),
    );
    check(
        BASE,
        &new,
        &[expect(PropertyAdded, true, true, "/components/schemas/NewPet/properties/age", "schema `NewPet`")],
    );
}

#[test]
fn optional_property_removed_from_a_response_breaks_rust() {
    changed(
        PET_TAG,
        "        status:",
        &[expect(PropertyRemoved, false, true, "/components/schemas/Pet/properties/tag", "schema `Pet`")],
    );
}

#[test]
fn required_property_removed_from_a_response_breaks_both() {
    let from = "      required:\n        - id\n        - name\n        - kind\n";
    let new = edit(&edit(BASE, from, "      required:\n        - id\n        - kind\n"), "        name:\n          type: string\n        kind:\n          $ref: '#/components/schemas/Kind'\n        tag:", "        kind:\n          $ref: '#/components/schemas/Kind'\n        tag:");
    check(
        BASE,
        &new,
        &[expect(PropertyRemoved, true, true, "/components/schemas/Pet/properties/name", "schema `Pet`")],
    );
}

#[test]
fn response_property_becomes_required_breaks_rust_only() {
    changed(
        "        - name\n        - kind\n",
        "        - name\n        - kind\n        - tag\n",
        &[expect(PropertyRequiredChanged, false, true, "/components/schemas/Pet/properties/tag", "schema `Pet`")],
    );
}

#[test]
fn request_property_becomes_required_breaks_both() {
    let from = "    NewPet:\n      type: object\n      required:\n        - name\n";
    changed(
        from,
        &format!("{from}        - tag\n"),
        &[expect(PropertyRequiredChanged, true, true, "/components/schemas/NewPet/properties/tag", "schema `NewPet`")],
    );
}

#[test]
fn required_response_field_becomes_nullable() {
    let from = "        name:\n          type: string\n        kind:\n          $ref: '#/components/schemas/Kind'\n        tag:";
    changed(
        from,
        &from.replacen("type: string", "type: [string, 'null']", 1),
        &[expect(NullableChanged, true, true, "/components/schemas/Pet/properties/name", "schema `Pet.name`")],
    );
}

#[test]
fn optional_response_field_becomes_nullable_is_a_patch() {
    // `Option<String>` already decodes `null`; the Rust type does not change.
    changed(
        PET_TAG,
        &PET_TAG.replace("type: string", "type: [string, 'null']"),
        &[expect(NullableChanged, false, false, "/components/schemas/Pet/properties/tag", "schema `Pet.tag`")],
    );
}

#[test]
fn property_type_changed() {
    changed(
        "        id:\n          type: integer\n          format: int64\n",
        "        id:\n          type: string\n",
        &[expect(TypeChanged, true, true, "/components/schemas/Pet/properties/id", "schema `Pet.id`")],
    );
}

#[test]
fn response_format_narrowed_is_fine_on_the_wire() {
    changed(
        "          format: int64\n",
        "          format: int32\n",
        &[expect(FormatChanged, false, true, "/components/schemas/Pet/properties/id", "schema `Pet.id`")],
    );
}

#[test]
fn property_deprecated_is_a_patch() {
    changed(
        PET_TAG,
        &PET_TAG.replace("type: string", "type: string\n          deprecated: true"),
        &[expect(DeprecatedChanged, false, false, "/components/schemas/Pet/properties/tag", "schema `Pet.tag`")],
    );
}

#[test]
fn description_changed_is_a_patch() {
    changed(
        "      description: Lists pets.\n",
        "      description: Lists every pet.\n",
        &[expect(DocsChanged, false, false, "GET /pets", "GET /pets")],
    );
}

// ----- schemas: enums --------------------------------------------------------------------------

const KIND: &str = "        - dog\n        - cat\n";

#[test]
fn enum_value_added_breaks_nobody() {
    // Generated enums are #[non_exhaustive] with an Unknown catch-all.
    let r = changed(
        KIND,
        "        - dog\n        - cat\n        - bird\n",
        &[expect(EnumValueAdded, false, false, "/components/schemas/Kind", "schema `Kind`").level(Level::Minor)],
    );
    // One change at the shared component, naming every operation it reaches.
    let reaches = &r.changes[0].reaches;
    for op in ["GET /pets", "POST /pets", "GET /pets/{petId}"] {
        assert!(reaches.iter().any(|r| r == op), "{op} in {reaches:?}");
    }
    // A received enum: the old client reads the new value as its catch-all.
    assert!(r.changes[0].message.contains("`Unknown`"), "{}", r.changes[0].message);
}

#[test]
fn enum_value_removed_from_a_sent_enum_breaks_both() {
    changed(
        KIND,
        "        - dog\n",
        &[expect(EnumValueRemoved, true, true, "/components/schemas/Kind", "schema `Kind`")],
    );
}

#[test]
fn enum_value_removed_from_a_received_enum_breaks_rust_only() {
    changed(
        "            - available\n            - sold\n",
        "            - available\n",
        &[expect(EnumValueRemoved, false, true, "/components/schemas/Pet/properties/status", "schema `Pet.status`")],
    );
}

// ----- schemas: maps and compositions ----------------------------------------------------------

#[test]
fn additional_properties_denied_on_a_request_type() {
    // The old client has no map of extras (none was declared): it sends only `NewPet`'s
    // declared properties, which the new server still accepts (see
    // `closing_a_sent_object_the_old_client_never_extended_is_no_wire_break`).
    let from = "    NewPet:\n      type: object\n";
    changed(
        from,
        &format!("{from}      additionalProperties: false\n"),
        &[expect(
            AdditionalPropertiesChanged,
            false,
            false,
            "/components/schemas/NewPet/additionalProperties",
            "schema `NewPet`",
        )],
    );
}

#[test]
fn map_value_type_changed() {
    let from = "          additionalProperties:\n            type: string\n";
    changed(
        from,
        "          additionalProperties:\n            type: integer\n",
        &[expect(
            TypeChanged,
            true,
            true,
            "/components/schemas/Pet/properties/labels/additionalProperties",
            "schema `Pet.labels{}`",
        )],
    );
}

#[test]
fn all_of_member_added_to_a_response_type() {
    let from = "        - $ref: '#/components/schemas/Named'\n";
    changed(
        from,
        &format!("{from}        - $ref: '#/components/schemas/Contact'\n"),
        &[expect(AllOfMemberAdded, false, false, "/components/schemas/Owner/allOf/1", "schema `Owner`")
            .level(Level::Minor)],
    );
}

#[test]
fn all_of_member_with_required_properties_removed() {
    changed(
        "        - $ref: '#/components/schemas/Named'\n",
        "",
        &[expect(AllOfMemberRemoved, true, true, "/components/schemas/Owner/allOf/0", "schema `Owner`")],
    );
}

#[test]
fn one_of_member_added_to_a_response_union() {
    // Untagged: the old client cannot decode a triangle; the Rust enum is exhaustive.
    let from = "        - $ref: '#/components/schemas/Square'\n";
    changed(
        from,
        &format!("{from}        - $ref: '#/components/schemas/Triangle'\n"),
        &[expect(OneOfMemberAdded, true, true, "/components/schemas/Shape/oneOf/2", "schema `Shape`")],
    );
}

#[test]
fn one_of_member_removed_from_a_response_union() {
    changed(
        "        - $ref: '#/components/schemas/Square'\n",
        "",
        &[expect(OneOfMemberRemoved, false, true, "/components/schemas/Shape/oneOf/1", "schema `Shape`")],
    );
}

#[test]
fn tagged_union_member_added_is_fine_on_the_wire() {
    // With a discriminator the old client keeps unknown tags as `Unknown(Value)`, but the
    // generated enum is exhaustive, so matches on it stop compiling.
    let from = "    Shape:\n      oneOf:\n        - $ref: '#/components/schemas/Circle'\n        - $ref: '#/components/schemas/Square'\n";
    let tagged = format!("{from}      discriminator:\n        propertyName: kind\n");
    let old = edit(BASE, from, &tagged);
    let new = edit(&old, "        - $ref: '#/components/schemas/Square'\n      discriminator:", "        - $ref: '#/components/schemas/Square'\n        - $ref: '#/components/schemas/Triangle'\n      discriminator:");
    check(&old, &new, &[expect(OneOfMemberAdded, false, true, "/components/schemas/Shape/oneOf/2", "schema `Shape`")]);
}

#[test]
fn inline_request_body_optional_field_added_is_an_addition() {
    let body = "      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                reason:\n                  type: string\n";
    let old = edit(BASE, DELETE, &format!("{DELETE}{body}"));
    let new = edit(&old, "                reason:\n                  type: string\n", "                reason:\n                  type: string\n                notify:\n                  type: boolean\n");
    check(
        &old,
        &new,
        &[expect(
            PropertyAdded,
            false,
            false,
            "/paths/~1pets~1{petId}/delete/requestBody/content/application~1json/schema/properties/notify",
            "DELETE /pets/{petId}: request body",
        )
        .level(Level::Minor)],
    );
}

#[test]
fn response_media_type_the_client_decodes_removed() {
    let pet = "          description: A pet.\n          content:\n            application/json:\n";
    let new = edit(BASE, pet, "          description: A pet.\n          content:\n            application/xml:\n");
    check(
        BASE,
        &new,
        &[
            expect(
                MediaTypeRemoved,
                true,
                true,
                "/paths/~1pets~1{petId}/get/responses/200/content/application~1json",
                "GET /pets/{petId}: response `200`",
            ),
            expect(
                MediaTypeAdded,
                false,
                true,
                "/paths/~1pets~1{petId}/get/responses/200/content/application~1xml",
                "GET /pets/{petId}: response `200`",
            ),
        ],
    );
}

#[test]
fn generic_envelope_argument_changed() {
    // `allOf: [Envelope, {data: X}]` is generated as `Envelope<X>`: changing X changes the
    // result type of the operation, reported at `data`.
    let spec = |data: &str| {
        format!(
            "openapi: 3.1.0\ninfo:\n  title: E\n  version: 1.0.0\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: A.\n          content:\n            application/json:\n              schema:\n                allOf:\n                  - $ref: '#/components/schemas/Envelope'\n                  - type: object\n                    properties:\n                      data:\n{data}components:\n  schemas:\n    Envelope:\n      type: object\n      required: [data]\n      properties:\n        data: {{}}\n    A:\n      type: object\n      properties:\n        x:\n          type: string\n"
        )
    };
    let old = spec("                        $ref: '#/components/schemas/A'\n");
    let new = spec("                        type: array\n                        items:\n                          $ref: '#/components/schemas/A'\n");
    let r = check(
        &old,
        &new,
        &[expect(
            TypeChanged,
            true,
            true,
            "/paths/~1a/get/responses/200/content/application~1json/schema/allOf/1/properties/data",
            "GET /a: response `200`",
        )],
    );
    assert!(
        r.changes[0].message.contains("`Result<Envelope<A>, Error<()>>` to `Result<Envelope<Vec<A>>, Error<()>>`"),
        "{}",
        r.changes[0].message
    );
}

#[test]
fn required_inherited_through_all_of_is_reported_at_the_component() {
    // The operation's error type merges `Problem` and overrides `message`; whether `message` is
    // required still comes from `Problem`.
    let spec = |required: &str| {
        format!(
            "openapi: 3.0.3\ninfo:\n  title: P\n  version: 1.0.0\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '204':\n          description: Done.\n        '400':\n          description: Bad.\n          content:\n            application/json:\n              schema:\n                allOf:\n                  - $ref: '#/components/schemas/Problem'\n                  - type: object\n                    properties:\n                      message:\n                        type: string\n                        description: Why.\ncomponents:\n  schemas:\n    Problem:\n      type: object\n{required}      properties:\n        message:\n          type: string\n"
        )
    };
    let r = check(
        &spec("      required: [message]\n"),
        &spec(""),
        &[expect(
            PropertyRequiredChanged,
            true,
            true,
            "/components/schemas/Problem/properties/message",
            "schema `Problem`",
        )],
    );
    assert!(r.changes[0].message.contains("`GetABadRequestResponse::message`"), "{}", r.changes[0].message);
}

// ----- components, names, security, servers ----------------------------------------------------

#[test]
fn schema_added() {
    let toy = "    Toy:\n      type: object\n      properties:\n        name:\n          type: string\n";
    changed(
        "    Unused:\n",
        &format!("{toy}    Unused:\n"),
        &[expect(SchemaAdded, false, false, "/components/schemas/Toy", "schema `Toy`").level(Level::Minor)],
    );
}

#[test]
fn unused_schema_removed_breaks_rust() {
    changed(
        "    Unused:\n      type: object\n      properties:\n        note:\n          type: string\n",
        "",
        &[expect(SchemaRemoved, false, true, "/components/schemas/Unused", "schema `Unused`")],
    );
}

#[test]
fn schema_renamed_breaks_rust_only() {
    let new = BASE.replace("schemas/Error'", "schemas/ApiError'").replace("    Error:\n", "    ApiError:\n");
    let r =
        check(BASE, &new, &[expect(SchemaRenamed, false, true, "/components/schemas/ApiError", "schema `ApiError`")]);
    assert!(r.changes[0].message.contains("renamed to `ApiError`"), "{}", r.changes[0].message);
}

#[test]
fn a_new_schema_taking_a_generated_name_renames_the_inline_type() {
    // `Pet.status` is generated as `PetStatus`; a component of that name takes it first.
    let comp = "    PetStatus:\n      type: object\n      properties:\n        since:\n          type: string\n";
    changed(
        "    Unused:\n",
        &format!("{comp}    Unused:\n"),
        &[
            expect(SchemaAdded, false, false, "/components/schemas/PetStatus", "schema `PetStatus`")
                .level(Level::Minor),
            expect(RustNameChanged, false, true, "/components/schemas/Pet/properties/status", "type `PetStatus`"),
        ],
    );
}

#[test]
fn security_scheme_added() {
    let key = "    Key:\n      type: apiKey\n      in: header\n      name: X-Key\n";
    changed(
        "  securitySchemes:\n",
        &format!("  securitySchemes:\n{key}"),
        &[expect(SecuritySchemeAdded, false, false, "/components/securitySchemes/Key", "security scheme `Key`")
            .level(Level::Minor)],
    );
}

#[test]
fn security_scheme_changed_breaks_the_wire() {
    changed(
        "      type: http\n      scheme: bearer\n",
        "      type: apiKey\n      in: header\n      name: X-Key\n",
        &[expect(SecuritySchemeChanged, true, false, "/components/securitySchemes/Bearer", "security scheme `Bearer`")],
    );
}

#[test]
fn operation_security_requires_another_scheme() {
    let key = "    Key:\n      type: apiKey\n      in: header\n      name: X-Key\n";
    let old = edit(BASE, "  securitySchemes:\n", &format!("  securitySchemes:\n{key}"));
    let new = edit(&old, DELETE, &format!("{DELETE}      security:\n        - Key: []\n"));
    check(&old, &new, &[expect(SecurityChanged, true, false, "DELETE /pets/{petId}", "DELETE /pets/{petId}")]);
}

#[test]
fn server_added_and_removed() {
    let extra = "  - url: https://eu.example.com/v1\n";
    changed(
        "security:\n",
        &format!("{extra}security:\n"),
        &[expect(ServerAdded, false, false, "/servers/1", "https://eu.example.com/v1").level(Level::Minor)],
    );
    reverted(
        "security:\n",
        &format!("{extra}security:\n"),
        &[expect(ServerRemoved, true, false, "/servers/1", "https://eu.example.com/v1")],
    );
}

#[test]
fn default_server_removed_breaks_the_wire() {
    changed(
        "  - url: https://api.example.com/v1\n",
        "  - url: https://api.example.org/v2\n",
        &[
            expect(ServerRemoved, true, false, "/servers/0", "https://api.example.com/v1"),
            expect(ServerAdded, false, false, "/servers/0", "https://api.example.org/v2").level(Level::Minor),
        ],
    );
}

// ----- refactors that change nothing -----------------------------------------------------------

#[test]
fn equivalent_rewrites_report_nothing() {
    // A 3.1 nullable written two ways, and a parameter moved into components.
    let a = edit(BASE, PET_TAG, &PET_TAG.replace("type: string", "type: [string, 'null']"));
    let b = edit(
        BASE,
        PET_TAG,
        &PET_TAG.replace("type: string", "anyOf:\n            - type: string\n            - type: 'null'"),
    );
    assert_eq!(run(&a, &b).changes, vec![], "{}", run(&a, &b).render_text());
    let shared = edit(
        &edit(BASE, LIMIT, "        - $ref: '#/components/parameters/Limit'\n"),
        "components:\n",
        "components:\n  parameters:\n    Limit:\n      in: query\n      name: limit\n      schema:\n        type: integer\n        format: int32\n",
    );
    assert_eq!(run(BASE, &shared).changes, vec![], "{}", run(BASE, &shared).render_text());
    assert_eq!(run(BASE, BASE).changes, vec![]);
}

#[test]
fn a_change_in_a_shared_parameter_is_reported_once() {
    let shared = edit(
        &edit(BASE, LIMIT, "        - $ref: '#/components/parameters/Limit'\n"),
        "components:\n",
        "components:\n  parameters:\n    Limit:\n      in: query\n      name: limit\n      schema:\n        type: integer\n        format: int32\n",
    );
    let shared = edit(
        &shared,
        "      operationId: getPet\n      parameters:\n",
        "      operationId: getPet\n      parameters:\n        - $ref: '#/components/parameters/Limit'\n",
    );
    let required =
        edit(&shared, "      name: limit\n      schema:", "      name: limit\n      required: true\n      schema:");
    let r = check(
        &shared,
        &required,
        &[expect(
            ParameterRequiredChanged,
            true,
            true,
            "/components/parameters/Limit",
            "shared query parameter `limit`",
        )],
    );
    let m = &r.changes[0].message;
    assert_eq!(r.changes[0].reaches, ["GET /pets", "GET /pets/{petId}"]);
    assert!(m.contains("`Client::list_pets`") && m.contains("`Client::get_pet`"), "{m}");
}

// ----- the realistic pair, output formats, determinism -----------------------------------------

fn peeker() -> (Spec, Spec) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-specs");
    let read = |f: &str| load(&std::fs::read_to_string(dir.join(f)).expect("fixture is readable"));
    (read("peeker-old.yaml"), read("peeker-new.yaml"))
}

#[test]
fn peeker_evolution() {
    let (old, new) = peeker();
    let report = diff(&old, &new);
    assert_eq!(report.semver(), Level::Major);
    assert!(report.is_breaking());
    let kinds: Vec<&str> = report.changes.iter().map(|c| c.kind.as_str()).collect();
    for k in [
        "operation-added",
        "parameter-added",
        "property-added",
        "enum-value-removed",
        "enum-value-added",
        "server-added",
        "parameter-renamed",
    ] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    insta::assert_snapshot!("peeker_text", report.render_text());
    insta::assert_snapshot!("peeker_json", report.render_json());
    insta::assert_snapshot!("peeker_markdown", report.render_markdown("1.0.0 -> next"));
}

#[test]
fn output_is_deterministic() {
    let (old, new) = peeker();
    let first = diff(&old, &new);
    for _ in 0..3 {
        let (o, n) = peeker();
        let again = diff(&o, &n);
        assert_eq!(again, first);
        assert_eq!(again.render_json(), first.render_json());
    }
    // Sorted: breaking first, then additions, then the rest.
    let levels: Vec<Level> = first.changes.iter().map(|c| c.level).collect();
    let mut sorted = levels.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(levels, sorted);
}

#[test]
fn json_has_the_documented_shape() {
    let (old, new) = peeker();
    let report = diff(&old, &new);
    let json = report.to_json();
    // The documented schema's required keys are exactly the keys written.
    let schema: serde_json::Value = serde_json::from_str(Report::JSON_SCHEMA).unwrap();
    let required = |v: &serde_json::Value| -> Vec<String> {
        let mut r: Vec<String> =
            v["required"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()).collect();
        r.sort();
        r
    };
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), required(&schema));
    assert!(["major", "minor", "patch"].contains(&json["semver"].as_str().unwrap()));
    assert_eq!(json["wire_breaking"], report.wire_breaking());
    for c in json["changes"].as_array().unwrap() {
        assert_eq!(keys(c), required(&schema["properties"]["changes"]["items"]));
        assert_eq!(c["breaking"], c["wire_breaking"].as_bool().unwrap() || c["rust_breaking"].as_bool().unwrap());
        assert_eq!(c["fingerprint"].as_str().unwrap().len(), 12);
        let loc = c["location"].as_str().unwrap();
        let method = loc.split(' ').next().unwrap();
        assert!(
            loc.starts_with('/')
                || ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"].contains(&method),
            "{loc}"
        );
    }
}

// ----- event streams ---------------------------------------------------------------------------

const PET_JSON: &str = "            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n    delete:\n";
const PET_EVENTS: &str = "            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n            text/event-stream:\n              schema:\n                $ref: '#/components/schemas/Pet'\n    delete:\n";

#[test]
fn event_stream_added_and_removed() {
    // A streaming call is new API: an addition.
    let report = changed(
        PET_JSON,
        PET_EVENTS,
        &[expect(
            MediaTypeAdded,
            false,
            false,
            "/paths/~1pets~1{petId}/get/responses/200/content/text~1event-stream",
            "GET /pets/{petId}",
        )
        .level(Level::Minor)],
    );
    assert!(report.render_text().contains("GET /pets/{petId}"), "{}", report.render_text());
    // Without it, `GetPet::stream` is gone, and the server would not stream: both break.
    let report = reverted(
        PET_JSON,
        PET_EVENTS,
        &[expect(
            MediaTypeRemoved,
            true,
            true,
            "/paths/~1pets~1{petId}/get/responses/200/content/text~1event-stream",
            "GET /pets/{petId}",
        )],
    );
    assert!(report.render_text().contains("streaming call `GetPet::stream`"), "{}", report.render_text());
}

// ----- claims by place of change ---------------------------------------------------------------

/// Every breaking change says why, and an added operation is never what breaks.
fn assert_claims_sound(report: &Report) {
    for c in &report.changes {
        if c.kind == OperationAdded {
            assert!(!c.breaking(), "an added operation breaks nobody: {}", c.message);
        }
        if c.rust {
            assert!(!c.message.contains("Breaks Rust: ."), "empty reason: {}", c.message);
        }
    }
}

#[test]
fn an_operation_that_sends_a_received_type_is_not_the_break() {
    // `PUT /pets/{petId}` sends `Pet`, which was only received: whatever that changes in `Pet`'s
    // generated type is reported at the type, not as the new operation's doing.
    let put = "    put:\n      operationId: replacePet\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/Pet'\n      responses:\n        '204':\n          description: Replaced.\n    delete:\n      operationId: deletePet\n";
    let new = edit(BASE, "    delete:\n      operationId: deletePet\n", put);
    let r = run(BASE, &new);
    assert_claims_sound(&r);
    let added = r.changes.iter().find(|c| c.kind == OperationAdded).expect("operation-added");
    assert_eq!(added.level, Level::Minor, "{}", added.message);
    assert!(added.message.contains("Client::replace_pet"), "{}", added.message);
}

#[test]
fn an_operation_that_changes_method_but_keeps_its_id_is_moved_not_removed() {
    // DELETE -> POST on the same path, same operationId: the method `Client::delete_pet` stays.
    let new = edit(BASE, "    delete:\n      operationId: deletePet\n", "    post:\n      operationId: deletePet\n");
    let r = check(
        BASE,
        &new,
        &[expect(OperationMoved, true, false, "POST /pets/{petId}", "moved from `DELETE /pets/{petId}`")],
    );
    assert!(r.changes[0].message.contains("Breaks the wire"), "{}", r.changes[0].message);
}

#[test]
fn an_empty_rust_reason_is_never_written() {
    // A removed operation whose only Rust items say nothing on their own (its method's
    // arguments) still names what goes.
    let r = check(
        BASE,
        &edit(BASE, "    delete:\n      operationId: deletePet\n      responses:\n        '204':\n          description: Deleted.\n", ""),
        &[expect(OperationRemoved, true, true, "DELETE /pets/{petId}", "operation removed")],
    );
    assert_claims_sound(&r);
    assert!(r.changes[0].message.contains("`Client::delete_pet`"), "{}", r.changes[0].message);
}

#[test]
fn request_enum_values_added_are_not_said_to_be_read_as_unknown() {
    // `NewPet.kind` is sent; `Kind` is also received, so the shared change says both. An enum only
    // sent never mentions what the old client reads.
    let old = edit(
        BASE,
        "        kind:\n          $ref: '#/components/schemas/Kind'\n    Error:",
        "        size:\n          type: string\n          enum: [small, large]\n    Error:",
    );
    let new = edit(&old, "          enum: [small, large]\n", "          enum: [small, large, huge]\n");
    let r = run(&old, &new);
    assert_eq!(r.changes.len(), 1, "{}", r.render_text());
    assert!(!r.changes[0].message.contains("Unknown"), "{}", r.changes[0].message);
}

#[test]
fn long_value_lists_are_cut_with_a_count() {
    let many: String = (0..40).map(|i| format!("        - v{i}\n")).collect();
    let r = changed(
        KIND,
        &format!("{KIND}{many}"),
        &[expect(EnumValueAdded, false, false, "/components/schemas/Kind", "schema `Kind`").level(Level::Minor)],
    );
    let m = &r.changes[0].message;
    assert!(m.contains("`v7`") && !m.contains("`v8`") && m.contains("and 32 more"), "{m}");
}

// ----- suppression and output options ------------------------------------------------------

#[test]
fn ignored_changes_are_listed_but_not_counted() {
    let new = edit(BASE, KIND, "        - dog\n");
    let (old, new) = (load(BASE), load(&new));
    let plain = diff(&old, &new);
    let removed = plain.changes.iter().find(|c| c.kind == EnumValueRemoved).expect("enum-value-removed");
    assert!(removed.breaking());
    // By fingerprint, and by kind and location.
    for rule in [
        format!("[[ignore]]\nfingerprint = \"{}\"\nreason = \"accepted\"\n", removed.fingerprint()),
        format!("[[ignore]]\nkind = \"enum-value-removed\"\nlocation = \"{}\"\n", removed.location),
    ] {
        let opts = sdkgen::diff::DiffOptions {
            ignore: Some(sdkgen::diff::Ignore::parse(&rule).unwrap()),
            render: sdkgen::diff::RenderOptions { format: sdkgen::diff::Format::Markdown, ..Default::default() },
        };
        let (report, md) = sdkgen::diff::run(&old, &new, &opts);
        assert!(!report.is_breaking(), "{md}");
        assert_eq!(report.semver(), Level::Patch, "{md}");
        assert!(md.contains("### Ignored") && md.contains(&removed.fingerprint()), "{md}");
        assert!(md.starts_with("## API changes: 1.0.0 -> 1.0.0\n"), "the heading names the versions: {md}");
    }
    assert!(sdkgen::diff::Ignore::parse("[[ignore]]\nkind = \"enum-value-removed\"\n").is_err(), "too broad");
    assert!(sdkgen::diff::Ignore::parse("[[ignore]]\nfingerprnt = \"x\"\n").is_err(), "unknown key");
}

#[test]
fn only_breaking_leaves_out_the_rest() {
    let (old, new) = peeker();
    for format in [sdkgen::diff::Format::Text, sdkgen::diff::Format::Markdown, sdkgen::diff::Format::Json] {
        let opts = sdkgen::diff::DiffOptions {
            render: sdkgen::diff::RenderOptions { format, only_breaking: true, ..Default::default() },
            ignore: None,
        };
        let (report, out) = sdkgen::diff::run(&old, &new, &opts);
        assert!(report.changes.iter().any(|c| !c.breaking()), "the pair has non-breaking changes");
        for c in &report.changes {
            let listed = out.contains(&c.fingerprint());
            assert_eq!(listed, c.breaking(), "{format:?} {} {}", c.kind, c.location);
        }
    }
}

/// The JUnit report is well-formed XML with a test case per change, failing exactly for the
/// breaking ones (each failure names its change's fingerprint), skipped for ignored ones, and
/// counts that agree with the report.
#[test]
fn junit_has_a_failing_test_case_per_breaking_change() {
    use quick_xml::events::Event;
    let (old, new) = peeker();
    let plain = diff(&old, &new);
    let ignored = plain.changes.iter().find(|c| c.breaking()).expect("the pair breaks something");
    let opts = sdkgen::diff::DiffOptions {
        render: sdkgen::diff::RenderOptions { format: sdkgen::diff::Format::Junit, ..Default::default() },
        ignore: Some(
            sdkgen::diff::Ignore::parse(&format!("[[ignore]]\nfingerprint = \"{}\"\n", ignored.fingerprint())).unwrap(),
        ),
    };
    let (report, xml) = sdkgen::diff::run(&old, &new, &opts);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped, mut in_failure) = (0, Vec::new(), 0, false);
    let mut totals = None;
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}")) {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .unwrap()
                        .map(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap().into_owned())
                };
                match e.name().as_ref() {
                    b"testsuites" => totals = Some((attr("tests"), attr("failures"), attr("skipped"))),
                    b"testcase" => cases += 1,
                    b"skipped" => skipped += 1,
                    b"failure" => {
                        failures.push(String::new());
                        in_failure = true;
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_failure => failures.last_mut().unwrap().push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) if in_failure => {
                let name = r.decode().unwrap();
                let ch = quick_xml::escape::resolve_predefined_entity(&name).unwrap_or("?");
                failures.last_mut().unwrap().push_str(ch);
            }
            Event::End(e) if e.name().as_ref() == b"failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    let breaking: Vec<_> = report.changes.iter().filter(|c| c.breaking()).collect();
    assert!(!breaking.is_empty());
    assert_eq!(cases, report.changes.len(), "{xml}");
    assert_eq!(skipped, 1, "{xml}");
    assert_eq!(failures.len(), breaking.len(), "{xml}");
    for (c, text) in breaking.iter().zip(&failures) {
        assert!(text.contains(&c.fingerprint()) && text.contains(&c.message), "{} {}:\n{text}", c.kind, c.location);
    }
    let n = |v: usize| Some(v.to_string());
    assert_eq!(totals, Some((n(cases), n(breaking.len()), n(1))), "{xml}");
}

// ----- shapes, not spellings: one minimal pair per blind spot ------------------------------------

/// No change of the pair breaks the wire.
fn no_wire_break(old: &str, new: &str) -> Report {
    let r = run(old, new);
    assert!(!r.changes.is_empty(), "the pair must differ");
    for c in &r.changes {
        assert!(!c.wire, "false wire alarm: {} at {}: {}", c.kind, c.location, c.message);
    }
    assert_claims_sound(&r);
    r
}

/// The `$ref: Pet` of `GET /pets/{petId}`'s response.
const GET_PET_SCHEMA: &str = "          description: A pet.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n";

#[test]
fn a_ref_wrapped_in_all_of_with_extras_is_not_every_property_removed() {
    let wrapped = GET_PET_SCHEMA.replace(
        "                $ref: '#/components/schemas/Pet'\n",
        "                allOf:\n                  - $ref: '#/components/schemas/Pet'\n                  - type: object\n                    properties:\n                      score:\n                        type: number\n",
    );
    let new = edit(BASE, GET_PET_SCHEMA, &wrapped);
    let r = no_wire_break(BASE, &new);
    assert!(r.changes.iter().any(|c| c.kind == AllOfMemberAdded), "{}", r.render_text());
    assert!(r.changes.iter().all(|c| c.kind != PropertyRemoved), "{}", r.render_text());
    // And unwrapped again.
    let r = no_wire_break(&new, BASE);
    assert!(r.changes.iter().any(|c| c.kind == AllOfMemberRemoved), "{}", r.render_text());
}

#[test]
fn a_ref_retargeted_to_a_compatible_schema_is_judged_by_shape() {
    // `PetV2` is `Pet` with an optional extra: it decodes as `Pet` did.
    let v2 = "    PetV2:\n      type: object\n      required:\n        - id\n        - name\n        - kind\n      properties:\n        id:\n          type: integer\n          format: int64\n        name:\n          type: string\n        kind:\n          $ref: '#/components/schemas/Kind'\n        nickname:\n          type: string\n    Owner:\n";
    let new = edit(&edit(BASE, "    Owner:\n", v2), GET_PET_SCHEMA, &GET_PET_SCHEMA.replace("/Pet'", "/PetV2'"));
    let r = no_wire_break(BASE, &new);
    let t = r.changes.iter().find(|c| c.kind == TypeChanged).expect("type-changed");
    assert!(t.rust, "the result type changes in Rust: {}", t.message);
    // A target that lacks a required property the old client reads does break it.
    let thin =
        v2.replace("        - kind\n", "").replace("        kind:\n          $ref: '#/components/schemas/Kind'\n", "");
    let new = edit(&edit(BASE, "    Owner:\n", &thin), GET_PET_SCHEMA, &GET_PET_SCHEMA.replace("/Pet'", "/PetV2'"));
    assert!(run(BASE, &new).changes.iter().any(|c| c.kind == TypeChanged && c.wire));
}

#[test]
fn additional_properties_beside_a_union_keeps_it_a_union() {
    let from = "    Shape:\n      oneOf:\n";
    let new = edit(BASE, from, "    Shape:\n      additionalProperties:\n        type: string\n      oneOf:\n");
    let r = no_wire_break(BASE, &new);
    assert!(r.changes.iter().all(|c| c.kind != TypeChanged), "{}", r.render_text());
}

#[test]
fn required_beside_all_of_is_merged_with_it() {
    // `email` moves from the inline member's `required` to the schema's own: still required.
    let old_owner = "    Owner:\n      allOf:\n        - $ref: '#/components/schemas/Named'\n        - type: object\n          properties:\n            email:\n              type: string\n";
    let old = edit(
        BASE,
        old_owner,
        &old_owner
            .replace("        - type: object\n", "        - type: object\n          required:\n            - email\n"),
    );
    let new =
        edit(BASE, old_owner, &old_owner.replace("    Owner:\n", "    Owner:\n      required:\n        - email\n"));
    no_wire_break(&old, &new);
}

#[test]
fn a_format_that_keeps_the_rust_type_changes_nothing_on_the_wire() {
    let header = "          name: X-Trace\n          schema:\n            type: string\n";
    let new = edit(BASE, header, &format!("{header}            format: uuid\n"));
    let r = check(
        BASE,
        &new,
        &[expect(FormatChanged, false, false, "/paths/~1pets~1{petId}/get/parameters/0/schema", "X-Trace")],
    );
    assert!(!r.is_breaking());
    // `integer` -> `int64` (both `i64`) likewise.
    let limit = LIMIT.replace("            format: int32\n", "");
    let old = edit(BASE, LIMIT, &limit);
    let new = edit(BASE, LIMIT, &limit.replace("type: integer\n", "type: integer\n            format: int64\n"));
    assert!(!run(&old, &new).is_breaking(), "{}", run(&old, &new).render_text());
}

#[test]
fn a_discriminator_mapping_that_gains_the_new_members_entry_is_fine() {
    let from = "    Shape:\n      oneOf:\n        - $ref: '#/components/schemas/Circle'\n        - $ref: '#/components/schemas/Square'\n";
    let map = "      discriminator:\n        propertyName: kind\n        mapping:\n          circle: '#/components/schemas/Circle'\n          square: '#/components/schemas/Square'\n";
    let old = edit(BASE, from, &format!("{from}{map}"));
    let new = edit(
        BASE,
        from,
        &format!(
            "{from}        - $ref: '#/components/schemas/Triangle'\n{map}          triangle: '#/components/schemas/Triangle'\n"
        ),
    );
    let r = no_wire_break(&old, &new);
    // The mapping's new entry is a patch; the new member (and its variant) is the member's change.
    assert!(r.changes.iter().any(|c| c.kind == DiscriminatorChanged && !c.breaking()), "{}", r.render_text());
    assert!(r.changes.iter().any(|c| c.kind == OneOfMemberAdded && c.rust), "{}", r.render_text());
    // A mapping value that now means another schema does break.
    let moved = edit(
        &old,
        "          square: '#/components/schemas/Square'\n",
        "          square: '#/components/schemas/Triangle'\n",
    );
    assert!(run(&old, &moved).changes.iter().any(|c| c.kind == DiscriminatorChanged && c.wire));
}

#[test]
fn union_members_are_matched_by_identity_not_position() {
    // Inline, tagged members; a new one inserted first is one addition, not a shift.
    let member = |tag: &str, prop: &str| {
        format!("        - type: object\n          properties:\n            kind:\n              type: string\n              enum: [{tag}]\n            {prop}:\n              type: number\n")
    };
    let from = "    Shape:\n      oneOf:\n        - $ref: '#/components/schemas/Circle'\n        - $ref: '#/components/schemas/Square'\n";
    let two = format!("    Shape:\n      oneOf:\n{}{}", member("circle", "radius"), member("square", "side"));
    let three = format!(
        "    Shape:\n      oneOf:\n{}{}{}",
        member("triangle", "base"),
        member("circle", "radius"),
        member("square", "side")
    );
    let (old, new) = (edit(BASE, from, &two), edit(BASE, from, &three));
    let r = run(&old, &new);
    let members: Vec<&Change> =
        r.changes.iter().filter(|c| matches!(c.kind, OneOfMemberAdded | OneOfMemberRemoved)).collect();
    assert_eq!(members.len(), 1, "{}", r.render_text());
    assert_eq!(members[0].kind, OneOfMemberAdded);
    assert!(members[0].message.contains("kind=triangle"), "{}", members[0].message);
    // Only the new member is a wire change (a received union without a discriminator). The
    // generated variant names are positional (`Object`, `Object2`), so Rust names shift: that
    // is lowering's naming of inline union members, reported as Rust-only changes.
    let wire: Vec<&Change> = r.changes.iter().filter(|c| c.wire).collect();
    assert_eq!(wire.len(), 1, "{}", r.render_text());
}

#[test]
fn a_sent_type_widened_to_a_union_that_contains_it_is_fine_on_the_wire() {
    let from = "        tag:\n          type: string\n        kind:";
    let to = "        tag:\n          oneOf:\n            - type: string\n            - type: array\n              items:\n                type: string\n        kind:";
    let r = no_wire_break(BASE, &edit(BASE, from, to));
    let t = r.changes.iter().find(|c| c.kind == TypeChanged).expect("type-changed");
    assert!(t.rust, "the field's Rust type changes: {}", t.message);
    // Received, the same widening breaks: the old client cannot read an array.
    let recv = edit(BASE, PET_TAG, "        tag:\n          oneOf:\n            - type: string\n            - type: array\n              items:\n                type: string\n        status:");
    assert!(run(BASE, &recv).changes.iter().any(|c| c.kind == TypeChanged && c.wire));
}

// ----- response headers, callbacks, webhooks ----------------------------------------------------

#[test]
fn a_required_response_header_removed_breaks_the_wire() {
    let headers = "          description: A pet.\n          headers:\n            X-Rate-Limit:\n              required: true\n              schema:\n                type: integer\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\n";
    let with = edit(BASE, GET_PET_SCHEMA, headers);
    check(
        &with,
        BASE,
        &[expect(
            HeaderRemoved,
            true,
            false,
            "/paths/~1pets~1{petId}/get/responses/200/headers/X-Rate-Limit",
            "`X-Rate-Limit`",
        )],
    );
    check(
        BASE,
        &with,
        &[expect(
            HeaderAdded,
            false,
            false,
            "/paths/~1pets~1{petId}/get/responses/200/headers/X-Rate-Limit",
            "`X-Rate-Limit`",
        )
        .level(Level::Minor)],
    );
    // Its type narrowed on the way out: received, so a response narrowing is fine; widened is not.
    let string = with.replace(
        "              schema:\n                type: integer\n",
        "              schema:\n                type: string\n",
    );
    assert!(run(&with, &string).changes.iter().any(|c| c.kind == TypeChanged && c.wire));
}

#[test]
fn callbacks_are_compared() {
    let cb = |extra: &str| {
        format!(
            "      callbacks:\n        petEvent:\n          '{{$request.body#/url}}':\n            post:\n              requestBody:\n                content:\n                  application/json:\n                    schema:\n                      type: object\n                      required: [id{extra}]\n                      properties:\n                        id:\n                          type: string\n                        at:\n                          type: string\n              responses:\n                '200':\n                  description: ok\n"
        )
    };
    let with = |extra: &str| edit(BASE, DELETE, &format!("{DELETE}{}", cb(extra)));
    check(
        BASE,
        &with(""),
        &[expect(
            CallbackAdded,
            false,
            false,
            "/paths/~1pets~1{petId}/delete/callbacks/petEvent",
            "DELETE /pets/{petId}",
        )
        .level(Level::Minor)],
    );
    // The callback's body is received by the client: a property that stops being required breaks it.
    let r = run(&with(", at"), &with(""));
    assert!(r.changes.iter().any(|c| c.kind == PropertyRequiredChanged && c.wire), "{}", r.render_text());
}

#[test]
fn webhooks_are_compared_as_received() {
    let hook = |required: &str| {
        format!("webhooks:\n  petAdopted:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [{required}]\n              properties:\n                id:\n                  type: string\n                by:\n                  type: string\n      responses:\n        '200':\n          description: ok\ncomponents:\n")
    };
    let (old, new) = (edit(BASE, "components:\n", &hook("id, by")), edit(BASE, "components:\n", &hook("id")));
    let r = run(&old, &new);
    let c = r.changes.iter().find(|c| c.kind == PropertyRequiredChanged).expect("property-required-changed");
    assert!(c.wire && c.location.starts_with("/x-webhooks/petAdopted"), "{}", r.render_text());
    let r = run(BASE, &old);
    assert!(r.changes.iter().any(|c| c.kind == WebhookAdded && !c.breaking()), "{}", r.render_text());
}

// ----- a front that tolerates what generation refuses -----------------------------------------

#[test]
fn a_duplicate_operation_id_is_compared_with_a_warning() {
    // Generation refuses it; the diff reads past it and says so.
    let dup = edit(BASE, "      operationId: deletePet\n", "      operationId: getPet\n");
    assert!(sdkgen::generate(dup.as_bytes(), &sdkgen::GenerateOptions::default()).is_err());
    let (old, new) = (load(BASE), load(&dup));
    let w: Vec<String> = new.warnings.warnings().map(|d| format!("{}: {}", d.pointer, d.message)).collect();
    assert!(
        w.iter()
            .any(|w| w.contains("/paths/~1pets~1{petId}/delete/operationId")
                && w.contains("duplicate operationId `getPet`")),
        "{w:?}"
    );
    let r = diff(&old, &new);
    assert!(r.changes.iter().any(|c| c.kind == OperationRenamed), "{}", r.render_text());
}

#[test]
fn one_value_union_members_are_matched_by_their_value() {
    // A model list written as `anyOf: [string, {const: a}, {const: b}]` (Anthropic's): a value
    // inserted first is one addition, not every later value removed.
    let from = "        tag:\n          type: string\n        kind:";
    let models = |values: &[&str]| {
        let members: String =
            values.iter().map(|v| format!("            - type: string\n              enum: [{v}]\n")).collect();
        format!("        tag:\n          anyOf:\n            - type: string\n{members}        kind:")
    };
    let old = edit(BASE, from, &models(&["m-1", "m-2"]));
    let new = edit(BASE, from, &models(&["m-3", "m-1", "m-2"]));
    let r = run(&old, &new);
    assert!(r.changes.iter().all(|c| !c.wire && c.kind != EnumValueRemoved), "{}", r.render_text());
    assert!(r.changes.iter().any(|c| c.kind == OneOfMemberAdded && c.message.contains("`m-3`")), "{}", r.render_text());
}

#[test]
fn long_groups_are_cut_with_a_count_but_breaking_changes_never_are() {
    // 30 optional properties added to a received type: additions, cut after 25 in markdown.
    let extra: String = (0..30).map(|i| format!("        extra{i}:\n          type: string\n")).collect();
    let new = edit(BASE, PET_TAG, &format!("{extra}{PET_TAG}"));
    let md = run(BASE, &new).render_markdown("t");
    assert!(md.contains("- ... and 5 more changes here"), "{md}");
    // The same properties removed: breaking in Rust, all listed.
    let md = run(&new, BASE).render_markdown("t");
    assert_eq!(md.matches("property-removed").count(), 30, "{md}");
    assert!(!md.contains("more changes here"), "{md}");
}

// ----- false alarms found in the pinned pairs (a seeded sample of 60 wire claims) ---------------

/// A spec with one operation that receives `Event` (untagged `anyOf`) and sends `Options` in
/// its body (an `anyOf` of a settings object and `""`, as Stripe writes them).
const UNIONS: &str = r##"
openapi: 3.0.3
info: {title: Events, version: '1'}
paths:
  /events:
    post:
      operationId: listEvents
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              properties:
                options:
                  anyOf:
                    - title: options_param
                      type: object
                      properties:
                        expires_after_days: {type: integer}
                    - type: string
                      enum: ['']
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Event'}
components:
  schemas:
    Event:
      anyOf:
        - $ref: '#/components/schemas/LabeledEvent'
        - $ref: '#/components/schemas/ProjectEvent'
    LabeledEvent:
      type: object
      required: [id, event, label]
      properties:
        id: {type: integer}
        event: {type: string}
        label: {type: string}
    ProjectEvent:
      type: object
      required: [id, event]
      properties:
        id: {type: integer}
        event: {type: string}
        project_card: {type: object, properties: {id: {type: integer}}}
#MORE
"##;

#[test]
fn a_received_member_an_old_member_already_reads_is_no_wire_break() {
    // GitHub 22 -> 23 added `parent-issue-added-issue-event` (and ten more) to the issue events'
    // `anyOf`; the old `added-to-project-issue-event` reads each of them (its required
    // properties are theirs, nothing closed), so the old client still decodes them.
    let added = "    ParentEvent:\n      type: object\n      required: [id, event, parent_issue]\n      properties:\n        id: {type: integer}\n        event: {type: string}\n        parent_issue: {type: integer}\n";
    let old = UNIONS.replace("#MORE\n", "");
    let new = UNIONS
        .replace(
            "        - $ref: '#/components/schemas/ProjectEvent'\n",
            "        - $ref: '#/components/schemas/ProjectEvent'\n        - $ref: '#/components/schemas/ParentEvent'\n",
        )
        .replace("#MORE\n", added);
    let r = no_wire_break(&old, &new);
    let c = r.changes.iter().find(|c| c.kind == OneOfMemberAdded).expect("one-of-member-added");
    assert!(c.rust, "a new variant still breaks exhaustive matches: {}", c.message);
    // A member no old one reads (an `id` of another type) still breaks the wire.
    let new = new
        .replace(
            "        parent_issue: {type: integer}\n",
            "        parent_issue: {type: integer}\n        event_id: {type: string}\n",
        )
        .replace("required: [id, event, parent_issue]", "required: [event, parent_issue]");
    let r = run(&old, &new);
    let c = r.changes.iter().find(|c| c.kind == OneOfMemberAdded).expect("one-of-member-added");
    assert!(c.wire, "ProjectEvent requires `id`, which the new member may leave out: {}", c.message);
}

#[test]
fn an_optional_one_value_setting_is_not_a_members_tag() {
    // Stripe 2021 -> 2025: `payment_method_options.oxxo`'s object member (title
    // `payment_method_options_param`) gained `setup_future_usage: {enum: [none]}`; it is the
    // same member, widened, not one removed and another added.
    let old = UNIONS.replace("#MORE\n", "");
    let new = old.replace(
        "                        expires_after_days: {type: integer}\n",
        "                        expires_after_days: {type: integer}\n                        setup_future_usage: {type: string, enum: [none]}\n",
    );
    let r = no_wire_break(&old, &new);
    assert!(
        r.changes.iter().all(|c| c.kind != OneOfMemberRemoved && c.kind != OneOfMemberAdded),
        "{}",
        r.render_text()
    );
}

#[test]
fn a_sent_member_replaced_by_a_wider_one_is_no_wire_break() {
    // The member's identity changes (another title), but the new member accepts every value
    // of the old one: what the old client sends is still accepted.
    let old = UNIONS.replace("#MORE\n", "");
    let new = old.replace("title: options_param", "title: options_params").replace(
        "                        expires_after_days: {type: integer}\n",
        "                        expires_after_days: {type: integer}\n                        note: {type: string}\n",
    );
    let r = no_wire_break(&old, &new);
    assert!(r.changes.iter().any(|c| c.kind == OneOfMemberRemoved), "{}", r.render_text());
    // Narrowed (the old member's property is gone from a closed object), it breaks.
    let narrowed = old.replace("title: options_param", "title: options_params").replace(
        "                      properties:\n                        expires_after_days: {type: integer}\n",
        "                      additionalProperties: false\n                      properties:\n                        note: {type: string}\n",
    );
    let r = run(&old, &narrowed);
    let c = r.changes.iter().find(|c| c.kind == OneOfMemberRemoved).expect("one-of-member-removed");
    assert!(c.wire, "{}", c.message);
}

#[test]
fn closing_a_sent_object_the_old_client_never_extended_is_no_wire_break() {
    // GitHub 22 -> 23: `POST /orgs/{org}/projectsV2/{project_number}/items`' body gained
    // `additionalProperties: false`; the old client has no map of extras, so it sends only the
    // declared properties, all still declared.
    let old = UNIONS.replace("#MORE\n", "").replace("              additionalProperties: false\n", "");
    let new = UNIONS.replace("#MORE\n", "");
    let r = no_wire_break(&old, &new);
    assert!(r.changes.iter().any(|c| c.kind == AdditionalPropertiesChanged), "{}", r.render_text());
    // An old client with a map of extras loses them: that breaks.
    let open = old.replace(
        "            schema:\n              type: object\n              properties:\n                options:",
        "            schema:\n              type: object\n              additionalProperties: {type: string}\n              properties:\n                options:",
    );
    let r = run(&open, &new);
    let c = r.changes.iter().find(|c| c.kind == AdditionalPropertiesChanged).expect("additional-properties-changed");
    assert!(c.wire, "{}", c.message);
}
