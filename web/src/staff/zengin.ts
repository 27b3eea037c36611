// Payee names as a Zengin (全銀) transfer takes them: what people type (full-width katakana, hiragana,
// lower case, full-width letters and digits) turned into the half-width set the API accepts
// (shared/domain/transfer.ts): half-width katakana without ｦ or small kana, the voiced marks, A-Z, digits,
// space and ( ) - . — at most 30 characters.

const fullKana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
const halfKana = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
const voiced = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
const voicedBase = "カキクケコサシスセソタチツテトハヒフヘホ";
const semiVoiced = "パピプペポ";
const semiVoicedBase = "ハヒフヘホ";
// Zengin writes small kana as the large ones.
const smallFull = "ァィゥェォッャュョヮ";
const smallHalf = "ｧｨｩｪｫｯｬｭｮ";
const smallLarge = "アイウエオツヤユヨワ";

const halfOf = (katakana: string): string => {
  const plain = fullKana.indexOf(katakana);
  if (plain >= 0) return halfKana[plain] ?? katakana;
  const dakuten = voiced.indexOf(katakana);
  if (dakuten >= 0) return `${halfOf(voicedBase[dakuten] ?? "")}ﾞ`;
  const handakuten = semiVoiced.indexOf(katakana);
  if (handakuten >= 0) return `${halfOf(semiVoicedBase[handakuten] ?? "")}ﾟ`;
  if (katakana === "ヴ") return "ｳﾞ";
  const small = smallFull.indexOf(katakana);
  if (small >= 0) return halfOf(smallLarge[small] ?? "");
  return katakana;
};

/** The name converted to the Zengin set where a conversion exists; other characters are left for the check. */
export const toZenginName = (typed: string): string =>
  [...typed.normalize("NFKC").normalize("NFC")]
    .map((character) => {
      const code = character.codePointAt(0) ?? 0;
      // Hiragana → katakana (same order, 0x60 apart).
      const katakana = code >= 0x3041 && code <= 0x3096 ? String.fromCodePoint(code + 0x60) : character;
      if (/[ー－‐―−]/.test(katakana)) return "-";
      if (katakana === "　") return " ";
      const small = smallHalf.indexOf(katakana);
      if (small >= 0) return halfOf(smallLarge[small] ?? "");
      return /[\u30A0-\u30FF]/.test(katakana) ? halfOf(katakana) : katakana.toUpperCase();
    })
    .join("")
    .replace(/\s+/g, " ")
    .trim();

/** The API's check (shared/domain/transfer.ts's payeeNamePattern), to explain a refusal before sending. */
export const zenginNamePattern = /^[\uFF71-\uFF9F A-Z0-9().-]{1,30}$/;

/** The characters of `name` a transfer does not allow, each once. */
export const disallowedCharacters = (name: string): string[] => [
  ...new Set([...name].filter((character) => !/[\uFF71-\uFF9F A-Z0-9().-]/.test(character))),
];
