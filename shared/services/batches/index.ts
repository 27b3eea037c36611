// Bulk transfers (総合振込, 給与・賞与振込, design §12): upload, read, authorise, execute on the date.
export * from "./authorise.ts";
export * from "./create.ts";
export * from "./execution.ts";
export * from "./read.ts";
