// The payee book's use cases (design §10): manage (register, change, confirm, delete), read (list, one,
// groups), and use (a payee in a transfer, and its first use at execution).
export { changePayee, confirmPayee, deletePayee, registerPayee } from "./manage.ts";
export { getPayee, listPayeeGroups, listPayees } from "./read.ts";
