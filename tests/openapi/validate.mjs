#!/usr/bin/env node
// Validates real server responses against the OpenAPI document.
//
//   node tests/openapi/validate.mjs [api/openapi.json] [build/openapi-responses.jsonl]
//
// The responses file is written by tests/openapi_test.cc (ctest `openapi_record`): one JSON
// object per line, {method, route, path, status, content_type, headers, body}, where `route`
// is the route pattern ("/v1/needs/{id}") and `body` the raw response body. For each one this
// script finds the operation (paths[route][method]) and its response for the status, follows
// the document's $refs, picks the media type matching the response's Content-Type and
// validates the body with Ajv against that schema (JSON Schema 2020-12, formats checked), and
// the response's headers against the headers the document requires. It also checks that error
// responses are problem documents carrying their own status.
//
// A response whose (route, method, status) or content type the document does not describe at
// all is a failure too. Every schema of the document is compiled in strict mode first, so a
// misspelt keyword fails here rather than silently validating nothing.
//
// Prints each failure, then what the document describes but no test exercised (for
// information), and ends with "N passed, M failed". Exit status 1 when anything failed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const [docPath = path.join(root, "api/openapi.json"), recordsPath = path.join(root, "build/openapi-responses.jsonl")] =
  process.argv.slice(2);

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const BASE = "https://expectmatch.invalid/openapi.json";

let passed = 0;
let failed = 0; // failing responses, and other failures (schemas, missing operations)
const failures = [];
function fail(where, message, count = true) {
  failures.push(`FAIL ${where}: ${message}`);
  if (count) failed += 1;
}

const doc = JSON.parse(readFileSync(docPath, "utf8"));

// Ajv for JSON Schema 2020-12 (the dialect of OpenAPI 3.1). Strict mode refuses unknown
// keywords; OpenAPI adds a few of its own to schemas, declared here as a vocabulary.
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addVocabulary(["example", "discriminator", "xml", "externalDocs"]);
// The schemas are reached by JSON pointer into one root resource holding the document's paths
// and components, so that their "#/components/schemas/..." references resolve. Ajv compiles
// that root too: its two non-schema members are declared as (annotation) keywords.
ajv.addVocabulary(["paths", "components"]);
ajv.addSchema({ $id: BASE, paths: doc.paths, components: doc.components });

const escapePointer = (segment) => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const pointerOf = (segments) => "/" + segments.map(escapePointer).join("/");

// Follows an OpenAPI $ref ("#/components/responses/NotFound") to its target and JSON pointer.
function deref(node, pointer) {
  const seen = new Set();
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    const ref = node.$ref;
    if (!ref.startsWith("#/") || seen.has(ref)) throw new Error(`unsupported or circular $ref ${ref} at ${pointer}`);
    seen.add(ref);
    pointer = ref.slice(1);
    node = ref
      .slice(2)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((at, key) => (at === undefined ? undefined : at[key]), doc);
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return { node, pointer };
}

const validators = new Map();
function validatorAt(pointer) {
  if (!validators.has(pointer)) {
    const validate = ajv.getSchema(`${BASE}#${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    validators.set(pointer, validate);
  }
  return validators.get(pointer);
}

function describeErrors(errors, whole = "(body)") {
  return errors
    .map((e) => `${e.instancePath || whole} ${e.message}${e.params && Object.keys(e.params).length ? " " + JSON.stringify(e.params) : ""}`)
    .join("; ");
}

const mediaType = (contentType) => String(contentType || "").split(";")[0].trim().toLowerCase();
const isJson = (type) => type === "application/json" || type.endsWith("+json");

// Every schema of the document compiles (strict mode), whether or not a response uses it.
const schemaPointers = [];
for (const name of Object.keys(doc.components?.schemas ?? {})) schemaPointers.push(pointerOf(["components", "schemas", name]));
const documented = new Map(); // "METHOD route status" -> exercised?
function addParameterSchemas(parameters, pointer) {
  (parameters ?? []).forEach((parameter, index) => {
    const p = deref(parameter, `${pointer}/${index}`);
    if (p.node.schema) schemaPointers.push(`${p.pointer}/schema`);
  });
}
for (const [route, item] of Object.entries(doc.paths ?? {})) {
  addParameterSchemas(item.parameters, pointerOf(["paths", route, "parameters"]));
  for (const method of METHODS) {
    const operation = item[method];
    if (!operation) continue;
    addParameterSchemas(operation.parameters, pointerOf(["paths", route, method, "parameters"]));
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      documented.set(`${method.toUpperCase()} ${route} ${status}`, false);
      const { node, pointer } = deref(response, pointerOf(["paths", route, method, "responses", status]));
      for (const [type, media] of Object.entries(node.content ?? {})) {
        if (media.schema) schemaPointers.push(`${pointer}/content/${escapePointer(type)}/schema`);
      }
      for (const [name, header] of Object.entries(node.headers ?? {})) {
        const h = deref(header, `${pointer}/headers/${escapePointer(name)}`);
        if (h.node.schema) schemaPointers.push(`${h.pointer}/schema`);
      }
    }
    const body = operation.requestBody && deref(operation.requestBody, pointerOf(["paths", route, method, "requestBody"]));
    for (const [type, media] of Object.entries(body?.node.content ?? {})) {
      if (media.schema) schemaPointers.push(`${body.pointer}/content/${escapePointer(type)}/schema`);
    }
  }
}
for (const pointer of new Set(schemaPointers)) {
  try {
    validatorAt(pointer);
  } catch (e) {
    fail(`schema ${pointer}`, e.message);
  }
}

// A route pattern as a regular expression over concrete paths.
function routeRegExp(route) {
  const escaped = route.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^/}]+\}/g, "[^/]+");
  return new RegExp(`^${escaped}$`);
}

let records = [];
try {
  records = readFileSync(recordsPath, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
} catch (e) {
  fail(recordsPath, `cannot read the recorded responses (run the ctest openapi_record first): ${e.message}`);
}

records.forEach((line, index) => {
  let record;
  try {
    record = JSON.parse(line);
  } catch (e) {
    fail(`${recordsPath}:${index + 1}`, `not JSON: ${e.message}`);
    return;
  }
  const { method, route, status } = record;
  const where = `${method} ${route} ${status} (${record.path}, line ${index + 1})`;
  const problems = [];
  check: {
    if (!routeRegExp(route).test(String(record.path).split("?")[0])) problems.push(`the path does not match the route ${route}`);
    const operation = doc.paths?.[route]?.[String(method).toLowerCase()];
    if (!operation) {
      problems.push("the operation is not documented");
      break check;
    }
    const ref = operation.responses?.[String(status)];
    if (!ref) {
      problems.push(`status ${status} is not documented (documented: ${Object.keys(operation.responses ?? {}).join(", ")})`);
      break check;
    }
    documented.set(`${method} ${route} ${status}`, true);
    const { node: response, pointer } = deref(ref, pointerOf(["paths", route, method.toLowerCase(), "responses", String(status)]));

    const headers = Object.fromEntries(Object.entries(record.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const h = deref(header, `${pointer}/headers/${escapePointer(name)}`);
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (h.node.required) problems.push(`the required header ${name} is missing`);
        continue;
      }
      if (h.node.schema) {
        try {
          const validate = validatorAt(`${h.pointer}/schema`);
          if (!validate(value)) problems.push(`header ${name}: ${describeErrors(validate.errors, "its value")}`);
        } catch (e) {
          problems.push(`the document's schema of header ${name} does not compile: ${e.message}`);
        }
      }
    }

    const type = mediaType(record.content_type);
    const content = response.content ?? {};
    if (Object.keys(content).length === 0) {
      if (record.body) problems.push(`a body of type ${type} where the document describes none`);
      break check;
    }
    const documentedType = Object.keys(content).find((t) => mediaType(t) === type);
    if (!documentedType) {
      problems.push(`content type "${record.content_type}" is not documented (documented: ${Object.keys(content).join(", ")})`);
      break check;
    }
    let body = record.body;
    if (isJson(type)) {
      try {
        body = JSON.parse(record.body);
      } catch (e) {
        problems.push(`the body is not JSON: ${e.message}`);
        break check;
      }
    }
    if (status >= 400 && !(type === "application/problem+json" && body && body.status === status)) {
      problems.push("an error response that is not a problem document with its own status");
    }
    if (content[documentedType].schema) {
      let validate;
      try {
        validate = validatorAt(`${pointer}/content/${escapePointer(documentedType)}/schema`);
      } catch (e) {
        problems.push(`the document's schema does not compile: ${e.message}`);
        break check;
      }
      if (!validate(body)) problems.push(describeErrors(validate.errors));
    }
  }
  if (problems.length === 0) {
    passed += 1;
  } else {
    failed += 1;
    for (const problem of problems) fail(where, problem, false);
  }
});

const missing = [...documented].filter(([, exercised]) => !exercised).map(([key]) => key);
const opOf = (key) => key.split(" ").slice(0, 2).join(" ");
const operations = new Set([...documented.keys()].map(opOf));
const exercisedOps = new Set([...documented].filter(([, exercised]) => exercised).map(([key]) => opOf(key)));
for (const op of operations) {
  if (!exercisedOps.has(op)) fail(op, "no recorded response at all");
}
if (records.length === 0) fail(recordsPath, "no recorded responses");

for (const failure of failures) console.log(failure);
console.log(
  `${operations.size} operations, ${documented.size} documented responses (${documented.size - missing.length} exercised), ` +
    `${new Set(schemaPointers).size} schemas compiled, ${records.length} recorded responses`,
);
const byStatus = {};
for (const key of missing) (byStatus[key.split(" ")[2]] ??= []).push(opOf(key));
for (const [status, ops] of Object.entries(byStatus)) {
  console.log(`documented, not exercised: ${status} on ${ops.length > 6 ? `${ops.length} operations` : ops.join(", ")}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
