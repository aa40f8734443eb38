/**
 * The negative-input fuzzer: for every operation of the served OpenAPI
 * document, invalid requests derived from its schemas (fuzz-cases.ts), sent
 * with the admin operations token so that role guards let them reach the
 * validation. Each must be refused with a 4xx: a 5xx, or a 2xx/3xx for input
 * the document calls invalid, fails the operation's test. Every response is
 * also checked against the document by api().
 */
import { afterAll, describe, expect, it } from "vitest";
import { operationsOf, servedDocument } from "../helpers/contract.ts";
import { api } from "../helpers/http.ts";
import { fuzzCases } from "./fuzz-cases.ts";

const doc = await servedDocument();
const operations = operationsOf(doc);
const tally = { operations: 0, requests: 0, serverErrors: 0, accepted: 0 };

describe("every operation refuses invalid input with a 4xx, never a 5xx", () => {
  it("covers every operation of the document", () => {
    expect(operations.length).toBeGreaterThan(150);
    const fuzzed = operations.filter((op) => fuzzCases(doc, op).length > 0);
    // Only operations without any input (no parameter, no body) have nothing invalid to send.
    for (const op of operations.filter((o) => !fuzzed.includes(o))) {
      expect(op.operation.parameters ?? [], `${op.method} ${op.path}`).toEqual([]);
      expect(op.operation.requestBody, `${op.method} ${op.path}`).toBeUndefined();
    }
  });

  for (const op of operations) {
    const cases = fuzzCases(doc, op);
    if (cases.length === 0) continue;
    it(`${op.method.toUpperCase()} ${op.path} (${op.operation.operationId})`, async () => {
      tally.operations++;
      const wrong: string[] = [];
      for (const c of cases) {
        const res = await api(c.url, { method: c.method.toUpperCase(), headers: c.headers, body: c.body });
        await res.arrayBuffer();
        tally.requests++;
        if (res.status >= 500) tally.serverErrors++;
        if (res.status < 400) tally.accepted++;
        if (res.status >= 500 || res.status < 400) wrong.push(`${c.name}: ${res.status}`);
      }
      expect(wrong, `${op.method.toUpperCase()} ${op.path}`).toEqual([]);
    });
  }

  afterAll(() => {
    console.log(
      `contract fuzz: ${tally.requests} invalid requests over ${tally.operations} operations; 5xx: ${tally.serverErrors}; accepted (2xx/3xx): ${tally.accepted}`,
    );
  });
});
