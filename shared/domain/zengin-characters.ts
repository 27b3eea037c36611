// The Zengin character set (全銀協の使用可能文字): what the text fields of a Zengin file may hold, as
// characters, one per byte of Shift_JIS. Names of payees, requesters, banks and branches are written in
// half-width katakana, upper-case letters and digits, with a few symbols; small kana (ｧ ｨ ｩ ｪ ｫ ｬ ｭ ｮ ｯ),
// ｦ, the long-vowel mark ｰ, lower case, kanji, full-width characters and other symbols are refused,
// as banks' clearing refuses them. The yen mark is byte 0x5C, which Shift_JIS decoders give as "\".

/** One character of the set: 0–9, A–Z, space, ｱ–ﾝ, ﾞ, ﾟ and \ , . ｢ ｣ ( ) - / */
const zenginCharacter = /[0-9A-Z \uFF71-\uFF9D\uFF9E\uFF9F\\,.\uFF62\uFF63()\-/]/u;
const zenginText = /^[0-9A-Z \uFF71-\uFF9D\uFF9E\uFF9F\\,.\uFF62\uFF63()\-/]*$/u;

/** Whether every character of the text is in the Zengin character set. */
export const isZenginText = (text: string): boolean => zenginText.test(text);

/** The first character of the text outside the Zengin set, or undefined when there is none. */
export const firstForbiddenCharacter = (text: string): string | undefined => {
  for (const character of text) if (!zenginCharacter.test(character)) return character;
  return undefined;
};

export const isDigits = (text: string): boolean => /^[0-9]+$/.test(text);
export const isBlank = (text: string): boolean => /^ *$/.test(text);
