// openapi-typescript needs the TypeScript compiler API, which TypeScript 7 does not have: inside that
// package only, `typescript` resolves to TypeScript 5 (installed as `typescript5`); nothing else changes.
export async function resolve(specifier, context, next) {
  if (specifier === "typescript" && context.parentURL?.includes("/node_modules/openapi-typescript/")) {
    return next("typescript5", context);
  }
  return next(specifier, context);
}
