import { describe, expect, it } from "vitest";
import { Problem, problemDocument, problemKinds } from "#shared/http/problems";

describe("problem details", () => {
  it("has every slug of the API with the status the API gives it", () => {
    const api = {
      validation: 400,
      unauthenticated: 401,
      "invalid-credentials": 401,
      forbidden: 403,
      "step-required": 403,
      "not-found": 404,
      conflict: 409,
      "idempotency-conflict": 409,
      gone: 410,
      "too-large": 413,
      "pin-policy": 422,
      "limit-exceeded": 422,
      "insufficient-funds": 422,
      locked: 423,
      "contract-stopped": 423,
    };
    for (const [slug, status] of Object.entries(api)) {
      expect(problemKinds[slug as keyof typeof problemKinds]?.status, slug).toBe(status);
    }
  });

  it("renders RFC 9457 members with the slug as the type's last segment", () => {
    const document = problemDocument(
      new Problem("invalid-credentials", "The confirmation PIN is not correct.", { status: 403 }),
      "corr-1234567",
    );
    expect(document).toEqual({
      type: "/problems/invalid-credentials",
      title: "The credentials are not correct",
      status: 403,
      detail: "The confirmation PIN is not correct.",
      correlationId: "corr-1234567",
    });
  });

  it("does not let an extension overwrite the standard members", () => {
    const document = problemDocument(
      new Problem("conflict", "Already approved.", { extensions: { status: 200, type: "x", pending: null } }),
    );
    expect(document.status).toBe(409);
    expect(document.type).toBe("/problems/conflict");
    expect(document.pending).toBeNull();
  });
});
