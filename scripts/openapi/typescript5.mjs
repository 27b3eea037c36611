// Registers typescript5-hook.mjs: `node --import ./scripts/openapi/typescript5.mjs …`.
import { register } from "node:module";

register("./typescript5-hook.mjs", import.meta.url);
