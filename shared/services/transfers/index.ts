// The transfers' use cases (design §5), one module per family: create, authorise (sign and approve),
// withdraw (reject and cancel), read (get and list); execution is the last step of authorising.

export { approveTransfer, completeSignature, prepareSignature, signTransfer } from "./authorise.ts";
export { createTransfer } from "./create.ts";
export { getTransfer, listTransfers } from "./read.ts";
export { executeDueTransfers, type SchedulerRun } from "./scheduled.ts";
export { cancelTransfer, rejectTransfer } from "./withdraw.ts";
