import { describe, expect, it } from "vitest";
import { loadZenginMaster } from "#shared/adapters/zengin/master";

const zenginMaster = await loadZenginMaster();

describe("the Zengin code master", () => {
  it("knows banks and branches by code, with names in kanji and kana", () => {
    expect(zenginMaster.bank("0001")).toEqual({ code: "0001", name: "みずほ", kana: "ミズホ" });
    expect(zenginMaster.branch("0001", "100")).toEqual({ code: "100", name: "本店", kana: "ホンテン" });
  });

  it("knows no made-up or malformed code, nor an inherited property name", () => {
    expect(zenginMaster.bank("9998")).toBeUndefined();
    expect(zenginMaster.bank("constructor")).toBeUndefined();
    expect(zenginMaster.branch("0001", "999")).toBeUndefined();
    expect(zenginMaster.branch("0001", "__proto__")).toBeUndefined();
    expect(zenginMaster.branch("9998", "100")).toBeUndefined();
  });

  it("finds banks by code prefix, name, kana or hiragana, within the limit", () => {
    expect(zenginMaster.searchBanks("0001", 5).map((b) => b.code)).toContain("0001");
    expect(zenginMaster.searchBanks("みずほ", 5).map((b) => b.code)).toContain("0001");
    expect(zenginMaster.searchBanks("ミズホ", 5).map((b) => b.code)).toContain("0001");
    expect(zenginMaster.searchBanks("", 3)).toHaveLength(3);
    expect(zenginMaster.searchBranches("0001", "ホンテン", 5).map((b) => b.code)).toContain("100");
    expect(zenginMaster.searchBranches("9998", "", 5)).toEqual([]);
  });

  it("puts the best matches first: a name or code in whole, then one that starts with the query, then one that holds it", () => {
    expect(zenginMaster.searchBanks("みずほ", 3).map((b) => b.code)[0]).toBe("0001");
    expect(zenginMaster.searchBanks("0005", 3).map((b) => b.code)).toEqual(["0005"]);
    const tokyo = zenginMaster.searchBranches("0005", "トウキヨウ", 20).map((b) => b.kana);
    const startsAt = tokyo.findIndex((kana) => !kana.startsWith("トウキヨウ"));
    if (startsAt >= 0)
      expect(tokyo.slice(startsAt).every((kana) => !kana.startsWith("トウキヨウ"))).toBe(true);
  });
});
