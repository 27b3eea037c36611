// Reads an OpenAPI document on stdin and writes its TypeScript types on stdout (openapi-typescript).
// Run with `node --import ./scripts/openapi/typescript5.mjs`: see typescript5-hook.mjs.
import { text } from "node:stream/consumers";
import openapiTS, { astToString } from "openapi-typescript";

const document = JSON.parse(await text(process.stdin));
const nodes = await openapiTS(document, { alphabetize: false, exportType: false });
process.stdout.write(astToString(nodes));
