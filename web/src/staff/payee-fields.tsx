// A payee's account as a form asks for it (bank, branch, account type and number, Zengin name): the
// fields, their checks before sending, and the payee as the API takes it. The payee book's registration
// and a transfer to a payee typed in ask alike; each screen gives its own words.
import { halfWidth } from "../components/format.ts";
import { TextField } from "../components/text-field.tsx";
import { disallowedCharacters, toZenginName, zenginNamePattern } from "./zengin.ts";

export interface PayeeFieldValues {
  bankCode: string;
  branchCode: string;
  accountType: "ordinary" | "checking";
  accountNumber: string;
  name: string;
}

export type PayeeField = keyof PayeeFieldValues;

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
  const digits = (field: "bankCode" | "branchCode" | "accountNumber", count: number) =>
    new RegExp(`^\\d{${count}}$`).test(halfWidth(values[field]))
      ? []
      : [{ field, message: words.digits(words[field], count) }];
  const name = toZenginName(values.name);
  return [
    ...digits("bankCode", 4),
    ...digits("branchCode", 3),
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
  bankCode: "bankCode",
  branchCode: "branchCode",
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
  errorOf,
}: {
  values: PayeeFieldValues;
  words: PayeeFieldWords;
  formId: string;
  set: (field: PayeeField) => (value: string) => void;
  /** What is wrong with a field, shown beside it. */
  errorOf: (field: PayeeField) => string | undefined;
}) => (
  <>
    <TextField
      label={words.bankCode}
      name="bankCode"
      inputMode="numeric"
      maxLength={4}
      size={6}
      value={values.bankCode}
      onInput={set("bankCode")}
      error={errorOf("bankCode")}
    />
    <TextField
      label={words.branchCode}
      name="branchCode"
      inputMode="numeric"
      maxLength={3}
      size={5}
      value={values.branchCode}
      onInput={set("branchCode")}
      error={errorOf("branchCode")}
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
