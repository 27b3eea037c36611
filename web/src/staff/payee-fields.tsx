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
  /** The name holds characters a Zengin name cannot. */
  nameInvalid: (characters: string) => string;
}

/** The first field at fault, with what to say, or null when the payee can be sent. */
export const payeeFieldsInvalid = (
  values: PayeeFieldValues,
  words: PayeeFieldWords,
): { field: PayeeField; message: string } | null => {
  const digits = (field: "bankCode" | "branchCode" | "accountNumber", count: number) =>
    new RegExp(`^\\d{${count}}$`).test(halfWidth(values[field]))
      ? null
      : { field, message: words.digits(words[field], count) };
  const name = toZenginName(values.name);
  return (
    digits("bankCode", 4) ??
    digits("branchCode", 3) ??
    digits("accountNumber", 7) ??
    (zenginNamePattern.test(name)
      ? null
      : { field: "name", message: words.nameInvalid(disallowedCharacters(name).join(" ") || "—") })
  );
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
  invalidOn,
  described,
}: {
  values: PayeeFieldValues;
  words: PayeeFieldWords;
  formId: string;
  set: (field: PayeeField) => (value: string) => void;
  invalidOn: (field: PayeeField) => boolean;
  described: (field: PayeeField) => string | undefined;
}) => (
  <>
    <TextField
      label={words.bankCode}
      name="bankCode"
      inputMode="numeric"
      maxLength={4}
      value={values.bankCode}
      onInput={set("bankCode")}
      invalid={invalidOn("bankCode")}
      describedBy={described("bankCode")}
    />
    <TextField
      label={words.branchCode}
      name="branchCode"
      inputMode="numeric"
      maxLength={3}
      value={values.branchCode}
      onInput={set("branchCode")}
      invalid={invalidOn("branchCode")}
      describedBy={described("branchCode")}
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
      value={values.accountNumber}
      onInput={set("accountNumber")}
      invalid={invalidOn("accountNumber")}
      describedBy={described("accountNumber")}
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
      invalid={invalidOn("name")}
      describedBy={described("name")}
    />
  </>
);
