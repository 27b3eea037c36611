// Builds the API's OpenAPI 3.1 document from the code: the route table, the schemas each route validates
// its path, query and body with, the response shapes (responses.ts) and the problem kinds (problems.ts).
// Only the build (`npm run openapi`) and the tests run this; the health function serves the built file.
import {
  type ConversionConfig,
  type JsonSchema,
  toJsonSchema,
  toJsonSchemaDefs,
} from "@valibot/to-json-schema";
import type * as v from "valibot";
import type { AnyRouteDefinition } from "./handler.ts";
import { type ProblemSlug, problemKinds, problemType } from "./problems.ts";
import { namedSchemas, type RouteResponse, routeResponses } from "./responses.ts";
import { functionGroups, type RouteEntry, type RouteGroup, routeKey, routeTable } from "./routes.ts";
import { idempotencyKeyPattern } from "./schemas.ts";

/** Each group's route definitions, by `METHOD /path`, as the functions export them. */
export type DefinitionsByGroup = Readonly<Record<RouteGroup, Readonly<Record<string, AnyRouteDefinition>>>>;

export interface DocumentInfo {
  readonly version: string;
}

type Json = Record<string, unknown>;

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Actions JSON Schema cannot say: a check is described in its own words (the schema stays as wide as
 * its type), and trimming is left out (the lengths then describe the value the service trims first).
 */
const conversion: ConversionConfig = {
  target: "draft-2020-12",
  typeMode: "input",
  errorMode: "throw",
  overrideAction: ({ valibotAction, jsonSchema }) => {
    if (valibotAction.type === "trim") return jsonSchema;
    if (valibotAction.type === "check") {
      const message = (valibotAction as { message?: unknown }).message;
      const rule = typeof message === "string" ? message : "a rule checked by the service";
      return { ...jsonSchema, description: [jsonSchema.description, rule].filter(Boolean).join(". ") };
    }
    return undefined;
  },
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
};

const withoutDialect = (schema: JsonSchema): Json => {
  const { $schema: _dialect, ...rest } = schema as Json;
  return rest;
};

const convert = (schema: v.GenericSchema): Json => withoutDialect(toJsonSchema(schema, conversion));

/** A strict object of path or query parameters, one OpenAPI parameter per property. */
const parametersOf = (where: "path" | "query", schema: v.GenericSchema | undefined): Json[] => {
  if (!schema) return [];
  const object = convert(schema) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
};

const correlationHeader = { "X-Correlation-Id": { $ref: "#/components/headers/CorrelationId" } };

const slugList = (slugs: readonly ProblemSlug[]) =>
  slugs.map((slug) => `\`${slug}\` (${problemKinds[slug].title.toLowerCase()})`).join(", ");

/**
 * The refusals every route of a kind can give, before its own work, and the route's own: one shared
 * response per status and set of slugs, named after both (`Refused403-forbidden-step-required`).
 */
const refusalsOf = (
  route: RouteEntry,
  definition: AnyRouteDefinition,
  answer: RouteResponse,
  shared: Map<string, Json>,
) => {
  const slugs: ProblemSlug[] = ["validation"];
  if (definition.body || definition.file) slugs.push("too-large", "unsupported-media-type");
  if (route.auth === "session")
    slugs.push("unauthenticated", "forbidden", "step-required", "locked", "contract-stopped");
  if (route.auth === "ops") slugs.push("forbidden", "not-found");
  slugs.push(...(answer.problems ?? []), "too-many-requests", "internal", "unavailable");
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of new Set(slugs)) {
    // One slug, two statuses (api.md): wrong credentials of an anonymous caller (logon, the token app's
    // provisioning) are 401, a wrong secret of a signed-in caller 403.
    const status =
      slug === "invalid-credentials" && route.auth !== "public" ? 403 : problemKinds[slug].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, kinds]) => {
        const name = [`Refused${status}`, ...kinds.sort()].join("-");
        shared.set(name, {
          description: `Refused: ${slugList(kinds)}`,
          headers: correlationHeader,
          content: { "application/problem+json": { schema: schemaRef("Problem") } },
        });
        return [String(status), { $ref: `#/components/responses/${name}` }];
      }),
  );
};

const successOf = (answer: RouteResponse) => {
  const content = answer.body
    ? { "application/json": { schema: schemaRef(answer.body) } }
    : answer.media
      ? Object.fromEntries(
          [answer.media]
            .flat()
            .map((media) => [media.type, { schema: { type: "string", description: media.description } }]),
        )
      : undefined;
  return {
    description: answer.description,
    headers: correlationHeader,
    ...(content ? { content } : {}),
  };
};

/** `GET /v1/users/{userId}` → `getUsersByUserId`. */
const operationIdOf = (route: RouteEntry): string =>
  route.method.toLowerCase() +
  route.path
    .replace(/^\/v1/, "")
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
      const words = (parameter ? `by-${parameter}` : segment).split(/[^A-Za-z0-9]+|(?=[A-Z])/);
      return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
    })
    .join("");

const securityOf = (route: RouteEntry) =>
  route.auth === "public" ? [] : route.auth === "session" ? [{ session: [] }] : [{ ops: [] }];

const operationOf = (route: RouteEntry, definition: AnyRouteDefinition, shared: Map<string, Json>): Json => {
  const answer: RouteResponse =
    routeResponses[routeKey(route.method, route.path) as keyof typeof routeResponses];
  const parameters = [
    ...parametersOf("path", definition.params),
    ...parametersOf("query", definition.query),
    ...(answer.idempotencyKey
      ? [
          {
            name: "Idempotency-Key",
            in: "header",
            required: true,
            description:
              "Chosen by the client for each new request; a repeat with the same body answers as the first did.",
            schema: { type: "string", pattern: idempotencyKeyPattern.source },
          },
        ]
      : []),
  ];
  // While a logon step is pending, a session may use only that step's routes (and logout).
  const step =
    route.step === "any"
      ? "Open to a session at any logon step, as to a fully authenticated one."
      : route.step
        ? `Open to a session whose pending logon step is \`${route.step}\`, as to a fully authenticated one.`
        : route.auth === "session"
          ? "Needs a fully authenticated session: while a logon step is pending, the answer is 403 `step-required`."
          : "";
  return {
    operationId: operationIdOf(route),
    summary: answer.summary,
    ...(step ? { description: step } : {}),
    tags: [route.group],
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(definition.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: convert(definition.body) } },
          },
        }
      : {}),
    ...(definition.file
      ? {
          requestBody: {
            required: true,
            content: {
              "application/vnd.zengin": {
                schema: {
                  type: "string",
                  contentMediaType: "application/octet-stream",
                  description:
                    "A 全銀協規定形式 総合振込 file: 120-byte Shift_JIS records (header, data, trailer, end), with or without CRLF.",
                },
              },
              "text/csv": {
                schema: {
                  type: "string",
                  description:
                    "UTF-8 CSV whose first line names the columns: bankCode, branchCode, accountType, accountNumber, payeeName, amount; optionally bankName, branchName, newCode, customerCode1, customerCode2, ediInfo, transferMethod.",
                },
              },
            },
          },
        }
      : {}),
    responses: {
      [String(answer.status)]: successOf(answer),
      ...refusalsOf(route, definition, answer, shared),
    },
  };
};

/** The document: every route of the table, with the schemas its function validates with. */
export const buildOpenApiDocument = (definitions: DefinitionsByGroup, info: DocumentInfo): Json => {
  const paths: Record<string, Record<string, Json>> = {};
  const refusals = new Map<string, Json>();
  for (const route of routeTable) {
    const definition = definitions[route.group][routeKey(route.method, route.path)];
    if (!definition) throw new Error(`No definition for ${routeKey(route.method, route.path)}`);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operationOf(
      route,
      definition,
      refusals,
    );
  }
  const schemas = Object.fromEntries(
    Object.entries(toJsonSchemaDefs(namedSchemas, conversion)).map(([name, schema]) => [
      name,
      withoutDialect(schema),
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "corporate-ib",
      version: info.version,
      description:
        "Internet banking for corporate customers with delegated users. Every refusal is RFC 9457 " +
        "`application/problem+json`; the last path segment of its `type` is one of the slugs below.\n\n" +
        Object.entries(problemKinds)
          .map(([slug, kind]) => `- \`${problemType(slug as ProblemSlug)}\` (${kind.status}): ${kind.title}`)
          .join("\n"),
    },
    servers: [{ url: "/", description: "The API's own origin (the console's, locally)" }],
    tags: Object.entries(functionGroups).map(([name, group]) => ({ name, description: group.description })),
    paths,
    components: {
      schemas,
      responses: Object.fromEntries([...refusals.entries()].sort(([a], [b]) => a.localeCompare(b))),
      headers: {
        CorrelationId: {
          description:
            "The request's correlation ID (the caller's own when well formed): quote it to the bank.",
          schema: { type: "string" },
        },
      },
      securitySchemes: {
        session: {
          type: "http",
          scheme: "bearer",
          description: "The session token `POST /v1/sessions` answers, as `Authorization: Bearer <token>`.",
        },
        ops: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "Bank operations: an IAM (SigV4) signature on AWS; locally `Bearer <ops key>` (printed by `npm start`).",
        },
      },
    },
  };
};
