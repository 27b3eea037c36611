// axe-core on every main screen after logon in English: on a desktop every screen, on a phone those whose
// words are longest and the transfer's steps (test/support/accessibility.ts). Its own file, so that it runs
// beside the Japanese tour (web-console-accessibility.test.ts).
import { describe, expect, it } from "vitest";
import { useScreenTour } from "#test/support/accessibility";
import { logOnInBrowser } from "#test/support/console-flows";

const { run, admin, checkLanguage } = await useScreenTour();

describe("accessibility of every main screen in English (axe-core)", () => {
  it("finds no violation on any screen after logon in English, on a desktop and on a phone", {
    timeout: 480_000,
  }, async () => {
    const page = await run.newPage();
    await logOnInBrowser(page, admin);
    expect(await checkLanguage(page, "en")).toEqual([]);
    expect(run.errorsOf(page)).toEqual([]);
  });
});
