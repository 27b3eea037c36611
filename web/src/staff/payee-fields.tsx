// A payee's account as a form asks for it (bank and branch chosen by name, account type and number, Zengin
// name): the fields, their checks before sending, and the payee as the API takes it. The payee book's
// registration and a transfer to a payee typed in ask alike; each screen gives its own words.
import { halfWidth } from "../components/format.ts";
import { TextField } from "../components/text-field.tsx";
import { BankBranchPicker, type BankChoice } from "./bank-picker.tsx";
import { disallowedCharacters, toZenginName, zenginNamePattern } from "./zengin.ts";

export interface PayeeFieldValues {
  bankCode: string;
  /** The chosen bank's name, shown beside it (not sent: the API names it from the code). */
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: "ordinary" | "checking";
  accountNumber: string;
  name: string;
}

export type PayeeField = Exclude<keyof PayeeFieldValues, "bankName" | "branchName">;

/** No bank, no branch: what a new form starts with. */
export const noBank: BankChoice = { bankCode: "", bankName: "", branchCode: "", branchName: "" };

/** The screen's words for the fields and their refusals. */
export interface PayeeFieldWords {
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  accountNumberHint?: string | undefined;
  name: string;
  nameHint?: string | undefined;
  ordinary: string;
  checking: string;
  /** "`field` takes `count` digits". */
  digits: (field: string, count: number) => string;
  /** No bank chosen; no branch chosen. */
  bankRequired: string;
  branchRequired: string;
  /** The name is empty. */
  nameRequired: string;
  /** The name holds characters a Zengin name cannot. */
  nameInvalid: (characters: string) => string;
}

/** Every field at fault at once, each with what to say; empty when the payee can be sent. */
export const payeeFieldsInvalid = (
  values: PayeeFieldValues,
  words: PayeeFieldWords,
): { field: PayeeField; message: string }[] => {
  const digits = (field: "accountNumber", count: number) =>
    new RegExp(`^\\d{${count}}$`).test(halfWidth(values[field]))
      ? []
      : [{ field, message: words.digits(words[field], count) }];
  const name = toZenginName(values.name);
  return [
    ...(/^\d{4}$/.test(values.bankCode) ? [] : [{ field: "bankCode" as const, message: words.bankRequired }]),
    ...(/^\d{3}$/.test(values.branchCode)
      ? []
      : [{ field: "branchCode" as const, message: words.branchRequired }]),
    ...digits("accountNumber", 7),
    ...(name.trim() === ""
      ? [{ field: "name" as const, message: words.nameRequired }]
      : zenginNamePattern.test(name)
        ? []
        : [
            {
              field: "name" as const,
              message: words.nameInvalid(disallowedCharacters(name).join(" ") || "—"),
            },
          ]),
  ];
};

/** The form control's `name` of each field: the error summary's links go to them. */
export const payeeFieldControls: Readonly<Record<PayeeField, string>> = {
  bankCode: "bankQuery",
  branchCode: "branchQuery",
  accountType: "accountType",
  accountNumber: "accountNumber",
  name: "payeeName",
};

/** The payee as the API takes it: half-width digits, the name in the Zengin set. */
export const payeeOfFields = (values: PayeeFieldValues) => ({
  bankCode: halfWidth(values.bankCode),
  branchCode: halfWidth(values.branchCode),
  accountType: values.accountType,
  accountNumber: halfWidth(values.accountNumber),
  name: toZenginName(values.name),
});

export const PayeeFields = ({
  values,
  words,
  formId,
  set,
  setBank,
  errorOf,
}: {
  values: PayeeFieldValues;
  words: PayeeFieldWords;
  formId: string;
  set: (field: PayeeField) => (value: string) => void;
  /** The bank and branch chosen (or forgotten), with their names. */
  setBank: (choice: BankChoice) => void;
  /** What is wrong with a field, shown beside it. */
  errorOf: (field: PayeeField) => string | undefined;
}) => (
  <>
    <BankBranchPicker
      value={values}
      onChange={setBank}
      bankLabel={words.bankCode}
      branchLabel={words.branchCode}
      bankError={errorOf("bankCode")}
      branchError={errorOf("branchCode")}
    />
    <div class="field">
      <label for={`${formId}-type`}>{words.accountType}</label>
      <select
        id={`${formId}-type`}
        name="accountType"
        value={values.accountType}
        onChange={(event) => set("accountType")((event.target as HTMLSelectElement).value)}
      >
        <option value="ordinary">{words.ordinary}</option>
        <option value="checking">{words.checking}</option>
      </select>
    </div>
    <TextField
      label={words.accountNumber}
      hint={words.accountNumberHint}
      name="accountNumber"
      inputMode="numeric"
      maxLength={7}
      size={9}
      value={values.accountNumber}
      onInput={set("accountNumber")}
      error={errorOf("accountNumber")}
    />
    <TextField
      label={words.name}
      hint={words.nameHint}
      name="payeeName"
      maxLength={60}
      value={values.name}
      onInput={set("name")}
      // Typed kana and letters are shown as they will be sent, in the Zengin set.
      onBlur={() => set("name")(toZenginName(values.name))}
      error={errorOf("name")}
    />
  </>
);
