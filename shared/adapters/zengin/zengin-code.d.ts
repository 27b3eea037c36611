// The `zengin-code` package ships no types: a record of banks by 4-digit code, each with its branches.
declare module "zengin-code" {
  interface ZenginEntry {
    code: string;
    name: string;
    kana: string;
    hira: string;
    roma: string;
  }
  const banks: Record<string, ZenginEntry & { branches: Record<string, ZenginEntry> }>;
  export default banks;
}
