// The local stack runs on this machine's Node 20 while Lambda runs Node 22: the AWS SDK's notice that
// future SDK releases will need Node 22 is known (README) and would otherwise open every start and test.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === "string" ? warning : warning.message;
  if (text.startsWith("NodeVersionSupportWarning")) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
